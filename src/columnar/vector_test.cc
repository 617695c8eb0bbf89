// Tests of columnar Vector, Chunk and StringHeap: appends of every type, text copied vs
// referenced, heap lifetimes through copies and Chunk::Select, Resize/Set for kernels, Get/GetRow.
#include "columnar/vector.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

namespace laminar::columnar {
namespace {

TEST(StringHeapTest, AddCopiesAndViewsStayValid) {
  StringHeap heap;
  std::string src = "hello";
  std::string_view v = heap.Add(src);
  src[0] = 'J';  // the heap holds its own copy
  EXPECT_EQ("hello", v);
  // bytes() counts the allocated blocks: the first one is small.
  EXPECT_GE(heap.bytes(), 5u);
  EXPECT_LE(heap.bytes(), 256u);
  EXPECT_TRUE(heap.Add("").empty());
  // Many adds cross block boundaries; earlier views never move.
  std::vector<std::string_view> views;
  for (int i = 0; i < 20000; i++) views.push_back(heap.Add("value-" + std::to_string(i)));
  for (int i = 0; i < 20000; i++) ASSERT_EQ("value-" + std::to_string(i), views[i]);
  EXPECT_EQ("hello", v);
}

TEST(StringHeapTest, LargeStringsGetTheirOwnBlock) {
  StringHeap heap;
  std::string_view small = heap.Add("a");
  std::string big(200000, 'x');
  std::string_view b = heap.Add(big);
  std::string_view after = heap.Add("tail");
  EXPECT_EQ("a", small);
  EXPECT_EQ(big, b);
  EXPECT_EQ("tail", after);
  EXPECT_GE(heap.bytes(), big.size() + 5);
}

TEST(StringHeapTest, SmallHeapsStaySmall) {
  // A vector holding a few short strings must not account (or allocate) a full 64 KiB block: an
  // operator keeping many small vectors would otherwise use far more memory than it charges.
  Vector v(Type::kText);
  v.AppendText("ab");
  EXPECT_LT(v.ApproxBytes(), 4096u);
  EXPECT_GE(v.ApproxBytes(), 2u);
}

TEST(VectorTest, AppendEveryType) {
  Vector b(Type::kBool), i(Type::kInt64), d(Type::kDouble), t(Type::kText), ts(Type::kTimestamp);
  b.AppendBool(true);
  b.AppendNull();
  b.AppendBool(false);
  i.AppendInt(std::numeric_limits<int64_t>::min());
  i.AppendInt(std::numeric_limits<int64_t>::max());
  i.AppendNull();
  d.AppendDouble(-0.0);
  d.AppendDouble(std::nan(""));
  d.AppendNull();
  t.AppendText("");
  t.AppendNull();
  t.AppendText("h\xC3\xA9llo");
  ts.AppendInt(1704067200000000);
  ts.AppendNull();
  ts.AppendInt(-1);
  for (const Vector* v : {&b, &i, &d, &t, &ts}) ASSERT_EQ(3u, v->size());

  EXPECT_TRUE(b.boolean(0));
  EXPECT_TRUE(b.is_null(1));
  EXPECT_FALSE(b.valid(1));
  EXPECT_FALSE(b.boolean(2));
  EXPECT_TRUE(b.valid(2));
  EXPECT_EQ(std::numeric_limits<int64_t>::min(), i.i64(0));
  EXPECT_EQ(std::numeric_limits<int64_t>::max(), i.ints()[1]);
  EXPECT_TRUE(i.is_null(2));
  EXPECT_EQ(0, i.i64(2));  // a null row still has a slot
  EXPECT_TRUE(std::signbit(d.f64(0)));
  EXPECT_TRUE(std::isnan(d.doubles()[1]));
  EXPECT_EQ(0.0, d.f64(2));
  EXPECT_TRUE(t.valid(0));
  EXPECT_EQ("", t.str(0));
  EXPECT_TRUE(t.is_null(1));
  EXPECT_EQ("", t.str(1));
  EXPECT_EQ("h\xC3\xA9llo", t.strings()[2]);
  EXPECT_EQ(-1, ts.i64(2));
  // Only the array of the vector's type is sized.
  EXPECT_EQ(3u, i.mutable_ints().size());
  EXPECT_TRUE(i.mutable_doubles().empty());
  EXPECT_TRUE(i.mutable_strings().empty());
  EXPECT_EQ(3u, d.mutable_doubles().size());
  EXPECT_TRUE(d.mutable_ints().empty());
  EXPECT_EQ(3u, t.mutable_strings().size());
  EXPECT_TRUE(t.mutable_ints().empty());
}

TEST(VectorTest, GetReturnsTypedValues) {
  Vector b(Type::kBool), i(Type::kInt64), d(Type::kDouble), t(Type::kText), ts(Type::kTimestamp);
  b.AppendBool(true);
  i.AppendInt(-7);
  d.AppendDouble(2.5);
  t.AppendText("x");
  ts.AppendInt(123);
  EXPECT_EQ(Type::kBool, b.Get(0).type());
  EXPECT_TRUE(b.Get(0).as_bool());
  EXPECT_EQ(Type::kInt64, i.Get(0).type());
  EXPECT_EQ(-7, i.Get(0).as_int());
  EXPECT_EQ(Type::kDouble, d.Get(0).type());
  EXPECT_EQ(2.5, d.Get(0).as_double());
  EXPECT_EQ(Type::kText, t.Get(0).type());
  EXPECT_EQ("x", t.Get(0).as_text());
  EXPECT_EQ(Type::kTimestamp, ts.Get(0).type());
  EXPECT_EQ(123, ts.Get(0).as_int());
  for (Vector* v : {&b, &i, &d, &t, &ts}) {
    v->AppendNull();
    EXPECT_TRUE(v->Get(1).is_null());
  }
}

TEST(VectorTest, AppendValueConvertsBigintIntoDouble) {
  Vector d(Type::kDouble);
  d.Append(Value::Int(3));
  d.Append(Value::Double(0.5));
  d.Append(Value::Null());
  ASSERT_EQ(3u, d.size());
  EXPECT_EQ(3.0, d.f64(0));
  EXPECT_EQ(0.5, d.f64(1));
  EXPECT_TRUE(d.is_null(2));
  Vector t(Type::kText);
  std::string s = "abc";
  t.Append(Value::Text(s));
  EXPECT_EQ("abc", t.str(0));
  Vector b(Type::kBool);
  b.Append(Value::Bool(false));
  EXPECT_TRUE(b.valid(0));
  EXPECT_FALSE(b.boolean(0));
}

TEST(VectorTest, AppendTextCopiesAppendTextRefDoesNot) {
  std::string owner = "abc";
  Vector v(Type::kText);
  v.AppendText(owner);
  v.AppendTextRef(owner);
  owner[0] = 'X';
  EXPECT_EQ("abc", v.str(0));  // copied into the vector's heap
  EXPECT_EQ("Xbc", v.str(1));  // a reference to the caller's bytes
  EXPECT_EQ(owner.data(), v.str(1).data());
  EXPECT_NE(owner.data(), v.str(0).data());
}

TEST(VectorTest, CopiesShareTheHeap) {
  std::string_view view;
  Vector copy(Type::kText);
  {
    Vector v(Type::kText);
    v.AppendText(std::string(100, 'q'));
    view = v.str(0);
    copy = v;
  }
  // The original is gone; the copy keeps its heap alive, so the view is still valid.
  EXPECT_EQ(view.data(), copy.str(0).data());
  EXPECT_EQ(std::string(100, 'q'), copy.str(0));
}

TEST(VectorTest, AppendFromCopiesText) {
  Vector dst(Type::kText);
  {
    Vector src(Type::kText);
    src.AppendText("one");
    src.AppendNull();
    src.AppendText("three");
    for (size_t r = 0; r < 3; r++) dst.AppendFrom(src, r);
    EXPECT_NE(src.str(0).data(), dst.str(0).data());
  }
  ASSERT_EQ(3u, dst.size());
  EXPECT_EQ("one", dst.str(0));
  EXPECT_TRUE(dst.is_null(1));
  EXPECT_EQ("three", dst.str(2));
  // From a vector to itself (a text view into its own heap).
  dst.AppendFrom(dst, 2);
  EXPECT_EQ("three", dst.str(3));
  // Numbers, and bigint into double.
  Vector i(Type::kInt64), d(Type::kDouble);
  i.AppendInt(5);
  i.AppendNull();
  d.AppendFrom(i, 0);
  d.AppendFrom(i, 1);
  EXPECT_EQ(5.0, d.f64(0));
  EXPECT_TRUE(d.is_null(1));
}

TEST(VectorTest, ShareHeapKeepsForwardedTextAlive) {
  Vector out(Type::kText);
  {
    Vector in(Type::kText);
    in.AppendText("forwarded");
    Vector inner(Type::kText);
    inner.AppendText("second-hand");
    in.ShareHeap(inner);
    in.AppendTextRef(inner.str(0));
    out.Resize(2);
    out.SetTextRef(0, in.str(0));
    out.SetTextRef(1, in.str(1));
    out.ShareHeap(in);  // in's own heap and the heaps it shares
    out.ShareHeap(in);  // idempotent
    out.ShareHeap(out);  // sharing with oneself is a no-op
  }
  EXPECT_EQ("forwarded", out.str(0));
  EXPECT_EQ("second-hand", out.str(1));
}

TEST(VectorTest, ResizeAddsNullRowsAndSettersFill) {
  Vector i(Type::kInt64), d(Type::kDouble), t(Type::kText), b(Type::kBool);
  for (Vector* v : {&i, &d, &t, &b}) {
    v->Resize(4);
    ASSERT_EQ(4u, v->size());
    for (size_t r = 0; r < 4; r++) EXPECT_TRUE(v->is_null(r));
  }
  i.SetInt(1, 42);
  d.SetDouble(2, -1.5);
  std::string tmp = "copied";
  t.SetText(0, tmp);
  tmp = "changed";
  static const char kStatic[] = "static";
  t.SetTextRef(3, kStatic);
  b.Set(0, Value::Bool(true));
  b.Set(1, Value::Bool(false));
  EXPECT_EQ(42, i.i64(1));
  EXPECT_TRUE(i.is_null(0));
  EXPECT_EQ(-1.5, d.f64(2));
  EXPECT_EQ("copied", t.str(0));
  EXPECT_EQ(kStatic, t.str(3).data());
  EXPECT_TRUE(b.boolean(0));
  EXPECT_TRUE(b.valid(1));
  EXPECT_FALSE(b.boolean(1));
  // Set with values, including NULL over a set row and bigint into double.
  i.Set(1, Value::Null());
  EXPECT_TRUE(i.is_null(1));
  d.Set(0, Value::Int(9));
  EXPECT_EQ(9.0, d.f64(0));
  t.Set(1, Value::Text("from value"));
  EXPECT_EQ("from value", t.str(1));
  i.SetNull(3);
  EXPECT_TRUE(i.is_null(3));
  // Growing keeps the values; shrinking drops rows.
  i.SetInt(2, 7);
  i.Resize(6);
  EXPECT_EQ(7, i.i64(2));
  EXPECT_TRUE(i.is_null(5));
  i.Resize(3);
  EXPECT_EQ(3u, i.size());
  EXPECT_EQ(3u, i.mutable_ints().size());
}

TEST(VectorTest, ClearKeepsTheType) {
  Vector t(Type::kText);
  t.AppendText("x");
  t.Clear();
  EXPECT_EQ(0u, t.size());
  EXPECT_EQ(Type::kText, t.type());
  t.AppendText("y");
  EXPECT_EQ("y", t.str(0));
}

TEST(VectorTest, ApproxBytesGrowsWithData) {
  Vector t(Type::kText);
  size_t empty = t.ApproxBytes();
  for (int k = 0; k < 1000; k++) t.AppendText(std::string(100, 'z'));
  EXPECT_GE(t.ApproxBytes(), empty + 100 * 1000);
}

Chunk TestChunk() {
  Chunk c({Type::kInt64, Type::kText, Type::kDouble, Type::kBool, Type::kTimestamp});
  c.AppendValues({Value::Int(1), Value::Text("a"), Value::Double(0.5), Value::Bool(true), Value::Timestamp(10)});
  c.AppendValues({Value::Null(), Value::Null(), Value::Null(), Value::Null(), Value::Null()});
  c.AppendValues({Value::Int(3), Value::Text("ccc"), Value::Int(2), Value::Bool(false), Value::Timestamp(-5)});
  return c;
}

TEST(ChunkTest, AppendValuesAndGetRow) {
  Chunk c = TestChunk();
  EXPECT_EQ(3u, c.rows);
  EXPECT_EQ(5u, c.num_columns());
  std::vector<Type> want = {Type::kInt64, Type::kText, Type::kDouble, Type::kBool, Type::kTimestamp};
  EXPECT_EQ(want, c.types());
  for (const auto& col : c.columns) EXPECT_EQ(3u, col.size());
  auto r0 = c.GetRow(0);
  EXPECT_EQ(1, r0[0].as_int());
  EXPECT_EQ("a", r0[1].as_text());
  EXPECT_EQ(0.5, r0[2].as_double());
  EXPECT_TRUE(r0[3].as_bool());
  EXPECT_EQ(Type::kTimestamp, r0[4].type());
  auto r1 = c.GetRow(1);
  for (const auto& v : r1) EXPECT_TRUE(v.is_null());
  auto r2 = c.GetRow(2);
  EXPECT_EQ(Type::kDouble, r2[2].type());
  EXPECT_EQ(2.0, r2[2].as_double());
  EXPECT_EQ(-5, r2[4].as_int());
}

TEST(ChunkTest, AppendRowCopiesText) {
  Chunk dst({Type::kInt64, Type::kText, Type::kDouble, Type::kBool, Type::kTimestamp});
  {
    Chunk src = TestChunk();
    for (size_t r = 0; r < src.rows; r++) dst.AppendRow(src, r);
    dst.AppendRow(src, 2);
  }
  ASSERT_EQ(4u, dst.rows);
  EXPECT_EQ("a", dst.columns[1].str(0));
  EXPECT_TRUE(dst.columns[1].is_null(1));
  EXPECT_EQ("ccc", dst.columns[1].str(3));
  dst.Clear();
  EXPECT_EQ(0u, dst.rows);
  EXPECT_EQ(5u, dst.num_columns());
  EXPECT_EQ(0u, dst.columns[0].size());
}

TEST(ChunkTest, SelectReordersAndKeepsHeapsAlive) {
  Chunk sel_out;
  {
    Chunk src = TestChunk();
    sel_out = Chunk::Select(src, {2, 0, 2, 1});
    // The selection references src's text; src is destroyed at the end of this block.
    EXPECT_EQ(src.columns[1].str(2).data(), sel_out.columns[1].str(0).data());
  }
  ASSERT_EQ(4u, sel_out.rows);
  for (const auto& col : sel_out.columns) EXPECT_EQ(4u, col.size());
  EXPECT_EQ(3, sel_out.columns[0].i64(0));
  EXPECT_EQ(1, sel_out.columns[0].i64(1));
  EXPECT_EQ("ccc", sel_out.columns[1].str(0));
  EXPECT_EQ("a", sel_out.columns[1].str(1));
  EXPECT_EQ("ccc", sel_out.columns[1].str(2));
  EXPECT_TRUE(sel_out.columns[1].is_null(3));
  EXPECT_EQ(2.0, sel_out.columns[2].f64(0));
  EXPECT_FALSE(sel_out.columns[3].boolean(0));
  EXPECT_TRUE(sel_out.columns[3].boolean(1));
  EXPECT_EQ(-5, sel_out.columns[4].i64(0));
  for (const auto& col : sel_out.columns) EXPECT_TRUE(col.is_null(3));
  // A selection of a selection still reaches the first chunk's heap.
  Chunk again = Chunk::Select(sel_out, {1});
  sel_out = Chunk();
  EXPECT_EQ("a", again.columns[1].str(0));
  // Empty selection.
  Chunk none = Chunk::Select(again, {});
  EXPECT_EQ(0u, none.rows);
  EXPECT_EQ(5u, none.num_columns());
  EXPECT_EQ(0u, none.columns[1].size());
}

TEST(ChunkTest, ApproxBytes) {
  Chunk c = TestChunk();
  EXPECT_GT(c.ApproxBytes(), 0u);
  Chunk empty;
  EXPECT_EQ(0u, empty.ApproxBytes());
}

}  // namespace
}  // namespace laminar::columnar
