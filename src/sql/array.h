// One-dimensional arrays in PostgreSQL's text form ({a,"b c",NULL}): Laminar has no array type;
// an array is text in this form, and the array operators and functions (ANY/ALL, subscripts,
// array_upper, array_to_string, unnest, ...) read it (docs/sql.md, "Arrays").
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

}  // namespace laminar::sql
