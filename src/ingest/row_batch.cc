#include "ingest/row_batch.h"

#include "ingest/event_record.h"

#include <bit>
#include <cassert>
#include <cstring>

namespace laminar::ingest {
namespace {

constexpr uint8_t kEncodingVersion = 1;

bool IsIntType(Type t) {
  return t == Type::kBool || t == Type::kInt64 || t == Type::kTimestamp || t == Type::kDate;
}

bool IsKnownType(uint8_t t) { return t <= static_cast<uint8_t>(Type::kTimestamp); }

// Little-endian fixed-width integers, whatever the host order.
template <typename T>
void PutFixed(std::string* out, T v) {
  static_assert(std::is_integral_v<T>);
  char buf[sizeof(T)];
  for (size_t i = 0; i < sizeof(T); i++) buf[i] = static_cast<char>((static_cast<uint64_t>(v) >> (8 * i)) & 0xff);
  out->append(buf, sizeof(T));
}

template <typename T>
T GetFixed(const char* p) {
  uint64_t v = 0;
  for (size_t i = 0; i < sizeof(T); i++) v |= static_cast<uint64_t>(static_cast<uint8_t>(p[i])) << (8 * i);
  return static_cast<T>(v);
}

// Appends n little-endian values; a memcpy on little-endian hosts.
template <typename T>
void PutArray(std::string* out, const T* v, size_t n) {
  if constexpr (std::endian::native == std::endian::little) {
    out->append(reinterpret_cast<const char*>(v), n * sizeof(T));
  } else {
    for (size_t i = 0; i < n; i++) {
      if constexpr (std::is_same_v<T, double>) {
        PutFixed<uint64_t>(out, std::bit_cast<uint64_t>(v[i]));
      } else {
        PutFixed<T>(out, v[i]);
      }
    }
  }
}

template <typename T>
void GetArray(const char* p, size_t n, std::vector<T>* out) {
  out->resize(n);
  if constexpr (std::endian::native == std::endian::little) {
    if (n) std::memcpy(out->data(), p, n * sizeof(T));
  } else {
    for (size_t i = 0; i < n; i++) {
      if constexpr (std::is_same_v<T, double>) {
        (*out)[i] = std::bit_cast<double>(GetFixed<uint64_t>(p + i * 8));
      } else {
        (*out)[i] = GetFixed<T>(p + i * sizeof(T));
      }
    }
  }
}

// A bounds-checked cursor over the encoded bytes.
class Reader {
 public:
  explicit Reader(std::string_view data) : data_(data) {}
  size_t remaining() const { return data_.size() - pos_; }
  // Returns a pointer to the next n bytes and advances, or nullptr when fewer remain.
  const char* Take(size_t n) {
    if (n > remaining()) return nullptr;
    const char* p = data_.data() + pos_;
    pos_ += n;
    return p;
  }

 private:
  std::string_view data_;
  size_t pos_ = 0;
};

}  // namespace

Value Column::Get(size_t row) const {
  if (is_null(row)) return Value::Null();
  switch (type) {
    case Type::kBool: return Value::Bool(ints[row] != 0);
    case Type::kInt64: return Value::Int(ints[row]);
    case Type::kTimestamp: return Value::Timestamp(ints[row]);
    case Type::kDate: return Value::Date(ints[row]);
    case Type::kDouble: return Value::Double(doubles[row]);
    case Type::kText: return Value::Text(std::string(text(row)));
  }
  return Value::Null();
}

void Column::AppendNull() {
  valid.push_back(0);
  if (IsIntType(type)) {
    ints.push_back(0);
  } else if (type == Type::kDouble) {
    doubles.push_back(0.0);
  } else {
    text_offsets.push_back(static_cast<uint32_t>(text_data.size()));
  }
}

void Column::AppendInt(int64_t v) {
  valid.push_back(1);
  ints.push_back(v);
}

void Column::AppendDouble(double v) {
  valid.push_back(1);
  doubles.push_back(v);
}

void Column::AppendText(std::string_view v) {
  valid.push_back(1);
  text_data.append(v);
  text_offsets.push_back(static_cast<uint32_t>(text_data.size()));
}

void Column::Append(const Value& v) {
  if (v.is_null()) return AppendNull();
  switch (type) {
    case Type::kBool:
    case Type::kInt64:
    case Type::kTimestamp:
    case Type::kDate: return AppendInt(v.as_int());
    case Type::kDouble: return AppendDouble(v.numeric());
    case Type::kText: return AppendText(v.as_text());
  }
}

void Column::Reserve(size_t rows) {
  valid.reserve(rows);
  if (IsIntType(type)) {
    ints.reserve(rows);
  } else if (type == Type::kDouble) {
    doubles.reserve(rows);
  } else {
    text_offsets.reserve(rows + 1);
  }
}

RowBatch::RowBatch(const StreamSchema& schema) {
  columns_.resize(schema.columns.size());
  for (size_t i = 0; i < columns_.size(); i++) columns_[i].type = schema.columns[i].type;
}

void RowBatch::RollbackRow() {
  const size_t n = num_rows_;
  for (Column& c : columns_) {
    if (c.valid.size() > n) c.valid.resize(n);
    if (c.ints.size() > n) c.ints.resize(n);
    if (c.doubles.size() > n) c.doubles.resize(n);
    if (c.text_offsets.size() > n + 1) {
      c.text_offsets.resize(n + 1);
      c.text_data.resize(c.text_offsets[n]);
    }
  }
}

void RowBatch::AppendRow(const std::vector<Value>& row) {
  assert(row.size() == columns_.size());
  for (size_t i = 0; i < columns_.size(); i++) columns_[i].Append(row[i]);
  FinishRow();
}

std::vector<Value> RowBatch::GetRow(size_t row) const {
  std::vector<Value> out;
  out.reserve(columns_.size());
  for (const Column& c : columns_) out.push_back(c.Get(row));
  return out;
}

void RowBatch::TakeShapeOf(const RowBatch& other) {
  if (columns_.empty() && num_rows_ == 0) {
    // A default-constructed batch takes the other's shape.
    columns_.resize(other.columns_.size());
    for (size_t i = 0; i < columns_.size(); i++) columns_[i].type = other.columns_[i].type;
  }
  assert(other.columns_.size() == columns_.size());
}

void RowBatch::AppendBatch(const RowBatch& other) {
  TakeShapeOf(other);
  for (size_t i = 0; i < columns_.size(); i++) {
    Column& dst = columns_[i];
    const Column& src = other.columns_[i];
    assert(dst.type == src.type);
    dst.valid.insert(dst.valid.end(), src.valid.begin(), src.valid.end());
    dst.ints.insert(dst.ints.end(), src.ints.begin(), src.ints.end());
    dst.doubles.insert(dst.doubles.end(), src.doubles.begin(), src.doubles.end());
    if (dst.type == Type::kText) {
      const uint32_t base = static_cast<uint32_t>(dst.text_data.size());
      dst.text_data.append(src.text_data);
      dst.text_offsets.reserve(dst.text_offsets.size() + other.num_rows_);
      for (size_t r = 1; r < src.text_offsets.size(); r++) dst.text_offsets.push_back(base + src.text_offsets[r]);
    }
  }
  num_rows_ += other.num_rows_;
}

void RowBatch::AppendRows(const RowBatch& other, const std::vector<uint32_t>& rows) {
  TakeShapeOf(other);
  for (size_t i = 0; i < columns_.size(); i++) {
    Column& dst = columns_[i];
    const Column& src = other.columns_[i];
    assert(dst.type == src.type);
    dst.valid.reserve(dst.valid.size() + rows.size());
    for (uint32_t r : rows) dst.valid.push_back(src.valid[r]);
    if (IsIntType(dst.type)) {
      dst.ints.reserve(dst.ints.size() + rows.size());
      for (uint32_t r : rows) dst.ints.push_back(src.ints[r]);
    } else if (dst.type == Type::kDouble) {
      dst.doubles.reserve(dst.doubles.size() + rows.size());
      for (uint32_t r : rows) dst.doubles.push_back(src.doubles[r]);
    } else {
      dst.text_offsets.reserve(dst.text_offsets.size() + rows.size());
      for (uint32_t r : rows) {
        dst.text_data.append(src.text(r));
        dst.text_offsets.push_back(static_cast<uint32_t>(dst.text_data.size()));
      }
    }
  }
  num_rows_ += rows.size();
}

size_t RowBatch::EncodedBytes() const {
  const size_t rows = num_rows_;
  size_t size = 1 + 4 + 4;
  for (const Column& c : columns_) {
    size += 1 + rows;
    if (c.type == Type::kText) {
      size += (rows + 1) * 4 + c.text_data.size();
    } else {
      size += rows * 8;
    }
  }
  return size;
}

std::string RowBatch::Encode() const {
  const size_t rows = num_rows_;
  std::string out;
  out.reserve(EncodedBytes());
  out.push_back(static_cast<char>(kEncodingVersion));
  PutFixed<uint32_t>(&out, static_cast<uint32_t>(columns_.size()));
  PutFixed<uint32_t>(&out, static_cast<uint32_t>(rows));
  for (const Column& c : columns_) {
    out.push_back(static_cast<char>(c.type));
    out.append(reinterpret_cast<const char*>(c.valid.data()), rows);
    if (IsIntType(c.type)) {
      PutArray(&out, c.ints.data(), rows);
    } else if (c.type == Type::kDouble) {
      PutArray(&out, c.doubles.data(), rows);
    } else {
      PutArray(&out, c.text_offsets.data(), rows + 1);
      out.append(c.text_data.data(), c.text_offsets[rows]);
    }
  }
  return out;
}

Result<RowBatch> RowBatch::Decode(std::string_view data, const StreamSchema& schema) {
  if (!data.empty() && static_cast<uint8_t>(data[0]) == kRecordWithOrigin) {  // event_record.h
    ASSIGN_OR_RETURN(std::string_view origin, RecordOrigin(data));
    data.remove_prefix(5 + origin.size());
  }
  Reader in(data);
  const char* header = in.Take(9);
  if (!header) return Corruption("row batch: {} bytes, too short for a header", data.size());
  const uint8_t version = static_cast<uint8_t>(header[0]);
  if (version != kEncodingVersion) return Corruption("row batch: unknown version {}", version);
  const uint32_t ncols = GetFixed<uint32_t>(header + 1);
  const uint32_t rows = GetFixed<uint32_t>(header + 5);
  if (ncols != schema.columns.size()) {
    return Corruption("row batch: {} columns, stream {} has {}", ncols, schema.name, schema.columns.size());
  }
  // Every column needs at least one validity byte per row: reject absurd row counts before
  // allocating anything.
  if (ncols > 0 && rows > in.remaining() / ncols) {
    return Corruption("row batch: {} rows cannot fit in {} bytes", rows, data.size());
  }
  RowBatch batch(schema);
  for (uint32_t ci = 0; ci < ncols; ci++) {
    Column& c = batch.columns_[ci];
    const std::string& name = schema.columns[ci].name;
    const char* tp = in.Take(1);
    if (!tp) return Corruption("row batch: truncated at column {}", name);
    const uint8_t t = static_cast<uint8_t>(*tp);
    if (!IsKnownType(t) || static_cast<Type>(t) != c.type) {
      return Corruption("row batch: column {} has type code {}, schema says {}", name, t, TypeName(c.type));
    }
    const char* vp = in.Take(rows);
    if (!vp) return Corruption("row batch: truncated validity of column {}", name);
    c.valid.assign(reinterpret_cast<const uint8_t*>(vp), reinterpret_cast<const uint8_t*>(vp) + rows);
    for (uint8_t v : c.valid) {
      if (v > 1) return Corruption("row batch: bad validity byte {} in column {}", v, name);
    }
    if (IsIntType(c.type)) {
      if (rows > in.remaining() / 8) return Corruption("row batch: truncated values of column {}", name);
      GetArray(in.Take(size_t{rows} * 8), rows, &c.ints);
      if (c.type == Type::kBool) {
        for (int64_t v : c.ints) {
          if (v != 0 && v != 1) return Corruption("row batch: boolean column {} holds {}", name, v);
        }
      }
    } else if (c.type == Type::kDouble) {
      if (rows > in.remaining() / 8) return Corruption("row batch: truncated values of column {}", name);
      GetArray(in.Take(size_t{rows} * 8), rows, &c.doubles);
    } else {
      const size_t noff = size_t{rows} + 1;
      if (noff > in.remaining() / 4) return Corruption("row batch: truncated offsets of column {}", name);
      GetArray(in.Take(noff * 4), noff, &c.text_offsets);
      if (c.text_offsets[0] != 0) return Corruption("row batch: first text offset of column {} is not 0", name);
      for (size_t r = 0; r < rows; r++) {
        if (c.text_offsets[r + 1] < c.text_offsets[r]) {
          return Corruption("row batch: text offsets of column {} decrease at row {}", name, r);
        }
      }
      const size_t len = c.text_offsets[rows];
      const char* tp2 = in.Take(len);
      if (!tp2) return Corruption("row batch: truncated text of column {}", name);
      c.text_data.assign(tp2, len);
    }
  }
  if (in.remaining() != 0) return Corruption("row batch: {} trailing bytes", in.remaining());
  batch.num_rows_ = rows;
  return batch;
}

}  // namespace laminar::ingest
