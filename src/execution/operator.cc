#include "execution/operator.h"

#include <algorithm>

#include "common/time_util.h"

namespace laminar::execution {

Status ExecContext::Check() const {
  if (limits_.cancel != nullptr && limits_.cancel->load(std::memory_order_relaxed))
    return Cancelled("canceling statement due to user request");
  if (limits_.deadline_micros > 0 && MonotonicMicros() >= limits_.deadline_micros)
    return DeadlineExceeded("canceling statement due to statement timeout");
  return Status::OK();
}

Status ExecContext::Charge(size_t bytes, const char* what) {
  used_ += bytes;
  peak_ = std::max(peak_, used_);
  if (used_ > limits_.max_memory_bytes) {
    size_t mb = (limits_.max_memory_bytes + (1u << 20) - 1) >> 20;  // the limit, rounded up to MB
    return ResourceExhausted("query needs more than {} MB of memory (limit [query] max_memory_mb) for {}", mb, what);
  }
  return Status::OK();
}

}  // namespace laminar::execution
