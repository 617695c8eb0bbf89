// ExecContext's limits (execution/operator.h).
//
// NOTE: written on the aggops branch so that its operator tests link; the lead's operator.cc is
// expected to define the same two functions — keep one of them at merge.
#include "common/time_util.h"
#include "execution/operator.h"

namespace laminar::execution {

Status ExecContext::Check() const {
  if (limits_.cancel && limits_.cancel->load(std::memory_order_relaxed))
    return Cancelled("canceling statement due to user request");
  if (limits_.deadline_micros > 0 && MonotonicMicros() > limits_.deadline_micros)
    return DeadlineExceeded("canceling statement due to statement timeout");
  return Status::OK();
}

Status ExecContext::Charge(size_t bytes, const char* what) {
  used_ += bytes;
  if (used_ > peak_) peak_ = used_;
  if (used_ > limits_.max_memory_bytes)
    return ResourceExhausted("query exceeds its memory limit of {} bytes ({})", limits_.max_memory_bytes, what);
  return Status::OK();
}

}  // namespace laminar::execution
