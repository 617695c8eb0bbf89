// JoinRunner and the helpers shared by the join operators (join_internal.h).
#include <algorithm>

#include "execution/join.h"
#include "execution/join_internal.h"

namespace laminar::execution {

const char* JoinTypeName(JoinType type) {
  switch (type) {
    case JoinType::kInner: return "INNER";
    case JoinType::kLeft: return "LEFT";
    case JoinType::kRight: return "RIGHT";
    case JoinType::kFull: return "FULL";
    case JoinType::kSemi: return "SEMI";
    case JoinType::kAnti: return "ANTI";
    case JoinType::kMark: return "MARK";
    case JoinType::kMarkExists: return "MARK EXISTS";
    case JoinType::kCross: return "CROSS";
  }
  return "?";
}

namespace join_internal {

namespace {

template <typename T>
void GatherArray(const T* in, const uint8_t* in_valid, const std::vector<uint32_t>& sel,
                 std::vector<T>* out, std::vector<uint8_t>* valid) {
  size_t n = sel.size();
  out->resize(n);
  valid->resize(n);
  for (size_t i = 0; i < n; i++) {
    uint32_t r = sel[i];
    if (r == kNoRow) {
      (*valid)[i] = 0;
      (*out)[i] = T();
    } else {
      (*valid)[i] = in_valid[r];
      (*out)[i] = in[r];
    }
  }
}

}  // namespace

void GatherColumns(const Chunk* src, const std::vector<Type>& types,
                   const std::vector<uint32_t>& sel, std::vector<Vector>* out) {
  for (size_t c = 0; c < types.size(); c++) {
    Vector v(types[c]);
    if (src == nullptr) {
      v.Resize(sel.size());
      out->push_back(std::move(v));
      continue;
    }
    const Vector& in = src->columns[c];
    v.ShareHeap(in);
    switch (types[c]) {
      case Type::kDouble:
        GatherArray(in.doubles(), in.validity(), sel, &v.mutable_doubles(), &v.mutable_validity());
        break;
      case Type::kText:
        GatherArray(in.strings(), in.validity(), sel, &v.mutable_strings(), &v.mutable_validity());
        break;
      default:
        GatherArray(in.ints(), in.validity(), sel, &v.mutable_ints(), &v.mutable_validity());
        break;
    }
    out->push_back(std::move(v));
  }
}

JoinRunner::JoinRunner(JoinType type, JoinSide build, const ChunkPredicate* residual,
                       std::vector<Type> left_types, std::vector<Type> right_types,
                       ExecContext& ctx, Sink& out)
    : type_(type == JoinType::kCross ? JoinType::kInner : type),
      probe_is_left_(build == JoinSide::kRight),
      residual_(residual != nullptr && *residual ? residual : nullptr),
      left_types_(std::move(left_types)),
      right_types_(std::move(right_types)),
      ctx_(ctx),
      out_(out) {
  bool left_outer = type_ == JoinType::kLeft || type_ == JoinType::kFull;
  bool right_outer = type_ == JoinType::kRight || type_ == JoinType::kFull;
  emit_pairs_ = type_ == JoinType::kInner || left_outer || right_outer;
  semi_like_ = !emit_pairs_;
  preserve_probe_ = probe_is_left_ ? left_outer : right_outer;
  preserve_build_ = probe_is_left_ ? right_outer : left_outer;
  track_build_ = preserve_build_ || (semi_like_ && !probe_is_left_);
  immediate_ = residual_ == nullptr;
  match_probe_.reserve(columnar::kChunkRows);
  match_build_.reserve(columnar::kChunkRows);
}

size_t JoinRunner::SetBuild(const Chunk* build) {
  build_ = build;
  size_t bytes = 0;
  if (track_build_) {
    build_matched_.assign(build->rows, 0);
    bytes += build->rows;
  }
  if (type_ == JoinType::kMark && !probe_is_left_) {
    build_maybe_.assign(build->rows, 0);
    bytes += build->rows;
  }
  return bytes;
}

bool JoinRunner::EmptyBuildGivesEmptyOutput() const {
  if (preserve_probe_) return false;
  // With the left side as the probe, semi-like joins output a row per probe row (ANTI, MARK).
  return !(semi_like_ && probe_is_left_ && type_ != JoinType::kSemi);
}

void JoinRunner::StartProbe(const Chunk* probe) {
  probe_ = probe;
  probe_matched_.assign(probe->rows, 0);
  if (type_ == JoinType::kMark && probe_is_left_) probe_maybe_.assign(probe->rows, 0);
}

Status JoinRunner::CheckSingle(uint32_t p, uint32_t b) const {
  if (!single_match_) return Status::OK();
  bool matched = probe_is_left_ ? probe_matched_[p] != 0 : build_matched_[b] != 0;
  if (matched)
    return InvalidArgument(ErrorCode::kCardinalityViolation, "more than one row returned by a subquery used as an expression");
  return Status::OK();
}

Status JoinRunner::AddMatch(uint32_t p, uint32_t b) {
  if (stopped_) return Status::OK();
  if (immediate_) {
    RETURN_IF_ERROR(CheckSingle(p, b));
    probe_matched_[p] = 1;
    if (track_build_) build_matched_[b] = 1;
    if (!emit_pairs_) return Tick();
  }
  match_probe_.push_back(p);
  match_build_.push_back(b);
  return match_probe_.size() >= columnar::kChunkRows ? FlushMatches() : Status::OK();
}

Status JoinRunner::AddMaybe(uint32_t p, uint32_t b) {
  if (stopped_) return Status::OK();
  if (immediate_) {
    if (probe_is_left_) {
      probe_maybe_[p] = 1;
    } else {
      build_maybe_[b] = 1;
    }
    return Tick();
  }
  maybe_probe_.push_back(p);
  maybe_build_.push_back(b);
  return maybe_probe_.size() >= columnar::kChunkRows ? FlushMaybes() : Status::OK();
}

Chunk JoinRunner::Combine(const std::vector<uint32_t>& probe_rows,
                          const std::vector<uint32_t>& build_rows) const {
  Chunk c;
  c.columns.reserve(left_types_.size() + right_types_.size());
  const Chunk* left = probe_is_left_ ? probe_ : build_;
  const Chunk* right = probe_is_left_ ? build_ : probe_;
  GatherColumns(left, left_types_, probe_is_left_ ? probe_rows : build_rows, &c.columns);
  GatherColumns(right, right_types_, probe_is_left_ ? build_rows : probe_rows, &c.columns);
  c.rows = probe_rows.size();
  return c;
}

Status JoinRunner::Evaluate(const Chunk& combined, std::vector<uint32_t>* sel) const {
  sel->clear();
  RETURN_IF_ERROR((*residual_)(combined, sel));
  for (uint32_t s : *sel) {
    if (s >= combined.rows) {
      return Internal("join condition selected row {} of {}", s, combined.rows);
    }
  }
  return Status::OK();
}

Status JoinRunner::Flush() {
  RETURN_IF_ERROR(FlushMatches());
  return FlushMaybes();
}

Status JoinRunner::FlushMatches() {
  if (match_probe_.empty() || stopped_) {
    match_probe_.clear();
    match_build_.clear();
    return Status::OK();
  }
  Chunk combined = Combine(match_probe_, match_build_);
  if (immediate_) {
    RETURN_IF_ERROR(Push(combined));  // flags already set; only INNER/outer buffer pairs
  } else {
    std::vector<uint32_t> sel;
    RETURN_IF_ERROR(Evaluate(combined, &sel));
    for (uint32_t s : sel) {
      RETURN_IF_ERROR(CheckSingle(match_probe_[s], match_build_[s]));
      probe_matched_[match_probe_[s]] = 1;
      if (track_build_) build_matched_[match_build_[s]] = 1;
    }
    if (emit_pairs_ && !sel.empty()) {
      if (sel.size() == combined.rows) {
        RETURN_IF_ERROR(Push(combined));
      } else {
        Chunk selected = Chunk::Select(combined, sel);
        RETURN_IF_ERROR(Push(selected));
      }
    }
  }
  match_probe_.clear();
  match_build_.clear();
  return stopped_ ? Status::OK() : ctx_.Check();
}

Status JoinRunner::FlushMaybes() {
  if (maybe_probe_.empty() || stopped_) {
    maybe_probe_.clear();
    maybe_build_.clear();
    return Status::OK();
  }
  Chunk combined = Combine(maybe_probe_, maybe_build_);
  std::vector<uint32_t> sel;
  RETURN_IF_ERROR(Evaluate(combined, &sel));
  for (uint32_t s : sel) {
    if (probe_is_left_) {
      probe_maybe_[maybe_probe_[s]] = 1;
    } else {
      build_maybe_[maybe_build_[s]] = 1;
    }
  }
  maybe_probe_.clear();
  maybe_build_.clear();
  return ctx_.Check();
}

Status JoinRunner::Push(Chunk& chunk) {
  bool stop = false;
  RETURN_IF_ERROR(out_.Push(chunk, &stop));
  if (stop) stopped_ = true;
  return Status::OK();
}

Status JoinRunner::FinishProbe() {
  RETURN_IF_ERROR(Flush());
  if (stopped_) return Status::OK();
  if ((semi_like_ && probe_is_left_) || preserve_probe_) {
    return EmitSide(true, probe_->rows, probe_matched_, probe_maybe_);
  }
  return Status::OK();
}

Status JoinRunner::FinishBuild() {
  if (stopped_) return Status::OK();
  if ((semi_like_ && !probe_is_left_) || preserve_build_) {
    return EmitSide(false, build_->rows, build_matched_, build_maybe_);
  }
  return Status::OK();
}

Status JoinRunner::EmitSide(bool of_probe, size_t rows, const std::vector<uint8_t>& matched,
                            const std::vector<uint8_t>& maybe) {
  std::vector<uint32_t> sel;
  for (size_t i = 0; i < rows; i++) {
    bool keep = type_ == JoinType::kSemi ? matched[i] != 0
                : (type_ == JoinType::kMark || type_ == JoinType::kMarkExists) ? true
                                                                               : matched[i] == 0;
    if (keep) sel.push_back(static_cast<uint32_t>(i));
  }
  if (sel.empty()) return Status::OK();
  if (semi_like_) return EmitLeftRows(of_probe, sel, matched, maybe);
  return EmitUnmatched(of_probe, sel);
}

Status JoinRunner::EmitUnmatched(bool of_probe, const std::vector<uint32_t>& rows) {
  const Chunk* src = of_probe ? probe_ : build_;
  bool src_is_left = of_probe == probe_is_left_;
  for (size_t start = 0; start < rows.size() && !stopped_; start += columnar::kChunkRows) {
    size_t end = std::min(rows.size(), start + columnar::kChunkRows);
    std::vector<uint32_t> slice(rows.begin() + start, rows.begin() + end);
    Chunk out;
    out.columns.reserve(left_types_.size() + right_types_.size());
    GatherColumns(src_is_left ? src : nullptr, left_types_, slice, &out.columns);
    GatherColumns(src_is_left ? nullptr : src, right_types_, slice, &out.columns);
    out.rows = slice.size();
    RETURN_IF_ERROR(Push(out));
  }
  return Status::OK();
}

Status JoinRunner::EmitLeftRows(bool of_probe, const std::vector<uint32_t>& rows,
                                const std::vector<uint8_t>& matched,
                                const std::vector<uint8_t>& maybe) {
  const Chunk* src = of_probe ? probe_ : build_;
  bool with_mark = type_ == JoinType::kMark || type_ == JoinType::kMarkExists;
  for (size_t start = 0; start < rows.size() && !stopped_; start += columnar::kChunkRows) {
    size_t end = std::min(rows.size(), start + columnar::kChunkRows);
    std::vector<uint32_t> slice(rows.begin() + start, rows.begin() + end);
    Chunk out;
    out.columns.reserve(left_types_.size() + 1);
    GatherColumns(src, left_types_, slice, &out.columns);
    if (with_mark) {
      Vector mark(Type::kBool);
      mark.Reserve(slice.size());
      for (uint32_t r : slice) {
        if (matched[r]) {
          mark.AppendBool(true);
        } else if (type_ == JoinType::kMark && maybe[r]) {
          mark.AppendNull();
        } else {
          mark.AppendBool(false);
        }
      }
      out.columns.push_back(std::move(mark));
    }
    out.rows = slice.size();
    RETURN_IF_ERROR(Push(out));
  }
  return Status::OK();
}

}  // namespace join_internal
}  // namespace laminar::execution
