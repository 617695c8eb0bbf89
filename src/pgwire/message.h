// The PostgreSQL frontend/backend protocol 3.0 message codec: pure functions that decode what a
// client sends (the startup packet and typed messages) and encode what the server answers.
// Written from the PostgreSQL documentation, chapter "Frontend/Backend Protocol" ("Message
// Formats"); integers are big-endian (network order), strings are NUL-terminated.
//
// Decoding is strict and bounded: a length field is checked against the explicit limit before
// anything is read or allocated, every string must end with a NUL inside its message, every count
// is checked against the bytes that remain, and trailing bytes are an error. Hostile input gives
// InvalidArgument naming what is wrong (truncated, bad length, missing NUL, ...), or
// ResourceExhausted when a declared length exceeds the limit; it never reads out of bounds.
//
// Encoding: text format as PostgreSQL prints values with DateStyle ISO and TimeZone UTC
// (bool t/f, doubles shortest round-trip, timestamptz "2026-11-24 07:00:00.123456+00", date
// "2026-11-24"); binary format as PostgreSQL's send functions (int8, float8, bool, text,
// timestamptz = microseconds since 2000-01-01, date = int4 days since 2000-01-01).
//
// Thread safety: pure functions over their inputs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/sqlstate.h"
#include "common/status.h"
#include "common/types.h"
#include "sql/binder.h"

namespace laminar::pgwire {

// Default limit on one message (type byte excluded, length field included), both for the startup
// packet and typed messages. A declared length above it is refused before reading the body.
constexpr size_t kDefaultMaxMessageBytes = 1u << 20;

constexpr int32_t kProtocolVersion3 = 196608;  // 3.0: major 3 in the high 16 bits
constexpr int32_t kSslRequestCode = 80877103;
constexpr int32_t kGssEncRequestCode = 80877104;
constexpr int32_t kCancelRequestCode = 80877102;

// Type OIDs (pg_type.oid) used on the wire.
constexpr uint32_t kOidUnspecified = 0;
constexpr uint32_t kOidBool = 16;
constexpr uint32_t kOidInt8 = 20;
constexpr uint32_t kOidInt2 = 21;
constexpr uint32_t kOidInt4 = 23;
constexpr uint32_t kOidText = 25;
constexpr uint32_t kOidFloat4 = 700;
constexpr uint32_t kOidFloat8 = 701;
constexpr uint32_t kOidVarchar = 1043;
constexpr uint32_t kOidTimestamptz = 1184;
constexpr uint32_t kOidDate = 1082;

// The wire OID of a Laminar type.
uint32_t TypeOid(Type t);

// ---- Startup ------------------------------------------------------------------------------

struct StartupPacket {
  enum class Kind { kStartup, kSslRequest, kGssEncRequest, kCancelRequest };
  Kind kind = Kind::kStartup;
  int32_t protocol = 0;                       // kStartup: kProtocolVersion3
  std::map<std::string, std::string> params;  // kStartup: "user", "database", "options", ...
  int32_t process_id = 0;                     // kCancelRequest
  int32_t secret_key = 0;                     // kCancelRequest
};

// The startup packet's length field (its first 4 bytes): the whole packet's length, length field
// included. InvalidArgument below 8; ResourceExhausted above max_bytes.
Result<uint32_t> DecodeStartupLength(const uint8_t header[4], size_t max_bytes);
// The startup packet after its length field. InvalidArgument on an unsupported protocol version
// (anything but 3.0 and the three special request codes), a missing "user", a parameter name or
// value without its NUL, a missing final NUL, or trailing bytes.
Result<StartupPacket> DecodeStartupBody(std::string_view body);

// ---- Frontend messages ----------------------------------------------------------------------

struct FrontendMessage {
  char type = 0;  // 'Q' 'P' 'B' 'D' 'E' 'S' 'C' 'H' 'X', and during COPY FROM STDIN 'd' 'c' 'f'
  // Query: sql. Parse: name (statement), sql, param_types. CopyData: sql holds the bytes;
  // CopyFail: sql holds the client's message.
  // Bind: portal, name (statement), param_formats, params (nullopt: NULL), result_formats.
  // Describe / Close: target ('S' statement or 'P' portal), name.
  // Execute: portal, max_rows (0: all).
  std::string name;
  std::string portal;
  std::string sql;
  std::vector<uint32_t> param_types;
  std::vector<int16_t> param_formats;
  std::vector<std::optional<std::string>> params;
  std::vector<int16_t> result_formats;
  char target = 0;
  int32_t max_rows = 0;
};

// A typed message's length field (the 4 bytes after the type byte): returns the body length
// (length minus 4). InvalidArgument below 4; ResourceExhausted above max_bytes.
Result<uint32_t> DecodeMessageLength(char type, const uint8_t length[4], size_t max_bytes);
// A typed message's body (after its length field). InvalidArgument on an unknown type (the
// supported ones are listed above; e.g. FunctionCall is refused), truncation, a
// missing NUL, a negative or lying count or length, a format code other than 0/1, or trailing
// bytes.
Result<FrontendMessage> DecodeFrontendBody(char type, std::string_view body);

// The bodies of the client's 'p' messages, whose meaning depends on what the server asked for:
// SASLInitialResponse (a mechanism name, then Int32 length and that many bytes, -1 for none),
// SASLResponse (the bytes, the whole body) and PasswordMessage (a NUL-terminated password).
// InvalidArgument on truncation, a missing NUL or trailing bytes.
struct SaslInitialResponse {
  std::string mechanism;
  std::string data;
};
Result<SaslInitialResponse> DecodeSaslInitialResponse(std::string_view body);
Result<std::string> DecodePasswordMessage(std::string_view body);

// Decodes one whole typed message from the start of `in` (type, length, body): nullopt when `in`
// holds only part of it (nothing consumed), else the message and *consumed = its size.
Result<std::optional<FrontendMessage>> DecodeFrontendMessage(std::string_view in, size_t max_bytes,
                                                             size_t* consumed);

// ---- Backend messages (appended to *out) --------------------------------------------------------

struct FieldDescription {
  std::string name;
  uint32_t type_oid = kOidText;
  int16_t format = 0;  // 0 text, 1 binary
};

void WriteAuthenticationOk(std::string* out);
// Authentication requests: AuthenticationCleartextPassword (3), AuthenticationSASL (10) with its
// mechanisms, AuthenticationSASLContinue (11) and AuthenticationSASLFinal (12) with their data.
void WriteAuthenticationCleartextPassword(std::string* out);
void WriteAuthenticationSasl(std::string* out, const std::vector<std::string>& mechanisms);
void WriteAuthenticationSaslContinue(std::string* out, std::string_view data);
void WriteAuthenticationSaslFinal(std::string* out, std::string_view data);
void WriteParameterStatus(std::string* out, std::string_view name, std::string_view value);
void WriteBackendKeyData(std::string* out, int32_t process_id, int32_t secret_key);
// status: 'I' idle, 'T' in a transaction, 'E' in a failed transaction.
void WriteReadyForQuery(std::string* out, char status);
void WriteRowDescription(std::string* out, const std::vector<FieldDescription>& fields);
// One row; nullopt is NULL. The values are already encoded (EncodeText / EncodeBinary).
void WriteDataRow(std::string* out, const std::vector<std::optional<std::string>>& values);
void WriteCommandComplete(std::string* out, std::string_view tag);
void WriteEmptyQueryResponse(std::string* out);
// severity: "ERROR" or "FATAL"; sqlstate: five characters.
void WriteErrorResponse(std::string* out, std::string_view severity, std::string_view sqlstate,
                        std::string_view message);
// A NoticeResponse (severity "WARNING", "NOTICE"): a message that does not end the statement.
void WriteNoticeResponse(std::string* out, std::string_view severity, std::string_view sqlstate,
                         std::string_view message);
void WriteParseComplete(std::string* out);
void WriteBindComplete(std::string* out);
void WriteCloseComplete(std::string* out);
void WriteNoData(std::string* out);
void WritePortalSuspended(std::string* out);
void WriteParameterDescription(std::string* out, const std::vector<uint32_t>& oids);
// COPY ... TO STDOUT: CopyOutResponse (overall format 0 text / 1 binary, the same for each of
// `columns` columns), one CopyData per row (the payload as is), CopyDone.
void WriteCopyOutResponse(std::string* out, int8_t format, size_t columns);
void WriteCopyData(std::string* out, std::string_view data);
// CopyInResponse (COPY ... FROM STDIN): the overall format (0 text, 1 binary) and the columns'.
void WriteCopyInResponse(std::string* out, int8_t format, size_t columns);
void WriteCopyDone(std::string* out);

// ---- Values -----------------------------------------------------------------------------------

// Text format of a non-NULL value of type `t`, as PostgreSQL prints it (see file comment).
std::string EncodeText(const Value& v, Type t);
// Binary format of a non-NULL value of type `t` (PostgreSQL's typsend).
std::string EncodeBinary(const Value& v, Type t);
// "YYYY-MM-DD HH:MM:SS[.ffffff]+00", fraction without trailing zeros, years 0001..9999.
std::string FormatTimestamptz(int64_t micros);

// A Bind parameter as the value the statement's $n binds to (sql::Param, see pg_server.h): NULL
// of the parameter's type; int2/int4/int8 as bigint, float4/float8 as double precision, bool,
// timestamptz and date typed; text, varchar and unspecified types as text of unknown type (it
// takes the type its context needs, as a quoted literal). format: 0 text, 1 binary (int2/int4/
// int8/float4/float8/bool/text/varchar/timestamptz/date; unspecified binary is taken as text
// bytes). InvalidArgument for a value that is not of its type (SQLSTATE 22P02; a date's 22007/
// 22008), Unimplemented for another type in binary.
Result<sql::Param> ParamToValue(const std::optional<std::string>& value, int16_t format, uint32_t type_oid);

// ---- Errors -----------------------------------------------------------------------------------

// The SQLSTATE of a Status: common/sqlstate.h (README.md "SQLSTATE mapping"); from its codes,
// never its message.
using ::laminar::SqlStateFor;

}  // namespace laminar::pgwire
