#include "lake/parquet_writer.h"

#include <fcntl.h>
#include <unistd.h>
#include <zstd.h>

#include <cerrno>
#include <cmath>
#include <cstring>
#include <limits>
#include <string_view>
#include <unordered_map>

#include <thrift/protocol/TCompactProtocol.h>
#include <thrift/transport/TBufferTransports.h>

#include "parquet_types.h"

namespace laminar::lake {
namespace pq = ::laminar::parquet_format;
namespace {

constexpr char kMagic[] = "PAR1";
// Text offsets in a buffered column are u32: keep a row group's raw bytes well below that.
constexpr int64_t kMaxRowGroupBytes = 1LL << 30;
// Rows of one row group (null-only columns have no raw size); ParquetReader accepts 4x this.
constexpr int64_t kMaxRowGroupRows = 1LL << 26;
// Longer text min/max values are left out of the statistics rather than truncated.
constexpr size_t kMaxStatValueBytes = 4096;

template <typename T>
Result<std::string> SerializeThrift(const T& obj) {
  try {
    auto buffer = std::make_shared<apache::thrift::transport::TMemoryBuffer>();
    apache::thrift::protocol::TCompactProtocolT<apache::thrift::transport::TMemoryBuffer> proto(
        buffer);
    obj.write(&proto);
    return buffer->getBufferAsString();
  } catch (const std::exception& e) {
    return Internal("thrift serialization failed: {}", e.what());
  }
}

void PutLE32(std::string* out, uint32_t v) {
  char b[4];
  for (int i = 0; i < 4; i++) b[i] = static_cast<char>((v >> (8 * i)) & 0xff);
  out->append(b, 4);
}
void PutLE64(std::string* out, uint64_t v) {
  char b[8];
  for (int i = 0; i < 8; i++) b[i] = static_cast<char>((v >> (8 * i)) & 0xff);
  out->append(b, 8);
}
void PutVarint(std::string* out, uint64_t v) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}
void PutDouble(std::string* out, double d) {
  uint64_t bits;
  std::memcpy(&bits, &d, 8);
  PutLE64(out, bits);
}

int BitWidth(uint32_t max_value) {
  int w = 0;
  while (max_value) {
    w++;
    max_value >>= 1;
  }
  return w;
}

// RLE/bit-packed hybrid encoding (Parquet "RLE" encoding), without a length prefix. Runs of 8 or
// more equal values become RLE runs; the rest are bit-packed in groups of 8 (only the final group
// is padded, which a reader discards since it knows the value count).
class RleEncoder {
 public:
  RleEncoder(int bit_width, std::string* out) : bw_(bit_width), out_(out) {}

  void Encode(const uint32_t* v, size_t n) {
    size_t i = 0;
    while (i < n) {
      size_t j = i + 1;
      while (j < n && v[j] == v[i]) j++;
      size_t run = j - i;
      if (run >= 8 && literals_.size() % 8 == 0) {
        FlushLiterals();
        PutVarint(out_, static_cast<uint64_t>(run) << 1);
        for (int b = 0; b < (bw_ + 7) / 8; b++) out_->push_back(static_cast<char>((v[i] >> (8 * b)) & 0xff));
        i = j;
      } else if (run >= 8) {
        size_t need = 8 - literals_.size() % 8;
        literals_.insert(literals_.end(), need, v[i]);
        i += need;
      } else {
        literals_.insert(literals_.end(), v + i, v + j);
        i = j;
      }
    }
  }

  // Writes the pending literals, padding the last group of 8.
  void Finish() {
    while (literals_.size() % 8) literals_.push_back(0);
    FlushLiterals();
  }

 private:
  void FlushLiterals() {
    if (literals_.empty()) return;
    size_t groups = literals_.size() / 8;
    PutVarint(out_, (static_cast<uint64_t>(groups) << 1) | 1);
    uint64_t acc = 0;
    int nbits = 0;
    for (uint32_t x : literals_) {
      acc |= static_cast<uint64_t>(x) << nbits;
      nbits += bw_;
      while (nbits >= 8) {
        out_->push_back(static_cast<char>(acc & 0xff));
        acc >>= 8;
        nbits -= 8;
      }
    }
    literals_.clear();  // groups of 8 values fill whole bytes: nbits is 0 here
  }

  int bw_;
  std::string* out_;
  std::vector<uint32_t> literals_;
};

std::string RleEncode(const std::vector<uint32_t>& values, int bit_width) {
  std::string out;
  RleEncoder enc(bit_width, &out);
  enc.Encode(values.data(), values.size());
  enc.Finish();
  return out;
}

// Raw (PLAIN) size of one value, used to size pages and row groups.
int64_t RawSize(const ingest::Column& c, size_t row) {
  if (c.valid[row] == 0) return 0;
  switch (c.type) {
    case Type::kBool: return 1;
    case Type::kText: return 4 + (c.text_offsets[row + 1] - c.text_offsets[row]);
    default: return 8;
  }
}

// Min/max/null count over rows of one column.
struct Stats {
  int64_t nulls = 0;
  bool has = false;  // min/max are set
  int64_t imin = 0, imax = 0;
  double dmin = 0, dmax = 0;
  std::string_view smin, smax;

  void Add(const ingest::Column& c, size_t row) {
    if (c.valid[row] == 0) {
      nulls++;
      return;
    }
    switch (c.type) {
      case Type::kDouble: {
        double d = c.doubles[row];
        if (std::isnan(d)) return;  // NaN never goes into min/max (Parquet spec)
        if (!has || d < dmin) dmin = d;
        if (!has || d > dmax) dmax = d;
        break;
      }
      case Type::kText: {
        std::string_view s = c.text(row);  // char_traits<char> compares as unsigned bytes
        if (!has || s < smin) smin = s;
        if (!has || s > smax) smax = s;
        break;
      }
      default: {
        int64_t i = c.ints[row];
        if (!has || i < imin) imin = i;
        if (!has || i > imax) imax = i;
      }
    }
    has = true;
  }

  pq::Statistics ToThrift(Type type) const {
    pq::Statistics s;
    s.__set_null_count(nulls);
    if (!has) return s;
    std::string lo, hi;
    switch (type) {
      case Type::kBool:
        lo.push_back(static_cast<char>(imin != 0));
        hi.push_back(static_cast<char>(imax != 0));
        break;
      case Type::kDouble:
        // Zero bounds are written as -0.0 (min) and +0.0 (max), as the spec asks.
        PutDouble(&lo, dmin == 0 ? -0.0 : dmin);
        PutDouble(&hi, dmax == 0 ? 0.0 : dmax);
        break;
      case Type::kText:
        if (smin.size() > kMaxStatValueBytes || smax.size() > kMaxStatValueBytes) return s;
        lo.assign(smin);
        hi.assign(smax);
        break;
      default:
        PutLE64(&lo, static_cast<uint64_t>(imin));
        PutLE64(&hi, static_cast<uint64_t>(imax));
    }
    s.__set_min_value(lo);
    s.__set_max_value(hi);
    return s;
  }

  void Merge(const Stats& o) {
    nulls += o.nulls;
    if (!o.has) return;
    if (!has) {
      int64_t n = nulls;
      *this = o;
      nulls = n;
      return;
    }
    imin = std::min(imin, o.imin);
    imax = std::max(imax, o.imax);
    dmin = std::min(dmin, o.dmin);
    dmax = std::max(dmax, o.dmax);
    smin = std::min(smin, o.smin);
    smax = std::max(smax, o.smax);
  }
};

// PLAIN encoding of the non-null values of rows [begin, end).
void PlainEncode(const ingest::Column& c, size_t begin, size_t end, std::string* out) {
  if (c.type == Type::kBool) {
    uint8_t byte = 0;
    int bit = 0;
    for (size_t r = begin; r < end; r++) {
      if (!c.valid[r]) continue;
      if (c.ints[r]) byte |= static_cast<uint8_t>(1u << bit);
      if (++bit == 8) {
        out->push_back(static_cast<char>(byte));
        byte = 0;
        bit = 0;
      }
    }
    if (bit) out->push_back(static_cast<char>(byte));
    return;
  }
  for (size_t r = begin; r < end; r++) {
    if (!c.valid[r]) continue;
    switch (c.type) {
      case Type::kDouble: PutDouble(out, c.doubles[r]); break;
      case Type::kText: {
        std::string_view s = c.text(r);
        PutLE32(out, static_cast<uint32_t>(s.size()));
        out->append(s);
        break;
      }
      default: PutLE64(out, static_cast<uint64_t>(c.ints[r]));
    }
  }
}

pq::Type::type PhysicalType(Type t) {
  switch (t) {
    case Type::kBool: return pq::Type::BOOLEAN;
    case Type::kDouble: return pq::Type::DOUBLE;
    case Type::kText: return pq::Type::BYTE_ARRAY;
    default: return pq::Type::INT64;
  }
}

pq::SchemaElement LeafElement(const ingest::ColumnDef& def) {
  pq::SchemaElement e;
  e.__set_name(def.name);
  e.__set_type(PhysicalType(def.type));
  e.__set_repetition_type(def.not_null ? pq::FieldRepetitionType::REQUIRED
                                       : pq::FieldRepetitionType::OPTIONAL);
  pq::LogicalType logical;
  switch (def.type) {
    case Type::kInt64: {
      pq::IntType it;
      it.__set_bitWidth(64);
      it.__set_isSigned(true);
      logical.__set_INTEGER(it);
      e.__set_logicalType(logical);
      e.__set_converted_type(pq::ConvertedType::INT_64);
      break;
    }
    case Type::kText:
      logical.__set_STRING(pq::StringType());
      e.__set_logicalType(logical);
      e.__set_converted_type(pq::ConvertedType::UTF8);
      break;
    case Type::kTimestamp: {
      pq::TimeUnit unit;
      unit.__set_MICROS(pq::MicroSeconds());
      pq::TimestampType ts;
      ts.__set_isAdjustedToUTC(true);
      ts.__set_unit(unit);
      logical.__set_TIMESTAMP(ts);
      e.__set_logicalType(logical);
      e.__set_converted_type(pq::ConvertedType::TIMESTAMP_MICROS);
      break;
    }
    default: break;
  }
  return e;
}

}  // namespace

ParquetWriter::ParquetWriter(std::string path, std::unique_ptr<fs::WritableFile> file, ingest::StreamSchema schema,
                             WriterOptions options)
    : path_(std::move(path)), file_(std::move(file)), schema_(std::move(schema)), options_(options) {
  for (const auto& def : schema_.columns) {
    ingest::Column c;
    c.type = def.type;
    buffers_.push_back(std::move(c));
  }
}

ParquetWriter::~ParquetWriter() = default;

Result<std::unique_ptr<ParquetWriter>> ParquetWriter::Open(const std::string& path,
                                                           const ingest::StreamSchema& schema,
                                                           const WriterOptions& options) {
  if (schema.columns.empty()) return InvalidArgument("parquet {}: schema has no columns", path);
  for (size_t i = 0; i < schema.columns.size(); i++) {
    if (schema.columns[i].name.empty())
      return InvalidArgument("parquet {}: column {} has no name", path, i);
    for (size_t j = 0; j < i; j++)
      if (schema.columns[j].name == schema.columns[i].name)
        return InvalidArgument("parquet {}: duplicate column \"{}\"", path, schema.columns[i].name);
  }
  if (options.row_group_bytes <= 0 || options.page_bytes <= 0 || options.dictionary_max_bytes < 0)
    return InvalidArgument("parquet {}: row_group_bytes and page_bytes must be positive", path);
  if (options.zstd_level < ZSTD_minCLevel() || options.zstd_level > ZSTD_maxCLevel())
    return InvalidArgument("parquet {}: zstd level {} out of range", path, options.zstd_level);
  auto file = fs::Current()->Open(path, fs::OpenMode::kTruncate);
  if (!file.ok()) return file.status().WithContext("parquet");
  std::unique_ptr<ParquetWriter> w(new ParquetWriter(path, std::move(file).value(), schema, options));
  RETURN_IF_ERROR(w->WriteRaw(std::string(kMagic, 4)));
  return w;
}

void ParquetWriter::AddMetadata(std::string key, std::string value) {
  metadata_.emplace_back(std::move(key), std::move(value));
}

Status ParquetWriter::WriteRaw(const std::string& bytes) {
  if (!error_.ok()) return error_;
  if (!file_) return error_ = InvalidArgument("parquet {}: the file is closed", path_);
  if (Status st = file_->Append(bytes); !st.ok()) return error_ = st.WithContext("parquet");
  offset_ += static_cast<int64_t>(bytes.size());
  return Status::OK();
}

Status ParquetWriter::Write(const ingest::RowBatch& batch) {
  if (!error_.ok()) return error_;
  if (finished_) return InvalidArgument("parquet {}: Write after Finish", path_);
  const size_t rows = batch.num_rows();
  if (batch.num_columns() != schema_.columns.size())
    return InvalidArgument("parquet {}: batch has {} columns, schema {}", path_,
                           batch.num_columns(), schema_.columns.size());
  for (size_t c = 0; c < batch.num_columns(); c++) {
    const ingest::Column& col = batch.column(c);
    const ingest::ColumnDef& def = schema_.columns[c];
    bool sizes_ok = col.valid.size() >= rows;
    switch (def.type) {
      case Type::kDouble: sizes_ok = sizes_ok && col.doubles.size() >= rows; break;
      case Type::kText:
        sizes_ok = sizes_ok && col.text_offsets.size() >= rows + 1 &&
                   col.text_offsets[rows] <= col.text_data.size();
        for (size_t r = 0; sizes_ok && r < rows; r++)
          sizes_ok = col.text_offsets[r] <= col.text_offsets[r + 1];
        break;
      default: sizes_ok = sizes_ok && col.ints.size() >= rows;
    }
    if (col.type != def.type || !sizes_ok)
      return InvalidArgument("parquet {}: column \"{}\" of the batch does not match the schema",
                             path_, def.name);
    if (def.not_null)
      for (size_t r = 0; r < rows; r++)
        if (!col.valid[r])
          return InvalidArgument("parquet {}: null in NOT NULL column \"{}\" (row {})", path_,
                                 def.name, r);
  }
  const int64_t limit = std::min(options_.row_group_bytes, kMaxRowGroupBytes);
  size_t begin = 0;
  while (begin < rows) {
    // Take rows until the open row group reaches its size.
    size_t end = begin;
    while (end < rows && group_bytes_ < limit &&
           group_rows_ + static_cast<int64_t>(end - begin) < kMaxRowGroupRows) {
      for (size_t c = 0; c < batch.num_columns(); c++) group_bytes_ += RawSize(batch.column(c), end);
      end++;
    }
    for (size_t c = 0; c < batch.num_columns(); c++) {
      const ingest::Column& src = batch.column(c);
      ingest::Column& dst = buffers_[c];
      dst.valid.insert(dst.valid.end(), src.valid.begin() + begin, src.valid.begin() + end);
      switch (src.type) {
        case Type::kDouble:
          dst.doubles.insert(dst.doubles.end(), src.doubles.begin() + begin, src.doubles.begin() + end);
          break;
        case Type::kText: {
          uint32_t from = src.text_offsets[begin], to = src.text_offsets[end];
          uint32_t base = static_cast<uint32_t>(dst.text_data.size());
          dst.text_data.append(src.text_data, from, to - from);
          for (size_t r = begin + 1; r <= end; r++)
            dst.text_offsets.push_back(base + (src.text_offsets[r] - from));
          break;
        }
        default: dst.ints.insert(dst.ints.end(), src.ints.begin() + begin, src.ints.begin() + end);
      }
    }
    group_rows_ += static_cast<int64_t>(end - begin);
    num_rows_ += static_cast<int64_t>(end - begin);
    begin = end;
    if (group_bytes_ >= limit || group_rows_ >= kMaxRowGroupRows) RETURN_IF_ERROR(FlushRowGroup());
  }
  return Status::OK();
}

Status ParquetWriter::WriteColumnChunk(size_t col, pq::ColumnChunk* chunk) {
  const ingest::Column& c = buffers_[col];
  const ingest::ColumnDef& def = schema_.columns[col];
  const size_t n = static_cast<size_t>(group_rows_);
  const int64_t chunk_start = offset_;
  int64_t total_uncompressed = 0, total_compressed = 0;

  // Dictionary for text, abandoned (PLAIN chunk) when it outgrows dictionary_max_bytes.
  bool use_dict = false;
  std::vector<uint32_t> indices;  // one per non-null row
  std::string dict_page;
  uint32_t dict_count = 0;
  if (def.type == Type::kText) {
    std::unordered_map<std::string_view, uint32_t> ids;
    int64_t dict_bytes = 0;
    use_dict = true;
    for (size_t r = 0; r < n && use_dict; r++) {
      if (!c.valid[r]) continue;
      std::string_view s = c.text(r);
      auto [it, inserted] = ids.try_emplace(s, dict_count);  // no node made for a value already there
      if (inserted) {
        dict_count++;
        dict_bytes += 4 + static_cast<int64_t>(s.size());
        if (dict_bytes > options_.dictionary_max_bytes) use_dict = false;
        PutLE32(&dict_page, static_cast<uint32_t>(s.size()));
        dict_page.append(s);
      }
      indices.push_back(it->second);
    }
    if (dict_count == 0) use_dict = false;
    if (!use_dict) {
      indices.clear();
      dict_page.clear();
    }
  }

  auto write_page = [&](pq::PageHeader* header, const std::string& body) -> Status {
    if (body.size() > static_cast<size_t>(std::numeric_limits<int32_t>::max()))
      return Internal("parquet {}: page of column \"{}\" too large", path_, def.name);
    std::string compressed(ZSTD_compressBound(body.size()), '\0');
    size_t len = ZSTD_compress(compressed.data(), compressed.size(), body.data(), body.size(),
                               options_.zstd_level);
    if (ZSTD_isError(len))
      return Internal("parquet {}: zstd: {}", path_, ZSTD_getErrorName(len));
    compressed.resize(len);
    header->__set_uncompressed_page_size(static_cast<int32_t>(body.size()));
    header->__set_compressed_page_size(static_cast<int32_t>(len));
    ASSIGN_OR_RETURN(std::string head, SerializeThrift(*header));
    total_uncompressed += static_cast<int64_t>(head.size() + body.size());
    total_compressed += static_cast<int64_t>(head.size() + len);
    RETURN_IF_ERROR(WriteRaw(head));
    return WriteRaw(compressed);
  };

  std::optional<int64_t> dict_offset;
  if (use_dict) {
    dict_offset = offset_;
    pq::PageHeader header;
    header.__set_type(pq::PageType::DICTIONARY_PAGE);
    pq::DictionaryPageHeader dh;
    dh.__set_num_values(static_cast<int32_t>(dict_count));
    dh.__set_encoding(pq::Encoding::PLAIN);
    header.__set_dictionary_page_header(dh);
    RETURN_IF_ERROR(write_page(&header, dict_page));
  }
  const int bit_width = use_dict ? std::max(1, BitWidth(dict_count - 1)) : 0;

  const int64_t data_offset = offset_;
  Stats chunk_stats;
  size_t row = 0, next_index = 0;
  std::vector<uint32_t> levels;
  while (row < n) {
    size_t end = row;
    int64_t bytes = 0;
    do {
      bytes += RawSize(c, end) + 1;
      end++;
    } while (end < n && bytes < options_.page_bytes);

    std::string body;
    Stats page_stats;
    for (size_t r = row; r < end; r++) page_stats.Add(c, r);
    if (!def.not_null) {
      levels.assign(c.valid.begin() + row, c.valid.begin() + end);
      std::string rle = RleEncode(levels, 1);
      PutLE32(&body, static_cast<uint32_t>(rle.size()));
      body += rle;
    }
    if (use_dict) {
      size_t non_null = static_cast<size_t>(end - row) - static_cast<size_t>(page_stats.nulls);
      std::vector<uint32_t> page_indices(indices.begin() + next_index,
                                         indices.begin() + next_index + non_null);
      next_index += non_null;
      body.push_back(static_cast<char>(bit_width));
      body += RleEncode(page_indices, bit_width);
    } else {
      PlainEncode(c, row, end, &body);
    }
    pq::PageHeader header;
    header.__set_type(pq::PageType::DATA_PAGE);
    pq::DataPageHeader dh;
    dh.__set_num_values(static_cast<int32_t>(end - row));
    dh.__set_encoding(use_dict ? pq::Encoding::RLE_DICTIONARY : pq::Encoding::PLAIN);
    dh.__set_definition_level_encoding(pq::Encoding::RLE);
    dh.__set_repetition_level_encoding(pq::Encoding::RLE);
    dh.__set_statistics(page_stats.ToThrift(def.type));
    header.__set_data_page_header(dh);
    RETURN_IF_ERROR(write_page(&header, body));
    chunk_stats.Merge(page_stats);
    row = end;
  }

  pq::ColumnMetaData md;
  md.__set_type(PhysicalType(def.type));
  std::vector<pq::Encoding::type> encodings = {pq::Encoding::PLAIN, pq::Encoding::RLE};
  if (use_dict) encodings.push_back(pq::Encoding::RLE_DICTIONARY);
  md.__set_encodings(encodings);
  md.__set_path_in_schema({def.name});
  md.__set_codec(pq::CompressionCodec::ZSTD);
  md.__set_num_values(static_cast<int64_t>(n));
  md.__set_total_uncompressed_size(total_uncompressed);
  md.__set_total_compressed_size(total_compressed);
  md.__set_data_page_offset(data_offset);
  if (dict_offset) md.__set_dictionary_page_offset(*dict_offset);
  md.__set_statistics(chunk_stats.ToThrift(def.type));
  chunk->__set_file_offset(chunk_start);
  chunk->__set_meta_data(md);
  return Status::OK();
}

Status ParquetWriter::FlushRowGroup() {
  if (!error_.ok()) return error_;
  if (group_rows_ == 0) return Status::OK();
  pq::RowGroup rg;
  const int64_t start = offset_;
  int64_t total_uncompressed = 0;
  std::vector<pq::ColumnChunk> chunks(schema_.columns.size());
  for (size_t c = 0; c < schema_.columns.size(); c++) {
    Status st = WriteColumnChunk(c, &chunks[c]);
    if (!st.ok()) {
      if (error_.ok()) error_ = st;
      return error_;
    }
    total_uncompressed += chunks[c].meta_data.total_uncompressed_size;
  }
  rg.__set_columns(chunks);
  rg.__set_num_rows(group_rows_);
  rg.__set_total_byte_size(total_uncompressed);
  rg.__set_file_offset(start);
  rg.__set_total_compressed_size(offset_ - start);
  if (row_groups_.size() <= static_cast<size_t>(std::numeric_limits<int16_t>::max()))
    rg.__set_ordinal(static_cast<int16_t>(row_groups_.size()));
  row_groups_.push_back(std::move(rg));
  for (auto& b : buffers_) {
    Type t = b.type;
    b = ingest::Column();
    b.type = t;
  }
  group_rows_ = 0;
  group_bytes_ = 0;
  return Status::OK();
}

Status ParquetWriter::Finish() {
  if (!error_.ok()) return error_;
  if (finished_) return InvalidArgument("parquet {}: Finish called twice", path_);
  RETURN_IF_ERROR(FlushRowGroup());
  pq::FileMetaData fmd;
  fmd.__set_version(1);
  std::vector<pq::SchemaElement> elements;
  pq::SchemaElement root;
  root.__set_name("schema");
  root.__set_num_children(static_cast<int32_t>(schema_.columns.size()));
  elements.push_back(root);
  std::vector<pq::ColumnOrder> orders;
  for (const auto& def : schema_.columns) {
    elements.push_back(LeafElement(def));
    pq::ColumnOrder order;
    order.__set_TYPE_ORDER(pq::TypeDefinedOrder());
    orders.push_back(order);
  }
  fmd.__set_schema(elements);
  fmd.__set_num_rows(num_rows_);
  fmd.__set_row_groups(row_groups_);
  if (!metadata_.empty()) {
    std::vector<pq::KeyValue> kvs;
    for (const auto& [k, v] : metadata_) {
      pq::KeyValue kv;
      kv.__set_key(k);
      kv.__set_value(v);
      kvs.push_back(kv);
    }
    fmd.__set_key_value_metadata(kvs);
  }
  fmd.__set_created_by(kCreatedBy);
  fmd.__set_column_orders(orders);
  auto footer = SerializeThrift(fmd);
  if (!footer.ok()) return error_ = footer.status();
  std::string tail = *footer;
  PutLE32(&tail, static_cast<uint32_t>(footer->size()));
  tail.append(kMagic, 4);
  RETURN_IF_ERROR(WriteRaw(tail));
  if (Status st = file_->Sync(false); !st.ok()) return error_ = st.WithContext("parquet");
  Status closed = file_->Close();
  file_.reset();
  if (!closed.ok()) return error_ = closed.WithContext("parquet");
  finished_ = true;
  return Status::OK();
}

void ParquetWriter::Abandon() {
  file_.reset();
  fs::Current()->Remove(path_).IgnoreError();
  if (error_.ok()) error_ = InvalidArgument("parquet {}: writer abandoned", path_);
}

}  // namespace laminar::lake
