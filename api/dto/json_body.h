// Request body text -> JSON document, with the checks a DOM parser alone would skip (RFC 8259 leaves
// duplicate member names undefined; nlohmann keeps the last one silently):
//   - a member name repeated inside one object -> 400 naming its path (`records[0].id`);
//   - a number beyond double's range (1e400) -> 400 "number out of range" naming its path;
//   - nesting deeper than `max_depth` -> 400 on `body`; anything else that is not JSON (a raw NUL byte
//     included, which nlohmann would take for the end of the input) -> 400 on `body`.
// One pass: a SAX handler builds the document and tracks the path it is at.
#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

#include "core/error.h"

namespace driftgate::api::dto {

Result<nlohmann::json> ParseJsonBody(std::string_view body, std::size_t max_depth);

}  // namespace driftgate::api::dto
