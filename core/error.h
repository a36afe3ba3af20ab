// The one error vocabulary of driftgate (after absl::Status). Recoverable failures travel as values
// (`Result<T>`), never as sentinels; the api layer maps `ErrorCode` to an HTTP status in one place.
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace driftgate {

enum class ErrorCode {
  kInvalidArgument,  // 400: the caller sent something wrong; `field` names it
  kUnauthorized,     // 401
  kForbidden,        // 403
  kNotFound,         // 404
  kConflict,         // 409
  kPayloadTooLarge,  // 413
  kTooManyRequests,  // 429
  kUnavailable,      // 503: try again later (database down, shutting down)
  kInternal,         // 500: a bug; the detail is logged, never sent
};

// How an error names the JSON member `key` of the object at `parent` ("" for the top level):
// "parent.key", or the key alone at the top. An empty key is written `""`, so the field an error names is
// never blank (ingest_fuzz found `{"": ...}` answered with an empty field).
inline std::string MemberPath(const std::string& parent, const std::string& key) {
  const std::string name = key.empty() ? std::string("\"\"") : key;
  return parent.empty() ? name : parent + "." + name;
}

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;  // client-visible, names the offending field or parameter
  std::string field;    // JSON pointer-ish path of the offending input, empty when not applicable

  static Error Invalid(std::string field, std::string message) {
    return Error{ErrorCode::kInvalidArgument, std::move(message), std::move(field)};
  }
  static Error NotFound(std::string message) { return Error{ErrorCode::kNotFound, std::move(message), {}}; }
  static Error Conflict(std::string message, std::string field = {}) {
    return Error{ErrorCode::kConflict, std::move(message), std::move(field)};
  }
};

// A value or an Error (Abseil TotW #171 style; std::expected is C++23).
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}      // NOLINT(google-explicit-constructor)
  Result(Error error) : v_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  const Error& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

// For operations that return nothing but may fail.
struct Ok {};
using Status = Result<Ok>;

}  // namespace driftgate
