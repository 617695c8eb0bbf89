// ExecContext (operator.h): time limit, cancel flag and memory accounting of one query.
//
// NOTE: written by the join/sort helper because operator.cc was not on this branch yet; if
// another branch defines ExecContext::Check/Charge, keep one of the two definitions.
#include <algorithm>

#include "common/time_util.h"
#include "execution/operator.h"

namespace laminar::execution {

Status ExecContext::Check() const {
  if (limits_.cancel != nullptr && limits_.cancel->load(std::memory_order_relaxed)) {
    return Cancelled("canceling statement due to user request");
  }
  if (limits_.deadline_micros != 0 && MonotonicMicros() > limits_.deadline_micros) {
    return DeadlineExceeded("canceling statement due to statement timeout");
  }
  return Status::OK();
}

// The bytes are counted even when the limit is exceeded: the operator releases what it charged.
Status ExecContext::Charge(size_t bytes, const char* what) {
  used_ += bytes;
  peak_ = std::max(peak_, used_);
  if (used_ > limits_.max_memory_bytes) {
    return ResourceExhausted("query memory limit of {} bytes exceeded by {} ({} bytes in use)",
                             limits_.max_memory_bytes, what, used_);
  }
  return Status::OK();
}

}  // namespace laminar::execution
