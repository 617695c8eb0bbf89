// SQL argument checks shared by view definitions (catalog/) and queries over views (serving/).
//
// Thread safety: pure functions.
#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

#include "common/status.h"

namespace laminar::views {

// The q of approx_percentile(col, q): a numeric constant in [0, 1]. The array form
// (ARRAY[0.5, 0.9]) is Unimplemented; anything else is InvalidArgument naming `fn`.
Result<double> BindQuantileArg(const nlohmann::json& arg, std::string_view fn);

}  // namespace laminar::views
