#include "execution/values.h"

#include <algorithm>

#include "common/time_util.h"

namespace laminar::execution {

ValuesSource::ValuesSource(std::vector<Type> types, std::vector<std::vector<Value>> rows) : rows_(std::move(rows)) {
  types_ = std::move(types);
}

Status ValuesSource::Produce(ExecContext& ctx, Sink& out) {
  int64_t start = MonotonicMicros();
  CountingSink counted(stats_, out);
  Status st;
  bool stop = false;
  for (size_t begin = 0; begin < rows_.size() && !stop; begin += columnar::kChunkRows) {
    st = ctx.Check();
    if (!st.ok()) break;
    size_t end = std::min(rows_.size(), begin + columnar::kChunkRows);
    Chunk chunk(types_);
    for (auto& c : chunk.columns) c.Reserve(end - begin);
    for (size_t r = begin; r < end; r++) chunk.AppendValues(rows_[r]);
    st = counted.Push(chunk, &stop);
    if (!st.ok()) break;
  }
  stats_.micros += MonotonicMicros() - start;
  return st;
}

std::string ValuesSource::Describe() const {
  return "Values " + std::to_string(rows_.size()) + (rows_.size() == 1 ? " row" : " rows");
}

}  // namespace laminar::execution
