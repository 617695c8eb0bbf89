#include "execution/set_operation.h"

#include <absl/container/flat_hash_map.h>

#include "common/time_util.h"
#include "execution/aggregate.h"

namespace laminar::execution {
namespace {

void RowKey(const Chunk& chunk, size_t row, std::string* key) {
  key->clear();
  for (const Vector& v : chunk.columns) AppendGroupKey(v, row, key);
}

// Per encoded row: for the right side of INTERSECT/EXCEPT, how many times it is still to be
// matched; kEmitted marks a row a distinct INTERSECT/EXCEPT has already passed on (or, for
// UNION, any row seen).
constexpr int64_t kEmitted = -1;

struct State {
  ExecContext& ctx;
  SetOpKind kind;
  bool all;
  absl::flat_hash_map<std::string, int64_t> rows;
  std::string key;
  size_t charged = 0;

  Status Charge(size_t bytes) {
    charged += bytes;
    return ctx.Charge(bytes, "set operation");
  }
};

// Counts the right child's rows.
class BuildSink : public Sink {
 public:
  explicit BuildSink(State& s) : s_(s) {}
  Status Push(Chunk& chunk, bool* stop) override {
    RETURN_IF_ERROR(s_.ctx.Check());
    size_t added = 0;
    for (size_t r = 0; r < chunk.rows; r++) {
      RowKey(chunk, r, &s_.key);
      auto [it, inserted] = s_.rows.try_emplace(s_.key, 0);
      if (inserted) added += s_.key.size() * 2 + 48;
      it->second++;
    }
    return added ? s_.Charge(added) : Status::OK();
  }

 private:
  State& s_;
};

// Passes on the rows of the output: UNION ALL every row; UNION the first of each; INTERSECT and
// EXCEPT by the counts of the right side.
class FilterSink : public Sink {
 public:
  FilterSink(State& s, Sink& out) : s_(s), out_(out) {}
  bool stopped() const { return stopped_; }

  Status Push(Chunk& chunk, bool* stop) override {
    RETURN_IF_ERROR(s_.ctx.Check());
    if (s_.kind == SetOpKind::kUnion && s_.all) return Forward(chunk, stop);
    sel_.clear();
    size_t added = 0;
    for (size_t r = 0; r < chunk.rows; r++) {
      RowKey(chunk, r, &s_.key);
      if (Keep(&added)) sel_.push_back(static_cast<uint32_t>(r));
    }
    if (added) RETURN_IF_ERROR(s_.Charge(added));
    if (sel_.empty()) return Status::OK();
    if (sel_.size() == chunk.rows) return Forward(chunk, stop);
    Chunk selected = Chunk::Select(chunk, sel_);
    return Forward(selected, stop);
  }

 private:
  Status Forward(Chunk& chunk, bool* stop) {
    Status st = out_.Push(chunk, stop);
    if (*stop) stopped_ = true;
    return st;
  }

  bool Keep(size_t* added) {
    auto& rows = s_.rows;
    switch (s_.kind) {
      case SetOpKind::kUnion: {
        auto [it, inserted] = rows.try_emplace(s_.key, kEmitted);
        if (inserted) *added += s_.key.size() * 2 + 48;
        return inserted;
      }
      case SetOpKind::kIntersect: {
        auto it = rows.find(s_.key);
        if (it == rows.end() || it->second <= 0) return false;
        if (s_.all) it->second--;
        else it->second = kEmitted;
        return true;
      }
      case SetOpKind::kExcept: {
        auto it = rows.find(s_.key);
        if (s_.all) {
          if (it == rows.end() || it->second <= 0) return true;
          it->second--;
          return false;
        }
        if (it != rows.end()) return false;  // on the right, or already passed on
        rows.emplace(s_.key, kEmitted);
        *added += s_.key.size() * 2 + 48;
        return true;
      }
    }
    return false;
  }

  State& s_;
  Sink& out_;
  std::vector<uint32_t> sel_;
  bool stopped_ = false;
};

}  // namespace

SetOperation::SetOperation(PhysicalOperatorPtr left, PhysicalOperatorPtr right, SetOpKind kind, bool all)
    : kind_(kind), all_(all) {
  types_ = left->types();
  children_.push_back(std::move(left));
  children_.push_back(std::move(right));
}

Status SetOperation::Produce(ExecContext& ctx, Sink& out) {
  int64_t start = MonotonicMicros();
  CountingSink counting(stats_, out);
  State state{ctx, kind_, all_, {}, {}, 0};
  FilterSink filter(state, counting);
  Status st;
  if (kind_ == SetOpKind::kUnion) {
    st = children_[0]->Produce(ctx, filter);
    if (st.ok() && !filter.stopped()) st = children_[1]->Produce(ctx, filter);
  } else {
    BuildSink build(state);
    st = children_[1]->Produce(ctx, build);
    // Nothing intersects an empty right side: the left child is not read.
    if (st.ok() && !(kind_ == SetOpKind::kIntersect && state.rows.empty())) st = children_[0]->Produce(ctx, filter);
  }
  ctx.Release(state.charged);
  stats_.micros += MonotonicMicros() - start;
  return st;
}

std::string SetOperation::Describe() const {
  const char* name = kind_ == SetOpKind::kUnion ? "Union" : kind_ == SetOpKind::kIntersect ? "Intersect" : "Except";
  return std::string(name) + (all_ ? " All" : "");
}

}  // namespace laminar::execution
