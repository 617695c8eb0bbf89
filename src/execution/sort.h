// ORDER BY operators: Sort (materialises its input and sorts it) and TopN (ORDER BY .. LIMIT ..
// OFFSET .., keeping only limit + offset rows).
//
// Keys are column indexes of the input (the planner projects sort expressions below). The order
// is PostgreSQL's with the C collation:
//   - NULLs are placed by `nulls_first` alone (the planner passes PostgreSQL's default, NULLS
//     LAST for ASC and NULLS FIRST for DESC, or what the query says); `descending` reverses the
//     order of the non-NULL values only;
//   - boolean false < true; bigint and timestamptz numerically; text bytewise (memcmp, unsigned
//     bytes, a prefix first); double precision numerically with -0.0 = 0.0 and NaN equal to NaN
//     and greater than every other value (PostgreSQL's float8 order).
// Both are stable: rows with equal keys keep their input order, so TopN(limit, offset) outputs
// exactly the rows that Sort followed by Limit(limit, offset) outputs, in the same order.
//
// TopN keeps a bounded buffer, compacted to the best limit + offset rows whenever it doubles
// (see sort.cc), never the whole input.
//
// Memory: the rows kept are charged with ExecContext::Charge and released when Produce returns.
// Output chunks have at most kChunkRows rows; their text points into the operator's copy.
//
// Thread safety: as every PhysicalOperator, one thread.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "columnar/vector.h"
#include "execution/operator.h"

namespace laminar::execution {

struct SortKey {
  uint32_t column = 0;
  bool descending = false;
  bool nulls_first = false;
};

// The order above over rows of chunks with the same column types.
class RowComparator {
 public:
  explicit RowComparator(std::vector<SortKey> keys) : keys_(std::move(keys)) {}
  // < 0, 0 or > 0 as row `ra` of `a` sorts before, with, or after row `rb` of `b`.
  int Compare(const Chunk& a, size_t ra, const Chunk& b, size_t rb) const {
    return CompareFrom(0, a, ra, b, rb);
  }
  // The same over keys[first..].
  int CompareFrom(size_t first, const Chunk& a, size_t ra, const Chunk& b, size_t rb) const;
  const std::vector<SortKey>& keys() const { return keys_; }

 private:
  std::vector<SortKey> keys_;
};

// "[0], [2] DESC, [1] NULLS FIRST": PostgreSQL's EXPLAIN style, defaults omitted.
std::string DescribeSortKeys(const std::vector<SortKey>& keys);

class Sort : public PhysicalOperator {
 public:
  Sort(PhysicalOperatorPtr child, std::vector<SortKey> keys);
  Status Produce(ExecContext& ctx, Sink& out) override;
  // "Sort keys: [0], [1] DESC".
  std::string Describe() const override;

 private:
  Status Run(ExecContext& ctx, Sink& out);
  std::vector<SortKey> keys_;
};

class TopN : public PhysicalOperator {
 public:
  // Outputs rows offset .. offset + limit - 1 of the sorted input. limit 0: nothing (the child is
  // not run, as PostgreSQL's Limit does not read its input for LIMIT 0).
  TopN(PhysicalOperatorPtr child, std::vector<SortKey> keys, uint64_t limit, uint64_t offset = 0);
  Status Produce(ExecContext& ctx, Sink& out) override;
  // "TopN limit: 10 offset: 5 keys: [0] DESC" (offset omitted when 0).
  std::string Describe() const override;

 private:
  Status Run(ExecContext& ctx, Sink& out);
  std::vector<SortKey> keys_;
  uint64_t limit_, offset_;
};

}  // namespace laminar::execution
