// Internals shared by the Parquet reader and the inspect/cat tools (not a public API): bounded
// Thrift decoding, the footer, and the mapping of Parquet columns to Laminar types.
#pragma once

#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <string>
#include <string_view>

#include <thrift/protocol/TCompactProtocol.h>
#include <thrift/transport/TBufferTransports.h>

#include "common/status.h"
#include "common/types.h"
#include "parquet_types.h"

namespace laminar::lake::internal {
namespace pq = ::laminar::parquet_format;

// Most elements of one Thrift list, whatever the size of the input (a list of N structs needs at
// least N bytes, so the input size bounds it too).
inline constexpr int32_t kMaxThriftContainer = 1 << 20;

inline uint32_t LE32(const uint8_t* p) {
  return uint32_t{p[0]} | uint32_t{p[1]} << 8 | uint32_t{p[2]} << 16 | uint32_t{p[3]} << 24;
}
inline uint64_t LE64(const uint8_t* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return v;  // little-endian hosts only (x86-64, arm64)
}

// The value of an enum field decoded from the file. Thrift stores whatever number the file holds,
// which need not be a declared enumerator: read it as an integer (loading it as the enum type would
// be undefined behaviour).
template <typename E>
int32_t Enum(const E& field) {
  static_assert(sizeof(E) == sizeof(int32_t));
  int32_t v;
  std::memcpy(&v, &field, sizeof v);
  return v;
}

// Decodes one Thrift compact struct from [data, data + size). On success *consumed is the number
// of bytes it took. Returns false (with *error) on malformed input. Strings are limited to the
// input size, lists to min(input size, kMaxThriftContainer) elements.
template <typename T>
bool DecodeThrift(const uint8_t* data, size_t size, T* obj, size_t* consumed, std::string* error) {
  size = std::min<size_t>(size, std::numeric_limits<int32_t>::max());
  try {
    auto config = std::make_shared<apache::thrift::TConfiguration>(static_cast<int>(size));
    auto buffer = std::make_shared<apache::thrift::transport::TMemoryBuffer>(
        const_cast<uint8_t*>(data), static_cast<uint32_t>(size),
        apache::thrift::transport::TMemoryBuffer::OBSERVE, config);
    apache::thrift::protocol::TCompactProtocolT<apache::thrift::transport::TMemoryBuffer> proto(
        buffer, static_cast<int32_t>(size),
        static_cast<int32_t>(std::min<size_t>(size + 1, kMaxThriftContainer)));
    obj->read(&proto);
    *consumed = size - buffer->available_read();
    return true;
  } catch (const std::exception& e) {
    *error = e.what();
    return false;
  }
}

// Checks the magic at both ends and the footer length, and decodes the footer. *footer_start is
// the offset of the footer (the end of the data region). Corruption naming `name`; Unimplemented
// for an encrypted footer ("PARE") or encrypted columns.
Status ParseFooter(const std::string& name, std::string_view data, pq::FileMetaData* meta,
                   size_t* footer_start);

// How a physical value becomes a Laminar value.
enum class Conv : uint8_t {
  kBool,
  kInt32,       // INT32 (signed, incl. INT(8/16/32))
  kUInt32,      // INT32 holding UINT_8/16/32
  kInt64,
  kUInt64,      // INT64 holding UINT_64: values above 2^63-1 are an error
  kFloat,
  kDouble,
  kDecimal,     // INT32/INT64/FIXED_LEN_BYTE_ARRAY/BYTE_ARRAY unscaled → double / 10^scale
  kText,        // BYTE_ARRAY: the bytes
  kUuid,        // FIXED_LEN_BYTE_ARRAY(16) → canonical text
  kTimestampMillis,
  kTimestampMicros,
  kTimestampNanos,
  kInt96,       // legacy INT96 timestamp (nanos of day, Julian day)
  kDate,        // INT32 days → midnight UTC
};

struct ColumnMapping {
  Status status;  // OK, or Unimplemented / Corruption naming the construct (no file or column)
  Type type = Type::kText;
  Conv conv = Conv::kText;
  int32_t physical = -1;
  int32_t type_length = 0;
  int32_t scale = 0;
  bool not_null = false;
  std::string logical;  // readable logical type, e.g. "TIMESTAMP(MICROS,UTC)", or ""
};

// Maps one leaf of the schema. REQUIRES: e is a leaf (has a physical type).
ColumnMapping MapColumn(const pq::SchemaElement& e);

const char* PhysicalTypeName(int32_t t);
std::string EncodingName(int32_t e);
std::string RepetitionName(int32_t r);
std::string ConvertedTypeName(int32_t c);
std::string LogicalTypeName(const pq::SchemaElement& e);

// Converters from physical values; false (leaving *out) when the value is outside the range of the
// Laminar type.
bool TimestampFromInt96(const uint8_t* p, int64_t* out);
bool ScaleTimestamp(Conv conv, int64_t v, int64_t* out);  // millis/micros/nanos/date → micros
double DecimalFromBigEndian(const uint8_t* p, size_t n, int32_t scale);
double DecimalFromInt(int64_t v, int32_t scale);
void FormatUuid(const uint8_t* p, std::string* out);  // appends 36 characters

}  // namespace laminar::lake::internal
