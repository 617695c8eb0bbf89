// COPY ... TO STDOUT (copy_out.h): the text, CSV and binary encoders against PostgreSQL's rules
// (documentation "COPY", "File Formats"; copyto.c CopyAttributeOutText / CopyAttributeOutCSV),
// the value output, and how statements and options are planned or refused (with PostgreSQL's
// messages and SQLSTATEs).
#include "pgwire/copy_out.h"

#include <gtest/gtest.h>

#include <cmath>

#include "common/sqlstate.h"
#include "pgwire/message.h"

namespace laminar::pgwire {
namespace {

std::string Text(std::string_view v, char delim = '\t') {
  std::string out;
  CopyEncoder::AppendText(v, delim, &out);
  return out;
}

std::string Csv(std::string_view v, const CopyOutOptions& o, bool force = false, bool single = false) {
  std::string out;
  CopyEncoder::AppendCsv(v, o, force, single, &out);
  return out;
}

CopyOutOptions CsvOptions() {
  CopyOutOptions o;
  o.format = CopyFormat::kCsv;
  o.delimiter = ',';
  o.null_string = "";
  return o;
}

Result<CopyOutPlan> Plan(const std::string& sql) {
  auto parsed = sql::Parse(sql);
  EXPECT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->size(), 1u);
  EXPECT_TRUE(IsCopyTo(parsed->front()));
  return PlanCopyOut(parsed->front());
}

// The SQLSTATE and message of a refused plan.
std::string Refusal(const std::string& sql) {
  auto p = Plan(sql);
  if (p.ok()) return "planned: " + sql::ast::ToSql(*p->select);
  return std::string(SqlStateFor(p.status())) + " " + p.status().message();
}

TEST(CopyTextTest, EscapesBackslashDelimiterAndControlCharacters) {
  EXPECT_EQ(Text("plain text"), "plain text");
  EXPECT_EQ(Text("a\tb"), "a\\tb");
  EXPECT_EQ(Text("line1\nline2\r\n"), "line1\\nline2\\r\\n");
  EXPECT_EQ(Text("back\\slash"), "back\\\\slash");
  EXPECT_EQ(Text("\b\f\v"), "\\b\\f\\v");
  EXPECT_EQ(Text("say \"hi\" 'x'"), "say \"hi\" 'x'");                  // quotes are ordinary in text format
  EXPECT_EQ(Text(std::string("a\x01z", 3)), std::string("a\x01z", 3));  // other control characters as they are
  EXPECT_EQ(Text("\\N"), "\\\\N");  // data that looks like the NULL marker stays data
  EXPECT_EQ(Text("a|b", '|'), "a\\|b");
  EXPECT_EQ(Text("a,b\tc", ','), "a\\,b\\tc");
  EXPECT_EQ(Text(std::string("a\x01z", 3), '\x01'), std::string("a\\\x01z", 4));  // a control delimiter is backslashed
  EXPECT_EQ(Text("ünïcödé €"), "ünïcödé €");
  EXPECT_EQ(Text(""), "");
}

TEST(CopyCsvTest, QuotesOnlyWhenNeeded) {
  CopyOutOptions o = CsvOptions();
  EXPECT_EQ(Csv("plain", o), "plain");
  EXPECT_EQ(Csv("  spaced  ", o), "  spaced  ");  // white space is not a reason
  EXPECT_EQ(Csv("a,b", o), "\"a,b\"");
  EXPECT_EQ(Csv("say \"hi\"", o), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(Csv("two\nlines", o), "\"two\nlines\"");
  EXPECT_EQ(Csv("cr\rhere", o), "\"cr\rhere\"");
  EXPECT_EQ(Csv("tab\there", o), "tab\there");
  EXPECT_EQ(Csv("back\\slash", o), "back\\slash");
  EXPECT_EQ(Csv("", o), "\"\"");  // equals the NULL string (empty): quoted so it reads back as ''
  EXPECT_EQ(Csv("x", o, /*force=*/true), "\"x\"");
  EXPECT_EQ(Csv("\\.", o, false, /*single=*/true), "\"\\.\"");  // the end-of-data marker alone on a line
  EXPECT_EQ(Csv("\\.", o, false, false), "\\.");
  o.null_string = "NA";
  EXPECT_EQ(Csv("NA", o), "\"NA\"");
  EXPECT_EQ(Csv("", o), "");
  // QUOTE and ESCAPE of one's own: the escape goes before the quote and before itself.
  o.quote = '\'';
  o.escape = '\\';
  EXPECT_EQ(Csv("it's a \\ b", o), "'it\\'s a \\\\ b'");
  EXPECT_EQ(Csv("say \"hi\"", o), "say \"hi\"");
  o.delimiter = ';';
  EXPECT_EQ(Csv("a;b", o), "'a;b'");
  EXPECT_EQ(Csv("a,b", o), "a,b");
}

std::vector<serving::ResultColumn> Columns() {
  return {
      {"id", Type::kInt64}, {"name", Type::kText}, {"ok", Type::kBool}, {"x", Type::kDouble}, {"ts", Type::kTimestamp}};
}

std::vector<Value> SampleRow() {
  // 2024-01-02 03:04:05.5 UTC
  return {Value::Int(-7), Value::Text("a\tb,\"c\"\n"), Value::Bool(true), Value::Double(0.1),
          Value::Timestamp(1'704'164'645'500'000)};
}

TEST(CopyEncoderTest, TextRowsAndHeader) {
  CopyOutOptions o;
  o.header = true;
  auto e = CopyEncoder::Make(o, Columns());
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->Start(), "id\tname\tok\tx\tts\n");
  std::string out;
  e->Row(SampleRow(), &out);
  EXPECT_EQ(out, "-7\ta\\tb,\"c\"\\n\tt\t0.1\t2024-01-02 03:04:05.5+00\n");
  out.clear();
  e->Row({Value::Null(), Value::Null(), Value::Bool(false), Value::Double(1e15), Value::Null()}, &out);
  EXPECT_EQ(out, "\\N\t\\N\tf\t1e+15\t\\N\n");
  EXPECT_EQ(e->Finish(), "");
  o.header = false;
  EXPECT_EQ(CopyEncoder::Make(o, Columns())->Start(), "");
}

TEST(CopyEncoderTest, CsvRowsHeaderAndForceQuote) {
  CopyOutOptions o = CsvOptions();
  o.header = true;
  o.force_quote = {"id"};
  auto cols = Columns();
  cols[1].name = "the, name";
  auto e = CopyEncoder::Make(o, cols);
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->Start(), "id,\"the, name\",ok,x,ts\n");  // FORCE_QUOTE does not quote the header
  std::string out;
  e->Row(SampleRow(), &out);
  EXPECT_EQ(out, "\"-7\",\"a\tb,\"\"c\"\"\n\",t,0.1,2024-01-02 03:04:05.5+00\n");
  out.clear();
  e->Row({Value::Null(), Value::Text(""), Value::Null(), Value::Null(), Value::Null()}, &out);
  EXPECT_EQ(out, ",\"\",,,\n");  // NULL is never quoted, not even when forced
  o.force_quote_all = true;
  o.force_quote.clear();
  out.clear();
  CopyEncoder::Make(o, cols)->Row(SampleRow(), &out);
  EXPECT_EQ(out, "\"-7\",\"a\tb,\"\"c\"\"\n\",\"t\",\"0.1\",\"2024-01-02 03:04:05.5+00\"\n");
  o.force_quote = {"nope"};
  o.force_quote_all = false;
  auto bad = CopyEncoder::Make(o, cols);
  ASSERT_FALSE(bad.ok());
  EXPECT_STREQ(SqlStateFor(bad.status()), "42P10");
  EXPECT_EQ(bad.status().message(), "FORCE_QUOTE column \"nope\" not referenced by COPY");
}

TEST(CopyEncoderTest, Binary) {
  CopyOutOptions o;
  o.format = CopyFormat::kBinary;
  auto e = CopyEncoder::Make(o, {{"n", Type::kInt64}, {"s", Type::kText}, {"b", Type::kBool}});
  ASSERT_TRUE(e.ok());
  EXPECT_TRUE(e->binary());
  EXPECT_EQ(e->Start(), std::string("PGCOPY\n\xff\r\n\0\0\0\0\0\0\0\0\0", 19));
  std::string out;
  e->Row({Value::Int(258), Value::Text("hi"), Value::Null()}, &out);
  EXPECT_EQ(out, std::string("\0\3"
                             "\0\0\0\x08\0\0\0\0\0\0\x01\x02"
                             "\0\0\0\x02hi"
                             "\xff\xff\xff\xff",
                             2 + 12 + 6 + 4));
  EXPECT_EQ(e->Finish(), "\xff\xff");
}

TEST(CopyValueTextTest, PostgresOutputFunctions) {
  EXPECT_EQ(CopyValueText(Value::Bool(true), Type::kBool), "t");
  EXPECT_EQ(CopyValueText(Value::Bool(false), Type::kBool), "f");
  EXPECT_EQ(CopyValueText(Value::Int(-9223372036854775807LL - 1), Type::kInt64), "-9223372036854775808");
  EXPECT_EQ(CopyValueText(Value::Double(0.1), Type::kDouble), "0.1");
  EXPECT_EQ(CopyValueText(Value::Double(1.0 / 3), Type::kDouble), "0.3333333333333333");
  EXPECT_EQ(CopyValueText(Value::Double(123456789012345.0), Type::kDouble), "123456789012345");
  EXPECT_EQ(CopyValueText(Value::Double(1e15), Type::kDouble), "1e+15");
  EXPECT_EQ(CopyValueText(Value::Double(0.0001), Type::kDouble), "0.0001");
  EXPECT_EQ(CopyValueText(Value::Double(0.00001), Type::kDouble), "1e-05");
  EXPECT_EQ(CopyValueText(Value::Double(-0.0), Type::kDouble), "-0");
  EXPECT_EQ(CopyValueText(Value::Double(NAN), Type::kDouble), "NaN");
  EXPECT_EQ(CopyValueText(Value::Double(-INFINITY), Type::kDouble), "-Infinity");
  EXPECT_EQ(CopyValueText(Value::Int(3), Type::kDouble), "3");
  EXPECT_EQ(CopyValueText(Value::Timestamp(1'704'164'645'000'000), Type::kTimestamp), "2024-01-02 03:04:05+00");
  EXPECT_EQ(CopyValueText(Value::Timestamp(1'704'164'645'000'001), Type::kTimestamp), "2024-01-02 03:04:05.000001+00");
  EXPECT_EQ(CopyValueText(Value::Text("x"), Type::kText), "x");
}

TEST(CopyPlanTest, QueryAndRelationForms) {
  auto p = Plan("COPY ( SELECT a, 'x)' AS \"b)\" /* ) */ FROM t -- )\n) TO STDOUT");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(sql::ast::ToSql(*p->select), "SELECT a, 'x)' AS \"b)\" FROM t");
  EXPECT_EQ(p->options.format, CopyFormat::kText);
  EXPECT_EQ(p->options.delimiter, '\t');
  EXPECT_EQ(p->options.null_string, "\\N");
  EXPECT_FALSE(p->options.header);

  p = Plan("copy t (a, \"B\") to stdout csv header");  // what psql's \copy t (a, "B") TO 'f' CSV HEADER sends
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(sql::ast::ToSql(*p->select), "SELECT a, \"B\" FROM t");
  EXPECT_EQ(p->options.format, CopyFormat::kCsv);
  EXPECT_TRUE(p->options.header);
  EXPECT_EQ(p->options.delimiter, ',');
  EXPECT_EQ(p->options.null_string, "");
  EXPECT_EQ(p->options.quote, '"');
  EXPECT_EQ(p->options.escape, '"');

  p = Plan(
      "COPY public.pv TO STDOUT WITH (FORMAT csv, HEADER false, DELIMITER ';', NULL 'NA', QUOTE '''', "
      "ESCAPE '\\', FORCE_QUOTE (a, b), ENCODING 'UTF8')");
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(sql::ast::ToSql(*p->select), "SELECT * FROM public.pv");
  EXPECT_FALSE(p->options.header);
  EXPECT_EQ(p->options.delimiter, ';');
  EXPECT_EQ(p->options.null_string, "NA");
  EXPECT_EQ(p->options.quote, '\'');
  EXPECT_EQ(p->options.escape, '\\');
  EXPECT_EQ(p->options.force_quote, (std::vector<std::string>{"a", "b"}));

  p = Plan("COPY t TO STDOUT WITH DELIMITER AS '|' NULL AS '' CSV QUOTE AS '''' FORCE QUOTE *");
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->options.delimiter, '|');
  EXPECT_TRUE(p->options.force_quote_all);

  for (const char* header : {"HEADER", "HEADER true", "HEADER on", "HEADER 1", "HEADER TRUE"}) {
    p = Plan(std::string("COPY t TO STDOUT WITH (") + header + ")");
    ASSERT_TRUE(p.ok()) << header;
    EXPECT_TRUE(p->options.header) << header;
  }
  for (const char* header : {"HEADER false", "HEADER off", "HEADER 0"}) {
    p = Plan(std::string("COPY t TO STDOUT WITH (") + header + ")");
    ASSERT_TRUE(p.ok()) << header;
    EXPECT_FALSE(p->options.header) << header;
  }
  p = Plan("COPY t TO STDOUT (FORMAT binary)");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->options.format, CopyFormat::kBinary);
  p = Plan("COPY t TO STDOUT BINARY");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->options.format, CopyFormat::kBinary);
}

TEST(CopyPlanTest, RefusedWithPostgresMessages) {
  EXPECT_EQ(Refusal("COPY t TO '/tmp/x.csv'").substr(0, 39), "0A000 COPY to a file is not supported: ");
  EXPECT_EQ(Refusal("COPY (SELECT 1) TO PROGRAM 'cat'").substr(0, 41), "0A000 COPY TO PROGRAM is not supported: L");
  EXPECT_EQ(Refusal("COPY t TO STDOUT (FORMAT xml)"), "22023 COPY format \"xml\" not recognized");
  EXPECT_EQ(Refusal("COPY t TO STDOUT (FORMAT 'CSV')"), "22023 COPY format \"CSV\" not recognized");
  EXPECT_EQ(Refusal("COPY t TO STDOUT (FORMAT csv, FORMAT text)"), "42601 conflicting or redundant options");
  EXPECT_EQ(Refusal("COPY t TO STDOUT (bogus 1)"), "42601 option \"bogus\" not recognized");
  EXPECT_EQ(Refusal("COPY t TO STDOUT (HEADER maybe)"), "42601 header requires a Boolean value or \"match\"");
  EXPECT_EQ(Refusal("COPY t TO STDOUT (HEADER match)"), "0A000 cannot use \"match\" with HEADER in COPY TO");
  EXPECT_EQ(Refusal("COPY t TO STDOUT (DELIMITER ';;')"), "0A000 COPY delimiter must be a single one-byte character");
  EXPECT_EQ(Refusal("COPY t TO STDOUT (DELIMITER E'\\n')"),
            "22023 COPY delimiter cannot be newline or carriage return");
  EXPECT_EQ(Refusal("COPY t TO STDOUT (DELIMITER 'a')"), "22023 COPY delimiter cannot be \"a\"");
  EXPECT_EQ(Refusal("COPY t TO STDOUT (DELIMITER '\\')"), "22023 COPY delimiter cannot be \"\\\"");
  EXPECT_EQ(Refusal("COPY t TO STDOUT (FORMAT csv, DELIMITER 'a')").substr(0, 7), "planned");
  EXPECT_EQ(Refusal("COPY t TO STDOUT (NULL E'a\\rb')"),
            "22023 COPY null representation cannot use newline or carriage return");
  EXPECT_EQ(Refusal("COPY t TO STDOUT (QUOTE '''')"), "0A000 COPY quote available only in CSV mode");
  EXPECT_EQ(Refusal("COPY t TO STDOUT (ESCAPE '''')"), "0A000 COPY escape available only in CSV mode");
  EXPECT_EQ(Refusal("COPY t TO STDOUT (FORCE_QUOTE *)"), "0A000 COPY force quote available only in CSV mode");
  EXPECT_EQ(Refusal("COPY t TO STDOUT (FORMAT csv, QUOTE 'ab')"),
            "0A000 COPY quote must be a single one-byte character");
  EXPECT_EQ(Refusal("COPY t TO STDOUT (FORMAT csv, DELIMITER '\"')"),
            "22023 COPY delimiter and quote must be different");
  EXPECT_EQ(Refusal("COPY t TO STDOUT (FORMAT csv, NULL 'a,b')"),
            "22023 COPY delimiter must not appear in the NULL specification");
  EXPECT_EQ(Refusal("COPY t TO STDOUT (FORMAT csv, NULL 'a\"b')"),
            "22023 CSV quote character must not appear in the NULL specification");
  EXPECT_EQ(Refusal("COPY t TO STDOUT (FORMAT binary, HEADER)"), "0A000 cannot specify HEADER in BINARY mode");
  EXPECT_EQ(Refusal("COPY t TO STDOUT (FORMAT binary, DELIMITER ',')"),
            "42601 cannot specify DELIMITER in BINARY mode");
  EXPECT_EQ(Refusal("COPY t TO STDOUT (FORMAT binary, NULL '')"), "42601 cannot specify NULL in BINARY mode");
  EXPECT_EQ(Refusal("COPY t TO STDOUT (FORMAT csv, FORCE_NOT_NULL (a))"),
            "0A000 COPY force not null only available using COPY FROM");
  EXPECT_EQ(Refusal("COPY t TO STDOUT (FORMAT csv, FORCE_QUOTE 'a')"),
            "22023 argument to option \"force_quote\" must be a list of column names");
  EXPECT_EQ(Refusal("COPY t TO STDOUT (ENCODING 'LATIN1')").substr(0, 45),
            "0A000 COPY ENCODING 'LATIN1' is not supported");
  EXPECT_EQ(Refusal("COPY t (a, a) TO STDOUT"), "42701 column \"a\" specified more than once");
}

TEST(CopyMessagesTest, CopyOutResponseDataDone) {
  std::string out;
  WriteCopyOutResponse(&out, 0, 2);
  EXPECT_EQ(out, std::string("H\0\0\0\x0b\0\0\x02\0\0\0\0", 12));
  out.clear();
  WriteCopyData(&out, "a\tb\n");
  EXPECT_EQ(out, std::string("d\0\0\0\x08"
                             "a\tb\n",
                             9));
  out.clear();
  WriteCopyDone(&out);
  EXPECT_EQ(out, std::string("c\0\0\0\x04", 5));
  out.clear();
  WriteCopyOutResponse(&out, 1, 1);
  EXPECT_EQ(out, std::string("H\0\0\0\x09\x01\0\x01\0\x01", 10));
}

}  // namespace
}  // namespace laminar::pgwire
