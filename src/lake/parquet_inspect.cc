#include "lake/parquet_inspect.h"

#include <cmath>
#include <map>
#include <set>
#include <string_view>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "common/time_util.h"
#include "lake/parquet_codec.h"
#include "lake/parquet_internal.h"
#include "lake/parquet_reader.h"
#include "common/utf8.h"

namespace laminar::lake {
namespace pq = ::laminar::parquet_format;
using internal::Conv;
using internal::Enum;
using Json = nlohmann::ordered_json;

namespace {

const char* PageTypeName(int32_t t) {
  switch (t) {
    case pq::PageType::DATA_PAGE: return "DATA_PAGE";
    case pq::PageType::INDEX_PAGE: return "INDEX_PAGE";
    case pq::PageType::DICTIONARY_PAGE: return "DICTIONARY_PAGE";
    case pq::PageType::DATA_PAGE_V2: return "DATA_PAGE_V2";
    default: return "UNKNOWN_PAGE";
  }
}

std::string Hex(std::string_view s) {
  static const char kHex[] = "0123456789abcdef";
  std::string out = "0x";
  for (unsigned char c : s) {
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 15]);
  }
  return out;
}

// A statistics value (PLAIN bytes without a length prefix) as a JSON value.
Json StatValue(const internal::ColumnMapping& m, const std::string& v) {
  const auto* p = reinterpret_cast<const uint8_t*>(v.data());
  const size_t n = v.size();
  if (!m.status.ok()) return Hex(v);
  auto bad = [&] { return Json(fmt::format("invalid ({} bytes)", n)); };
  switch (m.physical) {
    case pq::Type::BOOLEAN:
      if (n != 1) return bad();
      return p[0] != 0;
    case pq::Type::INT32:
    case pq::Type::INT64: {
      if (n != (m.physical == pq::Type::INT32 ? 4u : 8u)) return bad();
      int64_t x = m.physical == pq::Type::INT32 ? static_cast<int32_t>(internal::LE32(p))
                                                : static_cast<int64_t>(internal::LE64(p));
      switch (m.conv) {
        case Conv::kUInt32: return static_cast<uint32_t>(x);
        case Conv::kUInt64: return static_cast<uint64_t>(x);
        case Conv::kDecimal: return Json(internal::DecimalFromInt(x, m.scale));
        case Conv::kDate:
        case Conv::kTimestampMillis:
        case Conv::kTimestampMicros:
        case Conv::kTimestampNanos: {
          int64_t us;
          if (!internal::ScaleTimestamp(m.conv, x, &us)) return fmt::format("{} (out of range)", x);
          return FormatTimestampIso(us);
        }
        default: return x;
      }
    }
    case pq::Type::INT96: {
      if (n != 12) return bad();
      int64_t us;
      if (!internal::TimestampFromInt96(p, &us)) return "out of range";
      return FormatTimestampIso(us);
    }
    case pq::Type::FLOAT:
    case pq::Type::DOUBLE: {
      double d;
      if (m.physical == pq::Type::FLOAT) {
        if (n != 4) return bad();
        float f;
        std::memcpy(&f, p, 4);
        d = f;
      } else {
        if (n != 8) return bad();
        std::memcpy(&d, p, 8);
      }
      if (std::isnan(d)) return "NaN";
      if (std::isinf(d)) return d > 0 ? "Infinity" : "-Infinity";
      return d;
    }
    default:  // BYTE_ARRAY, FIXED_LEN_BYTE_ARRAY
      if (m.conv == Conv::kDecimal) return internal::DecimalFromBigEndian(p, n, m.scale);
      if (m.conv == Conv::kUuid) {
        if (n != 16) return bad();
        std::string s;
        internal::FormatUuid(p, &s);
        return s;
      }
      return v;  // text; invalid UTF-8 is replaced when dumped
  }
}

std::string Dump(const Json& j) { return j.dump(-1, ' ', false, Json::error_handler_t::replace); }

struct PageWalk {
  int64_t pages = 0;
  std::map<std::string, int64_t> page_types;
  std::set<std::string> encodings;  // of data and dictionary pages
  std::string error;
};

PageWalk WalkPages(const std::string& data, size_t footer_start, const pq::ColumnMetaData& md) {
  PageWalk w;
  int64_t start = md.__isset.dictionary_page_offset && md.dictionary_page_offset > 0
                      ? std::min(md.dictionary_page_offset, md.data_page_offset)
                      : md.data_page_offset;
  if (start < 4 || md.total_compressed_size < 0 || static_cast<uint64_t>(start) > footer_start ||
      static_cast<uint64_t>(md.total_compressed_size) > footer_start - static_cast<uint64_t>(start)) {
    w.error = fmt::format("chunk lies outside the data (offset {}, {} bytes)", start,
                          md.total_compressed_size);
    return w;
  }
  const auto* file = reinterpret_cast<const uint8_t*>(data.data());
  size_t pos = static_cast<size_t>(start);
  const size_t end = pos + static_cast<size_t>(md.total_compressed_size);
  while (pos < end) {
    pq::PageHeader h;
    size_t used = 0;
    std::string error;
    if (!internal::DecodeThrift(file + pos, end - pos, &h, &used, &error)) {
      w.error = fmt::format("page header at offset {}: {}", pos, error);
      return w;
    }
    if (h.compressed_page_size < 0 || static_cast<size_t>(h.compressed_page_size) > end - pos - used) {
      w.error = fmt::format("page at offset {} has {} bytes, beyond its chunk", pos, h.compressed_page_size);
      return w;
    }
    pos += used + static_cast<size_t>(h.compressed_page_size);
    w.pages++;
    const int32_t t = Enum(h.type);
    w.page_types[PageTypeName(t)]++;
    if (t == pq::PageType::DATA_PAGE && h.__isset.data_page_header)
      w.encodings.insert(internal::EncodingName(Enum(h.data_page_header.encoding)));
    if (t == pq::PageType::DATA_PAGE_V2 && h.__isset.data_page_header_v2)
      w.encodings.insert(internal::EncodingName(Enum(h.data_page_header_v2.encoding)));
    if (t == pq::PageType::DICTIONARY_PAGE && h.__isset.dictionary_page_header)
      w.encodings.insert(internal::EncodingName(Enum(h.dictionary_page_header.encoding)));
  }
  return w;
}

}  // namespace

std::string FormatTimestampIso(int64_t micros) {
  int64_t days = micros / kMicrosPerDay;
  int64_t rem = micros % kMicrosPerDay;
  if (rem < 0) {
    rem += kMicrosPerDay;
    days--;
  }
  int64_t y;
  unsigned m, d;
  CivilFromDays(days, &y, &m, &d);
  const int64_t secs = rem / kMicrosPerSecond, frac = rem % kMicrosPerSecond;
  std::string year = y >= 0 && y <= 9999 ? fmt::format("{:04}", y) : fmt::format("{:+05}", y);
  return fmt::format("{}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}Z", year, m, d, secs / 3600,
                     (secs / 60) % 60, secs % 60, frac);
}

void AppendJsonString(std::string_view s, std::string* out) {
  out->push_back('"');
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const size_t n = s.size();
  size_t i = 0;
  while (i < n) {
    unsigned char c = p[i];
    if (c < 0x80) {
      switch (c) {
        case '"': out->append("\\\""); break;
        case '\\': out->append("\\\\"); break;
        case '\n': out->append("\\n"); break;
        case '\r': out->append("\\r"); break;
        case '\t': out->append("\\t"); break;
        default:
          if (c < 0x20) out->append(fmt::format("\\u{:04x}", c));
          else out->push_back(static_cast<char>(c));
      }
      i++;
      continue;
    }
    // A multi-byte sequence: check it is well-formed UTF-8 (no overlongs, surrogates or values
    // above U+10FFFF); otherwise one U+FFFD per bad byte.
    int len = c >= 0xF0 && c <= 0xF4 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 && c <= 0xDF ? 2 : 0;
    if (c >= 0xF5) len = 0;
    bool ok = len > 0 && i + static_cast<size_t>(len) <= n;
    uint32_t cp = 0;
    if (ok) {
      cp = c & (0x7F >> len);
      for (int k = 1; k < len; k++) {
        if ((p[i + k] & 0xC0) != 0x80) {
          ok = false;
          break;
        }
        cp = (cp << 6) | (p[i + k] & 0x3F);
      }
    }
    if (ok && ((len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
               (len == 4 && (cp < 0x10000 || cp > 0x10FFFF))))
      ok = false;
    if (ok) {
      out->append(reinterpret_cast<const char*>(p + i), static_cast<size_t>(len));
      i += static_cast<size_t>(len);
    } else {
      AppendUtf8(0xFFFD, out);
      i++;
    }
  }
  out->push_back('"');
}

std::string FormatJsonDouble(double d) {
  if (std::isnan(d)) return "\"NaN\"";
  if (std::isinf(d)) return d > 0 ? "\"Infinity\"" : "\"-Infinity\"";
  std::string s = fmt::format("{}", d);  // shortest representation that round-trips
  if (s.find_first_of(".e") == std::string::npos) s += ".0";
  return s;
}

Result<std::string> InspectParquet(const std::string& name, const std::string& data, bool json) {
  pq::FileMetaData m;
  size_t footer_start = 0;
  RETURN_IF_ERROR(internal::ParseFooter(name, data, &m, &footer_start));

  Json j;
  j["file"] = name;
  j["size"] = data.size();
  j["version"] = m.version;
  j["created_by"] = m.__isset.created_by ? Json(m.created_by) : Json(nullptr);
  j["num_rows"] = m.num_rows;
  Json kv = Json::array();
  for (const auto& e : m.key_value_metadata)
    kv.push_back({{"key", e.key}, {"value", e.__isset.value ? Json(e.value) : Json(nullptr)}});
  j["key_value_metadata"] = kv;

  // Schema, depth-first; leaves in order are the column chunks.
  std::vector<internal::ColumnMapping> leaves;
  Json schema = Json::array();
  // Depth of each element: a stack of the children still to come of each open group.
  std::vector<int64_t> open;
  for (size_t i = 0; i < m.schema.size(); i++) {
    const pq::SchemaElement& e = m.schema[i];
    const size_t depth = open.size();
    if (!open.empty()) open.back()--;
    Json el;
    el["name"] = e.name;
    el["depth"] = depth;
    const bool group = !e.__isset.type;
    if (i == 0) {
      el["root"] = true;
      el["num_children"] = e.__isset.num_children ? e.num_children : 0;
    } else if (group) {
      el["group"] = true;
      el["num_children"] = e.__isset.num_children ? e.num_children : 0;
    } else {
      el["physical_type"] = internal::PhysicalTypeName(Enum(e.type));
      if (e.__isset.type_length && Enum(e.type) == pq::Type::FIXED_LEN_BYTE_ARRAY)
        el["type_length"] = e.type_length;
    }
    if (e.__isset.repetition_type) el["repetition"] = internal::RepetitionName(Enum(e.repetition_type));
    std::string lt = internal::LogicalTypeName(e);
    if (!lt.empty()) el["logical_type"] = lt;
    if (e.__isset.converted_type) el["converted_type"] = internal::ConvertedTypeName(Enum(e.converted_type));
    if (i > 0 && !group) {
      internal::ColumnMapping map = internal::MapColumn(e);
      if (depth > 1 && map.status.ok())
        map.status = Unimplemented("a field nested in a group is not supported");
      if (map.status.ok())
        el["laminar_type"] = TypeShortName(map.type);
      else
        el["unsupported"] = map.status.message();
      leaves.push_back(map);
    } else if (i > 0) {
      el["unsupported"] = "a group (nested columns) is not supported";
    }
    schema.push_back(el);
    if ((group || i == 0) && e.__isset.num_children && e.num_children > 0)
      open.push_back(e.num_children);
    while (!open.empty() && open.back() <= 0) open.pop_back();
  }
  j["schema"] = schema;

  Json groups = Json::array();
  for (size_t g = 0; g < m.row_groups.size(); g++) {
    const pq::RowGroup& rg = m.row_groups[g];
    Json jg;
    jg["index"] = g;
    jg["num_rows"] = rg.num_rows;
    jg["total_byte_size"] = rg.total_byte_size;
    if (rg.__isset.total_compressed_size) jg["total_compressed_size"] = rg.total_compressed_size;
    Json cols = Json::array();
    for (size_t c = 0; c < rg.columns.size(); c++) {
      const pq::ColumnChunk& cc = rg.columns[c];
      Json jc;
      if (!cc.__isset.meta_data) {
        jc["error"] = cc.__isset.crypto_metadata || cc.__isset.encrypted_column_metadata
                          ? "encrypted column metadata"
                          : "no column metadata";
        cols.push_back(jc);
        continue;
      }
      const pq::ColumnMetaData& md = cc.meta_data;
      std::string path;
      for (const auto& part : md.path_in_schema) path += (path.empty() ? "" : ".") + part;
      jc["column"] = path;
      jc["physical_type"] = internal::PhysicalTypeName(Enum(md.type));
      jc["codec"] = CodecName(Enum(md.codec));
      Json encs = Json::array();
      for (const auto& e : md.encodings) encs.push_back(internal::EncodingName(Enum(e)));
      jc["encodings"] = encs;
      jc["num_values"] = md.num_values;
      jc["compressed_size"] = md.total_compressed_size;
      jc["uncompressed_size"] = md.total_uncompressed_size;
      jc["data_page_offset"] = md.data_page_offset;
      if (md.__isset.dictionary_page_offset) jc["dictionary_page_offset"] = md.dictionary_page_offset;
      if (md.__isset.statistics) {
        const pq::Statistics& s = md.statistics;
        Json js;
        const bool leaf_ok = c < leaves.size() && Enum(md.type) == leaves[c].physical;
        internal::ColumnMapping unknown;
        unknown.status = Unimplemented("unknown column");
        const internal::ColumnMapping& map = leaf_ok ? leaves[c] : unknown;
        if (s.__isset.min_value) js["min"] = StatValue(map, s.min_value);
        else if (s.__isset.min) js["min_deprecated"] = StatValue(map, s.min);
        if (s.__isset.max_value) js["max"] = StatValue(map, s.max_value);
        else if (s.__isset.max) js["max_deprecated"] = StatValue(map, s.max);
        if (s.__isset.null_count) js["null_count"] = s.null_count;
        if (s.__isset.distinct_count) js["distinct_count"] = s.distinct_count;
        jc["statistics"] = js;
      }
      PageWalk w = WalkPages(data, footer_start, md);
      jc["pages"] = w.pages;
      Json types = Json::object();
      for (const auto& [t, count] : w.page_types) types[t] = count;
      jc["page_types"] = types;
      Json pe = Json::array();
      for (const auto& e : w.encodings) pe.push_back(e);
      jc["page_encodings"] = pe;
      if (!w.error.empty()) jc["page_error"] = w.error;
      cols.push_back(jc);
    }
    jg["columns"] = cols;
    groups.push_back(jg);
  }
  j["row_groups"] = groups;
  if (json) return Dump(j);

  // Text form.
  std::string out;
  out += fmt::format("file: {}\n", name);
  out += fmt::format("size: {} bytes\n", data.size());
  out += fmt::format("created_by: {}\n", m.__isset.created_by ? m.created_by : "(none)");
  out += fmt::format("format version: {}\n", m.version);
  out += fmt::format("rows: {}\n", m.num_rows);
  out += fmt::format("row groups: {}\n", m.row_groups.size());
  if (!m.key_value_metadata.empty()) {
    out += "key/value metadata:\n";
    for (const auto& e : j["key_value_metadata"])
      out += fmt::format("  {} = {}\n", Dump(e["key"]), Dump(e["value"]));
  }
  out += "schema:\n";
  for (const auto& el : j["schema"]) {
    if (el.contains("root")) {
      out += fmt::format("  {} (root, {} columns)\n", Dump(el["name"]), Dump(el["num_children"]));
      continue;
    }
    std::string line = std::string(2 * el["depth"].get<size_t>() + 2, ' ') + Dump(el["name"]) + ":";
    if (el.contains("group")) line += " group";
    if (el.contains("physical_type")) line += " " + el["physical_type"].get<std::string>();
    if (el.contains("type_length")) line += fmt::format("({})", el["type_length"].get<int>());
    if (el.contains("logical_type")) line += " " + el["logical_type"].get<std::string>();
    if (el.contains("converted_type")) line += " (converted " + el["converted_type"].get<std::string>() + ")";
    if (el.contains("repetition")) line += " " + el["repetition"].get<std::string>();
    if (el.contains("laminar_type")) line += " -> " + el["laminar_type"].get<std::string>();
    if (el.contains("unsupported")) line += " -> unsupported: " + el["unsupported"].get<std::string>();
    out += line + "\n";
  }
  for (const auto& jg : j["row_groups"]) {
    out += fmt::format("row group {}: {} rows, {} bytes", Dump(jg["index"]), Dump(jg["num_rows"]),
                       Dump(jg["total_byte_size"]));
    if (jg.contains("total_compressed_size"))
      out += fmt::format(" ({} compressed)", Dump(jg["total_compressed_size"]));
    out += "\n";
    for (const auto& jc : jg["columns"]) {
      if (jc.contains("error")) {
        out += "  column: " + jc["error"].get<std::string>() + "\n";
        continue;
      }
      std::string encs, pencs;
      for (const auto& e : jc["encodings"]) encs += (encs.empty() ? "" : ",") + e.get<std::string>();
      for (const auto& e : jc["page_encodings"]) pencs += (pencs.empty() ? "" : ",") + e.get<std::string>();
      out += fmt::format("  {}: {} {}, {} values, {} -> {} bytes, encodings {}, {} pages", Dump(jc["column"]),
                         jc["physical_type"].get<std::string>(), jc["codec"].get<std::string>(),
                         Dump(jc["num_values"]), Dump(jc["compressed_size"]),
                         Dump(jc["uncompressed_size"]), encs, Dump(jc["pages"]));
      if (!pencs.empty()) out += " (" + pencs + ")";
      if (jc.contains("statistics")) {
        const Json& s = jc["statistics"];
        for (const char* k : {"min", "max", "min_deprecated", "max_deprecated", "null_count", "distinct_count"})
          if (s.contains(k)) out += fmt::format(", {} {}", k, Dump(s[k]));
      }
      if (jc.contains("page_error")) out += ", page error: " + jc["page_error"].get<std::string>();
      out += "\n";
    }
  }
  return out;
}

Status CatParquet(const std::string& name, const std::string& data, std::ostream& out,
                  int64_t limit) {
  ASSIGN_OR_RETURN(auto reader, ParquetReader::OpenBuffer(name, data));
  const ingest::StreamSchema& schema = reader->schema();
  std::vector<std::string> keys;
  for (const auto& c : schema.columns) {
    std::string k;
    AppendJsonString(c.name, &k);
    keys.push_back(k + ":");
  }
  int64_t written = 0;
  std::string buf;
  for (int g = 0; g < reader->num_row_groups() && (limit < 0 || written < limit); g++) {
    ASSIGN_OR_RETURN(ingest::RowBatch batch, reader->ReadRowGroup(g, schema));
    buf.clear();
    for (size_t r = 0; r < batch.num_rows() && (limit < 0 || written < limit); r++, written++) {
      buf.push_back('{');
      for (size_t c = 0; c < batch.num_columns(); c++) {
        if (c > 0) buf.push_back(',');
        buf += keys[c];
        const ingest::Column& col = batch.column(c);
        if (col.is_null(r)) {
          buf += "null";
          continue;
        }
        switch (col.type) {
          case Type::kBool: buf += col.ints[r] ? "true" : "false"; break;
          case Type::kInt64: fmt::format_to(std::back_inserter(buf), "{}", col.ints[r]); break;
          case Type::kDouble: buf += FormatJsonDouble(col.doubles[r]); break;
          case Type::kText: AppendJsonString(col.text(r), &buf); break;
          case Type::kTimestamp:
            buf.push_back('"');
            buf += FormatTimestampIso(col.ints[r]);
            buf.push_back('"');
            break;
          case Type::kDate:  // no lake column is a date
            buf.push_back('"');
            buf += FormatDate(col.ints[r]);
            buf.push_back('"');
            break;
        }
      }
      buf += "}\n";
    }
    out.write(buf.data(), static_cast<std::streamsize>(buf.size()));
    if (!out) return IOError("parquet {}: writing the rows failed", name);
  }
  return Status::OK();
}

}  // namespace laminar::lake
