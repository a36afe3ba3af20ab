// One spelling per class. A classification target or a class key of a score object names its class by a
// canonical string, so `1`, `1.0`, `"1"`, `"1.0"` and `"1e0"` are the same class "1":
//   - a number (or a string that spells a JSON number, RFC 8259 section 6) of magnitude at most 1e15 is
//     written without a fraction when integral ("1", "-3") and otherwise in its shortest round-trip form
//     ("0.5");
//   - any other string is its own class ("cat", "01", " 1").
#pragma once

#include <string>
#include <string_view>

namespace driftgate::domain {

// The canonical class of a number.
std::string CanonicalClass(double v);

// The canonical class of a class given as a string.
std::string CanonicalClassText(std::string_view text);

}  // namespace driftgate::domain
