// NestedLoopJoin (join.h): materialises the right input, then offers every (left row, right row)
// pair of each left chunk to JoinRunner, which evaluates the residual in batches of kChunkRows
// pairs.
#include "common/time_util.h"
#include "execution/join.h"
#include "execution/join_internal.h"

namespace laminar::execution {

using join_internal::JoinRunner;

namespace {

class NestedLoopProbeSink : public Sink {
 public:
  NestedLoopProbeSink(ExecContext& ctx, JoinRunner& runner, const Chunk& right, bool first_only)
      : ctx_(ctx), runner_(runner), right_(right), first_only_(first_only) {}

  Status Push(Chunk& chunk, bool* stop) override {
    RETURN_IF_ERROR(ctx_.Check());
    runner_.StartProbe(&chunk);
    uint32_t n = static_cast<uint32_t>(right_.rows);
    for (uint32_t p = 0; p < chunk.rows && !runner_.stopped(); p++) {
      for (uint32_t b = 0; b < n; b++) {
        // Without a residual a semi-like join's left row is decided by its first pair.
        if (first_only_ && runner_.probe_matched(p)) break;
        RETURN_IF_ERROR(runner_.Tick());
        RETURN_IF_ERROR(runner_.AddMatch(p, b));
        if (runner_.stopped()) break;
      }
    }
    RETURN_IF_ERROR(runner_.FinishProbe());
    if (runner_.stopped()) *stop = true;
    return Status::OK();
  }

 private:
  ExecContext& ctx_;
  JoinRunner& runner_;
  const Chunk& right_;
  bool first_only_;
};

}  // namespace

NestedLoopJoin::NestedLoopJoin(PhysicalOperatorPtr left, PhysicalOperatorPtr right,
                               JoinType type, ChunkPredicate residual)
    : type_(type), residual_(std::move(residual)) {
  types_ = left->types();
  if (type_ == JoinType::kMarkExists) {
    types_.push_back(Type::kBool);
  } else if (type_ != JoinType::kSemi && type_ != JoinType::kAnti) {
    for (Type t : right->types()) types_.push_back(t);
  }
  children_.push_back(std::move(left));
  children_.push_back(std::move(right));
}

std::string NestedLoopJoin::Describe() const {
  std::string s = fmt::format("NestedLoopJoin {}", JoinTypeName(type_));
  if (residual_) s += residual_text_.empty() ? " residual" : " residual: " + residual_text_;
  return s;
}

Status NestedLoopJoin::Produce(ExecContext& ctx, Sink& out) {
  int64_t start = MonotonicMicros();
  Status st = Run(ctx, out);
  stats_.micros += MonotonicMicros() - start;
  return st;
}

Status NestedLoopJoin::Run(ExecContext& ctx, Sink& out) {
  if (type_ == JoinType::kMark) {
    return Internal("a MARK join needs equality keys (HashJoin): {}", Describe());
  }
  const std::vector<Type>& lt = children_[0]->types();
  const std::vector<Type>& rt = children_[1]->types();
  MemoryCharge mem(ctx);
  Chunk right(rt);
  MaterializeSink build(&right, &mem, "nested loop join right side");
  RETURN_IF_ERROR(children_[1]->Produce(ctx, build));
  RETURN_IF_ERROR(ctx.Check());
  stats_.details = {fmt::format("right rows {}", right.rows)};

  CountingSink counted(stats_, out);
  JoinRunner runner(type_, JoinSide::kRight, &residual_, lt, rt, ctx, counted);
  runner.set_single_match(single_match_);
  RETURN_IF_ERROR(mem.Charge(runner.SetBuild(&right), "nested loop join match flags"));
  if (right.rows == 0 && runner.EmptyBuildGivesEmptyOutput()) return Status::OK();
  bool first_only = !residual_ && (type_ == JoinType::kSemi || type_ == JoinType::kAnti ||
                                   type_ == JoinType::kMarkExists);
  NestedLoopProbeSink probe(ctx, runner, right, first_only);
  RETURN_IF_ERROR(children_[0]->Produce(ctx, probe));
  return runner.FinishBuild();
}

}  // namespace laminar::execution
