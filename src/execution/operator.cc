#include "execution/operator.h"

#include <algorithm>

#include "common/time_util.h"

namespace laminar::execution {

Status ExecContext::Check() const {
  if (limits_.cancel != nullptr && limits_.cancel->load(std::memory_order_relaxed))
    return Cancelled("canceling statement due to user request");
  if (limits_.deadline_micros > 0 && MonotonicMicros() >= limits_.deadline_micros)
    return DeadlineExceeded("canceling statement due to statement timeout: the query ran longer than {} ms "
                            "([query] timeout_seconds)", limits_.timeout_micros / 1000);
  return Status::OK();
}

Status ExecContext::Charge(size_t bytes, const char* what) {
  used_ += bytes;
  peak_ = std::max(peak_, used_);
  if (used_ > limits_.max_memory_bytes) {
    return ResourceExhausted("query needs more than {} MiB of memory ([query] max_memory_mb) for {}; narrow it with "
                             "WHERE, LIMIT or fewer groups", limits_.max_memory_bytes >> 20, what);
  }
  return Status::OK();
}

}  // namespace laminar::execution
