// Column vectors and chunks: the unit of data the query executor passes between operators.
//
// A Vector is one column of one Type: a validity byte per row (1 = not null) and one value array
// chosen by the type — `i64` for boolean (0/1), bigint and timestamptz (micros UTC), `f64` for
// double precision, `str` for text. A null row still has a slot (0, 0.0 or an empty view).
//
// Text is held by reference: `str[i]` is a string_view into bytes owned either by the vector's own
// StringHeap (AppendText copies into it) or by something outside the vector that outlives it —
// the RowBatch a scan is reading (AppendTextRef / FromColumn), a literal of a bound expression.
// Copying a Vector shares its heap (shared_ptr), so views into it stay valid.
//
// A Chunk is a batch of rows as columns of equal length (kChunkRows rows at most by convention,
// not enforced). An operator that receives a chunk may read it only during the call that hands it
// over (Sink::Push in execution/): the text it references may belong to a scan's batch. An
// operator that keeps rows (aggregate, join build, sort, window) copies them with AppendFrom /
// AppendRow, which copy text bytes into the destination's own heap.
//
// Thread safety: values; not synchronised. A StringHeap is not thread-safe for appends.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/types.h"

namespace laminar::columnar {

// The executor's batch size: large enough to amortise per-batch work, small enough to stay in
// cache.
inline constexpr size_t kChunkRows = 2048;

// Append-only storage for text bytes; a view returned by Add stays valid as long as the heap
// lives (blocks are never moved).
class StringHeap {
 public:
  std::string_view Add(std::string_view s);
  // Bytes allocated (blocks grow from 256 bytes to 64 KiB), for memory accounting.
  size_t bytes() const { return bytes_; }

 private:
  std::vector<std::unique_ptr<char[]>> blocks_;
  size_t used_ = 0, capacity_ = 0, bytes_ = 0;
};

class Vector {
 public:
  explicit Vector(Type type = Type::kText) : type_(type) {}

  Type type() const { return type_; }
  size_t size() const { return valid_.size(); }
  bool is_null(size_t i) const { return valid_[i] == 0; }
  bool valid(size_t i) const { return valid_[i] != 0; }
  int64_t i64(size_t i) const { return i64_[i]; }
  double f64(size_t i) const { return f64_[i]; }
  std::string_view str(size_t i) const { return str_[i]; }
  bool boolean(size_t i) const { return i64_[i] != 0; }

  // Raw arrays, for kernels. Only the array of the vector's type is sized; the others are empty.
  const uint8_t* validity() const { return valid_.data(); }
  const int64_t* ints() const { return i64_.data(); }
  const double* doubles() const { return f64_.data(); }
  const std::string_view* strings() const { return str_.data(); }
  std::vector<uint8_t>& mutable_validity() { return valid_; }
  std::vector<int64_t>& mutable_ints() { return i64_; }
  std::vector<double>& mutable_doubles() { return f64_; }
  std::vector<std::string_view>& mutable_strings() { return str_; }
  // The heap owning this vector's copied text (created on first use).
  StringHeap& heap();
  // Keeps `other`'s heaps alive as long as this vector (a kernel that forwards views into another
  // vector's text, or Chunk::Select, does this).
  void ShareHeap(const Vector& other);

  // The value at row i (a copy), as a Value of the vector's type.
  Value Get(size_t i) const;

  void Reserve(size_t rows);
  // Sets the size to `rows`: new rows are NULL. For kernels that fill by index.
  void Resize(size_t rows);
  void Clear();

  void AppendNull();
  void AppendBool(bool b) { AppendInt(b ? 1 : 0); }
  void AppendInt(int64_t v);     // boolean, bigint, timestamptz
  void AppendDouble(double v);
  void AppendText(std::string_view s);     // copies the bytes into this vector's heap
  void AppendTextRef(std::string_view s);  // no copy: the caller guarantees the bytes outlive it
  // Appends `v`. REQUIRES: v is NULL or of this vector's type (bigint into double is converted).
  void Append(const Value& v);
  // Appends row `row` of `src` (same type), copying text bytes into this vector's heap.
  void AppendFrom(const Vector& src, size_t row);

  // Setters by index, for kernels that Resize first.
  void SetNull(size_t i) { valid_[i] = 0; }
  void SetInt(size_t i, int64_t v) { valid_[i] = 1; i64_[i] = v; }
  void SetDouble(size_t i, double v) { valid_[i] = 1; f64_[i] = v; }
  void SetTextRef(size_t i, std::string_view s) { valid_[i] = 1; str_[i] = s; }
  void SetText(size_t i, std::string_view s) { valid_[i] = 1; str_[i] = heap().Add(s); }
  void Set(size_t i, const Value& v);

  // Bytes held (arrays and owned text), for memory accounting.
  size_t ApproxBytes() const;

 private:
  Type type_;
  std::vector<uint8_t> valid_;
  std::vector<int64_t> i64_;
  std::vector<double> f64_;
  std::vector<std::string_view> str_;
  std::shared_ptr<StringHeap> heap_;                // own text
  std::vector<std::shared_ptr<StringHeap>> shared_;  // other vectors' heaps this one points into
};

// Rows as columns. `columns[c].size() == rows` for every column.
struct Chunk {
  std::vector<Vector> columns;
  size_t rows = 0;

  Chunk() = default;
  explicit Chunk(const std::vector<Type>& types);
  size_t num_columns() const { return columns.size(); }
  std::vector<Type> types() const;
  // Empties every column, keeping the types.
  void Clear();
  // Appends row `row` of `src` (same column types), copying text.
  void AppendRow(const Chunk& src, size_t row);
  // Appends a row of Values (one per column).
  void AppendValues(const std::vector<Value>& row);
  // The rows of `src` listed in `sel` (ascending or not), text by reference: the result is valid
  // as long as `src`'s text is (a filter's output during the same Push).
  static Chunk Select(const Chunk& src, const std::vector<uint32_t>& sel);
  std::vector<Value> GetRow(size_t row) const;
  size_t ApproxBytes() const;
};

}  // namespace laminar::columnar
