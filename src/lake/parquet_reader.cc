#include "lake/parquet_reader.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <string_view>

#include "common/file_util.h"
#include "lake/parquet_codec.h"
#include "lake/parquet_internal.h"

namespace laminar::lake {
namespace pq = ::laminar::parquet_format;
using internal::Conv;
using internal::Enum;
using internal::LE32;
using internal::LE64;

struct ParquetReader::ColumnInfo {
  internal::ColumnMapping map;
  int64_t fixed_size = 0;  // bytes of one PLAIN value of a fixed-size physical type (0: BYTE_ARRAY)
};

namespace {

constexpr uint64_t kMaxText = std::numeric_limits<uint32_t>::max();  // text bytes per row group
// DELTA_BINARY_PACKED block sizes above this are treated as damage (writers use 128..4096).
constexpr uint64_t kMaxDeltaBlock = 1u << 20;

// Reads an unsigned LEB128 varint of at most 64 bits.
bool ReadUleb(const uint8_t* p, size_t n, size_t* pos, uint64_t* out) {
  uint64_t v = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (*pos >= n) return false;
    uint8_t b = p[(*pos)++];
    v |= uint64_t{b & 0x7fu} << shift;
    if (!(b & 0x80)) {
      *out = v;
      return true;
    }
  }
  return false;
}
bool ReadZigzag(const uint8_t* p, size_t n, size_t* pos, int64_t* out) {
  uint64_t u;
  if (!ReadUleb(p, n, pos, &u)) return false;
  *out = static_cast<int64_t>((u >> 1) ^ (~(u & 1) + 1));
  return true;
}

// Reads `bw` (0..64) bits at bit offset `bit` of [p, p + n), LSB first. REQUIRES: the bits lie
// inside the buffer.
inline uint64_t ReadBits(const uint8_t* p, size_t n, uint64_t bit, int bw) {
  if (bw == 0) return 0;
  size_t byte = static_cast<size_t>(bit / 8);
  int shift = static_cast<int>(bit % 8);
  if (bw <= 56 && byte + 8 <= n) {
    uint64_t w = LE64(p + byte);
    return (w >> shift) & ((uint64_t{1} << bw) - 1) ;
  }
  unsigned __int128 acc = 0;
  int need = (shift + bw + 7) / 8;
  for (int b = 0; b < need && byte + static_cast<size_t>(b) < n; b++)
    acc |= static_cast<unsigned __int128>(p[byte + b]) << (8 * b);
  acc >>= shift;
  return bw == 64 ? static_cast<uint64_t>(acc) : static_cast<uint64_t>(acc) & ((uint64_t{1} << bw) - 1);
}

// Decoder of the RLE/bit-packed hybrid encoding (bit width 0..32), bounds-checked.
class RleDecoder {
 public:
  RleDecoder(const uint8_t* p, size_t n, int bit_width) : p_(p), n_(n), bw_(bit_width) {}

  // Writes the next `count` values to out[0..count); false when the data ends early or is
  // malformed.
  template <typename T>
  bool Get(size_t count, T* out) {
    while (count > 0) {
      if (run_left_ > 0) {
        size_t take = static_cast<size_t>(std::min<uint64_t>(run_left_, count));
        std::fill(out, out + take, static_cast<T>(run_value_));
        out += take;
        run_left_ -= take;
        count -= take;
      } else if (lit_left_ > 0) {
        size_t take = static_cast<size_t>(std::min<uint64_t>(lit_left_, count));
        for (size_t i = 0; i < take; i++) {
          *out++ = static_cast<T>(ReadBits(lit_, lit_n_, lit_bit_, bw_));
          lit_bit_ += static_cast<uint64_t>(bw_);
        }
        lit_left_ -= take;
        count -= take;
      } else if (!NextRun()) {
        return false;
      }
    }
    return true;
  }

 private:
  bool NextRun() {
    uint64_t header = 0;
    if (!ReadUleb(p_, n_, &pos_, &header) || header > (uint64_t{1} << 40)) return false;
    if (header & 1) {
      uint64_t groups = header >> 1;
      if (groups == 0) return false;
      uint64_t bytes = groups * static_cast<uint64_t>(bw_);
      uint64_t avail = n_ - pos_;
      lit_left_ = groups * 8;
      if (bytes > avail) {
        // A last run cut short: keep the values that are there.
        if (bw_ == 0) return false;
        lit_left_ = avail * 8 / static_cast<uint64_t>(bw_);
        bytes = avail;
        if (lit_left_ == 0) return false;
      }
      lit_ = p_ + pos_;
      lit_n_ = static_cast<size_t>(bytes);
      lit_bit_ = 0;
      pos_ += static_cast<size_t>(bytes);
    } else {
      run_left_ = header >> 1;
      size_t bytes = static_cast<size_t>((bw_ + 7) / 8);
      if (run_left_ == 0 || bytes > n_ - pos_) return false;
      uint64_t v = 0;
      for (size_t b = 0; b < bytes; b++) v |= uint64_t{p_[pos_ + b]} << (8 * b);
      if (bw_ < 32 && (v >> bw_) != 0) return false;  // a value wider than the bit width
      run_value_ = static_cast<uint32_t>(v);
      pos_ += bytes;
    }
    return true;
  }

  const uint8_t* p_;
  size_t n_;
  size_t pos_ = 0;
  int bw_;
  uint64_t run_left_ = 0;
  uint32_t run_value_ = 0;
  const uint8_t* lit_ = nullptr;
  size_t lit_n_ = 0;
  uint64_t lit_bit_ = 0;
  uint64_t lit_left_ = 0;
};

// DELTA_BINARY_PACKED: decodes `count` values into *out (uint64 arithmetic, so INT32 columns wrap
// as the format requires once truncated). With `exact`, the header must promise exactly `count`
// values and *consumed is set to the end of the encoded data. Returns an error text or "".
std::string DecodeDelta(const uint8_t* p, size_t n, size_t count, bool exact,
                        std::vector<int64_t>* out, size_t* consumed) {
  size_t pos = 0;
  uint64_t block, mini, total;
  int64_t first;
  if (!ReadUleb(p, n, &pos, &block) || !ReadUleb(p, n, &pos, &mini) ||
      !ReadUleb(p, n, &pos, &total) || !ReadZigzag(p, n, &pos, &first))
    return "DELTA_BINARY_PACKED header is truncated";
  if (block == 0 || block % 128 != 0 || block > kMaxDeltaBlock || mini == 0 || block % mini != 0 ||
      (block / mini) % 32 != 0)
    return fmt::format("DELTA_BINARY_PACKED header has block size {} with {} miniblocks", block,
                       mini);
  if (total < count || (exact && total != count))
    return fmt::format("DELTA_BINARY_PACKED header holds {} values where {} are needed", total,
                       count);
  const uint64_t per_mini = block / mini;
  out->resize(count);
  if (count > 0) (*out)[0] = first;
  uint64_t last = static_cast<uint64_t>(first);
  size_t i = 1;
  while (i < count) {
    int64_t min_delta;
    if (!ReadZigzag(p, n, &pos, &min_delta)) return "DELTA_BINARY_PACKED block is truncated";
    if (mini > n - pos) return "DELTA_BINARY_PACKED bit widths are truncated";
    const uint8_t* widths = p + pos;
    pos += static_cast<size_t>(mini);
    for (uint64_t m = 0; m < mini && i < count; m++) {
      int bw = widths[m];
      if (bw > 64) return fmt::format("DELTA_BINARY_PACKED bit width {}", bw);
      const uint64_t take = std::min<uint64_t>(per_mini, count - i);
      const uint64_t need = (take * static_cast<uint64_t>(bw) + 7) / 8;
      const uint64_t full = per_mini * static_cast<uint64_t>(bw) / 8;
      const size_t avail = n - pos;
      if (need > avail) return "DELTA_BINARY_PACKED miniblock is truncated";
      const uint8_t* mb = p + pos;
      const size_t mb_n = static_cast<size_t>(std::min<uint64_t>(full, avail));
      for (uint64_t k = 0; k < take; k++) {
        last += static_cast<uint64_t>(min_delta) + ReadBits(mb, mb_n, k * static_cast<uint64_t>(bw), bw);
        (*out)[i++] = static_cast<int64_t>(last);
      }
      pos += mb_n;
    }
  }
  *consumed = pos;
  return "";
}

// Values of one page (or dictionary), physical, before conversion.
struct Physical {
  std::vector<int64_t> ints;          // BOOLEAN, INT32 (sign-extended), INT64
  std::vector<double> doubles;        // FLOAT, DOUBLE
  std::vector<std::string_view> bytes;  // BYTE_ARRAY, FIXED_LEN_BYTE_ARRAY, INT96
  std::string arena;                  // storage for rebuilt values (DELTA_BYTE_ARRAY, splits)
  std::vector<int64_t> lengths, prefixes;  // scratch
  void Clear() {
    ints.clear();
    doubles.clear();
    bytes.clear();
  }
};

// PLAIN-decodes `count` values of physical type `phys` (fixed width `width` for FLBA/INT96).
// Returns an error text or "".
std::string DecodePlain(int32_t phys, int64_t width, const uint8_t* p, size_t n, size_t count,
                        Physical* out) {
  switch (phys) {
    case pq::Type::BOOLEAN: {
      if ((count + 7) / 8 > n) return "PLAIN booleans are truncated";
      out->ints.resize(count);
      for (size_t i = 0; i < count; i++) out->ints[i] = (p[i / 8] >> (i % 8)) & 1;
      return "";
    }
    case pq::Type::INT32:
    case pq::Type::FLOAT: {
      if (count > n / 4) return "PLAIN values are truncated";
      if (phys == pq::Type::INT32) {
        out->ints.resize(count);
        for (size_t i = 0; i < count; i++) out->ints[i] = static_cast<int32_t>(LE32(p + 4 * i));
      } else {
        out->doubles.resize(count);
        for (size_t i = 0; i < count; i++) {
          float f;
          std::memcpy(&f, p + 4 * i, 4);
          out->doubles[i] = f;
        }
      }
      return "";
    }
    case pq::Type::INT64:
    case pq::Type::DOUBLE: {
      if (count > n / 8) return "PLAIN values are truncated";
      if (count == 0) return "";
      if (phys == pq::Type::INT64) {
        out->ints.resize(count);
        std::memcpy(out->ints.data(), p, 8 * count);
      } else {
        out->doubles.resize(count);
        std::memcpy(out->doubles.data(), p, 8 * count);
      }
      return "";
    }
    case pq::Type::BYTE_ARRAY: {
      if (count > n / 4) return "PLAIN byte arrays are truncated";
      out->bytes.resize(count);
      size_t pos = 0;
      for (size_t i = 0; i < count; i++) {
        if (n - pos < 4) return "PLAIN byte arrays are truncated";
        uint32_t len = LE32(p + pos);
        pos += 4;
        if (len > n - pos) return fmt::format("PLAIN byte array of {} bytes overruns the page", len);
        out->bytes[i] = std::string_view(reinterpret_cast<const char*>(p + pos), len);
        pos += len;
      }
      return "";
    }
    default: {  // FIXED_LEN_BYTE_ARRAY, INT96
      const size_t w = static_cast<size_t>(width);
      if (count > n / w) return "PLAIN fixed-size values are truncated";
      out->bytes.resize(count);
      for (size_t i = 0; i < count; i++)
        out->bytes[i] = std::string_view(reinterpret_cast<const char*>(p + w * i), w);
      return "";
    }
  }
}

}  // namespace

ParquetReader::~ParquetReader() = default;

int ParquetReader::num_row_groups() const { return static_cast<int>(meta_->row_groups.size()); }

int64_t ParquetReader::row_group_num_rows(int i) const {
  if (i < 0 || i >= num_row_groups()) return 0;
  return meta_->row_groups[static_cast<size_t>(i)].num_rows;
}

std::optional<std::string> ParquetReader::GetMetadata(const std::string& key) const {
  auto it = metadata_.find(key);
  if (it == metadata_.end()) return std::nullopt;
  return it->second;
}

Result<std::unique_ptr<ParquetReader>> ParquetReader::Open(const std::string& path,
                                                           const ReaderOptions& options) {
  ASSIGN_OR_RETURN(std::string data, ReadFile(path));
  return OpenBuffer(path, std::move(data), options);
}

Result<std::unique_ptr<ParquetReader>> ParquetReader::OpenBuffer(std::string name, std::string data,
                                                                 const ReaderOptions& options) {
  std::unique_ptr<ParquetReader> r(new ParquetReader());
  r->path_ = std::move(name);
  r->data_ = std::move(data);
  r->options_ = options;
  const std::string& path = r->path_;
  r->meta_ = std::make_unique<pq::FileMetaData>();
  size_t footer_start = 0;
  RETURN_IF_ERROR(internal::ParseFooter(path, r->data_, r->meta_.get(), &footer_start));
  const pq::FileMetaData& m = *r->meta_;

  // Schema: a root and flat leaves.
  if (m.schema.empty()) return Corruption("parquet {}: empty schema", path);
  const size_t leaves = m.schema.size() - 1;
  for (size_t i = 1; i <= leaves; i++) {
    const pq::SchemaElement& e = m.schema[i];
    if ((e.__isset.num_children && e.num_children > 0) || !e.__isset.type) {
      std::string kind = internal::LogicalTypeName(e);
      if (kind.empty() && e.__isset.converted_type)
        kind = internal::ConvertedTypeName(Enum(e.converted_type));
      return Unimplemented("parquet {}: column \"{}\" is a group{} (nested schema): nested "
                           "columns are not supported", path, e.name,
                           kind.empty() ? "" : " (" + kind + ")");
    }
  }
  if (!m.schema[0].__isset.num_children || m.schema[0].num_children < 0 ||
      static_cast<size_t>(m.schema[0].num_children) != leaves)
    return Unimplemented("parquet {}: nested schema (root has {} children, {} elements)", path,
                         m.schema[0].num_children, leaves);
  for (size_t i = 1; i <= leaves; i++) {
    const pq::SchemaElement& e = m.schema[i];
    if (r->schema_.FindColumn(e.name) >= 0)
      return Corruption("parquet {}: duplicate column \"{}\"", path, e.name);
    ColumnInfo info;
    info.map = internal::MapColumn(e);
    if (!info.map.status.ok())
      return Status(info.map.status.code(), fmt::format("parquet {}: column \"{}\": {}", path,
                                                        e.name, info.map.status.message()));
    switch (info.map.physical) {
      case pq::Type::INT32:
      case pq::Type::FLOAT: info.fixed_size = 4; break;
      case pq::Type::INT64:
      case pq::Type::DOUBLE: info.fixed_size = 8; break;
      case pq::Type::INT96: info.fixed_size = 12; break;
      case pq::Type::FIXED_LEN_BYTE_ARRAY: info.fixed_size = info.map.type_length; break;
      default: info.fixed_size = 0;
    }
    r->schema_.columns.push_back({e.name, info.map.type, info.map.not_null});
    r->columns_.push_back(std::move(info));
  }

  // Row groups and column chunks: every offset inside the data region.
  int64_t total_rows = 0;
  for (size_t g = 0; g < m.row_groups.size(); g++) {
    const pq::RowGroup& rg = m.row_groups[g];
    if (rg.num_rows < 0 || rg.num_rows > options.max_row_group_rows)
      return Corruption("parquet {}: row group {} has {} rows (limit {})", path, g, rg.num_rows,
                        options.max_row_group_rows);
    total_rows += rg.num_rows;
    if (rg.columns.size() != leaves)
      return Corruption("parquet {}: row group {} has {} columns, schema {}", path, g,
                        rg.columns.size(), leaves);
    for (size_t c = 0; c < leaves; c++) {
      const pq::ColumnChunk& cc = rg.columns[c];
      const std::string& name = r->schema_.columns[c].name;
      if (cc.__isset.crypto_metadata || cc.__isset.encrypted_column_metadata)
        return Unimplemented("parquet {}: column \"{}\" of row group {} is encrypted: Parquet "
                             "modular encryption is not supported", path, name, g);
      if (!cc.__isset.meta_data || (cc.__isset.file_path && !cc.file_path.empty()))
        return Unimplemented("parquet {}: column \"{}\" of row group {} is in another file", path,
                             name, g);
      const pq::ColumnMetaData& md = cc.meta_data;
      if (Enum(md.type) != Enum(m.schema[c + 1].type) || md.path_in_schema.size() != 1 ||
          md.path_in_schema[0] != name)
        return Corruption("parquet {}: column chunk {} of row group {} does not match the schema",
                          path, c, g);
      if (md.num_values != rg.num_rows)
        return Corruption("parquet {}: column \"{}\" of row group {} has {} values for {} rows",
                          path, name, g, md.num_values, rg.num_rows);
      int64_t start = md.__isset.dictionary_page_offset && md.dictionary_page_offset > 0
                          ? std::min(md.dictionary_page_offset, md.data_page_offset)
                          : md.data_page_offset;
      if (start < 4 || md.total_compressed_size < 0 ||
          static_cast<uint64_t>(start) > footer_start ||
          static_cast<uint64_t>(md.total_compressed_size) > footer_start - static_cast<uint64_t>(start))
        return Corruption("parquet {}: column \"{}\" of row group {} lies outside the data "
                          "(offset {}, {} bytes)", path, name, g, start, md.total_compressed_size);
      if (md.data_page_offset < start || md.data_page_offset - start >= std::max<int64_t>(md.total_compressed_size, 1))
        return Corruption("parquet {}: column \"{}\" of row group {}: data page offset {} lies "
                          "outside its chunk (offset {}, {} bytes)", path, name, g,
                          md.data_page_offset, start, md.total_compressed_size);
    }
  }
  if (m.num_rows != total_rows)
    return Corruption("parquet {}: footer says {} rows, row groups hold {}", path, m.num_rows,
                      total_rows);
  r->num_rows_ = m.num_rows;
  r->created_by_ = m.__isset.created_by ? m.created_by : "";
  for (const auto& kv : m.key_value_metadata) r->metadata_[kv.key] = kv.__isset.value ? kv.value : "";
  return r;
}

namespace {

// Decoded values of one page in Laminar form, ready to be scattered over the rows.
struct Converted {
  std::vector<int64_t> ints;
  std::vector<double> doubles;
  std::vector<std::string_view> texts;
  std::string arena;  // UUID text
};

// A column chunk's dictionary in Laminar form.
struct Dictionary {
  bool present = false;
  size_t size = 0;
  std::vector<int64_t> ints;
  std::vector<double> doubles;
  std::string text;
  std::vector<uint32_t> offsets{0};
};

}  // namespace

Status ParquetReader::ReadColumnChunk(int row_group, int file_column, ingest::Column* out) const {
  const pq::ColumnMetaData& md =
      meta_->row_groups[static_cast<size_t>(row_group)].columns[static_cast<size_t>(file_column)].meta_data;
  const ingest::ColumnDef& def = schema_.columns[static_cast<size_t>(file_column)];
  const ColumnInfo& info = columns_[static_cast<size_t>(file_column)];
  const internal::ColumnMapping& map = info.map;
  const int32_t phys = map.physical;
  size_t page_offset = 0;  // of the page being decoded, for messages
  auto corrupt = [&](const std::string& what) {
    return Corruption("parquet {}: column \"{}\" of row group {}, page at offset {}: {}", path_,
                      def.name, row_group, page_offset, what);
  };
  auto unimplemented = [&](const std::string& what) {
    return Unimplemented("parquet {}: column \"{}\" of row group {}: {}", path_, def.name,
                         row_group, what);
  };
  const int32_t codec = Enum(md.codec);
  if (!CodecSupported(codec))
    return unimplemented(fmt::format("compression codec {} is not supported", CodecName(codec)));
  const auto* file = reinterpret_cast<const uint8_t*>(data_.data());
  size_t pos = static_cast<size_t>(
      md.__isset.dictionary_page_offset && md.dictionary_page_offset > 0
          ? std::min(md.dictionary_page_offset, md.data_page_offset)
          : md.data_page_offset);
  const size_t end = pos + static_cast<size_t>(md.total_compressed_size);  // checked in Open()
  const int64_t expected = md.num_values;
  int64_t read = 0;

  Dictionary dict;
  std::string page_buf;
  std::vector<uint8_t> defs;
  std::vector<uint32_t> indices;
  Physical phy;
  Converted conv;
  std::string split_buf;

  // Physical → Laminar values (conv), for `count` decoded values.
  auto convert = [&](size_t count) -> Status {
    conv.ints.clear();
    conv.doubles.clear();
    conv.texts.clear();
    switch (map.conv) {
      case Conv::kBool:
      case Conv::kInt32:
      case Conv::kInt64:
      case Conv::kTimestampMicros:
        conv.ints.swap(phy.ints);
        break;
      case Conv::kUInt32:
        conv.ints.resize(count);
        for (size_t i = 0; i < count; i++) conv.ints[i] = static_cast<uint32_t>(phy.ints[i]);
        break;
      case Conv::kUInt64:
        for (size_t i = 0; i < count; i++)
          if (phy.ints[i] < 0)
            return unimplemented(fmt::format("UINT64 value {} exceeds the bigint range",
                                             static_cast<uint64_t>(phy.ints[i])));
        conv.ints.swap(phy.ints);
        break;
      case Conv::kTimestampMillis:
      case Conv::kTimestampNanos:
      case Conv::kDate:
        conv.ints.resize(count);
        for (size_t i = 0; i < count; i++)
          if (!internal::ScaleTimestamp(map.conv, phy.ints[i], &conv.ints[i]))
            return unimplemented(fmt::format("value {} is outside the timestamptz range",
                                             phy.ints[i]));
        break;
      case Conv::kInt96:
        conv.ints.resize(count);
        for (size_t i = 0; i < count; i++)
          if (!internal::TimestampFromInt96(reinterpret_cast<const uint8_t*>(phy.bytes[i].data()),
                                            &conv.ints[i]))
            return unimplemented("an INT96 timestamp is outside the timestamptz range");
        break;
      case Conv::kFloat:
      case Conv::kDouble:
        conv.doubles.swap(phy.doubles);
        break;
      case Conv::kDecimal:
        conv.doubles.resize(count);
        if (phys == pq::Type::INT32 || phys == pq::Type::INT64) {
          for (size_t i = 0; i < count; i++)
            conv.doubles[i] = internal::DecimalFromInt(phy.ints[i], map.scale);
        } else {
          for (size_t i = 0; i < count; i++)
            conv.doubles[i] = internal::DecimalFromBigEndian(
                reinterpret_cast<const uint8_t*>(phy.bytes[i].data()), phy.bytes[i].size(), map.scale);
        }
        break;
      case Conv::kText:
        conv.texts.swap(phy.bytes);
        break;
      case Conv::kUuid:
        conv.arena.clear();
        conv.arena.reserve(36 * count);
        for (size_t i = 0; i < count; i++)
          internal::FormatUuid(reinterpret_cast<const uint8_t*>(phy.bytes[i].data()), &conv.arena);
        conv.texts.resize(count);
        for (size_t i = 0; i < count; i++)
          conv.texts[i] = std::string_view(conv.arena).substr(36 * i, 36);
        break;
    }
    return Status::OK();
  };

  // Decodes `count` values encoded with `encoding` from [p, p + n) into phy. Dictionary indices
  // are handled by the caller.
  auto decode_values = [&](int32_t encoding, const uint8_t* p, size_t n, size_t count) -> Status {
    phy.Clear();
    std::string err;
    switch (encoding) {
      case pq::Encoding::PLAIN:
        err = DecodePlain(phys, info.fixed_size, p, n, count, &phy);
        break;
      case pq::Encoding::RLE: {
        if (phys != pq::Type::BOOLEAN) return unimplemented("RLE encoding of a non-boolean column");
        if (n < 4) return corrupt("RLE booleans without a length");
        uint32_t len = LE32(p);
        if (len > n - 4) return corrupt("RLE booleans longer than the page");
        std::vector<uint8_t> bits(count);
        RleDecoder dec(p + 4, len, 1);
        if (!dec.Get(count, bits.data())) return corrupt("RLE booleans are truncated or malformed");
        phy.ints.assign(bits.begin(), bits.end());
        break;
      }
      case pq::Encoding::DELTA_BINARY_PACKED: {
        if (phys != pq::Type::INT32 && phys != pq::Type::INT64)
          return corrupt("DELTA_BINARY_PACKED encoding of a column that is not INT32/INT64");
        size_t used;
        err = DecodeDelta(p, n, count, false, &phy.ints, &used);
        if (err.empty() && phys == pq::Type::INT32)
          for (auto& v : phy.ints) v = static_cast<int32_t>(static_cast<uint32_t>(v));
        break;
      }
      case pq::Encoding::DELTA_LENGTH_BYTE_ARRAY:
      case pq::Encoding::DELTA_BYTE_ARRAY: {
        if (phys != pq::Type::BYTE_ARRAY &&
            !(phys == pq::Type::FIXED_LEN_BYTE_ARRAY && encoding == pq::Encoding::DELTA_BYTE_ARRAY))
          return corrupt(fmt::format("{} encoding of a {} column", internal::EncodingName(encoding),
                                     internal::PhysicalTypeName(phys)));
        size_t at = 0;
        if (encoding == pq::Encoding::DELTA_BYTE_ARRAY) {
          err = DecodeDelta(p, n, count, true, &phy.prefixes, &at);
          if (!err.empty()) break;
        }
        size_t used = 0;
        err = DecodeDelta(p + at, n - at, count, true, &phy.lengths, &used);
        if (!err.empty()) break;
        at += used;
        phy.bytes.resize(count);
        for (size_t i = 0; i < count; i++) {
          const int64_t len = phy.lengths[i];
          if (len < 0 || static_cast<uint64_t>(len) > n - at) {
            err = fmt::format("byte array length {} overruns the page", len);
            break;
          }
          phy.bytes[i] = std::string_view(reinterpret_cast<const char*>(p + at), static_cast<size_t>(len));
          at += static_cast<size_t>(len);
        }
        if (!err.empty() || encoding == pq::Encoding::DELTA_LENGTH_BYTE_ARRAY) break;
        // DELTA_BYTE_ARRAY: value i = the first prefixes[i] bytes of value i-1, then suffix i.
        uint64_t total = 0, prev = 0;
        for (size_t i = 0; i < count; i++) {
          const int64_t pre = phy.prefixes[i];
          if (pre < 0 || static_cast<uint64_t>(pre) > prev) {
            err = fmt::format("DELTA_BYTE_ARRAY prefix of {} bytes after a value of {}", pre, prev);
            break;
          }
          prev = static_cast<uint64_t>(pre) + phy.bytes[i].size();
          total += prev;
          if (total > static_cast<uint64_t>(options_.max_page_bytes)) {
            err = fmt::format("DELTA_BYTE_ARRAY values exceed {} bytes in one page",
                              options_.max_page_bytes);
            break;
          }
        }
        if (!err.empty()) break;
        phy.arena.clear();
        phy.arena.reserve(static_cast<size_t>(total));
        size_t prev_start = 0;
        for (size_t i = 0; i < count; i++) {
          const size_t start = phy.arena.size();
          phy.arena.append(phy.arena.data() + prev_start, static_cast<size_t>(phy.prefixes[i]));
          phy.arena.append(phy.bytes[i]);
          prev_start = start;
        }
        size_t off = 0;
        for (size_t i = 0; i < count; i++) {
          size_t len = static_cast<size_t>(phy.prefixes[i]) + phy.bytes[i].size();
          phy.bytes[i] = std::string_view(phy.arena).substr(off, len);
          off += len;
          if (phys == pq::Type::FIXED_LEN_BYTE_ARRAY && len != static_cast<size_t>(info.fixed_size)) {
            err = fmt::format("DELTA_BYTE_ARRAY value of {} bytes in a FIXED_LEN_BYTE_ARRAY({})",
                              len, info.fixed_size);
            break;
          }
        }
        break;
      }
      case pq::Encoding::BYTE_STREAM_SPLIT: {
        if (info.fixed_size == 0 || phys == pq::Type::INT96)
          return corrupt(fmt::format("BYTE_STREAM_SPLIT encoding of a {} column",
                                     internal::PhysicalTypeName(phys)));
        const size_t w = static_cast<size_t>(info.fixed_size);
        if (count > n / w) return corrupt("BYTE_STREAM_SPLIT values are truncated");
        split_buf.resize(w * count);
        for (size_t b = 0; b < w; b++) {
          const uint8_t* stream = p + b * count;
          for (size_t i = 0; i < count; i++) split_buf[i * w + b] = static_cast<char>(stream[i]);
        }
        // The values now live in split_buf (kept until the page is converted).
        err = DecodePlain(phys, info.fixed_size, reinterpret_cast<const uint8_t*>(split_buf.data()),
                          split_buf.size(), count, &phy);
        break;
      }
      default:
        return unimplemented(fmt::format("value encoding {} is not supported",
                                         internal::EncodingName(encoding)));
    }
    if (!err.empty()) return corrupt(err);
    return convert(count);
  };

  while (read < expected) {
    if (pos >= end)
      return Corruption("parquet {}: column \"{}\" of row group {}: pages end after {} of {} values",
                        path_, def.name, row_group, read, expected);
    page_offset = pos;
    pq::PageHeader h;
    size_t used = 0;
    std::string error;
    if (!internal::DecodeThrift(file + pos, end - pos, &h, &used, &error))
      return corrupt(fmt::format("page header: {}", error));
    pos += used;
    if (h.compressed_page_size < 0 || static_cast<size_t>(h.compressed_page_size) > end - pos ||
        h.uncompressed_page_size < 0 || h.uncompressed_page_size > options_.max_page_bytes)
      return corrupt(fmt::format("bad page sizes ({} compressed, {} uncompressed; {} bytes left "
                                 "in the chunk, limit {})", h.compressed_page_size,
                                 h.uncompressed_page_size, end - pos, options_.max_page_bytes));
    const uint8_t* src = file + pos;
    const size_t csize = static_cast<size_t>(h.compressed_page_size);
    const size_t usize = static_cast<size_t>(h.uncompressed_page_size);
    pos += csize;
    const int32_t page_type = Enum(h.type);
    if (page_type != pq::PageType::DICTIONARY_PAGE && page_type != pq::PageType::DATA_PAGE &&
        page_type != pq::PageType::DATA_PAGE_V2)
      continue;  // index pages and unknown page types carry no values

    // The page body: levels (v2: uncompressed, outside the compressed part) and values.
    const uint8_t* levels_p = nullptr;
    size_t levels_n = 0;
    const uint8_t* p;
    size_t n;
    size_t v2_def_len = 0;
    const bool v2 = page_type == pq::PageType::DATA_PAGE_V2;
    if (v2) {
      if (!h.__isset.data_page_header_v2) return corrupt("data page v2 without its header");
      const pq::DataPageHeaderV2& dh = h.data_page_header_v2;
      if (dh.definition_levels_byte_length < 0 || dh.repetition_levels_byte_length < 0)
        return corrupt("negative level lengths");
      const uint64_t lev = static_cast<uint64_t>(dh.definition_levels_byte_length) +
                           static_cast<uint64_t>(dh.repetition_levels_byte_length);
      if (lev > csize || lev > usize)
        return corrupt(fmt::format("levels of {} bytes in a page of {} ({} uncompressed)", lev,
                                   csize, usize));
      // Repetition levels come first; a flat column has none worth reading.
      levels_p = src + dh.repetition_levels_byte_length;
      levels_n = static_cast<size_t>(dh.definition_levels_byte_length);
      v2_def_len = levels_n;
      const bool compressed = !dh.__isset.is_compressed || dh.is_compressed;
      const size_t vc = csize - static_cast<size_t>(lev), vu = usize - static_cast<size_t>(lev);
      if (codec == pq::CompressionCodec::UNCOMPRESSED || !compressed) {
        if (vc != vu) return corrupt(fmt::format("uncompressed values of {} bytes declare {}", vc, vu));
        p = src + lev;
        n = vc;
      } else {
        Status st = DecompressPage(codec, src + lev, vc, vu, &page_buf);
        if (!st.ok()) return corrupt(st.message());
        p = reinterpret_cast<const uint8_t*>(page_buf.data());
        n = vu;
      }
    } else if (codec == pq::CompressionCodec::UNCOMPRESSED) {
      if (csize != usize) return corrupt(fmt::format("uncompressed page of {} bytes declares {}", csize, usize));
      p = src;
      n = csize;
    } else {
      Status st = DecompressPage(codec, src, csize, usize, &page_buf);
      if (!st.ok()) return corrupt(st.message());
      p = reinterpret_cast<const uint8_t*>(page_buf.data());
      n = usize;
    }

    if (page_type == pq::PageType::DICTIONARY_PAGE) {
      if (dict.present || read > 0 || !h.__isset.dictionary_page_header)
        return corrupt("unexpected dictionary page");
      const pq::DictionaryPageHeader& dh = h.dictionary_page_header;
      if (Enum(dh.encoding) != pq::Encoding::PLAIN && Enum(dh.encoding) != pq::Encoding::PLAIN_DICTIONARY)
        return corrupt(fmt::format("dictionary page encoded {}", internal::EncodingName(Enum(dh.encoding))));
      if (dh.num_values < 0 || static_cast<uint64_t>(dh.num_values) > uint64_t{n} * 8)
        return corrupt(fmt::format("dictionary of {} values in {} bytes", dh.num_values, n));
      const size_t count = static_cast<size_t>(dh.num_values);
      RETURN_IF_ERROR(decode_values(pq::Encoding::PLAIN, p, n, count));
      dict.present = true;
      dict.size = count;
      if (def.type == Type::kText) {
        size_t total = 0;
        for (auto t : conv.texts) total += t.size();
        if (total > kMaxText) return corrupt("dictionary exceeds 4 GiB");
        dict.text.reserve(total);
        dict.offsets.reserve(count + 1);
        for (auto t : conv.texts) {
          dict.text.append(t);
          dict.offsets.push_back(static_cast<uint32_t>(dict.text.size()));
        }
      } else if (def.type == Type::kDouble) {
        dict.doubles = std::move(conv.doubles);
        conv.doubles = {};
      } else {
        dict.ints = std::move(conv.ints);
        conv.ints = {};
      }
      continue;
    }

    // Data page v1 or v2.
    int32_t nv_raw, encoding;
    if (v2) {
      const pq::DataPageHeaderV2& dh = h.data_page_header_v2;
      nv_raw = dh.num_values;
      encoding = Enum(dh.encoding);
      if (dh.num_nulls < 0 || dh.num_nulls > dh.num_values || dh.num_rows != dh.num_values)
        return corrupt(fmt::format("data page v2 with {} values, {} nulls, {} rows", dh.num_values,
                                   dh.num_nulls, dh.num_rows));
    } else {
      if (!h.__isset.data_page_header) return corrupt("data page without a data page header");
      nv_raw = h.data_page_header.num_values;
      encoding = Enum(h.data_page_header.encoding);
    }
    if (nv_raw < 0 || nv_raw > expected - read)
      return corrupt(fmt::format("page of {} values where {} remain", nv_raw, expected - read));
    const size_t nv = static_cast<size_t>(nv_raw);
    size_t at = 0;  // start of the values in [p, p + n)
    size_t non_null = nv;
    const bool optional = !def.not_null;
    if (optional) {
      defs.resize(nv);
      if (v2) {
        RleDecoder dec(levels_p, levels_n, 1);
        if (!dec.Get(nv, defs.data())) return corrupt("definition levels are truncated or malformed");
        (void)v2_def_len;
      } else {
        const int32_t lenc = Enum(h.data_page_header.definition_level_encoding);
        if (lenc == pq::Encoding::RLE) {
          if (n < 4) return corrupt("page too short for its definition levels");
          uint32_t len = LE32(p);
          if (len > n - 4) return corrupt("definition levels longer than the page");
          RleDecoder dec(p + 4, len, 1);
          if (!dec.Get(nv, defs.data())) return corrupt("definition levels are truncated or malformed");
          at = 4 + len;
        } else if (lenc == pq::Encoding::BIT_PACKED) {
          // Deprecated: bit width 1, most significant bit first, no length prefix.
          const size_t bytes = (nv + 7) / 8;
          if (bytes > n) return corrupt("definition levels are truncated");
          for (size_t i = 0; i < nv; i++) defs[i] = (p[i / 8] >> (7 - i % 8)) & 1;
          at = bytes;
        } else {
          return corrupt(fmt::format("definition level encoding {}", internal::EncodingName(lenc)));
        }
      }
      non_null = 0;
      for (size_t i = 0; i < nv; i++) non_null += defs[i];
      if (v2 && non_null + static_cast<size_t>(h.data_page_header_v2.num_nulls) != nv)
        return corrupt(fmt::format("data page v2 says {} nulls, its levels {}",
                                   h.data_page_header_v2.num_nulls, nv - non_null));
    } else if (v2 && h.data_page_header_v2.num_nulls != 0) {
      return corrupt(fmt::format("{} nulls in a REQUIRED column", h.data_page_header_v2.num_nulls));
    }
    const uint8_t* vp = p + at;
    const size_t vn = n - at;

    const size_t base = out->valid.size();
    if (encoding == pq::Encoding::RLE_DICTIONARY || encoding == pq::Encoding::PLAIN_DICTIONARY) {
      if (!dict.present) return corrupt("dictionary-encoded page without a dictionary");
      indices.resize(non_null);
      if (non_null > 0) {
        if (vn < 1) return corrupt("dictionary indices missing");
        int bw = vp[0];
        if (bw > 32) return corrupt(fmt::format("dictionary index bit width {}", bw));
        RleDecoder dec(vp + 1, vn - 1, bw);
        if (!dec.Get(non_null, indices.data())) return corrupt("dictionary indices are truncated or malformed");
        for (uint32_t idx : indices)
          if (idx >= dict.size)
            return corrupt(fmt::format("dictionary index {} of a dictionary of {}", idx, dict.size));
      }
      out->valid.resize(base + nv, 1);
      if (optional && nv > 0) std::memcpy(out->valid.data() + base, defs.data(), nv);
      size_t k = 0;
      if (def.type == Type::kText) {
        uint64_t total = out->text_data.size();
        for (uint32_t idx : indices) total += dict.offsets[idx + 1] - dict.offsets[idx];
        if (total > kMaxText) return corrupt("text exceeds 4 GiB in one row group");
        out->text_data.reserve(static_cast<size_t>(total));
        for (size_t i = 0; i < nv; i++) {
          if (!optional || defs[i]) {
            uint32_t idx = indices[k++];
            out->text_data.append(dict.text, dict.offsets[idx], dict.offsets[idx + 1] - dict.offsets[idx]);
          }
          out->text_offsets.push_back(static_cast<uint32_t>(out->text_data.size()));
        }
      } else if (def.type == Type::kDouble) {
        out->doubles.resize(base + nv);
        double* d = out->doubles.data() + base;
        for (size_t i = 0; i < nv; i++) d[i] = (!optional || defs[i]) ? dict.doubles[indices[k++]] : 0.0;
      } else {
        out->ints.resize(base + nv);
        int64_t* d = out->ints.data() + base;
        for (size_t i = 0; i < nv; i++) d[i] = (!optional || defs[i]) ? dict.ints[indices[k++]] : 0;
      }
    } else {
      RETURN_IF_ERROR(decode_values(encoding, vp, vn, non_null));
      out->valid.resize(base + nv, 1);
      if (optional && nv > 0) std::memcpy(out->valid.data() + base, defs.data(), nv);
      const bool dense = non_null == nv;
      if (def.type == Type::kText) {
        uint64_t total = out->text_data.size();
        for (auto t : conv.texts) total += t.size();
        if (total > kMaxText) return corrupt("text exceeds 4 GiB in one row group");
        out->text_data.reserve(static_cast<size_t>(total));
        size_t k = 0;
        for (size_t i = 0; i < nv; i++) {
          if (dense || defs[i]) out->text_data.append(conv.texts[k++]);
          out->text_offsets.push_back(static_cast<uint32_t>(out->text_data.size()));
        }
      } else if (def.type == Type::kDouble) {
        out->doubles.resize(base + nv);
        double* d = out->doubles.data() + base;
        if (dense) {
          if (nv > 0) std::memcpy(d, conv.doubles.data(), nv * sizeof(double));
        } else {
          size_t k = 0;
          for (size_t i = 0; i < nv; i++) d[i] = defs[i] ? conv.doubles[k++] : 0.0;
        }
      } else {
        out->ints.resize(base + nv);
        int64_t* d = out->ints.data() + base;
        if (dense) {
          if (nv > 0) std::memcpy(d, conv.ints.data(), nv * sizeof(int64_t));
        } else {
          size_t k = 0;
          for (size_t i = 0; i < nv; i++) d[i] = defs[i] ? conv.ints[k++] : 0;
        }
      }
    }
    read += static_cast<int64_t>(nv);
  }
  return Status::OK();
}

namespace {

// A statistics value (PLAIN bytes, no length prefix) as a Laminar value; false when unusable.
bool StatToValue(const internal::ColumnMapping& m, const std::string& v, Value* out) {
  const auto* p = reinterpret_cast<const uint8_t*>(v.data());
  const size_t n = v.size();
  switch (m.conv) {
    case internal::Conv::kBool:
      if (n != 1) return false;
      *out = Value::Bool(p[0] != 0);
      return true;
    case internal::Conv::kInt32:
      if (n != 4) return false;
      *out = Value::Int(static_cast<int32_t>(internal::LE32(p)));
      return true;
    case internal::Conv::kInt64:
      if (n != 8) return false;
      *out = Value::Int(static_cast<int64_t>(internal::LE64(p)));
      return true;
    case internal::Conv::kDouble: {
      if (n != 8) return false;
      double d;
      uint64_t bits = internal::LE64(p);
      std::memcpy(&d, &bits, 8);
      if (std::isnan(d)) return false;
      *out = Value::Double(d);
      return true;
    }
    case internal::Conv::kText:
      *out = Value::Text(v);
      return true;
    case internal::Conv::kTimestampMillis:
    case internal::Conv::kTimestampMicros:
    case internal::Conv::kTimestampNanos:
    case internal::Conv::kDate: {
      int64_t x;
      if (m.physical == pq::Type::INT32 && n == 4) x = static_cast<int32_t>(internal::LE32(p));
      else if (m.physical == pq::Type::INT64 && n == 8) x = static_cast<int64_t>(internal::LE64(p));
      else return false;
      int64_t us;
      if (!internal::ScaleTimestamp(m.conv, x, &us)) return false;
      *out = Value::Timestamp(us);
      return true;
    }
    default: return false;  // unsigned, decimal, float, uuid, INT96: not used for skipping
  }
}

}  // namespace

bool ParquetReader::RowGroupMinMax(int i, const std::string& name, Value* min, Value* max) const {
  if (i < 0 || i >= num_row_groups()) return false;
  const int fc = schema_.FindColumn(name);
  if (fc < 0) return false;
  const auto& rg = meta_->row_groups[static_cast<size_t>(i)];
  if (static_cast<size_t>(fc) >= rg.columns.size() || !rg.columns[static_cast<size_t>(fc)].__isset.meta_data) return false;
  const pq::ColumnMetaData& md = rg.columns[static_cast<size_t>(fc)].meta_data;
  if (!md.__isset.statistics) return false;
  const pq::Statistics& st = md.statistics;
  const internal::ColumnMapping& m = columns_[static_cast<size_t>(fc)].map;
  if (!m.status.ok()) return false;
  if (st.__isset.null_count && st.null_count == rg.num_rows && rg.num_rows > 0) {
    *min = Value();
    *max = Value();
    return true;
  }
  if (st.__isset.min_value && st.__isset.max_value)
    return StatToValue(m, st.min_value, min) && StatToValue(m, st.max_value, max);
  // The deprecated min/max compare byte arrays as signed bytes: not safe for text.
  if (st.__isset.min && st.__isset.max && m.conv != internal::Conv::kText)
    return StatToValue(m, st.min, min) && StatToValue(m, st.max, max);
  return false;
}

Result<ingest::RowBatch> ParquetReader::ReadRowGroup(int i, const ingest::StreamSchema& schema) const {
  if (i < 0 || i >= num_row_groups())
    return InvalidArgument("parquet {}: row group {} of {}", path_, i, num_row_groups());
  const int64_t rows = meta_->row_groups[static_cast<size_t>(i)].num_rows;
  ingest::RowBatch batch(schema);
  for (size_t c = 0; c < schema.columns.size(); c++) {
    const ingest::ColumnDef& want = schema.columns[c];
    ingest::Column& col = batch.column(c);
    const int fc = schema_.FindColumn(want.name);
    if (fc < 0) {
      if (want.not_null)
        return InvalidArgument("parquet {}: NOT NULL column \"{}\" is not in the file", path_,
                               want.name);
      for (int64_t r = 0; r < rows; r++) col.AppendNull();
      continue;
    }
    const ingest::ColumnDef& have = schema_.columns[static_cast<size_t>(fc)];
    if (have.type != want.type)
      return InvalidArgument("parquet {}: column \"{}\" is {} in the file, {} in the schema", path_,
                             want.name, TypeName(have.type), TypeName(want.type));
    RETURN_IF_ERROR(ReadColumnChunk(i, fc, &col));
    if (col.valid.size() != static_cast<size_t>(rows))
      return Corruption("parquet {}: column \"{}\" of row group {} decoded {} of {} rows", path_,
                        want.name, i, col.valid.size(), rows);
    if (want.not_null && !have.not_null)
      for (uint8_t v : col.valid)
        if (!v)
          return InvalidArgument("parquet {}: column \"{}\" holds nulls but is NOT NULL", path_,
                                 want.name);
  }
  for (int64_t r = 0; r < rows; r++) batch.FinishRow();
  return batch;
}

}  // namespace laminar::lake
