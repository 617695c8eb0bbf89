#include "execution/filter.h"

#include <vector>

#include "common/time_util.h"
#include "sql/vector_eval.h"

namespace laminar::execution {

namespace {

class FilterSink : public Sink {
 public:
  FilterSink(ExecContext& ctx, const sql::Expr& predicate, Sink& out) : ctx_(ctx), predicate_(predicate), out_(out) {}

  Status Push(Chunk& chunk, bool* stop) override {
    RETURN_IF_ERROR(ctx_.Check());
    if (chunk.rows == 0) return Status::OK();
    sql::EvalSelect(predicate_, chunk, &sel_);
    if (sql::HasEvalError()) return sql::TakeEvalError();
    if (sel_.empty()) return Status::OK();
    if (sel_.size() == chunk.rows) return out_.Push(chunk, stop);
    Chunk selected = Chunk::Select(chunk, sel_);
    return out_.Push(selected, stop);
  }

 private:
  ExecContext& ctx_;
  const sql::Expr& predicate_;
  Sink& out_;
  std::vector<uint32_t> sel_;
};

}  // namespace

Filter::Filter(PhysicalOperatorPtr child, sql::ExprPtr predicate) : predicate_(std::move(predicate)) {
  types_ = child->types();
  children_.push_back(std::move(child));
}

Status Filter::Produce(ExecContext& ctx, Sink& out) {
  int64_t start = MonotonicMicros();
  CountingSink counted(stats_, out);
  FilterSink sink(ctx, *predicate_, counted);
  Status st = children_[0]->Produce(ctx, sink);
  stats_.micros += MonotonicMicros() - start;
  return st;
}

std::string Filter::Describe() const { return "Filter " + predicate_->ToString(); }

}  // namespace laminar::execution
