// Helpers for operators that keep rows (join build sides, sort): memory charged for the life of
// one Produce, and a sink that copies its input into one Chunk.
//
// Thread safety: as every operator, one thread.
#pragma once

#include <cstdint>
#include <vector>

#include "columnar/vector.h"
#include "common/status.h"
#include "execution/operator.h"

namespace laminar::execution {

// Memory an operator charges while its Produce runs; gives it all back on destruction.
class MemoryCharge {
 public:
  explicit MemoryCharge(ExecContext& ctx) : ctx_(ctx) {}
  ~MemoryCharge() { ctx_.Release(charged_); }
  MemoryCharge(const MemoryCharge&) = delete;
  MemoryCharge& operator=(const MemoryCharge&) = delete;

  // Charges `bytes` more (kept even when the limit is exceeded, so that the release is exact).
  Status Charge(size_t bytes, const char* what) {
    charged_ += bytes;
    return ctx_.Charge(bytes, what);
  }
  // Charges or releases the difference to `total`.
  Status ChargeTo(size_t total, const char* what) {
    if (total > charged_) return Charge(total - charged_, what);
    ctx_.Release(charged_ - total);
    charged_ = total;
    return Status::OK();
  }
  size_t charged() const { return charged_; }

 private:
  ExecContext& ctx_;
  size_t charged_ = 0;
};

// Collects one input (the build side) into `rows`, copying, charging memory per chunk. When
// `drop_if_null` is not empty, rows with a NULL in any of those columns are not kept.
// Fails with ResourceExhausted past 2^32 - 2 rows (row numbers are uint32).
class MaterializeSink : public Sink {
 public:
  MaterializeSink(Chunk* rows, MemoryCharge* mem, const char* what,
                  std::vector<uint32_t> drop_if_null = {})
      : rows_(rows), mem_(mem), what_(what), drop_if_null_(std::move(drop_if_null)) {}
  Status Push(Chunk& chunk, bool* stop) override;

 private:
  Chunk* rows_;
  MemoryCharge* mem_;
  const char* what_;
  std::vector<uint32_t> drop_if_null_;
};

}  // namespace laminar::execution
