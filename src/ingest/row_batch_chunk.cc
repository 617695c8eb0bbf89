#include "ingest/row_batch_chunk.h"

namespace laminar::ingest {

columnar::Chunk ChunkOfBatch(const RowBatch& batch, const std::vector<int>& columns,
                             const std::vector<int>& columns_in_batch) {
  columnar::Chunk chunk;
  size_t n = batch.num_rows();
  chunk.rows = n;
  chunk.columns.reserve(columns.size());
  for (int rc : columns) {
    const Column& src = batch.column(columns_in_batch[rc]);
    columnar::Vector v(src.type);
    auto& valid = v.mutable_validity();
    valid.assign(src.valid.begin(), src.valid.begin() + n);
    switch (src.type) {
      case Type::kDouble: v.mutable_doubles().assign(src.doubles.begin(), src.doubles.begin() + n); break;
      case Type::kText: {
        auto& s = v.mutable_strings();
        s.resize(n);
        const char* base = src.text_data.data();
        for (size_t i = 0; i < n; i++)
          s[i] = std::string_view(base + src.text_offsets[i], src.text_offsets[i + 1] - src.text_offsets[i]);
        break;
      }
      default: v.mutable_ints().assign(src.ints.begin(), src.ints.begin() + n); break;
    }
    chunk.columns.push_back(std::move(v));
  }
  return chunk;
}

}  // namespace laminar::ingest
