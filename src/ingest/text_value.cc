// Text → typed values (see text_value.h). The parsers moved here from app/import.cc.
#include "ingest/text_value.h"

#include <simdjson.h>

#include <cctype>
#include <charconv>
#include <cmath>
#include <limits>

#include "common/time_util.h"
#include "common/strings.h"

namespace laminar::ingest {
namespace {

// Smallest and largest timestamps accepted (years 0001..9999), as the event parser.
const int64_t kMinTimestamp = DaysFromCivil(1, 1, 1) * kMicrosPerDay;
const int64_t kMaxTimestamp = DaysFromCivil(10000, 1, 1) * kMicrosPerDay - 1;

Status EpochOutOfRange(const std::string& shown) {
  return InvalidArgument(ErrorCode::kDatetimeFieldOverflow, "timestamp {} is out of range (years 0001..9999)", shown);
}

}  // namespace

bool IsValidUtf8(std::string_view s) { return simdjson::validate_utf8(s.data(), s.size()); }

Status CheckText(std::string_view s) {
  if (!IsValidUtf8(s)) return InvalidArgument(ErrorCode::kCharacterNotInRepertoire, "invalid UTF-8");
  if (s.find('\0') != std::string_view::npos)
    return InvalidArgument(ErrorCode::kCharacterNotInRepertoire,
                           "text contains the NUL character (\\u0000), which text values may not hold");
  return Status::OK();
}

std::string_view TrimBlanks(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string QuoteForMessage(std::string_view s) {
  std::string out = "\"";
  out += s.size() > 64 ? std::string(s.substr(0, 61)) + "..." : std::string(s);
  return out + "\"";
}

Result<int64_t> ParseInt64Text(std::string_view t) {
  std::string_view s = t;
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec == std::errc::result_out_of_range)
    return InvalidArgument(ErrorCode::kNumericValueOutOfRange, "{} is out of range for bigint", QuoteForMessage(t));
  if (ec != std::errc() || p != s.data() + s.size() || s.empty())
    return InvalidArgument(ErrorCode::kInvalidTextRepresentation, "invalid bigint {}", QuoteForMessage(t));
  return v;
}

Result<double> ParseDoubleText(std::string_view t) {
  std::string_view s = t;
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  double v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v, std::chars_format::general);
  if (ec == std::errc::result_out_of_range)
    return InvalidArgument(ErrorCode::kNumericValueOutOfRange,
                           "{} is out of range for double precision", QuoteForMessage(t));
  if (ec != std::errc() || p != s.data() + s.size() || s.empty())
    return InvalidArgument(ErrorCode::kInvalidTextRepresentation, "invalid number {}", QuoteForMessage(t));
  if (!std::isfinite(v))
    return InvalidArgument(ErrorCode::kInvalidTextRepresentation,
                           "{} is not a finite number (JSON cannot carry NaN or Infinity)", QuoteForMessage(t));
  return v;
}

std::optional<bool> ParseBoolText(std::string_view t) {
  std::string s = Lower(t);
  if (s == "true" || s == "t" || s == "yes" || s == "y" || s == "on" || s == "1") return true;
  if (s == "false" || s == "f" || s == "no" || s == "n" || s == "off" || s == "0") return false;
  return std::nullopt;
}

bool LooksNumeric(std::string_view s) {
  if (s.empty()) return false;
  size_t i = (s[0] == '-' || s[0] == '+') ? 1 : 0;
  return i < s.size() && (std::isdigit(static_cast<unsigned char>(s[i])) || s[i] == '.');
}

Result<int64_t> EpochToMicros(int64_t n) {
  constexpr int64_t kSecondsLimit = 100'000'000'000;  // 1e11 seconds: year 5138
  int64_t micros;
  if (n > -kSecondsLimit && n < kSecondsLimit) {
    micros = n * kMicrosPerSecond;
  } else {
    if (n > std::numeric_limits<int64_t>::max() / 1000 || n < std::numeric_limits<int64_t>::min() / 1000)
      return EpochOutOfRange(std::to_string(n));
    micros = n * 1000;
  }
  if (micros < kMinTimestamp || micros > kMaxTimestamp) return EpochOutOfRange(std::to_string(n));
  return micros;
}

Result<int64_t> EpochToMicros(double d) {
  double m = std::fabs(d) < 1e11 ? d * 1e6 : d * 1e3;
  if (!std::isfinite(m) || std::fabs(m) > 9.2e18) return EpochOutOfRange(Value::Double(d).ToString());
  int64_t micros = std::llround(m);
  if (micros < kMinTimestamp || micros > kMaxTimestamp) return EpochOutOfRange(Value::Double(d).ToString());
  return micros;
}

Result<Value> ParseTextValue(std::string_view s, Type type) {
  switch (type) {
    case Type::kText:
      RETURN_IF_ERROR(CheckText(s));
      return Value::Text(std::string(s));
    case Type::kInt64: {
      ASSIGN_OR_RETURN(int64_t v, ParseInt64Text(TrimBlanks(s)));
      return Value::Int(v);
    }
    case Type::kDouble: {
      ASSIGN_OR_RETURN(double d, ParseDoubleText(TrimBlanks(s)));
      return Value::Double(d);
    }
    case Type::kBool: {
      auto b = ParseBoolText(TrimBlanks(s));
      if (!b)
        return InvalidArgument(ErrorCode::kInvalidTextRepresentation,
                               "invalid boolean {} (true/false, t/f, yes/no, 1/0)", QuoteForMessage(s));
      return Value::Bool(*b);
    }
    case Type::kTimestamp: {
      std::string_view t = TrimBlanks(s);
      if (LooksNumeric(t)) {
        // An epoch number: integer text stays exact, otherwise a double.
        if (auto i = ParseInt64Text(t); i.ok()) {
          ASSIGN_OR_RETURN(int64_t micros, EpochToMicros(*i));
          return Value::Timestamp(micros);
        }
        if (auto d = ParseDoubleText(t); d.ok()) {
          ASSIGN_OR_RETURN(int64_t micros, EpochToMicros(*d));
          return Value::Timestamp(micros);
        }
      }
      auto ts = ParseTimestamp(t);
      if (!ts)
        return InvalidArgument(ErrorCode::kInvalidTextRepresentation, "invalid timestamp {}", QuoteForMessage(s));
      return Value::Timestamp(*ts);
    }
    case Type::kDate: break;  // a query-time type: no stream column has it
  }
  return Internal("unknown type");
}

}  // namespace laminar::ingest
