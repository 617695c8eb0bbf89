// Test helpers shared by the aggregate, DISTINCT and set-operation tests: a source pushing fixed
// rows, and running an operator into sorted row texts.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "execution/operator.h"

namespace laminar::execution::test_util {

// A source pushing fixed rows in chunks of `chunk_rows`, each chunk built afresh for its Push and
// destroyed after it (so an operator that keeps a view into a pushed chunk reads freed memory
// under ASan).
class TestSource : public PhysicalOperator {
 public:
  TestSource(std::vector<Type> types, std::vector<std::vector<Value>> rows, size_t chunk_rows = 3)
      : rows_(std::move(rows)), chunk_rows_(chunk_rows) {
    types_ = std::move(types);
  }
  Status Produce(ExecContext& ctx, Sink& out) override {
    for (size_t i = 0; i < rows_.size(); i += chunk_rows_) {
      RETURN_IF_ERROR(ctx.Check());
      Chunk chunk(types_);
      for (size_t r = i; r < std::min(rows_.size(), i + chunk_rows_); r++) chunk.AppendValues(rows_[r]);
      bool stop = false;
      pushes++;
      RETURN_IF_ERROR(out.Push(chunk, &stop));
      if (stop) break;
    }
    return Status::OK();
  }
  std::string Describe() const override { return "TestSource"; }
  int pushes = 0;

 private:
  std::vector<std::vector<Value>> rows_;
  size_t chunk_rows_;
};

inline std::string RowText(const std::vector<Value>& row) {
  std::string s;
  for (size_t i = 0; i < row.size(); i++) s += (i ? "|" : "") + (row[i].is_null() ? std::string("NULL") : row[i].ToString());
  return s;
}

// Runs `op`; the rows as text, sorted (group order is unspecified).
inline Result<std::vector<std::string>> Execute(PhysicalOperator& op, ExecLimits limits = {}) {
  ExecContext ctx(limits);
  CollectSink sink(op.types());
  RETURN_IF_ERROR(op.Produce(ctx, sink));
  std::vector<std::string> rows;
  for (size_t r = 0; r < sink.chunk().rows; r++) rows.push_back(RowText(sink.chunk().GetRow(r)));
  std::sort(rows.begin(), rows.end());
  EXPECT_EQ(ctx.memory_used(), 0u) << "memory not released";
  return rows;
}

inline std::vector<std::string> Sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  return v;
}

}  // namespace laminar::execution::test_util
