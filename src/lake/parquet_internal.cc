#include "lake/parquet_internal.h"

#include <cmath>
#include <cstdlib>

#include <fmt/format.h>

namespace laminar::lake::internal {
namespace {

constexpr int64_t kMicrosPerDay = 86'400'000'000;
constexpr int64_t kUnixEpochJulianDay = 2'440'588;

const char* TimeUnitName(const pq::TimeUnit& u) {
  return u.__isset.MILLIS ? "MILLIS" : u.__isset.NANOS ? "NANOS" : u.__isset.MICROS ? "MICROS" : "?";
}

}  // namespace

Status ParseFooter(const std::string& name, std::string_view d, pq::FileMetaData* meta,
                   size_t* footer_start) {
  const auto* bytes = reinterpret_cast<const uint8_t*>(d.data());
  if (d.size() >= 4 && std::memcmp(d.data() + d.size() - 4, "PARE", 4) == 0)
    return Unimplemented("parquet {}: encrypted footer (magic PARE): Parquet modular encryption "
                         "is not supported", name);
  if (d.size() < 12) return Corruption("parquet {}: file of {} bytes is too short", name, d.size());
  if (std::memcmp(d.data(), "PAR1", 4) != 0 || std::memcmp(d.data() + d.size() - 4, "PAR1", 4) != 0)
    return Corruption("parquet {}: bad magic (not a Parquet file)", name);
  const uint64_t footer_len = LE32(bytes + d.size() - 8);
  if (footer_len == 0 || footer_len > d.size() - 12)
    return Corruption("parquet {}: footer length {} does not fit in a file of {} bytes", name,
                      footer_len, d.size());
  *footer_start = d.size() - 8 - footer_len;
  size_t consumed = 0;
  std::string error;
  if (!DecodeThrift(bytes + *footer_start, footer_len, meta, &consumed, &error))
    return Corruption("parquet {}: footer: {}", name, error);
  if (meta->__isset.encryption_algorithm)
    return Unimplemented("parquet {}: encrypted columns (plaintext footer with an encryption "
                         "algorithm): Parquet modular encryption is not supported", name);
  return Status::OK();
}

ColumnMapping MapColumn(const pq::SchemaElement& e) {
  ColumnMapping m;
  m.physical = Enum(e.type);
  m.type_length = e.__isset.type_length ? e.type_length : 0;
  m.not_null = e.__isset.repetition_type && Enum(e.repetition_type) == pq::FieldRepetitionType::REQUIRED;
  m.logical = LogicalTypeName(e);
  const bool has_logical = e.__isset.logicalType;
  const pq::LogicalType& lt = e.logicalType;
  const int32_t ct = e.__isset.converted_type ? Enum(e.converted_type) : -1;
  auto unsupported = [&](const std::string& what) {
    m.status = Unimplemented("{} is not supported", what);
    return m;
  };
  if (e.__isset.repetition_type && Enum(e.repetition_type) == pq::FieldRepetitionType::REPEATED)
    return unsupported("a REPEATED field (lists)");
  // Logical types Laminar has no type for, whatever the physical type.
  if (has_logical) {
    if (lt.__isset.TIME) return unsupported("logical type TIME");
    if (lt.__isset.FLOAT16) return unsupported("logical type FLOAT16");
    if (lt.__isset.UNKNOWN) return unsupported("logical type UNKNOWN (always null)");
    if (lt.__isset.MAP || lt.__isset.LIST) return unsupported("a nested type (MAP/LIST)");
    if (lt.__isset.VARIANT) return unsupported("logical type VARIANT");
    if (lt.__isset.GEOMETRY || lt.__isset.GEOGRAPHY) return unsupported("geospatial types");
  }
  if (ct == pq::ConvertedType::TIME_MILLIS || ct == pq::ConvertedType::TIME_MICROS)
    return unsupported("converted type TIME");
  if (ct == pq::ConvertedType::INTERVAL) return unsupported("converted type INTERVAL");
  if (ct == pq::ConvertedType::MAP || ct == pq::ConvertedType::LIST ||
      ct == pq::ConvertedType::MAP_KEY_VALUE)
    return unsupported("a nested type (MAP/LIST)");

  const bool decimal = (has_logical && lt.__isset.DECIMAL) || ct == pq::ConvertedType::DECIMAL;
  if (decimal) {
    m.scale = has_logical && lt.__isset.DECIMAL ? lt.DECIMAL.scale : (e.__isset.scale ? e.scale : 0);
    if (m.scale < 0 || m.scale > 76) {
      m.status = Corruption("DECIMAL with scale {}", m.scale);
      return m;
    }
  }
  switch (m.physical) {
    case pq::Type::BOOLEAN:
      m.type = Type::kBool;
      m.conv = Conv::kBool;
      return m;
    case pq::Type::INT32:
      if (decimal) {
        m.type = Type::kDouble;
        m.conv = Conv::kDecimal;
      } else if ((has_logical && lt.__isset.DATE) || ct == pq::ConvertedType::DATE) {
        m.type = Type::kTimestamp;
        m.conv = Conv::kDate;
      } else {
        bool is_unsigned = (has_logical && lt.__isset.INTEGER && !lt.INTEGER.isSigned) ||
                           ct == pq::ConvertedType::UINT_8 || ct == pq::ConvertedType::UINT_16 ||
                           ct == pq::ConvertedType::UINT_32;
        if (has_logical && (lt.__isset.TIMESTAMP || lt.__isset.STRING || lt.__isset.UUID))
          return unsupported("INT32 with logical type " + m.logical);
        m.type = Type::kInt64;
        m.conv = is_unsigned ? Conv::kUInt32 : Conv::kInt32;
      }
      return m;
    case pq::Type::INT64:
      if (decimal) {
        m.type = Type::kDouble;
        m.conv = Conv::kDecimal;
      } else if (has_logical && lt.__isset.TIMESTAMP) {
        m.type = Type::kTimestamp;
        const pq::TimeUnit& u = lt.TIMESTAMP.unit;
        m.conv = u.__isset.MILLIS  ? Conv::kTimestampMillis
                 : u.__isset.NANOS ? Conv::kTimestampNanos
                                   : Conv::kTimestampMicros;
      } else if (ct == pq::ConvertedType::TIMESTAMP_MILLIS || ct == pq::ConvertedType::TIMESTAMP_MICROS) {
        m.type = Type::kTimestamp;
        m.conv = ct == pq::ConvertedType::TIMESTAMP_MILLIS ? Conv::kTimestampMillis
                                                           : Conv::kTimestampMicros;
      } else {
        if (has_logical && (lt.__isset.DATE || lt.__isset.STRING || lt.__isset.UUID))
          return unsupported("INT64 with logical type " + m.logical);
        bool is_unsigned = (has_logical && lt.__isset.INTEGER && !lt.INTEGER.isSigned) ||
                           ct == pq::ConvertedType::UINT_64 || ct == pq::ConvertedType::UINT_32 ||
                           ct == pq::ConvertedType::UINT_16 || ct == pq::ConvertedType::UINT_8;
        m.type = Type::kInt64;
        m.conv = is_unsigned ? Conv::kUInt64 : Conv::kInt64;
      }
      return m;
    case pq::Type::INT96:
      m.type = Type::kTimestamp;
      m.conv = Conv::kInt96;
      return m;
    case pq::Type::FLOAT:
      m.type = Type::kDouble;
      m.conv = Conv::kFloat;
      return m;
    case pq::Type::DOUBLE:
      m.type = Type::kDouble;
      m.conv = Conv::kDouble;
      return m;
    case pq::Type::BYTE_ARRAY:
      if (decimal) {
        m.type = Type::kDouble;
        m.conv = Conv::kDecimal;
      } else {
        if (has_logical && (lt.__isset.DATE || lt.__isset.TIMESTAMP || lt.__isset.INTEGER ||
                            lt.__isset.UUID))
          return unsupported("BYTE_ARRAY with logical type " + m.logical);
        m.type = Type::kText;  // STRING/UTF8, ENUM, JSON, BSON or raw bytes
        m.conv = Conv::kText;
      }
      return m;
    case pq::Type::FIXED_LEN_BYTE_ARRAY:
      if (m.type_length <= 0) {
        m.status = Corruption("FIXED_LEN_BYTE_ARRAY with type_length {}", m.type_length);
        return m;
      }
      if (decimal) {
        m.type = Type::kDouble;
        m.conv = Conv::kDecimal;
      } else if (has_logical && lt.__isset.UUID) {
        if (m.type_length != 16) {
          m.status = Corruption("UUID of {} bytes", m.type_length);
          return m;
        }
        m.type = Type::kText;
        m.conv = Conv::kUuid;
      } else {
        return unsupported(fmt::format("FIXED_LEN_BYTE_ARRAY({}){}", m.type_length,
                                       m.logical.empty() ? " without a logical type"
                                                         : " with logical type " + m.logical));
      }
      return m;
    default:
      m.status = Corruption("unknown physical type {}", m.physical);
      return m;
  }
}

const char* PhysicalTypeName(int32_t t) {
  switch (t) {
    case pq::Type::BOOLEAN: return "BOOLEAN";
    case pq::Type::INT32: return "INT32";
    case pq::Type::INT64: return "INT64";
    case pq::Type::INT96: return "INT96";
    case pq::Type::FLOAT: return "FLOAT";
    case pq::Type::DOUBLE: return "DOUBLE";
    case pq::Type::BYTE_ARRAY: return "BYTE_ARRAY";
    case pq::Type::FIXED_LEN_BYTE_ARRAY: return "FIXED_LEN_BYTE_ARRAY";
    default: return "?";
  }
}

std::string EncodingName(int32_t e) {
  switch (e) {
    case pq::Encoding::PLAIN: return "PLAIN";
    case pq::Encoding::PLAIN_DICTIONARY: return "PLAIN_DICTIONARY";
    case pq::Encoding::RLE: return "RLE";
    case pq::Encoding::BIT_PACKED: return "BIT_PACKED";
    case pq::Encoding::DELTA_BINARY_PACKED: return "DELTA_BINARY_PACKED";
    case pq::Encoding::DELTA_LENGTH_BYTE_ARRAY: return "DELTA_LENGTH_BYTE_ARRAY";
    case pq::Encoding::DELTA_BYTE_ARRAY: return "DELTA_BYTE_ARRAY";
    case pq::Encoding::RLE_DICTIONARY: return "RLE_DICTIONARY";
    case pq::Encoding::BYTE_STREAM_SPLIT: return "BYTE_STREAM_SPLIT";
    default: return "encoding " + std::to_string(e);
  }
}

std::string RepetitionName(int32_t r) {
  switch (r) {
    case pq::FieldRepetitionType::REQUIRED: return "REQUIRED";
    case pq::FieldRepetitionType::OPTIONAL: return "OPTIONAL";
    case pq::FieldRepetitionType::REPEATED: return "REPEATED";
    default: return "repetition " + std::to_string(r);
  }
}

std::string ConvertedTypeName(int32_t c) {
  static const char* kNames[] = {"UTF8",       "MAP",        "MAP_KEY_VALUE",    "LIST",
                                 "ENUM",       "DECIMAL",    "DATE",             "TIME_MILLIS",
                                 "TIME_MICROS", "TIMESTAMP_MILLIS", "TIMESTAMP_MICROS", "UINT_8",
                                 "UINT_16",    "UINT_32",    "UINT_64",          "INT_8",
                                 "INT_16",     "INT_32",     "INT_64",           "JSON",
                                 "BSON",       "INTERVAL"};
  if (c >= 0 && c < static_cast<int32_t>(std::size(kNames))) return kNames[c];
  return "converted type " + std::to_string(c);
}

std::string LogicalTypeName(const pq::SchemaElement& e) {
  if (!e.__isset.logicalType) return "";
  const pq::LogicalType& l = e.logicalType;
  if (l.__isset.STRING) return "STRING";
  if (l.__isset.MAP) return "MAP";
  if (l.__isset.LIST) return "LIST";
  if (l.__isset.ENUM) return "ENUM";
  if (l.__isset.DECIMAL) return fmt::format("DECIMAL({},{})", l.DECIMAL.precision, l.DECIMAL.scale);
  if (l.__isset.DATE) return "DATE";
  if (l.__isset.TIME)
    return fmt::format("TIME({},{})", TimeUnitName(l.TIME.unit),
                       l.TIME.isAdjustedToUTC ? "UTC" : "local");
  if (l.__isset.TIMESTAMP)
    return fmt::format("TIMESTAMP({},{})", TimeUnitName(l.TIMESTAMP.unit),
                       l.TIMESTAMP.isAdjustedToUTC ? "UTC" : "local");
  if (l.__isset.INTEGER)
    return fmt::format("INTEGER({},{})", static_cast<int>(l.INTEGER.bitWidth),
                       l.INTEGER.isSigned ? "signed" : "unsigned");
  if (l.__isset.UNKNOWN) return "UNKNOWN";
  if (l.__isset.JSON) return "JSON";
  if (l.__isset.BSON) return "BSON";
  if (l.__isset.UUID) return "UUID";
  if (l.__isset.FLOAT16) return "FLOAT16";
  if (l.__isset.VARIANT) return "VARIANT";
  if (l.__isset.GEOMETRY) return "GEOMETRY";
  if (l.__isset.GEOGRAPHY) return "GEOGRAPHY";
  return "unknown logical type";
}

bool TimestampFromInt96(const uint8_t* p, int64_t* out) {
  const int64_t nanos = static_cast<int64_t>(LE64(p));
  const int64_t julian = static_cast<int64_t>(LE32(p + 8));
  __int128 micros = static_cast<__int128>(julian - kUnixEpochJulianDay) * kMicrosPerDay;
  // Floor division of the nanoseconds of the day.
  int64_t q = nanos / 1000;
  if (nanos % 1000 < 0) q--;
  micros += q;
  if (micros > std::numeric_limits<int64_t>::max() || micros < std::numeric_limits<int64_t>::min())
    return false;
  *out = static_cast<int64_t>(micros);
  return true;
}

bool ScaleTimestamp(Conv conv, int64_t v, int64_t* out) {
  switch (conv) {
    case Conv::kTimestampMillis:
      return !__builtin_mul_overflow(v, int64_t{1000}, out);
    case Conv::kTimestampNanos: {
      int64_t q = v / 1000;
      if (v % 1000 < 0) q--;
      *out = q;
      return true;
    }
    case Conv::kDate:
      return !__builtin_mul_overflow(v, kMicrosPerDay, out);
    default:
      *out = v;
      return true;
  }
}

namespace {
// 10^scale as a double: exact up to 10^22.
double Pow10(int32_t scale) {
  static const double kPow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,
                                  1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19,
                                  1e20, 1e21, 1e22};
  if (scale >= 0 && scale < 23) return kPow10[scale];
  return std::pow(10.0, scale);
}

// unscaled / 10^scale, correctly rounded: exact operands divide exactly-rounded; larger values go
// through the decimal text and strtod.
double Decimal128(__int128 v, int32_t scale) {
  constexpr __int128 kExact = __int128{1} << 53;
  if (v >= -kExact && v <= kExact && scale <= 22) return static_cast<double>(v) / Pow10(scale);
  char buf[80];
  char* end = buf + sizeof buf;
  char* p = end;
  *--p = '\0';
  unsigned __int128 u = v < 0 ? -static_cast<unsigned __int128>(v) : static_cast<unsigned __int128>(v);
  do {
    *--p = static_cast<char>('0' + static_cast<int>(u % 10));
    u /= 10;
  } while (u != 0);
  if (v < 0) *--p = '-';
  std::string text = std::string(p) + "e-" + std::to_string(scale);
  return std::strtod(text.c_str(), nullptr);
}
}  // namespace

double DecimalFromInt(int64_t v, int32_t scale) { return Decimal128(v, scale); }

double DecimalFromBigEndian(const uint8_t* p, size_t n, int32_t scale) {
  if (n == 0) return 0.0;
  double d;
  if (n <= 16) {
    // Two's complement, big-endian, sign-extended to 128 bits.
    unsigned __int128 u = (p[0] & 0x80) ? ~static_cast<unsigned __int128>(0) : 0;
    for (size_t i = 0; i < n; i++) u = (u << 8) | p[i];
    return Decimal128(static_cast<__int128>(u), scale);
  } else {
    const bool neg = p[0] & 0x80;
    d = 0;
    for (size_t i = 0; i < n; i++) d = d * 256.0 + static_cast<double>(neg ? 0xff - p[i] : p[i]);
    if (neg) d = -d - 1.0;
  }
  return d / Pow10(scale);
}

void FormatUuid(const uint8_t* p, std::string* out) {
  static const char kHex[] = "0123456789abcdef";
  for (int i = 0; i < 16; i++) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out->push_back('-');
    out->push_back(kHex[p[i] >> 4]);
    out->push_back(kHex[p[i] & 15]);
  }
}

}  // namespace laminar::lake::internal
