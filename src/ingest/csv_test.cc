#include "ingest/csv.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

namespace laminar::ingest {
namespace {

struct Rec {
  std::vector<std::string> values;
  std::vector<bool> quoted;
  int64_t line;
};

// Reads every record of `text`, max_chunk bytes per source read.
Result<std::vector<Rec>> ReadAll(const std::string& text, CsvOptions o = {}, size_t max_chunk = SIZE_MAX) {
  StringSource src(text, max_chunk);
  CsvReader r(&src, o);
  std::vector<Rec> out;
  std::vector<CsvField> fields;
  for (;;) {
    ASSIGN_OR_RETURN(bool more, r.Next(&fields));
    if (!more) break;
    Rec rec;
    for (const auto& f : fields) {
      rec.values.push_back(f.value);
      rec.quoted.push_back(f.quoted);
    }
    rec.line = r.record_line();
    out.push_back(std::move(rec));
  }
  return out;
}

std::vector<std::vector<std::string>> Values(const std::vector<Rec>& recs) {
  std::vector<std::vector<std::string>> v;
  for (const auto& r : recs) v.push_back(r.values);
  return v;
}

using Rows = std::vector<std::vector<std::string>>;

TEST(CsvReader, PlainRecordsWithAnyLineEnding) {
  for (const char* text : {"a,b\n1,2\n", "a,b\r\n1,2\r\n", "a,b\r1,2\r", "a,b\n1,2"}) {
    auto r = ReadAll(text);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(Values(*r), (Rows{{"a", "b"}, {"1", "2"}})) << text;
    EXPECT_EQ((*r)[1].line, 2) << text;
  }
}

TEST(CsvReader, QuotedFieldsHoldDelimitersQuotesAndNewlines) {
  auto r = ReadAll("id,text\r\n1,\"a, b\"\r\n2,\"say \"\"hi\"\"\"\r\n3,\"two\r\nlines\"\r\n4,\"x\ny\"\n5,end\n");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(Values(*r),
            (Rows{{"id", "text"}, {"1", "a, b"}, {"2", "say \"hi\""}, {"3", "two\r\nlines"}, {"4", "x\ny"}, {"5", "end"}}));
  // Records start on lines 1, 2, 3, 4, 6 (record 3 spans lines 4-5), 8 (record 4 spans 6-7).
  std::vector<int64_t> lines;
  for (const auto& rec : *r) lines.push_back(rec.line);
  EXPECT_EQ(lines, (std::vector<int64_t>{1, 2, 3, 4, 6, 8}));
}

TEST(CsvReader, EmptyUnquotedAndQuotedEmptyAreDistinguished) {
  auto r = ReadAll("a,b,c\n,\"\",x\n");
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ((*r)[1].values, (std::vector<std::string>{"", "", "x"}));
  EXPECT_EQ((*r)[1].quoted, (std::vector<bool>{false, true, false}));
}

TEST(CsvReader, TrailingDelimiterGivesAnEmptyLastField) {
  auto r = ReadAll("a,b,\n,,\n");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(Values(*r), (Rows{{"a", "b", ""}, {"", "", ""}}));
}

TEST(CsvReader, BlankLinesAreSkippedButCounted) {
  auto r = ReadAll("a\n\n\r\n1\n\n2\n\n");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(Values(*r), (Rows{{"a"}, {"1"}, {"2"}}));
  EXPECT_EQ((*r)[1].line, 4);
  EXPECT_EQ((*r)[2].line, 6);
}

TEST(CsvReader, ByteOrderMarkIsSkipped) {
  auto r = ReadAll("\xEF\xBB\xBFname\nx\n", {}, 1);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(Values(*r), (Rows{{"name"}, {"x"}}));
}

TEST(CsvReader, QuoteInsideUnquotedFieldIsKept) {
  auto r = ReadAll("a,b\n5\" screen,x\n");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)[1].values[0], "5\" screen");
}

TEST(CsvReader, OtherDelimiters) {
  CsvOptions o;
  o.delimiter = '\t';
  auto r = ReadAll("a\tb\n1,5\t\"x\ty\"\n", o);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(Values(*r), (Rows{{"a", "b"}, {"1,5", "x\ty"}}));
  o.delimiter = ';';
  r = ReadAll("a;b\n1;2\n", o);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(Values(*r), (Rows{{"a", "b"}, {"1", "2"}}));
}

TEST(CsvReader, OtherQuoteAndEscapeCharacters) {
  CsvOptions o;
  o.quote = '\'';
  o.escape = '\'';
  auto r = ReadAll("'a,b','it''s',\"x\"\n", o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(Values(*r), (Rows{{"a,b", "it's", "\"x\""}}));
  EXPECT_EQ((*r)[0].quoted, (std::vector<bool>{true, true, false}));
  // An escape other than the quote (PostgreSQL's ESCAPE): before a quote or itself it gives that
  // character; before anything else it is kept. Outside quotes it is an ordinary character.
  o.quote = '"';
  o.escape = '\\';
  for (size_t chunk : {size_t(1), size_t(2), SIZE_MAX}) {
    r = ReadAll("\"a\\\"b\",\"c\\\\d\",\"e\\nf\",g\\\"h,\"\\\\\"\n\"x\\\ny\"\n", o, chunk);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(Values(*r), (Rows{{"a\"b", "c\\d", "e\\nf", "g\\\"h", "\\"}, {"x\\\ny"}})) << chunk;
    EXPECT_EQ((*r)[1].line, 2);
  }
  // An escape at the very end of a quoted field's input is kept, and the field is unterminated.
  r = ReadAll("\"abc\\", o);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(std::string::npos, r.status().message().find("not terminated")) << r.status().message();
  // The garbage message shows the configured characters.
  o.quote = '\'';
  o.escape = '\'';
  r = ReadAll("'a'b\n", o);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(std::string::npos, r.status().message().find("written ''")) << r.status().message();
}

TEST(CsvReader, UnterminatedQuoteNamesLineAndColumn) {
  auto r = ReadAll("a,b\n1,2\n3,\"open\n4,5\n");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("line 3, column 2"), std::string::npos) << r.status().message();
  EXPECT_NE(r.status().message().find("not terminated"), std::string::npos);
}

TEST(CsvReader, GarbageAfterClosingQuote) {
  auto r = ReadAll("a,b\n\"x\"y,2\n");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("line 2, column 1"), std::string::npos) << r.status().message();
  EXPECT_NE(r.status().message().find("after a closing quote"), std::string::npos);
}

TEST(CsvReader, FieldAndColumnLimits) {
  CsvOptions o;
  o.max_field_bytes = 4;
  EXPECT_TRUE(ReadAll("abcd,\"wxyz\"\n", o).ok());
  auto r = ReadAll("a\nabcde\n", o);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("line 2, column 1: field is longer than 4 bytes"), std::string::npos)
      << r.status().message();
  r = ReadAll("a,b\n1,\"abcde\"\n", o);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("line 2, column 2"), std::string::npos) << r.status().message();

  o = CsvOptions();
  o.max_columns = 3;
  EXPECT_TRUE(ReadAll("a,b,c\n", o).ok());
  r = ReadAll("a,b,c\n1,2,3,4\n", o);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("line 2: more than 3 columns"), std::string::npos) << r.status().message();
}

TEST(CsvReader, EmptyInputHasNoRecords) {
  auto r = ReadAll("");
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->empty());
  r = ReadAll("\n\n");
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->empty());
}

// A source that fails after some bytes.
class FailingSource : public ByteSource {
 public:
  Result<size_t> Read(char* buf, size_t cap) override {
    if (done_) return IOError("disk on fire");
    done_ = true;
    std::string s = "a,b\n1,";
    std::copy(s.begin(), s.end(), buf);
    return s.size();
  }
  bool done_ = false;
};

TEST(CsvReader, SourceErrorsPassThrough) {
  FailingSource src;
  CsvReader r(&src, {});
  std::vector<CsvField> f;
  auto first = r.Next(&f);
  ASSERT_TRUE(first.ok());
  auto second = r.Next(&f);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), StatusCode::kIOError);
}

// Writes records as RFC 4180 CSV (quoting when needed), reads them back in chunks of every size.
TEST(CsvReader, RandomRoundTripInAnyChunking) {
  std::mt19937 rng(42);
  const std::string alphabet = "ab,\"\r\n \t;é";
  for (int iter = 0; iter < 200; iter++) {
    int cols = 1 + rng() % 5;
    Rows rows;
    std::string text;
    int nrows = 1 + rng() % 6;
    for (int r = 0; r < nrows; r++) {
      std::vector<std::string> row;
      for (int c = 0; c < cols; c++) {
        std::string v;
        int len = rng() % 6;
        for (int k = 0; k < len; k++) v += alphabet[rng() % alphabet.size()];
        row.push_back(v);
        bool quote = v.empty() || v.find_first_of(",\"\r\n") != std::string::npos || rng() % 4 == 0;
        if (c) text += ',';
        if (quote) {
          text += '"';
          for (char ch : v) text += ch == '"' ? std::string("\"\"") : std::string(1, ch);
          text += '"';
        } else {
          text += v;
        }
      }
      rows.push_back(row);
      text += rng() % 2 ? "\r\n" : "\n";
    }
    for (size_t chunk : {size_t{1}, size_t{2}, size_t{3}, size_t{7}, SIZE_MAX}) {
      auto got = ReadAll(text, {}, chunk);
      ASSERT_TRUE(got.ok()) << got.status().ToString() << "\n" << text;
      ASSERT_EQ(Values(*got), rows) << "chunk " << chunk << "\n" << text;
    }
  }
}

// Random bytes drawn from CSV's special characters: every input ends in records or an error,
// never a crash, and the limits hold.
TEST(CsvReader, RandomInputNeverBreaksTheLimits) {
  std::mt19937 rng(7);
  const std::string alphabet = "a,\"\r\n;\xEF\xBB\xBF";
  CsvOptions o;
  o.max_field_bytes = 5;
  o.max_columns = 4;
  for (int iter = 0; iter < 2000; iter++) {
    std::string text;
    int len = rng() % 40;
    for (int k = 0; k < len; k++) text += alphabet[rng() % alphabet.size()];
    StringSource src(text, 1 + rng() % 4);
    CsvReader r(&src, o);
    std::vector<CsvField> fields;
    for (int n = 0; n < 100; n++) {
      auto more = r.Next(&fields);
      if (!more.ok()) {
        EXPECT_EQ(more.status().code(), StatusCode::kInvalidArgument);
        EXPECT_NE(more.status().message().find("line "), std::string::npos);
        break;
      }
      if (!*more) break;
      ASSERT_LE(fields.size(), o.max_columns);
      for (const auto& f : fields) ASSERT_LE(f.value.size(), o.max_field_bytes);
    }
  }
}

}  // namespace
}  // namespace laminar::ingest
