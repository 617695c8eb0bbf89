// Status and Result<T>: how every Laminar module reports errors.
//
// No exceptions cross a module boundary; a library that throws is caught at its adapter and
// turned into a Status. Only server/ maps a StatusCode to an HTTP status or a SQLSTATE.
//
// Thread safety: values; copy freely.
#pragma once

#include <fmt/format.h>

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace laminar {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,   // the caller's input is wrong (bad SQL, bad event, bad option)
  kNotFound,          // a named stream, view or file does not exist
  kAlreadyExists,     // a name is taken
  kCorruption,        // stored data failed a checksum or a format check
  kIOError,           // the operating system refused a read, write or fsync
  kResourceExhausted, // a configured limit was reached (body size, memory, connections)
  kUnavailable,       // shutting down, or not ready yet
  kDeadlineExceeded,  // a query ran past its time limit
  kInternal,          // a bug: an invariant did not hold
  kUnimplemented,     // valid input that Laminar does not support (names the construct)
  kCancelled,         // the client cancelled the operation (PostgreSQL cancel request)
};

const char* StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status OK() { return Status(); }
  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // "InvalidArgument: message", or "OK".
  std::string ToString() const;
  // Prefixes the message with context ("segment 3: ..."), keeping the code.
  Status WithContext(const std::string& context) const;
  void IgnoreError() const {}

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

template <typename... Args>
Status InvalidArgument(fmt::format_string<Args...> f, Args&&... args) {
  return Status(StatusCode::kInvalidArgument, fmt::format(f, std::forward<Args>(args)...));
}
template <typename... Args>
Status NotFound(fmt::format_string<Args...> f, Args&&... args) {
  return Status(StatusCode::kNotFound, fmt::format(f, std::forward<Args>(args)...));
}
template <typename... Args>
Status AlreadyExists(fmt::format_string<Args...> f, Args&&... args) {
  return Status(StatusCode::kAlreadyExists, fmt::format(f, std::forward<Args>(args)...));
}
template <typename... Args>
Status Corruption(fmt::format_string<Args...> f, Args&&... args) {
  return Status(StatusCode::kCorruption, fmt::format(f, std::forward<Args>(args)...));
}
template <typename... Args>
Status IOError(fmt::format_string<Args...> f, Args&&... args) {
  return Status(StatusCode::kIOError, fmt::format(f, std::forward<Args>(args)...));
}
template <typename... Args>
Status ResourceExhausted(fmt::format_string<Args...> f, Args&&... args) {
  return Status(StatusCode::kResourceExhausted, fmt::format(f, std::forward<Args>(args)...));
}
template <typename... Args>
Status Unavailable(fmt::format_string<Args...> f, Args&&... args) {
  return Status(StatusCode::kUnavailable, fmt::format(f, std::forward<Args>(args)...));
}
template <typename... Args>
Status Internal(fmt::format_string<Args...> f, Args&&... args) {
  return Status(StatusCode::kInternal, fmt::format(f, std::forward<Args>(args)...));
}
template <typename... Args>
Status Unimplemented(fmt::format_string<Args...> f, Args&&... args) {
  return Status(StatusCode::kUnimplemented, fmt::format(f, std::forward<Args>(args)...));
}
template <typename... Args>
Status Cancelled(fmt::format_string<Args...> f, Args&&... args) {
  return Status(StatusCode::kCancelled, fmt::format(f, std::forward<Args>(args)...));
}
template <typename... Args>
Status DeadlineExceeded(fmt::format_string<Args...> f, Args&&... args) {
  return Status(StatusCode::kDeadlineExceeded, fmt::format(f, std::forward<Args>(args)...));
}

// Result<T>: a T or a non-OK Status.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : v_(std::move(status)) {}  // NOLINT: REQUIRES: !status.ok()

  bool ok() const { return std::holds_alternative<T>(v_); }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(v_);
  }
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace laminar

#define LAMINAR_CONCAT_INNER(a, b) a##b
#define LAMINAR_CONCAT(a, b) LAMINAR_CONCAT_INNER(a, b)

#define RETURN_IF_ERROR(expr)                  \
  do {                                         \
    ::laminar::Status _st = (expr);            \
    if (!_st.ok()) return _st;                 \
  } while (0)

#define ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                          \
  if (!tmp.ok()) return tmp.status();         \
  lhs = std::move(tmp).value()

#define ASSIGN_OR_RETURN(lhs, expr) \
  ASSIGN_OR_RETURN_IMPL(LAMINAR_CONCAT(_res_, __LINE__), lhs, expr)
