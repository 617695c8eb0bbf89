// Status and Result<T>: how every Laminar module reports errors.
//
// No exceptions cross a module boundary; a library that throws is caught at its adapter and
// turned into a Status.
//
// A Status carries two codes, set where the error is created:
//  - StatusCode, coarse: what kind of failure (bad input, not found, a limit, a bug...). Every
//    error has one; server/ turns it into an HTTP status.
//  - ErrorCode, fine and optional: which PostgreSQL error condition a SQL-level error is
//    (undefined column, grouping error, invalid text representation...). kNone unless the site
//    knows; the edges then fall back on the StatusCode. common/sqlstate.h turns the pair into the
//    SQLSTATE that pgwire/ sends and server/ reports beside the HTTP status.
// Nothing reads an error's message to classify it: the message is for people.
//
//   return InvalidArgument(ErrorCode::kUndefinedColumn, "column \"{}\" does not exist", name);
//   return NotFound(ErrorCode::kUndefinedTable, "relation \"{}\" does not exist", name);
//   return st.With(ErrorCode::kInvalidTextRepresentation);  // an existing Status, code added
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
  kPermissionDenied,  // the client may not do this (a server file outside the import directories,
                      // a statement its token's or role's scopes do not allow)
  kUnauthenticated,   // the client did not say who it is, or its credentials are wrong
};

const char* StatusCodeName(StatusCode code);

// The PostgreSQL error conditions Laminar raises, by PostgreSQL's names (Appendix A, "PostgreSQL
// Error Codes"); the SQLSTATE beside each is the one common/sqlstate.cc gives it. A site names
// the condition when it knows it; add a value when a site raises one not listed (and its
// SQLSTATE in sqlstate.cc and sqlstate_test.cc). The last group is what a StatusCode implies
// when the site named nothing (sqlstate.h); sites rarely need to name those.
enum class ErrorCode {
  kNone = 0,                      // not named: the StatusCode decides
  kFeatureNotSupported,           // 0A000
  kCardinalityViolation,          // 21000 more than one row from a scalar subquery
  kNumericValueOutOfRange,        // 22003 bigint out of range
  kNullValueNotAllowed,           // 22004 format('%I', NULL)
  kInvalidDatetimeFormat,         // 22007 invalid input syntax for a date, timestamp or interval
  kDatetimeFieldOverflow,         // 22008 timestamp/interval out of range
  kSubstringError,                // 22011 negative substring length
  kCharacterNotInRepertoire,      // 22021 invalid UTF-8
  kInvalidParameterValue,         // 22023 an argument or option outside its domain
  kInvalidEscapeSequence,         // 22025 LIKE ... ESCAPE
  kInvalidRegularExpression,      // 2201B
  kInvalidArgumentForLog,         // 2201E logarithm of zero or of a negative number
  kInvalidArgumentForPower,       // 2201F zero to a negative power, square root of a negative
  kInvalidArgumentForWidthBucket, // 2201G width_bucket's count or bounds
  kInvalidRowCountInLimitClause,  // 2201W LIMIT must not be negative
  kInvalidTextRepresentation,     // 22P02 invalid input syntax for type ...
  kInvalidBinaryRepresentation,   // 22P03 a binary parameter of the wrong size or value
  kBadCopyFileFormat,             // 22P04 missing or extra data on a COPY line
  kNotNullViolation,              // 23502
  kActiveSqlTransaction,          // 25001 ... cannot run inside a transaction block
  kNoActiveSqlTransaction,        // 25P01 ... can only be used in transaction blocks
  kInFailedSqlTransaction,        // 25P02 current transaction is aborted
  kInvalidSqlStatementName,       // 26000 prepared statement "x" does not exist
  kDependentObjectsStillExist,    // 2BP01 DROP without CASCADE
  kInvalidCursorName,             // 34000 cursor "x" does not exist
  kInvalidSchemaName,             // 3F000 schema "x" does not exist
  kInvalidAuthorizationSpecification,  // 28000 no credentials, or a connection the server refuses
  kInvalidPassword,               // 28P01 password authentication failed
  kInsufficientPrivilege,         // 42501 permission denied
  kSyntaxError,                   // 42601
  kDuplicateColumn,               // 42701
  kAmbiguousColumn,               // 42702
  kUndefinedColumn,               // 42703
  kUndefinedObject,               // 42704 configuration parameter, type
  kDuplicateObject,               // 42710
  kDuplicateAlias,                // 42712 table name "x" specified more than once
  kAmbiguousFunction,             // 42725 operator is not unique
  kGroupingError,                 // 42803 must appear in the GROUP BY clause; aggregate not allowed
  kDatatypeMismatch,              // 42804 argument of WHERE must be type boolean; CASE types
  kWrongObjectType,               // 42809 "x" is not a materialized view
  kCannotCoerce,                  // 42846 cannot cast type x to y
  kUndefinedFunction,             // 42883 function or operator does not exist
  kUndefinedTable,                // 42P01 relation "x" does not exist; missing FROM-clause entry
  kUndefinedParameter,            // 42P02 there is no parameter $n
  kDuplicateCursor,               // 42P03
  kDuplicatePreparedStatement,    // 42P05 prepared statement "x" already exists
  kDuplicateTable,                // 42P07 relation "x" already exists
  kInvalidColumnReference,        // 42P10 ORDER BY position not in select list
  kWindowingError,                // 42P20 window functions are not allowed here
  kDiskFull,                      // 53100 no space left on the device
  kProgramLimitExceeded,          // 54000
  kObjectNotInPrerequisiteState,  // 55000 a view not ready yet
  kCantChangeRuntimeParam,        // 55P02 parameter "x" cannot be changed
  kQueryCanceled,                 // 57014
  kCannotConnectNow,              // 57P03
  kProtocolViolation,             // 08P01
  kIoError,                       // 58030
  kUndefinedFile,                 // 58P01 file "x" does not exist
  kInternalError,                 // XX000
  kDataCorrupted,                 // XX001 (keep last: kNumErrorCodes)
};
inline constexpr int kNumErrorCodes = static_cast<int>(ErrorCode::kDataCorrupted) + 1;

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}
  Status(StatusCode code, ErrorCode error_code, std::string message)
      : code_(code), error_code_(error_code), message_(std::move(message)) {}

  static Status OK() { return Status(); }
  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  // The PostgreSQL condition, kNone when the site did not name one.
  ErrorCode error_code() const { return error_code_; }
  const std::string& message() const { return message_; }
  // "InvalidArgument: message", or "OK".
  std::string ToString() const;
  // Prefixes the message with context ("segment 3: ..."), keeping both codes.
  Status WithContext(const std::string& context) const;
  // The same error with its ErrorCode set (OK stays OK).
  Status With(ErrorCode error_code) const& { return Status(*this).With(error_code); }
  Status With(ErrorCode error_code) && {
    if (!ok()) error_code_ = error_code;
    return std::move(*this);
  }
  void IgnoreError() const {}

 private:
  StatusCode code_ = StatusCode::kOk;
  ErrorCode error_code_ = ErrorCode::kNone;
  std::string message_;
};

// One factory per StatusCode; each also takes an ErrorCode first.
template <typename... Args>
Status InvalidArgument(fmt::format_string<Args...> f, Args&&... args) {
  return Status(StatusCode::kInvalidArgument, fmt::format(f, std::forward<Args>(args)...));
}
template <typename... Args>
Status InvalidArgument(ErrorCode e, fmt::format_string<Args...> f, Args&&... args) {
  return Status(StatusCode::kInvalidArgument, e, fmt::format(f, std::forward<Args>(args)...));
}
template <typename... Args>
Status NotFound(fmt::format_string<Args...> f, Args&&... args) {
  return Status(StatusCode::kNotFound, fmt::format(f, std::forward<Args>(args)...));
}
template <typename... Args>
Status NotFound(ErrorCode e, fmt::format_string<Args...> f, Args&&... args) {
  return Status(StatusCode::kNotFound, e, fmt::format(f, std::forward<Args>(args)...));
}
template <typename... Args>
Status AlreadyExists(fmt::format_string<Args...> f, Args&&... args) {
  return Status(StatusCode::kAlreadyExists, fmt::format(f, std::forward<Args>(args)...));
}
template <typename... Args>
Status AlreadyExists(ErrorCode e, fmt::format_string<Args...> f, Args&&... args) {
  return Status(StatusCode::kAlreadyExists, e, fmt::format(f, std::forward<Args>(args)...));
}
template <typename... Args>
Status Corruption(fmt::format_string<Args...> f, Args&&... args) {
  return Status(StatusCode::kCorruption, fmt::format(f, std::forward<Args>(args)...));
}
template <typename... Args>
Status Corruption(ErrorCode e, fmt::format_string<Args...> f, Args&&... args) {
  return Status(StatusCode::kCorruption, e, fmt::format(f, std::forward<Args>(args)...));
}
template <typename... Args>
Status IOError(fmt::format_string<Args...> f, Args&&... args) {
  return Status(StatusCode::kIOError, fmt::format(f, std::forward<Args>(args)...));
}
template <typename... Args>
Status IOError(ErrorCode e, fmt::format_string<Args...> f, Args&&... args) {
  return Status(StatusCode::kIOError, e, fmt::format(f, std::forward<Args>(args)...));
}
template <typename... Args>
Status ResourceExhausted(fmt::format_string<Args...> f, Args&&... args) {
  return Status(StatusCode::kResourceExhausted, fmt::format(f, std::forward<Args>(args)...));
}
template <typename... Args>
Status ResourceExhausted(ErrorCode e, fmt::format_string<Args...> f, Args&&... args) {
  return Status(StatusCode::kResourceExhausted, e, fmt::format(f, std::forward<Args>(args)...));
}
template <typename... Args>
Status Unavailable(fmt::format_string<Args...> f, Args&&... args) {
  return Status(StatusCode::kUnavailable, fmt::format(f, std::forward<Args>(args)...));
}
template <typename... Args>
Status Unavailable(ErrorCode e, fmt::format_string<Args...> f, Args&&... args) {
  return Status(StatusCode::kUnavailable, e, fmt::format(f, std::forward<Args>(args)...));
}
template <typename... Args>
Status Internal(fmt::format_string<Args...> f, Args&&... args) {
  return Status(StatusCode::kInternal, fmt::format(f, std::forward<Args>(args)...));
}
template <typename... Args>
Status Internal(ErrorCode e, fmt::format_string<Args...> f, Args&&... args) {
  return Status(StatusCode::kInternal, e, fmt::format(f, std::forward<Args>(args)...));
}
template <typename... Args>
Status Unimplemented(fmt::format_string<Args...> f, Args&&... args) {
  return Status(StatusCode::kUnimplemented, fmt::format(f, std::forward<Args>(args)...));
}
template <typename... Args>
Status Unimplemented(ErrorCode e, fmt::format_string<Args...> f, Args&&... args) {
  return Status(StatusCode::kUnimplemented, e, fmt::format(f, std::forward<Args>(args)...));
}
template <typename... Args>
Status PermissionDenied(fmt::format_string<Args...> f, Args&&... args) {
  return Status(StatusCode::kPermissionDenied, fmt::format(f, std::forward<Args>(args)...));
}
template <typename... Args>
Status PermissionDenied(ErrorCode e, fmt::format_string<Args...> f, Args&&... args) {
  return Status(StatusCode::kPermissionDenied, e, fmt::format(f, std::forward<Args>(args)...));
}
template <typename... Args>
Status Unauthenticated(fmt::format_string<Args...> f, Args&&... args) {
  return Status(StatusCode::kUnauthenticated, fmt::format(f, std::forward<Args>(args)...));
}
template <typename... Args>
Status Unauthenticated(ErrorCode e, fmt::format_string<Args...> f, Args&&... args) {
  return Status(StatusCode::kUnauthenticated, e, fmt::format(f, std::forward<Args>(args)...));
}
template <typename... Args>
Status Cancelled(fmt::format_string<Args...> f, Args&&... args) {
  return Status(StatusCode::kCancelled, fmt::format(f, std::forward<Args>(args)...));
}
template <typename... Args>
Status Cancelled(ErrorCode e, fmt::format_string<Args...> f, Args&&... args) {
  return Status(StatusCode::kCancelled, e, fmt::format(f, std::forward<Args>(args)...));
}
template <typename... Args>
Status DeadlineExceeded(fmt::format_string<Args...> f, Args&&... args) {
  return Status(StatusCode::kDeadlineExceeded, fmt::format(f, std::forward<Args>(args)...));
}
template <typename... Args>
Status DeadlineExceeded(ErrorCode e, fmt::format_string<Args...> f, Args&&... args) {
  return Status(StatusCode::kDeadlineExceeded, e, fmt::format(f, std::forward<Args>(args)...));
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
