// A binary encoding of a ViewState: how the batch layer stores a view version on disk
// (views/<view>/…, docs/formats/views.md).
//
// Layout (little endian): u64 group count; per group, each dimension Value then each measure's
// AggState (i64 count, i128 isum as two u64, the ExactSum's partials and inf/NaN counts, the
// extreme Value; then, for approx_count_distinct / approx_percentile measures only, the sketch
// with its own format byte). A Value is a tag byte (0 NULL, 1 + Type) and its payload (i64, f64 bits, or
// u32 length + bytes). The encoding carries no checksum: the container (batch/version_store.h)
// checksums it. Decode checks every length against the input and the view definition (dimension
// and measure counts, value types), so damaged input gives Corruption, never a crash.
//
// Thread safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"
#include "views/view_state.h"

namespace laminar::views {

void EncodeViewState(const ViewState& state, std::string* out);
Result<ViewState> DecodeViewState(std::string_view data, const ViewDefPtr& def);

}  // namespace laminar::views
