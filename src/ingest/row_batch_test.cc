#include "ingest/row_batch.h"

#include <gtest/gtest.h>

#include <random>

namespace laminar::ingest {
namespace {

StreamSchema AllTypes() {
  StreamSchema s;
  s.name = "t";
  s.columns = {{"ts", Type::kTimestamp, true}, {"flag", Type::kBool, false}, {"n", Type::kInt64, false},
               {"x", Type::kDouble, false},    {"s", Type::kText, false}};
  s.event_time_index = 0;
  return s;
}

RowBatch Sample() {
  RowBatch b(AllTypes());
  b.AppendRow({Value::Timestamp(1'700'000'000'000'000), Value::Bool(true), Value::Int(-5), Value::Double(2.5),
               Value::Text("hello")});
  b.AppendRow({Value::Timestamp(0), Value::Null(), Value::Null(), Value::Null(), Value::Null()});
  b.AppendRow({Value::Timestamp(-1), Value::Bool(false), Value::Int(INT64_MIN), Value::Double(-0.0),
               Value::Text("")});
  b.AppendRow({Value::Timestamp(42), Value::Bool(true), Value::Int(INT64_MAX), Value::Double(1e300),
               Value::Text("héllo wörld ✓ 😀")});
  return b;
}

void ExpectSameRows(const RowBatch& a, const RowBatch& b) {
  ASSERT_EQ(a.num_rows(), b.num_rows());
  ASSERT_EQ(a.num_columns(), b.num_columns());
  for (size_t r = 0; r < a.num_rows(); r++) {
    auto ra = a.GetRow(r), rb = b.GetRow(r);
    for (size_t c = 0; c < ra.size(); c++) {
      EXPECT_EQ(ra[c].is_null(), rb[c].is_null()) << "row " << r << " col " << c;
      if (!ra[c].is_null()) {
        EXPECT_EQ(ra[c].ToString(), rb[c].ToString()) << "row " << r << " col " << c;
      }
    }
  }
}

TEST(ColumnTest, NullsKeepASlot) {
  Column c;
  c.type = Type::kText;
  c.AppendText("a");
  c.AppendNull();
  c.AppendText("bc");
  ASSERT_EQ(c.text_offsets.size(), 4u);
  EXPECT_EQ(c.text(0), "a");
  EXPECT_TRUE(c.is_null(1));
  EXPECT_EQ(c.text(1), "");
  EXPECT_EQ(c.text(2), "bc");
  EXPECT_TRUE(c.Get(1).is_null());
  EXPECT_EQ(c.Get(2).as_text(), "bc");

  Column d;
  d.type = Type::kDouble;
  d.AppendNull();
  d.Append(Value::Double(1.5));
  ASSERT_EQ(d.doubles.size(), 2u);
  EXPECT_EQ(d.doubles[0], 0.0);
  EXPECT_EQ(d.Get(1).as_double(), 1.5);
}

TEST(ColumnTest, GetReturnsTheColumnsType) {
  RowBatch b = Sample();
  EXPECT_EQ(b.column(0).Get(0).type(), Type::kTimestamp);
  EXPECT_EQ(b.column(1).Get(0).type(), Type::kBool);
  EXPECT_TRUE(b.column(1).Get(0).as_bool());
  EXPECT_EQ(b.column(2).Get(0).type(), Type::kInt64);
  EXPECT_EQ(b.column(3).Get(0).type(), Type::kDouble);
  EXPECT_EQ(b.column(4).Get(0).type(), Type::kText);
}

TEST(RowBatchTest, RollbackDropsAPartialRow) {
  RowBatch b = Sample();
  b.column(0).AppendInt(7);
  b.column(1).AppendNull();
  b.column(2).AppendInt(3);
  b.column(3).AppendDouble(1);
  b.column(4).AppendText("partial");
  b.RollbackRow();
  EXPECT_EQ(b.num_rows(), 4u);
  for (size_t c = 0; c < b.num_columns(); c++) EXPECT_EQ(b.column(c).valid.size(), 4u);
  EXPECT_EQ(b.column(4).text_offsets.size(), 5u);
  EXPECT_EQ(b.column(4).text_data.find("partial"), std::string::npos);
  b.AppendRow({Value::Timestamp(9), Value::Null(), Value::Null(), Value::Null(), Value::Text("next")});
  EXPECT_EQ(b.column(4).text(4), "next");
  EXPECT_EQ(b.column(4).text(3), "héllo wörld ✓ 😀");
}

TEST(RowBatchTest, AppendBatchRebasesTextOffsets) {
  RowBatch a = Sample();
  RowBatch b = Sample();
  a.AppendBatch(b);
  ASSERT_EQ(a.num_rows(), 8u);
  for (size_t r = 0; r < 4; r++) {
    auto x = a.GetRow(r), y = a.GetRow(r + 4);
    for (size_t c = 0; c < x.size(); c++) EXPECT_EQ(x[c].ToString(), y[c].ToString());
  }
  RowBatch empty;
  empty.AppendBatch(Sample());
  EXPECT_EQ(empty.num_rows(), 4u);
  EXPECT_EQ(empty.column(4).text(0), "hello");
}

TEST(RowBatchTest, EncodeDecodeRoundTrip) {
  RowBatch b = Sample();
  std::string enc = b.Encode();
  auto dec = RowBatch::Decode(enc, AllTypes());
  ASSERT_TRUE(dec.ok()) << dec.status().ToString();
  ExpectSameRows(b, *dec);
  EXPECT_TRUE(dec->column(1).is_null(1));
  EXPECT_EQ(dec->column(4).text(2), "");
  EXPECT_FALSE(dec->column(4).is_null(2));
  EXPECT_EQ(dec->column(2).Get(2).as_int(), INT64_MIN);
  EXPECT_EQ(dec->Encode(), enc);
}

TEST(RowBatchTest, EncodingLayoutIsAsDocumented) {
  StreamSchema s;
  s.columns = {{"n", Type::kInt64, false}, {"s", Type::kText, false}};
  RowBatch b(s);
  b.AppendRow({Value::Int(1), Value::Text("ab")});
  std::string enc = b.Encode();
  std::string expected("\x01"                              // version
                       "\x02\x00\x00\x00"                  // columns
                       "\x01\x00\x00\x00"                  // rows
                       "\x01" "\x01" "\x01\0\0\0\0\0\0\0"  // bigint: type, valid, value
                       "\x03" "\x01" "\0\0\0\0" "\x02\0\0\0" "ab",  // text: type, valid, offsets, bytes
                       1 + 4 + 4 + 1 + 1 + 8 + 1 + 1 + 8 + 2);
  EXPECT_EQ(enc, expected);
}

TEST(RowBatchTest, EmptyBatchRoundTrips) {
  RowBatch b(AllTypes());
  auto dec = RowBatch::Decode(b.Encode(), AllTypes());
  ASSERT_TRUE(dec.ok());
  EXPECT_EQ(dec->num_rows(), 0u);
  EXPECT_EQ(dec->num_columns(), 5u);
}

TEST(RowBatchTest, DecodeRejectsEveryTruncation) {
  std::string enc = Sample().Encode();
  for (size_t len = 0; len < enc.size(); len++) {
    auto dec = RowBatch::Decode(std::string_view(enc).substr(0, len), AllTypes());
    ASSERT_FALSE(dec.ok()) << "length " << len;
    EXPECT_EQ(dec.status().code(), StatusCode::kCorruption);
  }
  std::string longer = enc + "x";
  EXPECT_EQ(RowBatch::Decode(longer, AllTypes()).status().code(), StatusCode::kCorruption);
}

TEST(RowBatchTest, DecodeRejectsSchemaMismatch) {
  std::string enc = Sample().Encode();
  StreamSchema other = AllTypes();
  other.columns[2].type = Type::kDouble;
  EXPECT_EQ(RowBatch::Decode(enc, other).status().code(), StatusCode::kCorruption);
  other = AllTypes();
  other.columns.pop_back();
  EXPECT_EQ(RowBatch::Decode(enc, other).status().code(), StatusCode::kCorruption);
}

TEST(RowBatchTest, DecodeRejectsBadFields) {
  StreamSchema s;
  s.columns = {{"b", Type::kBool, false}, {"s", Type::kText, false}};
  RowBatch b(s);
  b.AppendRow({Value::Bool(true), Value::Text("ab")});
  b.AppendRow({Value::Bool(false), Value::Text("cd")});
  const std::string good = b.Encode();
  ASSERT_TRUE(RowBatch::Decode(good, s).ok());
  // Offsets: header 9, bool column: type@9 valid@10,11 values@12..27; text: type@28 valid@29,30
  // offsets@31,35,39 text@43.
  auto corrupt = [&](size_t at, char v) {
    std::string bad = good;
    bad[at] = v;
    return RowBatch::Decode(bad, s).status();
  };
  EXPECT_EQ(corrupt(0, 2).code(), StatusCode::kCorruption);   // version
  EXPECT_EQ(corrupt(10, 7).code(), StatusCode::kCorruption);  // validity byte
  EXPECT_EQ(corrupt(12, 5).code(), StatusCode::kCorruption);  // boolean value
  EXPECT_EQ(corrupt(9, 9).code(), StatusCode::kCorruption);   // unknown type code
  EXPECT_EQ(corrupt(31, 1).code(), StatusCode::kCorruption);  // first offset not 0
  EXPECT_EQ(corrupt(35, 5).code(), StatusCode::kCorruption);  // offsets 0, 5, 4 decrease
  EXPECT_EQ(corrupt(39, 9).code(), StatusCode::kCorruption);  // last offset past the arena
  EXPECT_EQ(corrupt(5, 0x7f).code(), StatusCode::kCorruption);  // huge row count
  EXPECT_EQ(corrupt(8, 0x7f).code(), StatusCode::kCorruption);
}

TEST(RowBatchTest, DecodeSurvivesRandomGarbage) {
  std::mt19937_64 rng(7);
  const std::string good = Sample().Encode();
  for (int i = 0; i < 5000; i++) {
    std::string bad = good;
    int flips = 1 + static_cast<int>(rng() % 4);
    for (int f = 0; f < flips; f++) bad[rng() % bad.size()] = static_cast<char>(rng());
    auto dec = RowBatch::Decode(bad, AllTypes());
    if (dec.ok()) {
      // Whatever decodes must be internally consistent.
      for (size_t r = 0; r < dec->num_rows(); r++) (void)dec->GetRow(r);
    } else {
      EXPECT_EQ(dec.status().code(), StatusCode::kCorruption);
    }
  }
  for (int i = 0; i < 2000; i++) {
    std::string junk(rng() % 64, '\0');
    for (char& c : junk) c = static_cast<char>(rng());
    if (!junk.empty()) junk[0] = 1;
    auto dec = RowBatch::Decode(junk, AllTypes());
    if (!dec.ok()) {
      EXPECT_EQ(dec.status().code(), StatusCode::kCorruption);
    }
  }
}

}  // namespace
}  // namespace laminar::ingest

namespace laminar::ingest {
namespace {

// AppendRows copies the chosen rows a column at a time: the same rows, in the chosen order, as
// appending them one by one would give; the encoding round-trips.
TEST(RowBatchTest, AppendRowsGathersChosenRows) {
  RowBatch src = Sample();
  src.AppendBatch(Sample());
  std::mt19937 rng(3);
  for (int t = 0; t < 50; t++) {
    std::vector<uint32_t> rows;
    for (size_t i = 0, n = rng() % 12; i < n; i++) rows.push_back(static_cast<uint32_t>(rng() % src.num_rows()));
    RowBatch got(AllTypes()), want(AllTypes());
    got.AppendRow(src.GetRow(1));  // something there already
    want.AppendRow(src.GetRow(1));
    got.AppendRows(src, rows);
    for (uint32_t r : rows) want.AppendRow(src.GetRow(r));
    ExpectSameRows(got, want);
    auto decoded = RowBatch::Decode(got.Encode(), AllTypes());
    ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
    ExpectSameRows(*decoded, want);
  }
}

}  // namespace
}  // namespace laminar::ingest
