// COPY's text format (copy_text.h) as PostgreSQL writes and reads it: escapes, the NULL marker,
// empty fields and lines, line ends, the end marker, and the errors that name the line.
#include "ingest/copy_text.h"

#include <gtest/gtest.h>

namespace laminar::ingest {
namespace {

// Each record as its fields joined by '|', NULL as "<null>".
Result<std::vector<std::string>> Read(const std::string& data, CopyTextOptions o = {}) {
  StringSource src(data);
  CopyTextReader r(&src, o);
  std::vector<std::string> out;
  std::vector<CsvField> f;
  for (;;) {
    ASSIGN_OR_RETURN(bool more, r.Next(&f));
    if (!more) break;
    std::string rec = std::to_string(r.record_line()) + ":";
    for (size_t i = 0; i < f.size(); i++) rec += (i ? "|" : "") + (f[i].quoted ? f[i].value : std::string("<null>"));
    out.push_back(rec);
  }
  return out;
}

TEST(CopyText, FieldsNullsAndEscapes) {
  auto r = Read("a\tb\\tc\t\\N\n\\\\x\t\\n\t\n\\101\\x41\\q\t\\r\n");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(*r, (std::vector<std::string>{"1:a|b\tc|<null>", "2:\\x|\n|", "3:AAq|\r"}));
}

TEST(CopyText, LineEndsEmptyLinesAndTheEndMarker) {
  auto r = Read("\xEF\xBB\xBF" "a\r\nb\rc\n\nd\n\\.\nignored\n");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, (std::vector<std::string>{"1:a", "2:b", "3:c", "4:", "5:d"}));
  auto last = Read("x\ty");  // no line end at the end
  ASSERT_TRUE(last.ok());
  EXPECT_EQ(*last, std::vector<std::string>{"1:x|y"});
}

TEST(CopyText, DelimiterAndNullMarkerOptions) {
  CopyTextOptions o;
  o.delimiter = ',';
  o.null_marker = "";
  auto r = Read("1,,a\\,b\n", o);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, std::vector<std::string>{"1:1|<null>|a,b"});
}

TEST(CopyText, ErrorsNameTheLine) {
  auto r = Read("ok\nbad\\\n");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("line 2"), std::string::npos) << r.status().ToString();
  CopyTextOptions o;
  o.max_columns = 2;
  auto wide = Read("a\tb\tc\n", o);
  ASSERT_FALSE(wide.ok());
  EXPECT_NE(wide.status().message().find("line 1: more than 2 fields"), std::string::npos);
}

}  // namespace
}  // namespace laminar::ingest
