// The detail of an audit log row (service/access/audit.h): a few named values — names, scopes, tasks,
// sizes — never secrets, token values or hashes, nor webhook URLs. codec/audit_detail.h stores it as a
// JSON object.
#pragma once

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace driftgate::domain {

// A number, a string, a list of strings, or null (an absent optional).
class AuditValue {
 public:
  using Variant = std::variant<std::nullptr_t, std::int64_t, std::string, std::vector<std::string>>;

  // Implicit, so a detail reads as a braced list: {{"name", name}, {"size", size}}.
  AuditValue(std::nullptr_t) {}  // NOLINT(google-explicit-constructor)
  template <std::integral I>
  requires(!std::same_as<I, bool>) AuditValue(I n)
      : v_(static_cast<std::int64_t>(n)) {}                     // NOLINT(google-explicit-constructor)
  AuditValue(const char* s) : v_(std::string(s)) {}             // NOLINT(google-explicit-constructor)
  AuditValue(std::string_view s) : v_(std::string(s)) {}        // NOLINT(google-explicit-constructor)
  AuditValue(std::string s) : v_(std::move(s)) {}               // NOLINT(google-explicit-constructor)
  AuditValue(std::vector<std::string> v) : v_(std::move(v)) {}  // NOLINT(google-explicit-constructor)
  AuditValue(const std::optional<std::string>& s) {             // NOLINT(google-explicit-constructor)
    if (s) v_ = *s;
  }

  const Variant& value() const { return v_; }

 private:
  Variant v_{};
};

struct AuditMember {
  std::string key{};
  AuditValue value{nullptr};
};

// Members in any order; a key given twice keeps its last value.
using AuditDetail = std::vector<AuditMember>;

}  // namespace driftgate::domain
