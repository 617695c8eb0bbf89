#include "execution/materialize.h"

namespace laminar::execution {

Status MaterializeSink::Push(Chunk& chunk, bool* stop) {
  size_t before = rows_->ApproxBytes();
  for (size_t r = 0; r < chunk.rows; r++) {
    bool drop = false;
    for (uint32_t c : drop_if_null_) drop |= chunk.columns[c].is_null(r);
    if (!drop) rows_->AppendRow(chunk, r);
  }
  if (rows_->rows >= UINT32_MAX) {
    return ResourceExhausted("{}: more than {} rows", what_, UINT32_MAX - 1);
  }
  size_t after = rows_->ApproxBytes();
  // Twice the growth: a column buffer that grows is copied into one twice its size, and both are
  // alive meanwhile.
  return after > before ? mem_->Charge(2 * (after - before), what_) : Status::OK();
}

}  // namespace laminar::execution
