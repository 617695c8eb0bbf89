#include "lake/parquet_reader.h"

#include <zstd.h>

#include <cstring>
#include <limits>
#include <string_view>

#include <thrift/protocol/TCompactProtocol.h>
#include <thrift/transport/TBufferTransports.h>

#include "common/file_util.h"
#include "parquet_types.h"

namespace laminar::lake {
namespace pq = ::laminar::parquet_format;
namespace {

constexpr char kMagic[] = "PAR1";
// Limits that keep a lying file from making the reader allocate without bound.
constexpr int64_t kMaxPageBytes = 256LL << 20;     // one decompressed page
constexpr int64_t kMaxRowGroupRows = 1LL << 28;    // rows of one row group
constexpr int32_t kMaxThriftContainer = 1 << 20;   // elements of a list in the footer

uint32_t LE32(const uint8_t* p) {
  return uint32_t{p[0]} | uint32_t{p[1]} << 8 | uint32_t{p[2]} << 16 | uint32_t{p[3]} << 24;
}
uint64_t LE64(const uint8_t* p) {
  uint64_t v = 0;
  for (int i = 0; i < 8; i++) v |= uint64_t{p[i]} << (8 * i);
  return v;
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
// of bytes it took. Returns false (with *error) on malformed input.
template <typename T>
bool DecodeThrift(const uint8_t* data, size_t size, T* obj, size_t* consumed, std::string* error) {
  // A struct never needs more than 2 GiB; the limit also keeps the sizes below fit Thrift's types.
  size = std::min<size_t>(size, std::numeric_limits<int32_t>::max());
  try {
    auto config = std::make_shared<apache::thrift::TConfiguration>(static_cast<int>(size));
    auto buffer = std::make_shared<apache::thrift::transport::TMemoryBuffer>(
        const_cast<uint8_t*>(data), static_cast<uint32_t>(size),
        apache::thrift::transport::TMemoryBuffer::OBSERVE, config);
    apache::thrift::protocol::TCompactProtocolT<apache::thrift::transport::TMemoryBuffer> proto(
        buffer, static_cast<int32_t>(size), kMaxThriftContainer);
    obj->read(&proto);
    *consumed = size - buffer->available_read();
    return true;
  } catch (const std::exception& e) {
    *error = e.what();
    return false;
  }
}

// Decoder of the RLE/bit-packed hybrid encoding, bounds-checked.
class RleDecoder {
 public:
  RleDecoder(const uint8_t* p, size_t n, int bit_width) : p_(p), end_(p + n), bw_(bit_width) {}

  // Appends `count` values to *out; false when the data ends early or is malformed.
  bool Get(size_t count, std::vector<uint32_t>* out) {
    while (count > 0) {
      if (run_left_ > 0) {
        size_t take = std::min<uint64_t>(run_left_, count);
        out->insert(out->end(), take, run_value_);
        run_left_ -= take;
        count -= take;
      } else if (lit_left_ > 0) {
        size_t take = std::min<uint64_t>(lit_left_, count);
        for (size_t i = 0; i < take; i++) {
          uint64_t acc = 0;
          size_t byte = lit_bit_ / 8;
          int shift = static_cast<int>(lit_bit_ % 8);
          int need = (shift + bw_ + 7) / 8;
          for (int b = 0; b < need; b++) acc |= uint64_t{lit_[byte + b]} << (8 * b);
          out->push_back(static_cast<uint32_t>((acc >> shift) & ((uint64_t{1} << bw_) - 1)));
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
    for (int shift = 0;; shift += 7) {
      if (p_ >= end_ || shift > 35) return false;
      uint8_t b = *p_++;
      header |= uint64_t{b & 0x7fu} << shift;
      if (!(b & 0x80)) break;
    }
    if (header & 1) {
      uint64_t groups = header >> 1;
      uint64_t bytes = groups * static_cast<uint64_t>(bw_);
      if (groups == 0 || bytes > static_cast<uint64_t>(end_ - p_)) return false;
      lit_ = p_;
      lit_bit_ = 0;
      lit_left_ = groups * 8;
      p_ += bytes;
    } else {
      run_left_ = header >> 1;
      int bytes = (bw_ + 7) / 8;
      if (run_left_ == 0 || bytes > end_ - p_) return false;
      run_value_ = 0;
      for (int b = 0; b < bytes; b++) run_value_ |= uint32_t{p_[b]} << (8 * b);
      p_ += bytes;
    }
    return true;
  }

  const uint8_t* p_;
  const uint8_t* end_;
  int bw_;
  uint64_t run_left_ = 0;
  uint32_t run_value_ = 0;
  const uint8_t* lit_ = nullptr;
  uint64_t lit_bit_ = 0;
  uint64_t lit_left_ = 0;
};

// PLAIN-decodes `count` non-null values from [p, p + n) into `values` (a Column used as a plain
// value list: every value valid). Returns the bytes consumed, or -1 when the data is short.
int64_t DecodePlain(const uint8_t* p, size_t n, size_t count, ingest::Column* values) {
  switch (values->type) {
    case Type::kBool: {
      if ((count + 7) / 8 > n) return -1;
      for (size_t i = 0; i < count; i++) values->AppendInt((p[i / 8] >> (i % 8)) & 1);
      return static_cast<int64_t>((count + 7) / 8);
    }
    case Type::kDouble: {
      if (count > n / 8) return -1;
      for (size_t i = 0; i < count; i++) {
        uint64_t bits = LE64(p + 8 * i);
        double d;
        std::memcpy(&d, &bits, 8);
        values->AppendDouble(d);
      }
      return static_cast<int64_t>(8 * count);
    }
    case Type::kText: {
      size_t pos = 0;
      for (size_t i = 0; i < count; i++) {
        if (n - pos < 4) return -1;
        uint32_t len = LE32(p + pos);
        pos += 4;
        if (len > n - pos) return -1;
        if (values->text_data.size() + len > std::numeric_limits<uint32_t>::max()) return -1;
        values->AppendText(std::string_view(reinterpret_cast<const char*>(p + pos), len));
        pos += len;
      }
      return static_cast<int64_t>(pos);
    }
    default: {
      if (count > n / 8) return -1;
      for (size_t i = 0; i < count; i++) values->AppendInt(static_cast<int64_t>(LE64(p + 8 * i)));
      return static_cast<int64_t>(8 * count);
    }
  }
}

// Appends value i of `from` (all valid) to `to`, scaling timestamps.
void AppendFrom(const ingest::Column& from, size_t i, int64_t ts_scale, ingest::Column* to) {
  switch (from.type) {
    case Type::kDouble: to->AppendDouble(from.doubles[i]); break;
    case Type::kText: to->AppendText(from.text(i)); break;
    default: {
      int64_t v = from.ints[i];
      if (ts_scale == 1000)  // millis: saturate rather than overflow
        v = v > INT64_MAX / 1000 ? INT64_MAX : v < INT64_MIN / 1000 ? INT64_MIN : v * 1000;
      if (ts_scale == -1000) v /= 1000;
      to->AppendInt(v);
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

Result<std::unique_ptr<ParquetReader>> ParquetReader::Open(const std::string& path) {
  std::unique_ptr<ParquetReader> r(new ParquetReader());
  r->path_ = path;
  ASSIGN_OR_RETURN(r->data_, ReadFile(path));
  const std::string& d = r->data_;
  const auto* bytes = reinterpret_cast<const uint8_t*>(d.data());
  if (d.size() < 12) return Corruption("parquet {}: file of {} bytes is too short", path, d.size());
  if (std::memcmp(d.data(), kMagic, 4) != 0 || std::memcmp(d.data() + d.size() - 4, kMagic, 4) != 0)
    return Corruption("parquet {}: bad magic (not a Parquet file)", path);
  const uint64_t footer_len = LE32(bytes + d.size() - 8);
  if (footer_len == 0 || footer_len > d.size() - 12)
    return Corruption("parquet {}: footer length {} does not fit in a file of {} bytes", path,
                      footer_len, d.size());
  const size_t footer_start = d.size() - 8 - footer_len;
  r->meta_ = std::make_unique<pq::FileMetaData>();
  size_t consumed = 0;
  std::string error;
  if (!DecodeThrift(bytes + footer_start, footer_len, r->meta_.get(), &consumed, &error))
    return Corruption("parquet {}: footer: {}", path, error);
  const pq::FileMetaData& m = *r->meta_;

  // Schema: a root and flat leaves.
  if (m.schema.empty()) return Corruption("parquet {}: empty schema", path);
  const size_t leaves = m.schema.size() - 1;
  if (!m.schema[0].__isset.num_children || m.schema[0].num_children < 0 ||
      static_cast<size_t>(m.schema[0].num_children) != leaves)
    return Unimplemented("parquet {}: nested schema (root has {} children, {} elements)", path,
                         m.schema[0].num_children, leaves);
  for (size_t i = 1; i <= leaves; i++) {
    const pq::SchemaElement& e = m.schema[i];
    if ((e.__isset.num_children && e.num_children > 0) || !e.__isset.type)
      return Unimplemented("parquet {}: column \"{}\" is a group (nested schema)", path, e.name);
    if (e.__isset.repetition_type && Enum(e.repetition_type) == pq::FieldRepetitionType::REPEATED)
      return Unimplemented("parquet {}: column \"{}\" is REPEATED", path, e.name);
    if (r->schema_.FindColumn(e.name) >= 0)
      return Corruption("parquet {}: duplicate column \"{}\"", path, e.name);
    ingest::ColumnDef def;
    def.name = e.name;
    def.not_null = e.__isset.repetition_type && Enum(e.repetition_type) == pq::FieldRepetitionType::REQUIRED;
    int64_t scale = 1;
    switch (Enum(e.type)) {
      case pq::Type::BOOLEAN: def.type = Type::kBool; break;
      case pq::Type::DOUBLE: def.type = Type::kDouble; break;
      case pq::Type::BYTE_ARRAY: def.type = Type::kText; break;
      case pq::Type::INT64: {
        def.type = Type::kInt64;
        if (e.__isset.logicalType && e.logicalType.__isset.TIMESTAMP) {
          def.type = Type::kTimestamp;
          const pq::TimeUnit& u = e.logicalType.TIMESTAMP.unit;
          scale = u.__isset.MILLIS ? 1000 : u.__isset.NANOS ? -1000 : 1;
        } else if (e.__isset.converted_type &&
                   (Enum(e.converted_type) == pq::ConvertedType::TIMESTAMP_MICROS ||
                    Enum(e.converted_type) == pq::ConvertedType::TIMESTAMP_MILLIS)) {
          def.type = Type::kTimestamp;
          scale = Enum(e.converted_type) == pq::ConvertedType::TIMESTAMP_MILLIS ? 1000 : 1;
        }
        break;
      }
      default:
        return Unimplemented("parquet {}: column \"{}\" has physical type {}, which Laminar does "
                             "not read yet", path, e.name, Enum(e.type));
    }
    r->schema_.columns.push_back(def);
    r->timestamp_scale_.push_back(scale);
  }

  // Row groups and column chunks: every offset inside the data region.
  int64_t total_rows = 0;
  for (size_t g = 0; g < m.row_groups.size(); g++) {
    const pq::RowGroup& rg = m.row_groups[g];
    if (rg.num_rows < 0 || rg.num_rows > kMaxRowGroupRows)
      return Corruption("parquet {}: row group {} has {} rows", path, g, rg.num_rows);
    total_rows += rg.num_rows;
    if (rg.columns.size() != leaves)
      return Corruption("parquet {}: row group {} has {} columns, schema {}", path, g,
                        rg.columns.size(), leaves);
    for (size_t c = 0; c < leaves; c++) {
      const pq::ColumnChunk& cc = rg.columns[c];
      const std::string& name = r->schema_.columns[c].name;
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

Status ParquetReader::ReadColumnChunk(int row_group, int file_column, ingest::Column* out) const {
  const pq::ColumnMetaData& md =
      meta_->row_groups[static_cast<size_t>(row_group)].columns[static_cast<size_t>(file_column)].meta_data;
  const ingest::ColumnDef& def = schema_.columns[static_cast<size_t>(file_column)];
  const int64_t ts_scale = timestamp_scale_[static_cast<size_t>(file_column)];
  auto corrupt = [&](const std::string& what) {
    return Corruption("parquet {}: column \"{}\" of row group {}: {}", path_, def.name, row_group,
                      what);
  };
  const int32_t codec = Enum(md.codec);
  if (codec != pq::CompressionCodec::UNCOMPRESSED && codec != pq::CompressionCodec::ZSTD)
    return Unimplemented("parquet {}: column \"{}\": compression codec {} is not supported", path_,
                         def.name, codec);
  const auto* file = reinterpret_cast<const uint8_t*>(data_.data());
  size_t pos = static_cast<size_t>(
      md.__isset.dictionary_page_offset && md.dictionary_page_offset > 0
          ? std::min(md.dictionary_page_offset, md.data_page_offset)
          : md.data_page_offset);
  const size_t end = pos + static_cast<size_t>(md.total_compressed_size);  // checked in Open()
  const int64_t expected = md.num_values;
  int64_t read = 0;

  ingest::Column dict;
  dict.type = def.type;
  bool have_dict = false;
  std::string page;
  std::vector<uint32_t> levels, indices;
  ingest::Column plain;
  while (read < expected) {
    if (pos >= end)
      return corrupt(fmt::format("pages end after {} of {} values", read, expected));
    pq::PageHeader h;
    size_t used = 0;
    std::string error;
    if (!DecodeThrift(file + pos, end - pos, &h, &used, &error))
      return corrupt(fmt::format("page header at offset {}: {}", pos, error));
    pos += used;
    if (h.compressed_page_size < 0 || static_cast<size_t>(h.compressed_page_size) > end - pos ||
        h.uncompressed_page_size < 0 || h.uncompressed_page_size > kMaxPageBytes)
      return corrupt(fmt::format("page at offset {} has bad sizes ({} compressed, {} raw)", pos,
                                 h.compressed_page_size, h.uncompressed_page_size));
    const uint8_t* src = file + pos;
    const size_t csize = static_cast<size_t>(h.compressed_page_size);
    pos += csize;
    const int32_t page_type = Enum(h.type);
    if (page_type != pq::PageType::DICTIONARY_PAGE && page_type != pq::PageType::DATA_PAGE) {
      if (page_type == pq::PageType::DATA_PAGE_V2)
        return Unimplemented("parquet {}: column \"{}\": data page v2 is not supported", path_,
                             def.name);
      continue;  // index pages and unknown page types carry no values
    }
    const size_t usize = static_cast<size_t>(h.uncompressed_page_size);
    if (codec == pq::CompressionCodec::ZSTD) {
      page.resize(usize);
      size_t n = ZSTD_decompress(page.data(), usize, src, csize);
      if (ZSTD_isError(n) || n != usize)
        return corrupt(fmt::format("page at offset {} does not decompress to {} bytes{}{}",
                                   pos - csize, usize, ZSTD_isError(n) ? ": " : "",
                                   ZSTD_isError(n) ? ZSTD_getErrorName(n) : ""));
    } else {
      if (usize != csize) return corrupt("uncompressed page with two different sizes");
      page.assign(reinterpret_cast<const char*>(src), csize);
    }
    const auto* p = reinterpret_cast<const uint8_t*>(page.data());
    const size_t n = page.size();

    if (page_type == pq::PageType::DICTIONARY_PAGE) {
      if (have_dict || read > 0 || !h.__isset.dictionary_page_header)
        return corrupt("unexpected dictionary page");
      const pq::DictionaryPageHeader& dh = h.dictionary_page_header;
      if (Enum(dh.encoding) != pq::Encoding::PLAIN && Enum(dh.encoding) != pq::Encoding::PLAIN_DICTIONARY)
        return corrupt("dictionary page is not PLAIN");
      if (dh.num_values < 0 || static_cast<size_t>(dh.num_values) > n)
        return corrupt(fmt::format("dictionary of {} values in {} bytes", dh.num_values, n));
      if (DecodePlain(p, n, static_cast<size_t>(dh.num_values), &dict) < 0)
        return corrupt("dictionary page is truncated");
      have_dict = true;
      continue;
    }

    if (!h.__isset.data_page_header) return corrupt("data page without a data page header");
    const pq::DataPageHeader& dh = h.data_page_header;
    if (dh.num_values < 0 || dh.num_values > expected - read)
      return corrupt(fmt::format("page of {} values where {} remain", dh.num_values, expected - read));
    const size_t nv = static_cast<size_t>(dh.num_values);
    size_t at = 0;
    levels.clear();
    if (!def.not_null) {
      if (Enum(dh.definition_level_encoding) != pq::Encoding::RLE)
        return Unimplemented("parquet {}: column \"{}\": definition level encoding {}", path_,
                             def.name, Enum(dh.definition_level_encoding));
      if (n < 4) return corrupt("page too short for its definition levels");
      uint32_t len = LE32(p);
      if (len > n - 4) return corrupt("definition levels longer than the page");
      RleDecoder dec(p + 4, len, 1);
      if (!dec.Get(nv, &levels)) return corrupt("definition levels are truncated or malformed");
      at = 4 + len;
    } else {
      levels.assign(nv, 1);
    }
    size_t non_null = 0;
    for (uint32_t l : levels) non_null += l;

    plain = ingest::Column();
    plain.type = def.type;
    const int32_t encoding = Enum(dh.encoding);
    if (encoding == pq::Encoding::PLAIN) {
      if (DecodePlain(p + at, n - at, non_null, &plain) < 0) return corrupt("values are truncated");
      if (out->text_data.size() + plain.text_data.size() > std::numeric_limits<uint32_t>::max())
        return corrupt("text exceeds 4 GiB in one row group");
      size_t k = 0;
      for (size_t i = 0; i < nv; i++) {
        if (levels[i]) AppendFrom(plain, k++, ts_scale, out);
        else out->AppendNull();
      }
    } else if (encoding == pq::Encoding::RLE_DICTIONARY ||
               encoding == pq::Encoding::PLAIN_DICTIONARY) {
      if (!have_dict) return corrupt("dictionary-encoded page without a dictionary");
      if (at >= n && non_null > 0) return corrupt("dictionary indices missing");
      indices.clear();
      if (non_null > 0) {
        int bw = p[at];
        if (bw > 32) return corrupt(fmt::format("dictionary index bit width {}", bw));
        RleDecoder dec(p + at + 1, n - at - 1, bw);
        if (!dec.Get(non_null, &indices)) return corrupt("dictionary indices are truncated");
      }
      const size_t dict_size = dict.valid.size();
      size_t k = 0;
      for (size_t i = 0; i < nv; i++) {
        if (!levels[i]) {
          out->AppendNull();
          continue;
        }
        uint32_t idx = indices[k++];
        if (idx >= dict_size)
          return corrupt(fmt::format("dictionary index {} of a dictionary of {}", idx, dict_size));
        if (def.type == Type::kText &&
            out->text_data.size() + dict.text(idx).size() > std::numeric_limits<uint32_t>::max())
          return corrupt("text exceeds 4 GiB in one row group");
        AppendFrom(dict, idx, ts_scale, out);
      }
    } else {
      return Unimplemented("parquet {}: column \"{}\": value encoding {} is not supported", path_,
                           def.name, encoding);
    }
    read += static_cast<int64_t>(nv);
  }
  return Status::OK();
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
