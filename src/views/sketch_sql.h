// SQL argument checks shared by view definitions (catalog/) and queries over views (serving/).
//
// Thread safety: pure functions.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "common/types.h"

namespace laminar::views {

// The q of approx_percentile(col, q): a numeric constant in [0, 1]. The array form
// (ARRAY[0.5, 0.9]) is Unimplemented; anything else is InvalidArgument naming `fn`.
Result<double> BindQuantileArg(const nlohmann::json& arg, std::string_view fn);

// The quantiles of approx_percentile(col, q) or approx_percentile(col, ARRAY[q1, q2, ...]) (also
// percentile_cont/percentile_disc's argument): each a numeric constant in [0, 1]. *is_array tells
// which form was written. InvalidArgument naming `fn` otherwise.
Result<std::vector<double>> BindQuantiles(const nlohmann::json& arg, std::string_view fn, bool* is_array);

// Several results in PostgreSQL's array syntax, `{1.5,2.25,NULL}`: how Laminar returns the array
// forms (it has no array type).
std::string ArrayText(const std::vector<Value>& values);

}  // namespace laminar::views
