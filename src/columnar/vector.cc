#include "columnar/vector.h"

#include <algorithm>
#include <cstring>

namespace laminar::columnar {

namespace {
// Blocks grow from kFirstBlock to kMaxBlock by doubling, so a vector holding a few short strings
// does not allocate (nor account for) a 64 KiB block; a string of kMaxBlock / 4 bytes or more gets
// a block of its own, and the current block keeps filling.
constexpr size_t kFirstBlock = 256;
constexpr size_t kMaxBlock = 64 * 1024;
}  // namespace

std::string_view StringHeap::Add(std::string_view s) {
  if (s.empty()) return std::string_view();
  if (used_ + s.size() > capacity_) {
    if (s.size() >= kMaxBlock / 4 && !blocks_.empty()) {
      auto own = std::make_unique<char[]>(s.size());
      std::memcpy(own.get(), s.data(), s.size());
      std::string_view v(own.get(), s.size());
      blocks_.insert(blocks_.end() - 1, std::move(own));  // the current block stays last
      bytes_ += s.size();
      return v;
    }
    size_t cap = capacity_ == 0 ? kFirstBlock : std::min(capacity_ * 2, kMaxBlock);
    while (cap < s.size()) cap *= 2;
    blocks_.push_back(std::make_unique<char[]>(cap));
    used_ = 0;
    capacity_ = cap;
    bytes_ += cap;
  }
  char* dst = blocks_.back().get() + used_;
  std::memcpy(dst, s.data(), s.size());
  used_ += s.size();
  return std::string_view(dst, s.size());
}

StringHeap& Vector::heap() {
  if (!heap_) heap_ = std::make_shared<StringHeap>();
  return *heap_;
}

void Vector::ShareHeap(const Vector& other) {
  auto keep = [&](const std::shared_ptr<StringHeap>& h) {
    if (!h || h == heap_) return;
    for (const auto& s : shared_)
      if (s == h) return;
    shared_.push_back(h);
  };
  keep(other.heap_);
  for (const auto& h : other.shared_) keep(h);
}

Value Vector::Get(size_t i) const {
  if (!valid_[i]) return Value::Null();
  switch (type_) {
    case Type::kBool: return Value::Bool(i64_[i] != 0);
    case Type::kInt64: return Value::Int(i64_[i]);
    case Type::kTimestamp: return Value::Timestamp(i64_[i]);
    case Type::kDate: return Value::Date(i64_[i]);
    case Type::kDouble: return Value::Double(f64_[i]);
    case Type::kText: return Value::Text(std::string(str_[i]));
  }
  return Value::Null();
}

void Vector::Reserve(size_t rows) {
  valid_.reserve(rows);
  switch (type_) {
    case Type::kDouble: f64_.reserve(rows); break;
    case Type::kText: str_.reserve(rows); break;
    default: i64_.reserve(rows); break;
  }
}

void Vector::Resize(size_t rows) {
  valid_.resize(rows, 0);
  switch (type_) {
    case Type::kDouble: f64_.resize(rows, 0.0); break;
    case Type::kText: str_.resize(rows); break;
    default: i64_.resize(rows, 0); break;
  }
}

void Vector::Clear() {
  heap_.reset();
  shared_.clear();
  valid_.clear();
  i64_.clear();
  f64_.clear();
  str_.clear();
}

void Vector::AppendNull() {
  valid_.push_back(0);
  switch (type_) {
    case Type::kDouble: f64_.push_back(0.0); break;
    case Type::kText: str_.emplace_back(); break;
    default: i64_.push_back(0); break;
  }
}

void Vector::AppendInt(int64_t v) {
  valid_.push_back(1);
  i64_.push_back(v);
}

void Vector::AppendDouble(double v) {
  valid_.push_back(1);
  f64_.push_back(v);
}

void Vector::AppendText(std::string_view s) {
  valid_.push_back(1);
  str_.push_back(heap().Add(s));
}

void Vector::AppendTextRef(std::string_view s) {
  valid_.push_back(1);
  str_.push_back(s);
}

void Vector::Append(const Value& v) {
  if (v.is_null()) return AppendNull();
  switch (type_) {
    case Type::kDouble: return AppendDouble(v.numeric());
    case Type::kText: return AppendText(v.as_text());
    default: return AppendInt(v.as_int());
  }
}

void Vector::Set(size_t i, const Value& v) {
  if (v.is_null()) {
    valid_[i] = 0;
    return;
  }
  switch (type_) {
    case Type::kDouble: return SetDouble(i, v.numeric());
    case Type::kText: return SetText(i, v.as_text());
    default: return SetInt(i, v.as_int());
  }
}

void Vector::AppendFrom(const Vector& src, size_t row) {
  if (!src.valid_[row]) return AppendNull();
  switch (type_) {
    case Type::kDouble:
      return AppendDouble(src.type_ == Type::kDouble ? src.f64_[row] : double(src.i64_[row]));
    case Type::kText: return AppendText(src.str_[row]);
    default: return AppendInt(src.i64_[row]);
  }
}

size_t Vector::ApproxBytes() const {
  return valid_.capacity() + i64_.capacity() * 8 + f64_.capacity() * 8 + str_.capacity() * 16 +
         (heap_ ? heap_->bytes() : 0);
}

Chunk::Chunk(const std::vector<Type>& types) {
  columns.reserve(types.size());
  for (Type t : types) columns.emplace_back(t);
}

std::vector<Type> Chunk::types() const {
  std::vector<Type> out;
  out.reserve(columns.size());
  for (const auto& c : columns) out.push_back(c.type());
  return out;
}

void Chunk::Clear() {
  for (auto& c : columns) c.Clear();
  rows = 0;
}

void Chunk::AppendRow(const Chunk& src, size_t row) {
  for (size_t c = 0; c < columns.size(); c++) columns[c].AppendFrom(src.columns[c], row);
  rows++;
}

void Chunk::AppendValues(const std::vector<Value>& row) {
  for (size_t c = 0; c < columns.size(); c++) columns[c].Append(row[c]);
  rows++;
}

Chunk Chunk::Select(const Chunk& src, const std::vector<uint32_t>& sel) {
  Chunk out;
  out.columns.reserve(src.columns.size());
  for (const Vector& in : src.columns) {
    Vector v(in.type());
    v.ShareHeap(in);
    auto& valid = v.mutable_validity();
    valid.resize(sel.size());
    for (size_t i = 0; i < sel.size(); i++) valid[i] = in.validity()[sel[i]];
    switch (in.type()) {
      case Type::kDouble: {
        auto& d = v.mutable_doubles();
        d.resize(sel.size());
        for (size_t i = 0; i < sel.size(); i++) d[i] = in.doubles()[sel[i]];
        break;
      }
      case Type::kText: {
        auto& s = v.mutable_strings();
        s.resize(sel.size());
        for (size_t i = 0; i < sel.size(); i++) s[i] = in.strings()[sel[i]];
        break;
      }
      default: {
        auto& d = v.mutable_ints();
        d.resize(sel.size());
        for (size_t i = 0; i < sel.size(); i++) d[i] = in.ints()[sel[i]];
        break;
      }
    }
    out.columns.push_back(std::move(v));
  }
  out.rows = sel.size();
  return out;
}

std::vector<Value> Chunk::GetRow(size_t row) const {
  std::vector<Value> out;
  out.reserve(columns.size());
  for (const auto& c : columns) out.push_back(c.Get(row));
  return out;
}

size_t Chunk::ApproxBytes() const {
  size_t b = 0;
  for (const auto& c : columns) b += c.ApproxBytes();
  return b;
}

}  // namespace laminar::columnar
