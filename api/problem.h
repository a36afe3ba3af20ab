// The one mapping from driftgate's error vocabulary to HTTP (RFC 9457 problem+json). Client-visible
// text is the Error's message; internal details are logged by the caller and never sent.
#pragma once

#include <string>

#include "api/http/http_types.h"
#include "core/error.h"

namespace driftgate::api {

int HttpStatus(ErrorCode code);
Response Problem(const Error& error);
Response Problem(int status, const std::string& detail, const std::string& field = "");

}  // namespace driftgate::api
