#include "api/problem.h"

#include <nlohmann/json.hpp>

namespace driftgate::api {
namespace {

const char* Title(int status) {
  switch (status) {
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 409:
      return "Conflict";
    case 413:
      return "Content Too Large";
    case 415:
      return "Unsupported Media Type";
    case 429:
      return "Too Many Requests";
    case 503:
      return "Service Unavailable";
    default:
      return status >= 500 ? "Internal Server Error" : "Error";
  }
}

const char* Slug(int status) {
  switch (status) {
    case 400:
      return "invalid-request";
    case 401:
      return "unauthorized";
    case 403:
      return "forbidden";
    case 404:
      return "not-found";
    case 405:
      return "method-not-allowed";
    case 409:
      return "conflict";
    case 413:
      return "too-large";
    case 415:
      return "unsupported-media-type";
    case 429:
      return "rate-limited";
    case 503:
      return "unavailable";
    default:
      return "internal";
  }
}

}  // namespace

int HttpStatus(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument:
      return 400;
    case ErrorCode::kUnauthorized:
      return 401;
    case ErrorCode::kForbidden:
      return 403;
    case ErrorCode::kNotFound:
      return 404;
    case ErrorCode::kConflict:
      return 409;
    case ErrorCode::kPayloadTooLarge:
      return 413;
    case ErrorCode::kTooManyRequests:
      return 429;
    case ErrorCode::kUnavailable:
      return 503;
    case ErrorCode::kInternal:
      return 500;
  }
  return 500;
}

Response Problem(int status, const std::string& detail, const std::string& field) {
  nlohmann::json body{{"type", std::string("https://driftgate.dev/problems/") + Slug(status)},
                      {"title", Title(status)},
                      {"status", status},
                      {"detail", detail}};
  if (!field.empty()) body["field"] = field;
  Response r{.status = status,
             .body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
             .content_type = "application/problem+json"};
  if (status == 401) r.headers.emplace_back("WWW-Authenticate", "Bearer");
  if (status == 503) r.headers.emplace_back("Retry-After", "1");
  return r;
}

Response Problem(const Error& error) {
  const int status = HttpStatus(error.code);
  return Problem(status, status == 500 ? "internal error" : error.message, error.field);
}

}  // namespace driftgate::api
