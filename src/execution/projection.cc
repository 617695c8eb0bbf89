#include "execution/projection.h"

#include "common/time_util.h"
#include "sql/vector_eval.h"

namespace laminar::execution {

namespace {

class ProjectionSink : public Sink {
 public:
  ProjectionSink(ExecContext& ctx, const std::vector<sql::ExprPtr>& exprs, Sink& out)
      : ctx_(ctx), exprs_(exprs), out_(out) {}

  Status Push(Chunk& chunk, bool* stop) override {
    RETURN_IF_ERROR(ctx_.Check());
    if (chunk.rows == 0) return Status::OK();
    Chunk result;
    result.columns.resize(exprs_.size());
    for (size_t k = 0; k < exprs_.size(); k++) {
      sql::EvalVector(*exprs_[k], chunk, &result.columns[k]);
      if (sql::HasEvalError()) return sql::TakeEvalError();
    }
    result.rows = chunk.rows;
    return out_.Push(result, stop);
  }

 private:
  ExecContext& ctx_;
  const std::vector<sql::ExprPtr>& exprs_;
  Sink& out_;
};

}  // namespace

Projection::Projection(PhysicalOperatorPtr child, std::vector<sql::ExprPtr> exprs) : exprs_(std::move(exprs)) {
  for (const auto& e : exprs_) types_.push_back(e->type);
  children_.push_back(std::move(child));
}

Status Projection::Produce(ExecContext& ctx, Sink& out) {
  int64_t start = MonotonicMicros();
  CountingSink counted(stats_, out);
  ProjectionSink sink(ctx, exprs_, counted);
  Status st = children_[0]->Produce(ctx, sink);
  stats_.micros += MonotonicMicros() - start;
  return st;
}

std::string Projection::Describe() const {
  std::string out = "Projection";
  for (size_t k = 0; k < exprs_.size(); k++) out += (k ? ", " : " ") + exprs_[k]->ToString();
  return out;
}

}  // namespace laminar::execution
