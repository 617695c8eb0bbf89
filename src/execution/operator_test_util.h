// Test helpers for the operator tests (join_test.cc, sort_test.cc, limit_test.cc): a source
// operator pushing given rows, and row rendering for comparing outputs. Tests only.
#pragma once

#include <fmt/format.h>

#include <memory>
#include <string>
#include <vector>

#include "columnar/vector.h"
#include "execution/operator.h"

namespace laminar::execution::testing {

using Row = std::vector<Value>;

// Pushes `rows` in chunks of the given sizes (the last size repeats and must not be 0; an
// earlier 0 pushes an empty chunk). Each pushed chunk's text points into strings that are overwritten and freed as
// soon as Push returns — like a scan's batch — so an operator that keeps a reference instead of
// copying is caught by the sanitizer or by a wrong result. Counts chunks pulled; stops when the
// consumer sets *stop; optionally fails after `fail_after` chunks.
class RowSource : public PhysicalOperator {
 public:
  RowSource(std::vector<Type> types, std::vector<Row> rows, std::vector<size_t> sizes = {2048})
      : rows_(std::move(rows)), sizes_(std::move(sizes)) {
    types_ = std::move(types);
  }

  Status Produce(ExecContext& ctx, Sink& out) override {
    size_t next = 0, k = 0;
    bool first = true;
    while (next < rows_.size() || first) {
      first = false;
      RETURN_IF_ERROR(ctx.Check());
      if (fail_after_ >= 0 && pulled_ >= fail_after_) return Internal("source failed");
      size_t size = sizes_[std::min(k++, sizes_.size() - 1)];
      size_t end = std::min(rows_.size(), next + size);
      std::vector<std::unique_ptr<std::string>> text;
      Chunk chunk(types_);
      for (size_t r = next; r < end; r++) {
        for (size_t c = 0; c < types_.size(); c++) {
          const Value& v = rows_[r][c];
          if (types_[c] == Type::kText && !v.is_null()) {
            text.push_back(std::make_unique<std::string>(v.as_text()));
            chunk.columns[c].AppendTextRef(*text.back());
          } else {
            chunk.columns[c].Append(v);
          }
        }
        chunk.rows++;
      }
      next = end;
      pulled_++;
      bool stop = false;
      Status st = out.Push(chunk, &stop);
      for (auto& s : text) s->assign(s->size(), '#');  // a reference kept now reads garbage
      RETURN_IF_ERROR(st);
      if (stop) break;
    }
    return Status::OK();
  }
  std::string Describe() const override { return "RowSource"; }

  int pulled() const { return pulled_; }
  void set_fail_after(int chunks) { fail_after_ = chunks; }

 private:
  std::vector<Row> rows_;
  std::vector<size_t> sizes_;
  int pulled_ = 0;
  int fail_after_ = -1;
};

inline std::string ValueString(const Value& v) {
  if (v.is_null()) return "NULL";
  switch (v.type()) {
    case Type::kDouble: return fmt::format("{}", v.as_double());
    case Type::kText: return "'" + v.as_text() + "'";
    case Type::kBool: return v.as_bool() ? "t" : "f";
    default: return fmt::format("{}", v.as_int());
  }
}

inline std::string RowString(const Row& row) {
  std::string s;
  for (size_t i = 0; i < row.size(); i++) s += (i ? "|" : "") + ValueString(row[i]);
  return s;
}

// Every row of `c`, rendered.
inline std::vector<std::string> RowStrings(const Chunk& c) {
  std::vector<std::string> out;
  for (size_t r = 0; r < c.rows; r++) out.push_back(RowString(c.GetRow(r)));
  return out;
}

// Collects rows (copying) and checks the chunk invariants: sizes, column count and types, at
// most kChunkRows rows.
class CheckingSink : public Sink {
 public:
  explicit CheckingSink(std::vector<Type> types) : types_(types), rows_(types) {}
  Status Push(Chunk& chunk, bool* stop) override {
    chunks_++;
    if (chunk.rows > columnar::kChunkRows) return Internal("chunk of {} rows", chunk.rows);
    if (chunk.types() != types_) return Internal("chunk types differ");
    for (const Vector& v : chunk.columns) {
      if (v.size() != chunk.rows) return Internal("column size {} != {}", v.size(), chunk.rows);
    }
    for (size_t r = 0; r < chunk.rows; r++) rows_.AppendRow(chunk, r);
    if (stop_after_ > 0 && chunks_ >= stop_after_) *stop = true;
    return Status::OK();
  }
  const Chunk& rows() const { return rows_; }
  int chunks() const { return chunks_; }
  void set_stop_after(int chunks) { stop_after_ = chunks; }

 private:
  std::vector<Type> types_;
  Chunk rows_;
  int chunks_ = 0;
  int stop_after_ = 0;
};

}  // namespace laminar::execution::testing
