// TEST ONLY: a tiny Parquet encoder for building files the way other writers do (every encoding,
// data pages v1 and v2, every codec, INT96, decimals, unsigned ints, …), for the reader's tests
// (parquet_foreign_test.cc, parquet_damage_test.cc) and the fuzz seeds. Written from the format
// specification; it favours clarity over speed and checks nothing. Not part of the library's API.
#pragma once

#include <lz4.h>
#include <snappy.h>
#include <zlib.h>
#include <zstd.h>

#include <cstdint>
#include <cstring>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <thrift/protocol/TCompactProtocol.h>
#include <thrift/transport/TBufferTransports.h>

#include "parquet_types.h"

namespace laminar::lake::testenc {
namespace pq = ::laminar::parquet_format;

template <typename T>
std::string Thrift(const T& obj) {
  auto buffer = std::make_shared<apache::thrift::transport::TMemoryBuffer>();
  apache::thrift::protocol::TCompactProtocolT<apache::thrift::transport::TMemoryBuffer> proto(buffer);
  obj.write(&proto);
  return buffer->getBufferAsString();
}

inline void PutLE(std::string* out, uint64_t v, int bytes) {
  for (int i = 0; i < bytes; i++) out->push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}
inline void PutUleb(std::string* out, uint64_t v) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}
inline void PutZigzag(std::string* out, int64_t v) {
  PutUleb(out, (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63));
}

inline std::string PlainInt32(const std::vector<int32_t>& v) {
  std::string s;
  for (int32_t x : v) PutLE(&s, static_cast<uint32_t>(x), 4);
  return s;
}
inline std::string PlainInt64(const std::vector<int64_t>& v) {
  std::string s;
  for (int64_t x : v) PutLE(&s, static_cast<uint64_t>(x), 8);
  return s;
}
inline std::string PlainDouble(const std::vector<double>& v) {
  std::string s(v.size() * 8, '\0');
  if (!v.empty()) std::memcpy(s.data(), v.data(), s.size());
  return s;
}
inline std::string PlainFloat(const std::vector<float>& v) {
  std::string s(v.size() * 4, '\0');
  if (!v.empty()) std::memcpy(s.data(), v.data(), s.size());
  return s;
}
inline std::string PlainBool(const std::vector<bool>& v) {
  std::string s((v.size() + 7) / 8, '\0');
  for (size_t i = 0; i < v.size(); i++)
    if (v[i]) s[i / 8] = static_cast<char>(s[i / 8] | (1 << (i % 8)));
  return s;
}
inline std::string PlainByteArray(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) {
    PutLE(&s, x.size(), 4);
    s += x;
  }
  return s;
}
inline std::string PlainFixed(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += x;
  return s;
}

// Bit-packs values LSB first.
inline void BitPack(const std::vector<uint64_t>& v, int bw, std::string* out) {
  size_t start = out->size();
  out->resize(start + (v.size() * static_cast<size_t>(bw) + 7) / 8, '\0');
  uint64_t bit = 0;
  for (uint64_t x : v) {
    for (int b = 0; b < bw; b++, bit++)
      if ((x >> b) & 1) (*out)[start + bit / 8] = static_cast<char>((*out)[start + bit / 8] | (1 << (bit % 8)));
  }
}

// RLE/bit-packed hybrid without a length prefix: runs of 8 or more equal values as RLE runs, the
// rest as bit-packed groups of 8.
inline std::string Rle(const std::vector<uint32_t>& v, int bw) {
  std::string out;
  std::vector<uint64_t> lit;
  auto flush = [&] {
    if (lit.empty()) return;
    PutUleb(&out, (lit.size() / 8) << 1 | 1);
    BitPack(lit, bw, &out);
    lit.clear();
  };
  size_t i = 0;
  while (i < v.size()) {
    size_t r = 1;
    while (i + r < v.size() && v[i + r] == v[i]) r++;
    if (r >= 8) {
      flush();
      PutUleb(&out, r << 1);
      PutLE(&out, v[i], (bw + 7) / 8);
      i += r;
    } else {
      for (size_t k = 0; k < 8; k++) lit.push_back(i + k < v.size() ? v[i + k] : 0);
      i += 8;
    }
  }
  flush();
  return out;
}
inline std::string DefLevels(const std::vector<bool>& valid) {
  std::vector<uint32_t> v(valid.begin(), valid.end());
  return Rle(v, 1);
}
inline int BitWidth(uint64_t max) {
  int w = 0;
  while (max) {
    w++;
    max >>= 1;
  }
  return w;
}
// Dictionary indices: the bit width byte, then the hybrid runs.
inline std::string DictIndices(const std::vector<uint32_t>& idx, int bw = -1) {
  uint32_t max = 0;
  for (uint32_t x : idx) max = std::max(max, x);
  if (bw < 0) bw = BitWidth(max);
  std::string s(1, static_cast<char>(bw));
  return s + Rle(idx, bw);
}

inline std::string DeltaBinaryPacked(const std::vector<int64_t>& v, uint64_t block = 128,
                                     uint64_t mini = 4) {
  std::string out;
  PutUleb(&out, block);
  PutUleb(&out, mini);
  PutUleb(&out, v.size());
  PutZigzag(&out, v.empty() ? 0 : v[0]);
  const uint64_t per = block / mini;
  for (size_t i = 1; i < v.size(); i += block) {
    std::vector<int64_t> d;
    for (size_t k = i; k < v.size() && k < i + block; k++)
      d.push_back(static_cast<int64_t>(static_cast<uint64_t>(v[k]) - static_cast<uint64_t>(v[k - 1])));
    int64_t min = *std::min_element(d.begin(), d.end());
    PutZigzag(&out, min);
    std::string widths(mini, '\0'), body;
    for (uint64_t m = 0; m < mini; m++) {
      if (m * per >= d.size()) break;
      std::vector<uint64_t> vals;
      uint64_t max = 0;
      for (uint64_t k = m * per; k < (m + 1) * per; k++) {
        uint64_t x = k < d.size() ? static_cast<uint64_t>(d[k]) - static_cast<uint64_t>(min) : 0;
        vals.push_back(x);
        max = std::max(max, x);
      }
      int bw = BitWidth(max);
      widths[m] = static_cast<char>(bw);
      BitPack(vals, bw, &body);
    }
    out += widths + body;
  }
  return out;
}
inline std::string DeltaLengthByteArray(const std::vector<std::string>& v) {
  std::vector<int64_t> lens;
  std::string data;
  for (const auto& s : v) {
    lens.push_back(static_cast<int64_t>(s.size()));
    data += s;
  }
  return DeltaBinaryPacked(lens) + data;
}
inline std::string DeltaByteArray(const std::vector<std::string>& v) {
  std::vector<int64_t> prefixes;
  std::vector<std::string> suffixes;
  std::string prev;
  for (const auto& s : v) {
    size_t p = 0;
    while (p < s.size() && p < prev.size() && s[p] == prev[p]) p++;
    prefixes.push_back(static_cast<int64_t>(p));
    suffixes.push_back(s.substr(p));
    prev = s;
  }
  return DeltaBinaryPacked(prefixes) + DeltaLengthByteArray(suffixes);
}
inline std::string ByteStreamSplit(const std::string& plain, size_t width) {
  const size_t n = plain.size() / width;
  std::string out(plain.size(), '\0');
  for (size_t i = 0; i < n; i++)
    for (size_t b = 0; b < width; b++) out[b * n + i] = plain[i * width + b];
  return out;
}

inline std::string Compress(int codec, const std::string& raw) {
  switch (codec) {
    case pq::CompressionCodec::SNAPPY: {
      std::string out;
      snappy::Compress(raw.data(), raw.size(), &out);
      return out;
    }
    case pq::CompressionCodec::GZIP: {
      z_stream z;
      std::memset(&z, 0, sizeof z);
      deflateInit2(&z, 6, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY);
      std::string out(deflateBound(&z, raw.size()) + 32, '\0');
      z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(raw.data()));
      z.avail_in = static_cast<uInt>(raw.size());
      z.next_out = reinterpret_cast<Bytef*>(out.data());
      z.avail_out = static_cast<uInt>(out.size());
      deflate(&z, Z_FINISH);
      out.resize(z.total_out);
      deflateEnd(&z);
      return out;
    }
    case pq::CompressionCodec::ZSTD: {
      std::string out(ZSTD_compressBound(raw.size()), '\0');
      out.resize(ZSTD_compress(out.data(), out.size(), raw.data(), raw.size(), 1));
      return out;
    }
    case pq::CompressionCodec::LZ4_RAW:
    case pq::CompressionCodec::LZ4: {
      std::string block(static_cast<size_t>(LZ4_compressBound(static_cast<int>(raw.size()))), '\0');
      block.resize(static_cast<size_t>(LZ4_compress_default(raw.data(), block.data(),
                                                            static_cast<int>(raw.size()),
                                                            static_cast<int>(block.size()))));
      if (codec == pq::CompressionCodec::LZ4_RAW) return block;
      std::string out;  // Hadoop framing: big-endian raw and compressed sizes
      for (uint32_t x : {static_cast<uint32_t>(raw.size()), static_cast<uint32_t>(block.size())})
        for (int i = 3; i >= 0; i--) out.push_back(static_cast<char>((x >> (8 * i)) & 0xff));
      return out + block;
    }
    default:
      return raw;
  }
}

inline pq::SchemaElement Leaf(const std::string& name, pq::Type::type type, bool optional = true) {
  pq::SchemaElement e;
  e.__set_name(name);
  e.__set_type(type);
  e.__set_repetition_type(optional ? pq::FieldRepetitionType::OPTIONAL : pq::FieldRepetitionType::REQUIRED);
  return e;
}

// Builds a file page by page. Pages of a column chunk are kept in call order; chunks are laid out
// row group by row group, column by column.
class FileBuilder {
 public:
  explicit FileBuilder(int codec = pq::CompressionCodec::UNCOMPRESSED) : codec_(codec) {}

  int AddColumn(const pq::SchemaElement& e) {
    leaves_.push_back(e);
    return static_cast<int>(leaves_.size()) - 1;
  }
  void StartRowGroup(int64_t rows) {
    groups_.push_back({rows, std::vector<Chunk>(leaves_.size())});
  }
  void SetCodec(int codec) { codec_ = codec; }

  void DictPage(int col, const std::string& plain, int32_t count) {
    pq::PageHeader h;
    h.__set_type(pq::PageType::DICTIONARY_PAGE);
    pq::DictionaryPageHeader dh;
    dh.__set_num_values(count);
    dh.__set_encoding(pq::Encoding::PLAIN);
    h.__set_dictionary_page_header(dh);
    Chunk& c = chunk(col);
    c.has_dict = true;
    c.encodings.insert(pq::Encoding::PLAIN);
    AddPage(&c, h, plain, Compress(codec_, plain), "");
  }
  // `levels`: the definition levels (hybrid, no prefix) for an OPTIONAL column, else "".
  void DataPageV1(int col, int32_t num_values, pq::Encoding::type encoding, const std::string& levels,
                  const std::string& values) {
    pq::PageHeader h;
    h.__set_type(pq::PageType::DATA_PAGE);
    pq::DataPageHeader dh;
    dh.__set_num_values(num_values);
    dh.__set_encoding(encoding);
    dh.__set_definition_level_encoding(pq::Encoding::RLE);
    dh.__set_repetition_level_encoding(pq::Encoding::RLE);
    h.__set_data_page_header(dh);
    std::string body;
    if (IsOptional(col)) {
      PutLE(&body, levels.size(), 4);
      body += levels;
    }
    body += values;
    Chunk& c = chunk(col);
    c.num_values += num_values;
    c.encodings.insert(encoding);
    c.encodings.insert(pq::Encoding::RLE);
    AddPage(&c, h, body, Compress(codec_, body), "");
  }
  void DataPageV2(int col, int32_t num_values, int32_t num_nulls, pq::Encoding::type encoding,
                  const std::string& levels, const std::string& values, bool compressed = true) {
    pq::PageHeader h;
    h.__set_type(pq::PageType::DATA_PAGE_V2);
    pq::DataPageHeaderV2 dh;
    dh.__set_num_values(num_values);
    dh.__set_num_nulls(num_nulls);
    dh.__set_num_rows(num_values);
    dh.__set_encoding(encoding);
    dh.__set_definition_levels_byte_length(static_cast<int32_t>(levels.size()));
    dh.__set_repetition_levels_byte_length(0);
    dh.__set_is_compressed(compressed);
    h.__set_data_page_header_v2(dh);
    Chunk& c = chunk(col);
    c.num_values += num_values;
    c.encodings.insert(encoding);
    AddPage(&c, h, levels + values, compressed ? Compress(codec_, values) : values, levels);
  }
  // Appends raw bytes (a hand-made page) to a chunk.
  void RawPage(int col, const std::string& bytes, int32_t num_values) {
    Chunk& c = chunk(col);
    c.bytes += bytes;
    c.num_values += num_values;
  }

  // The file; `tweak` may change the footer before it is written.
  std::string Finish(const std::function<void(pq::FileMetaData&)>& tweak = {}) {
    std::string file = "PAR1";
    pq::FileMetaData m;
    m.__set_version(1);
    pq::SchemaElement root;
    root.__set_name("schema");
    root.__set_num_children(static_cast<int32_t>(leaves_.size()));
    m.schema.push_back(root);
    for (const auto& e : leaves_) m.schema.push_back(e);
    int64_t rows = 0;
    for (auto& [nrows, chunks] : groups_) {
      pq::RowGroup rg;
      rg.__set_num_rows(nrows);
      int64_t bytes = 0;
      for (size_t c = 0; c < chunks.size(); c++) {
        Chunk& ch = chunks[c];
        pq::ColumnChunk cc;
        cc.__set_file_offset(static_cast<int64_t>(file.size()));
        pq::ColumnMetaData md;
        md.__set_type(leaves_[c].type);
        for (int e : ch.encodings) md.encodings.push_back(static_cast<pq::Encoding::type>(e));
        md.__set_path_in_schema({leaves_[c].name});
        md.__set_codec(static_cast<pq::CompressionCodec::type>(codec_));
        md.__set_num_values(ch.num_values);
        md.__set_total_uncompressed_size(ch.uncompressed);
        md.__set_total_compressed_size(static_cast<int64_t>(ch.bytes.size()));
        const int64_t start = static_cast<int64_t>(file.size());
        if (ch.has_dict) {
          md.__set_dictionary_page_offset(start);
          md.__set_data_page_offset(start + ch.first_page_bytes);
        } else {
          md.__set_data_page_offset(start);
        }
        cc.__set_meta_data(md);
        rg.columns.push_back(cc);
        file += ch.bytes;
        bytes += ch.uncompressed;
      }
      rg.__set_total_byte_size(bytes);
      m.row_groups.push_back(rg);
      rows += nrows;
    }
    m.__set_num_rows(rows);
    m.__set_created_by("laminar test encoder");
    if (tweak) tweak(m);
    std::string footer = Thrift(m);
    file += footer;
    PutLE(&file, footer.size(), 4);
    return file + "PAR1";
  }

 private:
  struct Chunk {
    std::string bytes;
    int64_t num_values = 0;
    int64_t uncompressed = 0;
    int64_t first_page_bytes = 0;
    bool has_dict = false;
    std::set<int> encodings;
  };
  Chunk& chunk(int col) { return groups_.back().second[static_cast<size_t>(col)]; }
  bool IsOptional(int col) const {
    return leaves_[static_cast<size_t>(col)].repetition_type != pq::FieldRepetitionType::REQUIRED;
  }
  void AddPage(Chunk* c, pq::PageHeader h, const std::string& raw, const std::string& stored,
               const std::string& levels) {
    h.__set_uncompressed_page_size(static_cast<int32_t>(raw.size()));
    h.__set_compressed_page_size(static_cast<int32_t>(levels.size() + stored.size()));
    std::string page = Thrift(h) + levels + stored;
    if (c->bytes.empty()) c->first_page_bytes = static_cast<int64_t>(page.size());
    c->bytes += page;
    c->uncompressed += static_cast<int64_t>(raw.size());
  }

  int codec_;
  std::vector<pq::SchemaElement> leaves_;
  std::vector<std::pair<int64_t, std::vector<Chunk>>> groups_;
};

// Files that use every encoding, both page versions and every codec (for fuzz seeds and tests):
// columns i32 (DELTA_BINARY_PACKED), i64 (dictionary), d (BYTE_STREAM_SPLIT), s (DELTA_BYTE_ARRAY),
// l (DELTA_LENGTH_BYTE_ARRAY), b (RLE booleans), t (INT96), dec (FLBA decimal), u (UUID).
inline std::vector<std::pair<std::string, std::string>> SeedFiles() {
  std::vector<std::pair<std::string, std::string>> files;
  const int codecs[] = {pq::CompressionCodec::UNCOMPRESSED, pq::CompressionCodec::SNAPPY,
                        pq::CompressionCodec::GZIP,         pq::CompressionCodec::ZSTD,
                        pq::CompressionCodec::LZ4_RAW,      pq::CompressionCodec::LZ4};
  for (int codec : codecs) {
    for (int v2 = 0; v2 < 2; v2++) {
      FileBuilder f(codec);
      int i32 = f.AddColumn(Leaf("i32", pq::Type::INT32));
      int i64 = f.AddColumn(Leaf("i64", pq::Type::INT64, false));
      int d = f.AddColumn(Leaf("d", pq::Type::DOUBLE, false));
      int s = f.AddColumn(Leaf("s", pq::Type::BYTE_ARRAY));
      int l = f.AddColumn(Leaf("l", pq::Type::BYTE_ARRAY, false));
      int b = f.AddColumn(Leaf("b", pq::Type::BOOLEAN, false));
      int t = f.AddColumn(Leaf("t", pq::Type::INT96, false));
      pq::SchemaElement dec = Leaf("dec", pq::Type::FIXED_LEN_BYTE_ARRAY, false);
      dec.__set_type_length(5);
      pq::LogicalType dl;
      pq::DecimalType dt;
      dt.__set_precision(10);
      dt.__set_scale(2);
      dl.__set_DECIMAL(dt);
      dec.__set_logicalType(dl);
      int de = f.AddColumn(dec);
      pq::SchemaElement uuid = Leaf("u", pq::Type::FIXED_LEN_BYTE_ARRAY, false);
      uuid.__set_type_length(16);
      pq::LogicalType ul;
      ul.__set_UUID(pq::UUIDType());
      uuid.__set_logicalType(ul);
      int u = f.AddColumn(uuid);
      const int n = 20;
      f.StartRowGroup(n);
      std::vector<bool> valid;
      std::vector<int64_t> ints;
      std::vector<uint32_t> idx;
      std::vector<double> doubles;
      std::vector<std::string> strs, strs_nn, flba, uuids, int96;
      std::vector<bool> bools;
      for (int i = 0; i < n; i++) {
        valid.push_back(i % 3 != 0);
        if (i % 3 != 0) {
          ints.push_back(i * 1000 - 5);
          strs.push_back("prefix-" + std::to_string(i));
        }
        idx.push_back(static_cast<uint32_t>(i % 4));
        doubles.push_back(i * 0.5 - 3);
        strs_nn.push_back(std::string(static_cast<size_t>(i % 5), 'x'));
        bools.push_back(i % 2);
        std::string fl(5, '\0');
        fl[4] = static_cast<char>(i);
        flba.push_back(fl);
        uuids.push_back(std::string(16, static_cast<char>('a' + i)));
        std::string t96;
        PutLE(&t96, static_cast<uint64_t>(i) * 3600000000000ull, 8);
        PutLE(&t96, 2460000 + static_cast<uint64_t>(i), 4);
        int96.push_back(t96);
      }
      const std::string levels = DefLevels(valid);
      const int nulls = static_cast<int>(std::count(valid.begin(), valid.end(), false));
      auto page = [&](int col, pq::Encoding::type enc, const std::string& lv, int nn, const std::string& vals) {
        if (v2) f.DataPageV2(col, n, nn, enc, lv, vals, codec != pq::CompressionCodec::LZ4);
        else f.DataPageV1(col, n, enc, lv, vals);
      };
      page(i32, pq::Encoding::DELTA_BINARY_PACKED, levels, nulls, DeltaBinaryPacked(ints));
      f.DictPage(i64, PlainInt64({7, -7, INT64_MAX, INT64_MIN}), 4);
      page(i64, pq::Encoding::RLE_DICTIONARY, "", 0, DictIndices(idx));
      page(d, pq::Encoding::BYTE_STREAM_SPLIT, "", 0, ByteStreamSplit(PlainDouble(doubles), 8));
      page(s, pq::Encoding::DELTA_BYTE_ARRAY, levels, nulls, DeltaByteArray(strs));
      page(l, pq::Encoding::DELTA_LENGTH_BYTE_ARRAY, "", 0, DeltaLengthByteArray(strs_nn));
      std::vector<uint32_t> bits(bools.begin(), bools.end());
      std::string rle = Rle(bits, 1), rle_body;
      PutLE(&rle_body, rle.size(), 4);
      page(b, v2 ? pq::Encoding::RLE : pq::Encoding::PLAIN, "", 0, v2 ? rle_body + rle : PlainBool(bools));
      page(t, pq::Encoding::PLAIN, "", 0, PlainFixed(int96));
      page(de, pq::Encoding::PLAIN, "", 0, PlainFixed(flba));
      page(u, pq::Encoding::PLAIN, "", 0, PlainFixed(uuids));
      files.push_back({"encoder_codec" + std::to_string(codec) + (v2 ? "_v2" : "_v1") + ".parquet",
                       f.Finish()});
    }
  }
  return files;
}

}  // namespace laminar::lake::testenc
