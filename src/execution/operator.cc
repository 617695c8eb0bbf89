#include "execution/operator.h"

#include <algorithm>

#include "common/time_util.h"

namespace laminar::execution {

Status ExecContext::Check() const {
  if (limits_.cancel != nullptr && limits_.cancel->load(std::memory_order_relaxed))
    return Cancelled("canceling statement due to user request");
  if (limits_.deadline_micros > 0 && MonotonicMicros() >= limits_.deadline_micros)
    return DeadlineExceeded("canceling statement due to statement timeout: the query ran longer than {} ms "
                            "([query] timeout_seconds, or the caller's own query_timeout_seconds)", limits_.timeout_micros / 1000);
  return Status::OK();
}

Status ExecContext::Charge(size_t bytes, const char* what) {
  used_ += bytes;
  peak_ = std::max(peak_, used_);
  if (used_ > limits_.max_memory_bytes) {
    return ResourceExhausted("query needs more than {} MiB of memory ([query] max_memory_mb) for {}; narrow it with "
                             "WHERE, LIMIT or fewer groups", limits_.max_memory_bytes >> 20, what);
  }
  return Status::OK();
}

Status PhysicalOperator::ProduceRowByRow(ExecContext& ctx, Sink& out, const ExpandRow& expand) {
  class RowSink : public Sink {
   public:
    RowSink(const std::vector<Type>& types, ExecContext& ctx, Sink& out, const ExpandRow& expand)
        : types_(types), ctx_(ctx), out_(out), expand_(expand) {}
    Status Push(Chunk& chunk, bool* stop) override {
      Chunk result(types_);
      bool stopped = false;
      EmitRow emit = [&](std::vector<Value>&& row) -> Status {
        if (stopped) return Status::OK();
        result.AppendValues(row);
        if (result.rows < columnar::kChunkRows) return Status::OK();
        RETURN_IF_ERROR(ctx_.Check());
        RETURN_IF_ERROR(out_.Push(result, &stopped));
        result = Chunk(types_);
        return Status::OK();
      };
      for (size_t r = 0; r < chunk.rows && !stopped; r++) {
        std::vector<Value> row = chunk.GetRow(r);
        RETURN_IF_ERROR(expand_(row, emit));
      }
      if (!stopped && result.rows > 0) RETURN_IF_ERROR(out_.Push(result, &stopped));
      *stop = stopped;
      return Status::OK();
    }

   private:
    const std::vector<Type>& types_;
    ExecContext& ctx_;
    Sink& out_;
    const ExpandRow& expand_;
  };
  int64_t start = MonotonicMicros();
  CountingSink counted(stats(), out);
  RowSink sink(types_, ctx, counted, expand);
  Status st = children_[0]->Produce(ctx, sink);
  stats().micros += MonotonicMicros() - start;
  return st;
}

}  // namespace laminar::execution
