// Base64 (RFC 4648, the standard alphabet, with padding): what AWS's JSON APIs (Firehose
// deliveries, Kinesis records) carry binary data in.
//
// Thread safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"

namespace laminar {

// The bytes `in` encodes. InvalidArgument ("not base64: ...") for a length that is not a multiple
// of 4, a character outside the alphabet, or padding anywhere but at the end.
Result<std::string> Base64Decode(std::string_view in);
std::string Base64Encode(std::string_view in);

}  // namespace laminar
