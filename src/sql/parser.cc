#include "sql/parser.h"

#include <pg_query.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <string>

namespace laminar::sql {
namespace {

using json = nlohmann::json;

// A lexical token of the input, just precise enough to find statement boundaries, the words at a
// statement's start and the extent of its text: string literals, quoted identifiers and dollar
// quotes are single tokens; comments and whitespace are not tokens.
enum class TokKind { kWord, kSemicolon, kOperator, kOther };
struct Token {
  TokKind kind;
  size_t begin, end;
};

bool IsIdentStart(unsigned char c) { return std::isalpha(c) || c == '_' || c >= 0x80; }
bool IsIdentChar(unsigned char c) { return IsIdentStart(c) || std::isdigit(c) || c == '$'; }

bool IsOperatorChar(unsigned char c) {
  return c != 0 &&
         std::string_view("+-*/<>=~!@#%^&|`?:").find(static_cast<char>(c)) != std::string_view::npos;
}

// Skips whitespace and comments from `i`; returns the next significant position.
size_t SkipSpace(std::string_view s, size_t i) {
  while (i < s.size()) {
    unsigned char c = s[i];
    if (std::isspace(c)) {
      i++;
    } else if (c == '-' && i + 1 < s.size() && s[i + 1] == '-') {
      while (i < s.size() && s[i] != '\n') i++;
    } else if (c == '/' && i + 1 < s.size() && s[i + 1] == '*') {
      int depth = 1;  // PostgreSQL block comments nest
      i += 2;
      while (i < s.size() && depth > 0) {
        if (s[i] == '/' && i + 1 < s.size() && s[i + 1] == '*') {
          depth++;
          i += 2;
        } else if (s[i] == '*' && i + 1 < s.size() && s[i + 1] == '/') {
          depth--;
          i += 2;
        } else {
          i++;
        }
      }
    } else {
      break;
    }
  }
  return i;
}

// End of a quoted token starting at `i` (s[i] == quote); doubled quotes escape, and so do
// backslashes when `backslash` (E'...' strings).
size_t QuotedEnd(std::string_view s, size_t i, char quote, bool backslash) {
  i++;
  while (i < s.size()) {
    if (backslash && s[i] == '\\') {
      i += 2;
    } else if (s[i] == quote) {
      if (i + 1 < s.size() && s[i + 1] == quote) {
        i += 2;
      } else {
        return i + 1;
      }
    } else {
      i++;
    }
  }
  return s.size();
}

std::vector<Token> Tokenize(std::string_view s) {
  std::vector<Token> out;
  size_t i = SkipSpace(s, 0);
  while (i < s.size()) {
    unsigned char c = s[i];
    size_t begin = i;
    TokKind kind = TokKind::kOther;
    if (c == ';') {
      kind = TokKind::kSemicolon;
      i++;
    } else if ((c == 'e' || c == 'E') && i + 1 < s.size() && s[i + 1] == '\'') {
      i = QuotedEnd(s, i + 1, '\'', true);
    } else if (IsIdentStart(c)) {
      while (i < s.size() && IsIdentChar(s[i])) i++;
      kind = TokKind::kWord;
    } else if (c == '\'') {
      i = QuotedEnd(s, i, '\'', false);
    } else if (c == '"') {
      i = QuotedEnd(s, i, '"', false);
    } else if (c == '$') {
      // Dollar quote $tag$...$tag$ (tag optional), else a parameter like $1.
      size_t j = i + 1;
      while (j < s.size() && (IsIdentStart(s[j]) || std::isdigit(static_cast<unsigned char>(s[j]))) &&
             !(j == i + 1 && std::isdigit(static_cast<unsigned char>(s[j]))))
        j++;
      if (j < s.size() && s[j] == '$') {
        std::string_view delim = s.substr(i, j - i + 1);
        size_t close = s.find(delim, j + 1);
        i = close == std::string_view::npos ? s.size() : close + delim.size();
      } else {
        i++;
        while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) i++;
      }
    } else if (IsOperatorChar(c)) {
      // A run of operator characters, as PostgreSQL lexes operators ("<=", "::", "||").
      while (i < s.size() && IsOperatorChar(s[i]) &&
             !(i > begin && (s.compare(i, 2, "--") == 0 || s.compare(i, 2, "/*") == 0)))
        i++;
      kind = TokKind::kOperator;
    } else if (std::isdigit(c)) {
      while (i < s.size() && (std::isalnum(static_cast<unsigned char>(s[i])) || s[i] == '.')) i++;
    } else {
      i++;
    }
    out.push_back({kind, begin, i});
    i = SkipSpace(s, i);
  }
  return out;
}

bool WordIs(std::string_view s, const Token& t, std::string_view word) {
  if (t.kind != TokKind::kWord || t.end - t.begin != word.size()) return false;
  for (size_t k = 0; k < word.size(); k++)
    if (std::tolower(static_cast<unsigned char>(s[t.begin + k])) != word[k]) return false;
  return true;
}

constexpr size_t kMaxOperators = 10000;

bool IsKeywordOperator(std::string_view s, const Token& t) {
  static const char* kWords[] = {"and",   "or",      "not",     "is", "isnull",  "notnull", "like",
                                 "ilike", "similar", "between", "in", "collate", "at",      "overlaps"};
  for (const char* w : kWords)
    if (WordIs(s, t, w)) return true;
  return false;
}

// Statements whose parse tree nests deeper than this many JSON levels (about half as many
// expression levels) are refused, as PostgreSQL refuses them with "stack depth limit exceeded":
// every later walk of the tree (copies, binding, evaluation) recurses per level.
constexpr int kMaxTreeDepth = 1000;

// Iteratively (a deep tree must not overflow the stack here) calls fn on every JSON object.
// Returns the tree's depth, stopping early once it passes kMaxTreeDepth.
template <typename Fn>
int ForEachObject(json& root, Fn&& fn) {
  std::vector<std::pair<json*, int>> pending = {{&root, 1}};
  int max_depth = 0;
  while (!pending.empty()) {
    auto [node, depth] = pending.back();
    pending.pop_back();
    max_depth = std::max(max_depth, depth);
    if (max_depth > kMaxTreeDepth) break;
    if (node->is_object()) fn(*node);
    if (node->is_object()) {
      for (auto& [key, child] : node->items())
        if (child.is_structured()) pending.push_back({&child, depth + 1});
    } else if (node->is_array()) {
      for (auto& child : *node)
        if (child.is_structured()) pending.push_back({&child, depth + 1});
    }
  }
  return max_depth;
}

// libpg_query 15 drops the value of zero and negative integer constants from its JSON output
// (pganalyze/libpg_query#243: `SELECT -5` gives "ival": {}). The constant's location points at
// its text (for a folded negation, at the minus sign), so the value is read back from there.
void FixIntegerConstant(json& node, std::string_view text) {
  auto it = node.find("A_Const");
  if (it != node.end() && it->is_object() && it->contains("ival") && (*it)["ival"].is_object() &&
      !(*it)["ival"].contains("ival") && it->contains("location")) {
    int64_t loc = (*it)["location"].get<int64_t>();
    if (loc >= 0 && static_cast<size_t>(loc) < text.size()) {
      size_t i = static_cast<size_t>(loc);
      bool negative = false;
      for (;;) {
        i = SkipSpace(text, i);
        if (i < text.size() && (text[i] == '-' || text[i] == '(' || text[i] == '+')) {
          if (text[i] == '-') negative = !negative;
          i++;
          continue;
        }
        break;
      }
      int64_t v = 0;
      bool digits = false;
      while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
        v = v * 10 + (text[i] - '0');  // fits: a larger literal would have been an fval
        digits = true;
        if (v > INT32_MAX) break;
        i++;
      }
      if (digits && v <= INT32_MAX) (*it)["ival"]["ival"] = negative ? -v : v;
    }
  }
}

}  // namespace

Result<std::vector<Statement>> Parse(std::string_view sql) {
  std::string text(sql);
  std::vector<Token> tokens = Tokenize(text);

  // libpg_query builds and prints its tree recursively, one level per operator in a chain such
  // as 1+1+...+1 (about 130 bytes of stack each: some 65,000 crash an 8 MB stack). Statements
  // with more operators than kMaxOperators are refused before they reach it.
  {
    size_t count = 0, stmt_no = 1;
    for (const Token& t : tokens) {
      if (t.kind == TokKind::kSemicolon) {
        count = 0;
        stmt_no++;
        continue;
      }
      if (t.kind == TokKind::kOperator || IsKeywordOperator(text, t)) count++;
      if (count > kMaxOperators)
        return InvalidArgument(ErrorCode::kProgramLimitExceeded,
                               "statement {} has too many operators (more than {})", stmt_no, kMaxOperators);
    }
  }

  // Pre-pass: CREATE OR REPLACE MATERIALIZED VIEW → blank out OR REPLACE (same length, so every
  // position PostgreSQL reports still points into the user's text) and remember where.
  std::vector<size_t> replace_starts;
  bool at_start = true;
  for (size_t k = 0; k < tokens.size(); k++) {
    if (tokens[k].kind == TokKind::kSemicolon) {
      at_start = true;
      continue;
    }
    if (at_start && k + 4 < tokens.size() && WordIs(text, tokens[k], "create") &&
        WordIs(text, tokens[k + 1], "or") && WordIs(text, tokens[k + 2], "replace") &&
        WordIs(text, tokens[k + 3], "materialized") && WordIs(text, tokens[k + 4], "view")) {
      for (size_t j = k + 1; j <= k + 2; j++)
        for (size_t p = tokens[j].begin; p < tokens[j].end; p++) text[p] = ' ';
      replace_starts.push_back(tokens[k].begin);
    }
    at_start = false;
  }

  PgQueryParseResult r = pg_query_parse(text.c_str());
  if (r.error) {
    std::string msg = r.error->message ? r.error->message : "syntax error";
    int pos = r.error->cursorpos;
    pg_query_free_parse_result(r);
    if (pos > 0) return InvalidArgument(ErrorCode::kSyntaxError, "{} (at character {})", msg, pos);
    return InvalidArgument(ErrorCode::kSyntaxError, "{}", msg);
  }
  json tree = json::parse(r.parse_tree ? r.parse_tree : "{}", nullptr, /*allow_exceptions=*/false);
  pg_query_free_parse_result(r);
  if (tree.is_discarded()) return Internal("libpg_query returned unreadable JSON");

  std::vector<Statement> out;
  if (!tree.contains("stmts")) return out;
  for (auto& raw : tree["stmts"]) {
    size_t loc = raw.value("stmt_location", 0);
    size_t len = raw.value("stmt_len", 0);
    size_t end = len == 0 ? text.size() : std::min(text.size(), loc + len);
    Statement st;
    if (!raw.contains("stmt") || !raw["stmt"].is_object() || raw["stmt"].empty()) continue;
    st.node = std::move(raw["stmt"]);
    st.kind = st.node.begin().key();
    if (ForEachObject(st.node, [&](json& obj) { FixIntegerConstant(obj, text); }) > kMaxTreeDepth)
      return InvalidArgument(ErrorCode::kProgramLimitExceeded,
                             "statement {} is nested too deeply (more than {} levels)", out.size() + 1,
                             kMaxTreeDepth / 2);
    // The text spans the first to the last token inside the statement's range, which drops
    // surrounding whitespace, comments and the ';'.
    size_t first = std::string::npos, last = 0;
    auto from = std::lower_bound(tokens.begin(), tokens.end(), loc,
                                 [](const Token& t, size_t pos) { return t.begin < pos; });
    for (auto t = from; t != tokens.end() && t->end <= end; ++t) {
      if (t->kind == TokKind::kSemicolon) continue;
      if (first == std::string::npos) first = t->begin;
      last = t->end;
    }
    if (first != std::string::npos) st.text.assign(sql.substr(first, last - first));
    for (size_t p : replace_starts)
      if (p >= loc && p < end) st.or_replace = true;
    out.push_back(std::move(st));
  }
  return out;
}

std::string FuncName(const json& func_call) {
  const json& names = Field(func_call, "funcname");
  return names.empty() ? std::string() : StringValue(names.back());
}

bool AnyNode(const json& node, const std::function<bool(const json&)>& pred) {
  if (node.is_object()) {
    if (pred(node)) return true;
    for (const auto& [k, v] : node.items())
      if (AnyNode(v, pred)) return true;
  } else if (node.is_array()) {
    for (const auto& v : node)
      if (AnyNode(v, pred)) return true;
  }
  return false;
}

int MaxParamNumber(const Statement& stmt) {
  int max = 0;
  AnyNode(stmt.node, [&](const json& n) {
    const json& p = Field(n, "ParamRef");
    if (p.is_object()) max = std::max(max, p.value("number", 0));
    return false;
  });
  return max;
}

const json& Field(const json& obj, const char* key) {
  static const json kNull;
  if (!obj.is_object()) return kNull;
  auto it = obj.find(key);
  return it == obj.end() ? kNull : *it;
}

std::string StringValue(const json& node) {
  if (!node.is_object()) return "";
  auto it = node.find("String");
  if (it == node.end() || !it->is_object()) return "";
  return it->value("sval", "");
}

std::string NameList(const json& list) {
  std::string out;
  if (!list.is_array()) return out;
  for (const auto& n : list) {
    if (!out.empty()) out += '.';
    out += StringValue(n);
  }
  return out;
}

std::string DescribeKind(const std::string& kind) {
  static const std::pair<const char*, const char*> kNames[] = {
      {"SelectStmt", "SELECT"},
      {"InsertStmt", "INSERT"},
      {"UpdateStmt", "UPDATE"},
      {"DeleteStmt", "DELETE"},
      {"MergeStmt", "MERGE"},
      {"CreateStmt", "CREATE TABLE"},
      {"CreateTableAsStmt", "CREATE MATERIALIZED VIEW"},
      {"DropStmt", "DROP"},
      {"ViewStmt", "CREATE VIEW"},
      {"IndexStmt", "CREATE INDEX"},
      {"AlterTableStmt", "ALTER TABLE"},
      {"RenameStmt", "ALTER ... RENAME"},
      {"TruncateStmt", "TRUNCATE"},
      {"CopyStmt", "COPY"},
      {"ExplainStmt", "EXPLAIN"},
      {"TransactionStmt", "transaction control (BEGIN/COMMIT/ROLLBACK)"},
      {"VariableSetStmt", "SET"},
      {"VariableShowStmt", "SHOW"},
      {"CreateSchemaStmt", "CREATE SCHEMA"},
      {"CreateSeqStmt", "CREATE SEQUENCE"},
      {"CreateFunctionStmt", "CREATE FUNCTION"},
      {"CreateSubscriptionStmt", "CREATE SUBSCRIPTION"},
      {"DropSubscriptionStmt", "DROP SUBSCRIPTION"},
      {"RefreshMatViewStmt", "REFRESH MATERIALIZED VIEW"},
      {"GrantStmt", "GRANT"},
      {"CreateRoleStmt", "CREATE ROLE"},
      {"DropdbStmt", "DROP DATABASE"},
      {"CreatedbStmt", "CREATE DATABASE"},
      {"VacuumStmt", "VACUUM"},
      {"DoStmt", "DO"},
      {"PrepareStmt", "PREPARE"},
      {"ExecuteStmt", "EXECUTE"},
      {"DeallocateStmt", "DEALLOCATE"},
      {"ListenStmt", "LISTEN"},
      {"NotifyStmt", "NOTIFY"},
      {"CommentStmt", "COMMENT"},
  };
  for (const auto& [k, name] : kNames)
    if (kind == k) return name;
  // Fallback: "AlterSystemStmt" → "ALTER SYSTEM".
  std::string base = kind;
  if (base.size() > 4 && base.compare(base.size() - 4, 4, "Stmt") == 0) base.resize(base.size() - 4);
  std::string out;
  for (size_t i = 0; i < base.size(); i++) {
    unsigned char c = base[i];
    if (i > 0 && std::isupper(c) && !std::isupper(static_cast<unsigned char>(base[i - 1]))) out += ' ';
    out += static_cast<char>(std::toupper(c));
  }
  return out;
}

}  // namespace laminar::sql
