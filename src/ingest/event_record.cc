#include "ingest/event_record.h"

#include <cstring>

namespace laminar::ingest {

std::string EncodeRecord(const RowBatch& rows, std::string_view origin) {
  if (origin.empty()) return rows.Encode();
  std::string batch = rows.Encode();
  std::string out;
  out.reserve(5 + origin.size() + batch.size());
  out.push_back(static_cast<char>(kRecordWithOrigin));
  const uint32_t n = static_cast<uint32_t>(origin.size());
  for (int i = 0; i < 4; i++) out.push_back(static_cast<char>((n >> (8 * i)) & 0xff));
  out.append(origin);
  out.append(batch);
  return out;
}

Result<std::string_view> RecordOrigin(std::string_view payload) {
  if (payload.empty() || static_cast<uint8_t>(payload[0]) != kRecordWithOrigin) return std::string_view();
  if (payload.size() < 5) return Corruption("event record: {} bytes, too short for its origin header", payload.size());
  uint32_t n = 0;
  for (int i = 0; i < 4; i++) n |= uint32_t(static_cast<uint8_t>(payload[1 + i])) << (8 * i);
  if (n > payload.size() - 5) return Corruption("event record: an origin of {} bytes in {} bytes", n, payload.size());
  return payload.substr(5, n);
}

}  // namespace laminar::ingest
