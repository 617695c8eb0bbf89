#include "execution/series.h"

#include <fmt/format.h>

#include "common/time_util.h"

namespace laminar::execution {

GenerateSeries::GenerateSeries(Type type, int64_t start, int64_t stop, int64_t step)
    : start_(start), stop_(stop), step_(step) {
  types_.push_back(type);
}

Status GenerateSeries::Produce(ExecContext& ctx, Sink& out) {
  int64_t t0 = MonotonicMicros();
  CountingSink counted(stats(), out);
  Chunk chunk(types_);
  bool stop = false;
  __int128 v = start_;
  auto done = [&] { return step_ > 0 ? v > stop_ : v < stop_; };
  while (!done() && !stop) {
    RETURN_IF_ERROR(ctx.Check());
    chunk.Clear();
    auto& col = chunk.columns[0];
    col.Reserve(columnar::kChunkRows);
    while (!done() && chunk.rows < columnar::kChunkRows) {
      col.AppendInt(static_cast<int64_t>(v));
      chunk.rows++;
      v += step_;
    }
    RETURN_IF_ERROR(counted.Push(chunk, &stop));
  }
  stats().micros += MonotonicMicros() - t0;
  return Status::OK();
}

std::string GenerateSeries::Describe() const {
  return fmt::format("GenerateSeries {} to {} step {}", start_, stop_, step_);
}

}  // namespace laminar::execution
