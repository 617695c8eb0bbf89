// A RowBatch seen as a column chunk (columnar/vector.h), the unit the query engine's operators and
// the vectorized expression evaluator (sql/vector_eval.h) take: validity and numbers are copied,
// text is referenced in the batch (no copy), so the chunk is valid while the batch is.
//
// Thread safety: a pure function.
#pragma once

#include <vector>

#include "columnar/vector.h"
#include "ingest/row_batch.h"

namespace laminar::ingest {

// The chunk of `batch` holding relation columns `columns` (chunk column i is relation column
// columns[i], found in batch column columns_in_batch[columns[i]]).
columnar::Chunk ChunkOfBatch(const RowBatch& batch, const std::vector<int>& columns,
                             const std::vector<int>& columns_in_batch);

}  // namespace laminar::ingest
