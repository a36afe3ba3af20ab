// The request head of HTTP/1.x (RFC 9112 §2-§6): the request line and the header fields, parsed once the
// whole head has arrived (api/http/request_framer.h finds its end and applies the size limits). Pure.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <variant>

#include "api/http/request_framer.h"

namespace driftgate::api {

// Parses a request head (everything before the empty line, without it). Exposed for tests.
// `cost` grows by the bytes examined.
std::variant<FramedRequest, FrameError> ParseRequestHead(std::string_view head, const FramerLimits& limits,
                                                         std::optional<std::uint64_t>* content_length,
                                                         bool* chunked, std::size_t* cost);

// Helpers shared with the framer: ASCII lower case, optional whitespace trimmed (SP, HTAB), and whether a
// field value holds a control character other than HTAB (RFC 9110 §5.5).
char Lower(char c);
std::string_view TrimOws(std::string_view s);
bool HasControlChar(std::string_view s);

}  // namespace driftgate::api
