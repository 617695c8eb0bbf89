// sql/regex.h: PostgreSQL's regular expression syntax on RE2. Expected answers are PostgreSQL
// 15's (`text ~ pattern`, regexp_replace) unless a test says it checks a refusal.
#include "sql/regex.h"

#include <gtest/gtest.h>

namespace laminar::sql {
namespace {

// Whether `pattern` (with `flags`) matches `text`; "ERROR: <message>" when it does not compile.
std::string Match(std::string_view text, std::string_view pattern, std::string_view flags = "") {
  RegexOptions o;
  Status st = RegexOptions::Parse(flags, &o);
  if (!st.ok()) return "ERROR: " + st.message();
  auto re = Regex::Compile(pattern, o);
  if (!re.ok()) return "ERROR: " + re.status().message();
  return (*re)->Matches(text) ? "t" : "f";
}

TEST(RegexTest, PostgresEscapes) {
  EXPECT_EQ("t", Match("a.b", "a\\.b"));
  EXPECT_EQ("f", Match("axb", "a\\.b"));
  EXPECT_EQ("t", Match("foo123", "\\d+$"));
  EXPECT_EQ("f", Match("foo bar", "foo\\ybar"));  // \y: a word boundary
  EXPECT_EQ("t", Match("foo bar", "foo\\y \\ybar"));
  EXPECT_EQ("t", Match("foobar", "o\\Yb"));
  EXPECT_EQ("t", Match("a\bb", "a\\bb"));  // \b is a backspace, not a boundary
  EXPECT_EQ("t", Match("end", "end\\Z"));
  EXPECT_EQ("t", Match("\xC3\xA9", "\\u00e9"));
  EXPECT_EQ("t", Match("\xC3\xA9", "\\xe9"));
  EXPECT_EQ("t", Match("a\tb", "a\\sb"));
  EXPECT_EQ("t", Match("a\vb", "a\\sb"));  // \s includes the vertical tab, as PostgreSQL's
  EXPECT_EQ("t", Match("a b", "a\\ b"));  // an escaped non-letter is itself
  EXPECT_EQ("t", Match("a\\b", "a\\Bb"));  // \B: a backslash
  EXPECT_EQ("t", Match("\x01", "\\cA"));
  EXPECT_EQ("t", Match("\n", "\\012"));  // octal
  EXPECT_EQ("ERROR: invalid regular expression: invalid escape \\ sequence", Match("a", "\\q"));
  EXPECT_EQ("ERROR: invalid regular expression: invalid escape \\ sequence", Match("a", "a\\"));
}

TEST(RegexTest, BracketExpressions) {
  EXPECT_EQ("t", Match("x", "[[:alpha:]]"));
  EXPECT_EQ("f", Match("1", "[[:alpha:]]"));
  EXPECT_EQ("t", Match("-", "[a\\-z]"));
  EXPECT_EQ("t", Match("]", "[]a]"));
  EXPECT_EQ("t", Match("^", "[x^]"));
  EXPECT_EQ("t", Match("e", "[[=e=]]"));
  EXPECT_EQ("t", Match(".", "[[...]]"));
  EXPECT_EQ("t", Match(" ", "[\\s]"));
  EXPECT_EQ("t", Match("a", "[\\S]"));
  EXPECT_EQ("t", Match("\xC3\xA9", "[\xC3\xA0-\xC3\xBF]"));
  EXPECT_EQ("ERROR: invalid regular expression: invalid character class", Match("a", "[[:foo:]]"));
  EXPECT_EQ("ERROR: invalid regular expression: brackets [] not balanced", Match("a", "[z"));
  EXPECT_EQ("ERROR: invalid regular expression: invalid character range", Match("a", "[z-a]"));
}

TEST(RegexTest, QuantifiersAndGroups) {
  EXPECT_EQ("t", Match("abab", "^(ab){2}$"));
  EXPECT_EQ("t", Match("a{x", "a{x"));  // { not followed by a digit is itself
  EXPECT_EQ("t", Match("ab", "(?:a)b"));
  EXPECT_EQ("t", Match("ab", "a(?#comment)b"));
  EXPECT_EQ("ERROR: invalid regular expression: parentheses () not balanced", Match("a", "("));
  EXPECT_EQ("ERROR: invalid regular expression: parentheses () not balanced", Match("a", "a)"));
  EXPECT_EQ("ERROR: invalid regular expression: invalid repetition count(s)", Match("a", "a{3,1}"));
  EXPECT_EQ("ERROR: invalid regular expression: invalid repetition count(s)", Match("a", "a{256}"));
  EXPECT_EQ("ERROR: invalid regular expression: braces {} not balanced", Match("a", "a{2"));
  EXPECT_EQ("ERROR: invalid regular expression: quantifier operand invalid", Match("a", "*"));
  EXPECT_EQ("ERROR: invalid regular expression: quantifier operand invalid", Match("a", "a**"));
  EXPECT_EQ("ERROR: invalid regular expression: quantifier operand invalid", Match("a", "x(?i)A"));
  EXPECT_EQ("ERROR: invalid regular expression: invalid backreference number", Match("a", "\\1"));
}

TEST(RegexTest, OptionsAndDirectors) {
  EXPECT_EQ("t", Match("AB", "(?i)ab"));
  EXPECT_EQ("f", Match("AB", "(?c)ab", "i"));  // an embedded option wins over the flags
  EXPECT_EQ("t", Match("AB", "ab", "i"));
  EXPECT_EQ("f", Match("ab", "***=a."));
  EXPECT_EQ("t", Match("a.", "***=a."));
  EXPECT_EQ("t", Match("a.", "a.", "q"));
  EXPECT_EQ("t", Match("abc", "a b  c # comment", "x"));
  EXPECT_EQ("ERROR: invalid regular expression: invalid embedded option", Match("a", "(?z)a"));
  EXPECT_EQ("ERROR: invalid regular expression option: \"z\"", Match("a", "a", "z"));
}

TEST(RegexTest, CaseInsensitiveFoldsAsciiOnly) {
  EXPECT_EQ("t", Match("ABC", "abc", "i"));
  EXPECT_EQ("t", Match("ABC", "[a-c]+$", "i"));
  EXPECT_EQ("t", Match("x", "[^A-W]", "i"));
  EXPECT_EQ("f", Match("b", "[^A-W]", "i"));
  EXPECT_EQ("t", Match("q", "[[:upper:]]", "i"));
  EXPECT_EQ("t", Match("Z", "[Z-a]", "i"));
  EXPECT_EQ("t", Match("A", "\\x61", "i"));
  EXPECT_EQ("f", Match("\xC3\x80\xC3\x89", "[\xC3\xA9]", "i"));  // É is not é in the C locale
  EXPECT_EQ("t", Match("\xC3\xA9", "\xC3\xA9", "i"));
}

TEST(RegexTest, Newlines) {
  // By default a newline is an ordinary character; 'n' makes . and [^...] stop at it and ^ $
  // match at line boundaries; 'p' and 'w' do one half each.
  EXPECT_EQ("t", Match("a\nb", "a.b"));
  EXPECT_EQ("f", Match("a\nb", "^b"));
  EXPECT_EQ("t", Match("a\nb", "^b", "n"));
  EXPECT_EQ("f", Match("a\nb", "a.b", "n"));
  EXPECT_EQ("f", Match("a\nb", "a[^x]b", "n"));
  EXPECT_EQ("f", Match("a\nb", "a\\Wb", "n"));
  EXPECT_EQ("f", Match("a\nb", "a.b", "p"));
  EXPECT_EQ("f", Match("a\nb", "^b", "p"));
  EXPECT_EQ("t", Match("a\nb", "a.b", "w"));
  EXPECT_EQ("t", Match("a\nb", "^b", "w"));
}

TEST(RegexTest, RefusedFeaturesAreNamed) {
  for (const char* p : {"(a)\\1", "a(?=b)", "a(?!b)", "(?<=a)b", "(?<!a)b", "\\mab", "ab\\M", "[[:<:]]a"}) {
    auto re = Regex::Compile(p, RegexOptions{});
    ASSERT_FALSE(re.ok()) << p;
    EXPECT_EQ(StatusCode::kUnimplemented, re.status().code()) << p;
    EXPECT_EQ(ErrorCode::kFeatureNotSupported, re.status().error_code()) << p;
    EXPECT_NE(std::string::npos, re.status().message().find("are not supported")) << re.status().message();
  }
  RegexOptions basic;
  ASSERT_TRUE(RegexOptions::Parse("e", &basic).ok());
  EXPECT_EQ(StatusCode::kUnimplemented, Regex::Compile("a", basic).status().code());
}

TEST(RegexTest, FindReportsGroupsAndLongestMatch) {
  auto re = Regex::Compile("a|ab", RegexOptions{});
  ASSERT_TRUE(re.ok());
  std::string_view g[1];
  ASSERT_TRUE((*re)->Find("xab", 0, g, 1));
  EXPECT_EQ("ab", g[0]);  // PostgreSQL's greedy REs take the longest match
  auto groups = Regex::Compile("(x)?(b)", RegexOptions{});
  ASSERT_TRUE(groups.ok());
  EXPECT_EQ(2, (*groups)->groups());
  std::string_view text = "abab", gg[3];
  ASSERT_TRUE((*groups)->Find(text, 2, gg, 3));
  EXPECT_EQ(3, gg[0].data() - text.data());  // the second b
  EXPECT_EQ(nullptr, gg[1].data());  // took no part
  EXPECT_EQ("b", gg[2]);
  auto anchored = Regex::Compile("^a", RegexOptions{});
  ASSERT_TRUE(anchored.ok());
  EXPECT_FALSE((*anchored)->Find("aa", 1, g, 1)) << "^ does not match where a search starts";
}

TEST(RegexTest, CacheReturnsTheSameCompiledPattern) {
  RegexOptions o;
  auto a = Regex::Cached("x+y", o);
  auto b = Regex::Cached("x+y", o);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->get(), b->get());
  o.icase = true;
  auto c = Regex::Cached("x+y", o);
  ASSERT_TRUE(c.ok());
  EXPECT_NE(a->get(), c->get());
}

}  // namespace
}  // namespace laminar::sql
