// SQLSTATEs: the five-character PostgreSQL error code of a Status.
//
// The one table from Laminar's error codes to SQLSTATEs. It sits in common/ because two edges
// need it and neither may depend on the other: pgwire/ sends it in every ErrorResponse, and
// server/ reports it beside the HTTP status (`"sqlstate"` in an error answer), so an HTTP client
// and a psql user see the same code for the same error. Only those edges call it: inside Laminar
// an error is its StatusCode and ErrorCode (status.h), never a SQLSTATE.
//
// The mapping reads the codes, never the message. An ErrorCode the site set wins; otherwise the
// StatusCode implies one, kept to what the StatusCode says for certain:
//   InvalidArgument    kSyntaxError            42601  (Laminar cannot take the statement as written)
//   NotFound           kUndefinedObject        42704  (a relation is 42P01 only when its site says so)
//   AlreadyExists      kDuplicateObject        42710
//   Unimplemented      kFeatureNotSupported    0A000
//   ResourceExhausted  kProgramLimitExceeded   54000
//   DeadlineExceeded   kQueryCanceled          57014  (and Cancelled)
//   Unavailable        kCannotConnectNow       57P03
//   IOError            kIoError                58030
//   Corruption         kDataCorrupted          XX001
//   Internal           kInternalError          XX000
//
// Thread safety: pure functions.
#pragma once

#include "common/status.h"

namespace laminar {

// The SQLSTATE of a condition ("XX000" for kNone, which names none).
const char* SqlState(ErrorCode code);

// The condition of a failed Status: its ErrorCode when set, else the one its StatusCode implies
// (table above). kNone for OK.
ErrorCode EffectiveErrorCode(const Status& st);

// The SQLSTATE of a Status: "00000" for OK, else SqlState(EffectiveErrorCode(st)).
const char* SqlStateFor(const Status& st);

}  // namespace laminar
