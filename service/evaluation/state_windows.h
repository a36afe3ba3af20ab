// The segments' windows of a stored evaluation state, read from their chunks (segment_windows.h) for the
// state codec (codec/state_codec.h), which knows each window's `fed` and `size` but not where it is kept.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "codec/state_codec.h"
#include "service/evaluation/segment_windows.h"

namespace driftgate::service {

// A loader over `chunks` (LoadSegmentWindows), which must outlive it; a segment without chunks has an
// empty window.
codec::WindowLoader WindowsFromChunks(const std::map<std::string, std::vector<DecodedChunk>>& chunks);

}  // namespace driftgate::service
