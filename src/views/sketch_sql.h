// How Laminar writes several results of a sketch (approx_percentile with an array of quantiles).
//
// Thread safety: pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "common/types.h"

namespace laminar::views {

// Several results in PostgreSQL's array syntax, `{1.5,2.25,NULL}`: how Laminar returns the array
// forms (it has no array type).
std::string ArrayText(const std::vector<Value>& values);

}  // namespace laminar::views
