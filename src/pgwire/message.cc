#include "pgwire/message.h"

#include <fmt/format.h>

#include <bit>
#include <charconv>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>

#include "common/time_util.h"
#include "sql/binder.h"  // CastText: date parameters
#include "sql/expr.h"
#include "common/strings.h"

namespace laminar::pgwire {
namespace {

// Microseconds between 1970-01-01 and 2000-01-01 (PostgreSQL's binary timestamp epoch).
constexpr int64_t kPgEpochMicros = 946'684'800'000'000;
constexpr int64_t kPgEpochDays = 10957;  // 2000-01-01, days since 1970-01-01

uint32_t LoadU32(const uint8_t* p) {
  return (uint32_t(p[0]) << 24) | (uint32_t(p[1]) << 16) | (uint32_t(p[2]) << 8) | uint32_t(p[3]);
}

void PutU32(std::string* out, uint32_t v) {
  char b[4] = {char(v >> 24), char(v >> 16), char(v >> 8), char(v)};
  out->append(b, 4);
}
void PutU16(std::string* out, uint16_t v) {
  char b[2] = {char(v >> 8), char(v)};
  out->append(b, 2);
}
void PutU64(std::string* out, uint64_t v) {
  PutU32(out, uint32_t(v >> 32));
  PutU32(out, uint32_t(v));
}
void PutCString(std::string* out, std::string_view s) {
  // A NUL inside would end the string early on the client: cut it there.
  out->append(s.substr(0, s.find('\0')));
  out->push_back('\0');
}

// Starts a typed backend message; Finish patches the length in.
size_t Begin(std::string* out, char type) {
  out->push_back(type);
  size_t at = out->size();
  PutU32(out, 0);
  return at;
}
void Finish(std::string* out, size_t at) {
  uint32_t len = uint32_t(out->size() - at);
  (*out)[at] = char(len >> 24);
  (*out)[at + 1] = char(len >> 16);
  (*out)[at + 2] = char(len >> 8);
  (*out)[at + 3] = char(len);
}
void WriteEmpty(std::string* out, char type) { Finish(out, Begin(out, type)); }

// A bounds-checked reader over one message body.
class Reader {
 public:
  Reader(std::string_view data, const char* what) : d_(data), what_(what) {}
  size_t remaining() const { return d_.size() - pos_; }

  Status U32(uint32_t* v) {
    if (remaining() < 4) return Truncated("a 4-byte integer");
    *v = LoadU32(reinterpret_cast<const uint8_t*>(d_.data() + pos_));
    pos_ += 4;
    return Status::OK();
  }
  Status I32(int32_t* v) {
    uint32_t u;
    RETURN_IF_ERROR(U32(&u));
    *v = int32_t(u);
    return Status::OK();
  }
  Status I16(int16_t* v) {
    if (remaining() < 2) return Truncated("a 2-byte integer");
    *v = int16_t((uint16_t(uint8_t(d_[pos_])) << 8) | uint8_t(d_[pos_ + 1]));
    pos_ += 2;
    return Status::OK();
  }
  Status Byte(char* c) {
    if (remaining() < 1) return Truncated("a byte");
    *c = d_[pos_++];
    return Status::OK();
  }
  Status CString(std::string* s, const char* field) {
    size_t nul = d_.find('\0', pos_);
    if (nul == std::string_view::npos)
      return InvalidArgument("{} message: {} is not NUL-terminated within the message", what_, field);
    s->assign(d_.substr(pos_, nul - pos_));
    pos_ = nul + 1;
    return Status::OK();
  }
  Status Bytes(size_t n, std::string* s) {
    if (remaining() < n)
      return InvalidArgument("{} message: value length {} exceeds the {} bytes left", what_, n, remaining());
    s->assign(d_.substr(pos_, n));
    pos_ += n;
    return Status::OK();
  }
  // A count of items each at least `min_item_bytes` long: refused when they cannot fit.
  Status Count(int16_t* n, size_t min_item_bytes, const char* field) {
    RETURN_IF_ERROR(I16(n));
    if (*n < 0) return InvalidArgument("{} message: negative {} count {}", what_, field, *n);
    if (size_t(*n) * min_item_bytes > remaining())
      return InvalidArgument("{} message: {} count {} exceeds the {} bytes left", what_, field, *n, remaining());
    return Status::OK();
  }
  Status End() {
    if (remaining() != 0) return InvalidArgument("{} message: {} unexpected trailing bytes", what_, remaining());
    return Status::OK();
  }

 private:
  Status Truncated(const char* what) {
    return InvalidArgument("{} message: truncated (expected {} at byte {} of {})", what_, what, pos_, d_.size());
  }
  std::string_view d_;
  const char* what_;
  size_t pos_ = 0;
};

const char* MessageName(char type) {
  switch (type) {
    case 'Q': return "Query";
    case 'P': return "Parse";
    case 'B': return "Bind";
    case 'D': return "Describe";
    case 'E': return "Execute";
    case 'S': return "Sync";
    case 'C': return "Close";
    case 'H': return "Flush";
    case 'X': return "Terminate";
    case 'd': return "CopyData";
    case 'c': return "CopyDone";
    case 'f': return "CopyFail";
  }
  return nullptr;
}

Status ReadFormats(Reader* r, std::vector<int16_t>* formats, const char* field) {
  int16_t n;
  RETURN_IF_ERROR(r->Count(&n, 2, field));
  formats->resize(size_t(n));
  for (auto& f : *formats) {
    RETURN_IF_ERROR(r->I16(&f));
    if (f != 0 && f != 1) return InvalidArgument("Bind message: format code {} is neither 0 (text) nor 1 (binary)", f);
  }
  return Status::OK();
}

bool ParseInt(std::string_view s, int64_t* v) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\n')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n')) s.remove_suffix(1);
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), *v);
  return ec == std::errc() && p == s.data() + s.size() && !s.empty();
}

Status BadParam(std::string_view type, std::string_view text) {
  return InvalidArgument(ErrorCode::kInvalidTextRepresentation,
                         "invalid input syntax for type {}: \"{}\"", type, text.substr(0, 100));
}

}  // namespace

uint32_t TypeOid(Type t) {
  switch (t) {
    case Type::kBool: return kOidBool;
    case Type::kInt64: return kOidInt8;
    case Type::kDouble: return kOidFloat8;
    case Type::kText: return kOidText;
    case Type::kTimestamp: return kOidTimestamptz;
    case Type::kDate: return kOidDate;
  }
  return kOidText;
}

// ---- Startup ----------------------------------------------------------------------------------

Result<uint32_t> DecodeStartupLength(const uint8_t header[4], size_t max_bytes) {
  uint32_t len = LoadU32(header);
  if (len < 8) return InvalidArgument("startup packet: invalid length {} (at least 8)", len);
  if (len > max_bytes) return ResourceExhausted("startup packet: length {} exceeds the limit of {} bytes", len, max_bytes);
  return len;
}

Result<StartupPacket> DecodeStartupBody(std::string_view body) {
  Reader r(body, "startup");
  StartupPacket p;
  RETURN_IF_ERROR(r.I32(&p.protocol));
  switch (p.protocol) {
    case kSslRequestCode:
      p.kind = StartupPacket::Kind::kSslRequest;
      RETURN_IF_ERROR(r.End());
      return p;
    case kGssEncRequestCode:
      p.kind = StartupPacket::Kind::kGssEncRequest;
      RETURN_IF_ERROR(r.End());
      return p;
    case kCancelRequestCode:
      p.kind = StartupPacket::Kind::kCancelRequest;
      RETURN_IF_ERROR(r.I32(&p.process_id));
      RETURN_IF_ERROR(r.I32(&p.secret_key));
      RETURN_IF_ERROR(r.End());
      return p;
    case kProtocolVersion3: break;
    default:
      return Unimplemented("unsupported frontend protocol {}.{}: server supports 3.0", uint32_t(p.protocol) >> 16,
                           p.protocol & 0xffff);
  }
  for (;;) {
    std::string name, value;
    RETURN_IF_ERROR(r.CString(&name, "a parameter name"));
    if (name.empty()) break;
    RETURN_IF_ERROR(r.CString(&value, "a parameter value"));
    p.params[name] = std::move(value);
  }
  RETURN_IF_ERROR(r.End());
  if (!p.params.count("user") || p.params["user"].empty())
    return InvalidArgument("startup packet: no PostgreSQL user name specified");
  return p;
}

// ---- Frontend messages ------------------------------------------------------------------------

Result<uint32_t> DecodeMessageLength(char type, const uint8_t length[4], size_t max_bytes) {
  uint32_t len = LoadU32(length);
  if (len < 4) return InvalidArgument("message type 0x{:02x}: invalid length {} (at least 4)", uint8_t(type), len);
  if (len > max_bytes)
    return ResourceExhausted("message type 0x{:02x}: length {} exceeds the limit of {} bytes", uint8_t(type), len,
                             max_bytes);
  return len - 4;
}

Result<FrontendMessage> DecodeFrontendBody(char type, std::string_view body) {
  const char* name = MessageName(type);
  if (!name) return InvalidArgument("invalid frontend message type 0x{:02x}", uint8_t(type));
  Reader r(body, name);
  FrontendMessage m;
  m.type = type;
  switch (type) {
    case 'Q':
      RETURN_IF_ERROR(r.CString(&m.sql, "the query string"));
      break;
    case 'P': {
      RETURN_IF_ERROR(r.CString(&m.name, "the statement name"));
      RETURN_IF_ERROR(r.CString(&m.sql, "the query string"));
      int16_t n;
      RETURN_IF_ERROR(r.Count(&n, 4, "parameter type"));
      m.param_types.resize(size_t(n));
      for (auto& oid : m.param_types) RETURN_IF_ERROR(r.U32(&oid));
      break;
    }
    case 'B': {
      RETURN_IF_ERROR(r.CString(&m.portal, "the portal name"));
      RETURN_IF_ERROR(r.CString(&m.name, "the statement name"));
      RETURN_IF_ERROR(ReadFormats(&r, &m.param_formats, "parameter format"));
      int16_t n;
      RETURN_IF_ERROR(r.Count(&n, 4, "parameter"));
      m.params.resize(size_t(n));
      for (auto& p : m.params) {
        int32_t len;
        RETURN_IF_ERROR(r.I32(&len));
        if (len == -1) continue;  // NULL
        if (len < 0) return InvalidArgument("Bind message: invalid parameter length {}", len);
        std::string v;
        RETURN_IF_ERROR(r.Bytes(size_t(len), &v));
        p = std::move(v);
      }
      RETURN_IF_ERROR(ReadFormats(&r, &m.result_formats, "result format"));
      if (m.param_formats.size() > 1 && m.param_formats.size() != m.params.size())
        return InvalidArgument("Bind message: {} parameter formats for {} parameters", m.param_formats.size(),
                               m.params.size());
      break;
    }
    case 'D':
    case 'C':
      RETURN_IF_ERROR(r.Byte(&m.target));
      if (m.target != 'S' && m.target != 'P')
        return InvalidArgument("{} message: invalid target '{}' (expected 'S' or 'P')", name,
                               std::isprint(uint8_t(m.target)) ? std::string(1, m.target) : "?");
      RETURN_IF_ERROR(r.CString(&m.name, "the name"));
      break;
    case 'E':
      RETURN_IF_ERROR(r.CString(&m.portal, "the portal name"));
      RETURN_IF_ERROR(r.I32(&m.max_rows));
      if (m.max_rows < 0) m.max_rows = 0;  // PostgreSQL treats it as "no limit" too
      break;
    case 'd':  // CopyData: the bytes as they are
      m.sql = std::string(body);
      return m;
    case 'f':
      RETURN_IF_ERROR(r.CString(&m.sql, "the error message"));
      break;
    default:  // S H X c: no body
      break;
  }
  RETURN_IF_ERROR(r.End());
  return m;
}

Result<std::optional<FrontendMessage>> DecodeFrontendMessage(std::string_view in, size_t max_bytes,
                                                             size_t* consumed) {
  *consumed = 0;
  if (in.size() < 5) return std::optional<FrontendMessage>();
  ASSIGN_OR_RETURN(uint32_t body_len,
                   DecodeMessageLength(in[0], reinterpret_cast<const uint8_t*>(in.data() + 1), max_bytes));
  if (in.size() - 5 < body_len) return std::optional<FrontendMessage>();
  ASSIGN_OR_RETURN(FrontendMessage m, DecodeFrontendBody(in[0], in.substr(5, body_len)));
  *consumed = 5 + size_t(body_len);
  return std::optional<FrontendMessage>(std::move(m));
}

// ---- Backend messages -------------------------------------------------------------------------

void WriteAuthenticationOk(std::string* out) {
  size_t at = Begin(out, 'R');
  PutU32(out, 0);
  Finish(out, at);
}

void WriteAuthenticationCleartextPassword(std::string* out) {
  size_t at = Begin(out, 'R');
  PutU32(out, 3);
  Finish(out, at);
}

void WriteAuthenticationSasl(std::string* out, const std::vector<std::string>& mechanisms) {
  size_t at = Begin(out, 'R');
  PutU32(out, 10);
  for (const std::string& m : mechanisms) PutCString(out, m);
  out->push_back('\0');
  Finish(out, at);
}

void WriteAuthenticationSaslContinue(std::string* out, std::string_view data) {
  size_t at = Begin(out, 'R');
  PutU32(out, 11);
  out->append(data);
  Finish(out, at);
}

void WriteAuthenticationSaslFinal(std::string* out, std::string_view data) {
  size_t at = Begin(out, 'R');
  PutU32(out, 12);
  out->append(data);
  Finish(out, at);
}

Result<SaslInitialResponse> DecodeSaslInitialResponse(std::string_view body) {
  Reader r(body, "SASLInitialResponse");
  SaslInitialResponse out;
  RETURN_IF_ERROR(r.CString(&out.mechanism, "the mechanism"));
  int32_t len = 0;
  RETURN_IF_ERROR(r.I32(&len));
  if (len < -1) return InvalidArgument("SASLInitialResponse message: negative data length {}", len);
  if (len > 0) RETURN_IF_ERROR(r.Bytes(size_t(len), &out.data));
  RETURN_IF_ERROR(r.End());
  return out;
}

Result<std::string> DecodePasswordMessage(std::string_view body) {
  Reader r(body, "PasswordMessage");
  std::string password;
  RETURN_IF_ERROR(r.CString(&password, "the password"));
  RETURN_IF_ERROR(r.End());
  return password;
}

void WriteParameterStatus(std::string* out, std::string_view name, std::string_view value) {
  size_t at = Begin(out, 'S');
  PutCString(out, name);
  PutCString(out, value);
  Finish(out, at);
}

void WriteBackendKeyData(std::string* out, int32_t process_id, int32_t secret_key) {
  size_t at = Begin(out, 'K');
  PutU32(out, uint32_t(process_id));
  PutU32(out, uint32_t(secret_key));
  Finish(out, at);
}

void WriteReadyForQuery(std::string* out, char status) {
  size_t at = Begin(out, 'Z');
  out->push_back(status);
  Finish(out, at);
}

void WriteRowDescription(std::string* out, const std::vector<FieldDescription>& fields) {
  size_t at = Begin(out, 'T');
  PutU16(out, uint16_t(fields.size()));
  for (const auto& f : fields) {
    PutCString(out, f.name);
    PutU32(out, 0);   // table OID: not a table column
    PutU16(out, 0);   // column attribute number
    PutU32(out, f.type_oid);
    int16_t size = -1;
    switch (f.type_oid) {
      case kOidBool: size = 1; break;
      case kOidInt8:
      case kOidFloat8:
      case kOidTimestamptz: size = 8; break;
      case kOidDate: size = 4; break;
    }
    PutU16(out, uint16_t(size));
    PutU32(out, uint32_t(-1));  // type modifier
    PutU16(out, uint16_t(f.format));
  }
  Finish(out, at);
}

void WriteDataRow(std::string* out, const std::vector<std::optional<std::string>>& values) {
  size_t at = Begin(out, 'D');
  PutU16(out, uint16_t(values.size()));
  for (const auto& v : values) {
    if (!v) {
      PutU32(out, uint32_t(-1));
      continue;
    }
    PutU32(out, uint32_t(v->size()));
    out->append(*v);
  }
  Finish(out, at);
}

void WriteCommandComplete(std::string* out, std::string_view tag) {
  size_t at = Begin(out, 'C');
  PutCString(out, tag);
  Finish(out, at);
}

void WriteEmptyQueryResponse(std::string* out) { WriteEmpty(out, 'I'); }

namespace {

void WriteErrorOrNotice(std::string* out, char type, std::string_view severity, std::string_view sqlstate,
                        std::string_view message) {
  size_t at = Begin(out, type);
  out->push_back('S');
  PutCString(out, severity);
  out->push_back('V');  // the non-localized severity
  PutCString(out, severity);
  out->push_back('C');
  PutCString(out, sqlstate);
  out->push_back('M');
  PutCString(out, message);
  out->push_back('\0');
  Finish(out, at);
}

}  // namespace

void WriteErrorResponse(std::string* out, std::string_view severity, std::string_view sqlstate,
                        std::string_view message) {
  WriteErrorOrNotice(out, 'E', severity, sqlstate, message);
}

void WriteNoticeResponse(std::string* out, std::string_view severity, std::string_view sqlstate,
                         std::string_view message) {
  WriteErrorOrNotice(out, 'N', severity, sqlstate, message);
}

void WriteParseComplete(std::string* out) { WriteEmpty(out, '1'); }
void WriteBindComplete(std::string* out) { WriteEmpty(out, '2'); }
void WriteCloseComplete(std::string* out) { WriteEmpty(out, '3'); }
void WriteNoData(std::string* out) { WriteEmpty(out, 'n'); }
void WritePortalSuspended(std::string* out) { WriteEmpty(out, 's'); }

void WriteParameterDescription(std::string* out, const std::vector<uint32_t>& oids) {
  size_t at = Begin(out, 't');
  PutU16(out, uint16_t(oids.size()));
  for (uint32_t oid : oids) PutU32(out, oid);
  Finish(out, at);
}

namespace {
// CopyOutResponse ('H') and CopyInResponse ('G') share their body: the overall format, then
// the number of columns and each one's format.
void WriteCopyResponse(std::string* out, char type, int8_t format, size_t columns) {
  size_t at = Begin(out, type);
  out->push_back(char(format));
  PutU16(out, uint16_t(columns));
  for (size_t i = 0; i < columns; i++) PutU16(out, uint16_t(format));
  Finish(out, at);
}
}  // namespace

void WriteCopyOutResponse(std::string* out, int8_t format, size_t columns) { WriteCopyResponse(out, 'H', format, columns); }
void WriteCopyInResponse(std::string* out, int8_t format, size_t columns) { WriteCopyResponse(out, 'G', format, columns); }

void WriteCopyData(std::string* out, std::string_view data) {
  size_t at = Begin(out, 'd');
  out->append(data);
  Finish(out, at);
}

void WriteCopyDone(std::string* out) { WriteEmpty(out, 'c'); }

// ---- Values -----------------------------------------------------------------------------------

std::string FormatTimestamptz(int64_t micros) {
  int64_t days = micros / 86'400'000'000;
  int64_t rem = micros % 86'400'000'000;
  if (rem < 0) {
    rem += 86'400'000'000;
    days -= 1;
  }
  int64_t y;
  unsigned mo, d;
  CivilFromDays(days, &y, &mo, &d);
  int64_t secs = rem / 1'000'000, frac = rem % 1'000'000;
  std::string s = fmt::format("{:04}-{:02}-{:02} {:02}:{:02}:{:02}", y, mo, d, secs / 3600, (secs / 60) % 60, secs % 60);
  if (frac != 0) {
    std::string f = fmt::format("{:06}", frac);
    while (f.back() == '0') f.pop_back();
    s += "." + f;
  }
  return s + "+00";
}

std::string EncodeText(const Value& v, Type t) {
  switch (t) {
    case Type::kBool: return v.as_bool() ? "t" : "f";
    case Type::kInt64: return std::to_string(v.as_int());
    case Type::kDouble: {
      // PostgreSQL's float8out: shortest round-trip, exponent form below 1e-4 and from 1e15.
      return sql::FormatFloat8(v.type() == Type::kDouble ? v.as_double() : double(v.as_int()));
    }
    case Type::kText: return v.type() == Type::kText ? v.as_text() : v.ToString();
    case Type::kTimestamp: return FormatTimestamptz(v.as_int());
    case Type::kDate: return FormatDate(v.as_int());
  }
  return v.ToString();
}

std::string EncodeBinary(const Value& v, Type t) {
  std::string out;
  switch (t) {
    case Type::kBool: out.push_back(v.as_bool() ? 1 : 0); break;
    case Type::kInt64: PutU64(&out, uint64_t(v.as_int())); break;
    case Type::kDouble: {
      double d = v.type() == Type::kDouble ? v.as_double() : double(v.as_int());
      PutU64(&out, std::bit_cast<uint64_t>(d));
      break;
    }
    case Type::kText: out = v.type() == Type::kText ? v.as_text() : v.ToString(); break;
    case Type::kTimestamp: PutU64(&out, uint64_t(v.as_int() - kPgEpochMicros)); break;
    case Type::kDate: PutU32(&out, uint32_t(int32_t(v.as_int() - kPgEpochDays))); break;  // days since 2000-01-01
  }
  return out;
}

namespace {

sql::Param Typed(Value v, Type t) { return sql::Param{std::move(v), t, false}; }
sql::Param Untyped(const std::string& s) { return sql::Param{Value::Text(s), Type::kText, true}; }

// PostgreSQL refuses the NUL character in text, in its words.
Status NoNul(std::string_view s) {
  if (s.find('\0') == std::string_view::npos) return Status::OK();
  return InvalidArgument(ErrorCode::kCharacterNotInRepertoire, "invalid byte sequence for encoding \"UTF8\": 0x00");
}

// A value of a parameter of type `oid`: typed for the types Laminar has, else text of unknown type.
sql::Param TypedParam(Value v, uint32_t oid) {
  switch (oid) {
    case kOidInt8:
    case kOidInt4:
    case kOidInt2: return Typed(std::move(v), Type::kInt64);
    case kOidFloat8:
    case kOidFloat4: return Typed(std::move(v), Type::kDouble);
    case kOidBool: return Typed(std::move(v), Type::kBool);
    case kOidTimestamptz: return Typed(std::move(v), Type::kTimestamp);
    case kOidDate: return Typed(std::move(v), Type::kDate);
    default: return sql::Param{std::move(v), Type::kText, true};
  }
}

}  // namespace

Result<sql::Param> ParamToValue(const std::optional<std::string>& value, int16_t format, uint32_t oid) {
  if (!value) {
    sql::Param p = TypedParam(Value::Null(), oid);
    return p;
  }
  const std::string& s = *value;
  if (format == 1) {
    auto need = [&](size_t n, const char* type) -> Status {
      if (s.size() != n)
        return InvalidArgument(ErrorCode::kInvalidBinaryRepresentation,
                               "binary {} parameter must be {} bytes, got {}", type, n, s.size());
      return Status::OK();
    };
    const auto* p = reinterpret_cast<const uint8_t*>(s.data());
    switch (oid) {
      case kOidInt8:
      case kOidTimestamptz: {
        RETURN_IF_ERROR(need(8, oid == kOidInt8 ? "int8" : "timestamptz"));
        int64_t v = int64_t((uint64_t(LoadU32(p)) << 32) | LoadU32(p + 4));
        if (oid == kOidInt8) return Typed(Value::Int(v), Type::kInt64);
        if (v > INT64_MAX - kPgEpochMicros)
          return InvalidArgument(ErrorCode::kInvalidBinaryRepresentation, "binary timestamptz parameter out of range");
        return Typed(Value::Timestamp(v + kPgEpochMicros), Type::kTimestamp);
      }
      case kOidInt4:
        RETURN_IF_ERROR(need(4, "int4"));
        return Typed(Value::Int(int32_t(LoadU32(p))), Type::kInt64);
      case kOidDate: {
        RETURN_IF_ERROR(need(4, "date"));
        int64_t days = int64_t(int32_t(LoadU32(p))) + kPgEpochDays;
        if (!IsValidDate(days)) return InvalidArgument(ErrorCode::kInvalidBinaryRepresentation, "binary date parameter out of range");
        return Typed(Value::Date(days), Type::kDate);
      }
      case kOidInt2:
        RETURN_IF_ERROR(need(2, "int2"));
        return Typed(Value::Int(int16_t((uint16_t(p[0]) << 8) | p[1])), Type::kInt64);
      case kOidFloat8:
        RETURN_IF_ERROR(need(8, "float8"));
        return Typed(Value::Double(std::bit_cast<double>((uint64_t(LoadU32(p)) << 32) | LoadU32(p + 4))), Type::kDouble);
      case kOidFloat4:
        RETURN_IF_ERROR(need(4, "float4"));
        return Typed(Value::Double(double(std::bit_cast<float>(LoadU32(p)))), Type::kDouble);
      case kOidBool:
        RETURN_IF_ERROR(need(1, "bool"));
        if (p[0] > 1)
          return InvalidArgument(ErrorCode::kInvalidBinaryRepresentation,
                                 "binary bool parameter must be 0 or 1, got {}", p[0]);
        return Typed(Value::Bool(p[0] != 0), Type::kBool);
      case kOidUnspecified:
      case kOidText:
      case kOidVarchar:
        RETURN_IF_ERROR(NoNul(s));
        return Untyped(s);
      default:
        return Unimplemented("binary format for parameters of type OID {} is not supported (use text format)", oid);
    }
  }
  switch (oid) {
    case kOidInt8:
    case kOidInt4:
    case kOidInt2: {
      int64_t v;
      if (!ParseInt(s, &v)) return BadParam(oid == kOidInt8 ? "bigint" : oid == kOidInt4 ? "integer" : "smallint", s);
      if (oid == kOidInt4 && (v < INT32_MIN || v > INT32_MAX)) return BadParam("integer", s);
      if (oid == kOidInt2 && (v < INT16_MIN || v > INT16_MAX)) return BadParam("smallint", s);
      return Typed(Value::Int(v), Type::kInt64);
    }
    case kOidFloat8:
    case kOidFloat4: {
      std::string t(s);
      char* end = nullptr;
      errno = 0;
      double d = std::strtod(t.c_str(), &end);
      while (end && *end == ' ') end++;
      if (t.empty() || !end || *end != '\0' || t.find_first_of("xX") != std::string::npos)
        return BadParam("double precision", s);
      return Typed(Value::Double(d), Type::kDouble);
    }
    case kOidBool: {
      std::string t;
      for (char c : s) {
        if (c != ' ') t += char(std::tolower(uint8_t(c)));
      }
      if (t == "t" || t == "true" || t == "yes" || t == "y" || t == "on" || t == "1") return Typed(Value::Bool(true), Type::kBool);
      if (t == "f" || t == "false" || t == "no" || t == "n" || t == "off" || t == "0") return Typed(Value::Bool(false), Type::kBool);
      return BadParam("boolean", s);
    }
    case kOidTimestamptz: {
      auto ts = ParseTimestamp(s);
      if (!ts) return BadParam("timestamp with time zone", s);
      return Typed(Value::Timestamp(*ts), Type::kTimestamp);
    }
    case kOidDate: {
      auto d = sql::CastText(s, Type::kDate);
      if (!d.ok()) return d.status();
      return Typed(std::move(*d), Type::kDate);
    }
    default:  // text, varchar, unspecified (text of unknown type, as PostgreSQL would infer)
      RETURN_IF_ERROR(NoNul(s));
      return Untyped(s);
  }
}

}  // namespace laminar::pgwire
