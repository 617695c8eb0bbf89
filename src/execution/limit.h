// Limit: LIMIT / OFFSET over a stream, without materialising it.
//
// Skips the first `offset` rows, passes the next `limit` rows (all of them when limit is
// nullopt: OFFSET alone) and, once `limit` rows have passed, sets *stop so that the producer
// below (a scan) ends early. LIMIT 0 does not run the child at all, as PostgreSQL's Limit node
// does not read its input. Chunks wholly inside the window pass through unchanged; others are
// cut with Chunk::Select (text by reference).
//
// Thread safety: as every PhysicalOperator, one thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "execution/operator.h"

namespace laminar::execution {

class Limit : public PhysicalOperator {
 public:
  Limit(PhysicalOperatorPtr child, std::optional<uint64_t> limit, uint64_t offset = 0);
  Status Produce(ExecContext& ctx, Sink& out) override;
  // "Limit 10", "Limit 10 offset: 5", "Limit ALL offset: 5".
  std::string Describe() const override;

 private:
  std::optional<uint64_t> limit_;
  uint64_t offset_;
};

}  // namespace laminar::execution
