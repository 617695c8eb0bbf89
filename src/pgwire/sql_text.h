// Lexical helpers over statement text, for the statement whose inner text pgwire needs and the
// parse tree does not locate: the statement after `PREPARE name [(types)] AS` (kept as text: it
// is parsed when the statement is prepared), and the session's SET/SHOW/transaction words. They follow
// PostgreSQL's lexer for what can hide a parenthesis or a keyword: string literals ('...' with ''
// doubled, E'...' with backslash escapes), quoted identifiers ("..." with "" doubled),
// dollar-quoted strings ($tag$...$tag$), -- line comments and nested /* */ comments.
//
// Thread safety: pure functions.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace laminar::pgwire {

// The offset of the first character at or after `i` that is not white space or a comment.
size_t SkipSpace(std::string_view sql, size_t i);

// The offset just past the token that starts at `i` (a literal, quoted identifier, dollar-quoted
// string, word, number or one other character). REQUIRES: i < sql.size(), not on space/comment.
size_t SkipToken(std::string_view sql, size_t i);

// The offset of the first token at or after `from`, outside parentheses opened after `from`, that
// is the unquoted word `word` (ASCII case-insensitive); nullopt when there is none.
std::optional<size_t> FindWord(std::string_view sql, size_t from, std::string_view word);

}  // namespace laminar::pgwire
