#include "execution/single_row.h"

#include "common/time_util.h"

namespace laminar::execution {

EnforceSingleRow::EnforceSingleRow(PhysicalOperatorPtr child) {
  types_ = child->types();
  children_.push_back(std::move(child));
}

namespace {
class OneRowSink : public Sink {
 public:
  explicit OneRowSink(std::vector<Type> types) : rows_(types) {}
  Status Push(Chunk& chunk, bool* stop) override {
    for (size_t r = 0; r < chunk.rows; r++) {
      if (rows_.rows >= 1) return InvalidArgument(ErrorCode::kCardinalityViolation, "more than one row returned by a subquery used as an expression");
      rows_.AppendRow(chunk, r);
    }
    return Status::OK();
  }
  Chunk rows_;
};
}  // namespace

Status EnforceSingleRow::Produce(ExecContext& ctx, Sink& out) {
  int64_t start = MonotonicMicros();
  OneRowSink one(types_);
  RETURN_IF_ERROR(children_[0]->Produce(ctx, one));
  stats().micros += MonotonicMicros() - start;
  if (one.rows_.rows == 0) return Status::OK();
  CountingSink counted(stats(), out);
  bool stop = false;
  return counted.Push(one.rows_, &stop);
}

}  // namespace laminar::execution
