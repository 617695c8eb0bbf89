// One-dimensional arrays in PostgreSQL's text form ({a,"b c",NULL}): Laminar has no array type;
// an array is text in this form, and the array operators and functions (ANY/ALL, subscripts,
// array_upper, array_to_string, unnest, ...) read it (docs/sql.md, "Arrays"). Records (the rows
// a record-valued function such as _pg_expandarray returns) are text too, in PostgreSQL's form
// (a,"b c",): a field is read with (r).name.
//
// Thread safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace laminar::sql {

// An array's elements as text; nullopt is a NULL element.
using ArrayElems = std::vector<std::optional<std::string>>;

// Parses a one-dimensional array literal ('{a,"b c",NULL}', blanks around elements ignored).
// InvalidArgument (22P02, `malformed array literal: "..."`) when malformed; Unimplemented for
// several dimensions or explicit bounds ('[0:1]={a,b}').
Result<ArrayElems> ParseArray(std::string_view text);
// The text form: elements quoted when they need it (empty, NULL, blanks, {},", \).
std::string FormatArray(const ArrayElems& elems);

// A record's fields, in PostgreSQL's record text form: `(1,"a b",)` (an empty field is NULL;
// quoted when empty or holding blanks, commas, parentheses, quotes or backslashes).
std::string FormatRecord(const ArrayElems& fields);
// Parses the record text form. InvalidArgument (22P02, `malformed record literal: "..."`).
Result<ArrayElems> ParseRecord(std::string_view text);

}  // namespace laminar::sql
