// libFuzzer target: bytes from a client socket -> api::RequestFramer (api/http/request_framer.h), the first
// code that sees a request, before authentication.
//
// The first input byte picks the read size (1..256 bytes per Feed, as a socket might deliver them) and
// the limits (tight ones make the 414/431/413 branches reachable with small inputs). Checked beyond "no
// crash, no leak, no UB":
// - linear time: cost() <= kCostPerByte * bytes fed + kCostConstant, whatever the read sizes;
// - bounded memory: buffered() never exceeds the head cap plus the body limit plus one read;
// - framing does not depend on read sizes: the same bytes fed at once give the same requests and the
//   same error;
// - after an error nothing more is ever framed; errors are 4xx/5xx from the documented set.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <variant>
#include <vector>

#include "api/http/request_framer.h"

namespace {

using driftgate::api::FramedRequest;
using driftgate::api::FrameError;
using driftgate::api::FramerLimits;
using driftgate::api::NeedMore;
using driftgate::api::RequestFramer;

#define FUZZ_CHECK(cond)                                                                                 \
  do {                                                                                                   \
    if (!(cond)) {                                                                                       \
      std::fprintf(stderr, "http_head_fuzz: invariant failed: %s (%s:%d)\n", #cond, __FILE__, __LINE__); \
      std::abort();                                                                                      \
    }                                                                                                    \
  } while (0)

// One line per event: what a connection would see.
std::vector<std::string> Frame(const std::string& input, std::size_t piece, const FramerLimits& limits) {
  RequestFramer framer(limits);
  std::vector<std::string> events;
  bool failed = false;
  std::size_t fed = 0;
  for (std::size_t i = 0; i < input.size(); i += piece) {
    const std::string_view part = std::string_view(input).substr(i, piece);
    framer.Feed(part);
    fed += part.size();
    for (;;) {
      auto next = framer.Next();
      if (std::holds_alternative<NeedMore>(next)) break;
      FUZZ_CHECK(!failed);
      if (auto* e = std::get_if<FrameError>(&next)) {
        FUZZ_CHECK(e->status == 400 || e->status == 413 || e->status == 414 || e->status == 431 ||
                   e->status == 501 || e->status == 505);
        FUZZ_CHECK(!e->detail.empty() && !e->field.empty());
        failed = true;
        events.push_back("error " + std::to_string(e->status));
      } else {
        const auto& r = std::get<FramedRequest>(next);
        FUZZ_CHECK(!r.method.empty());
        FUZZ_CHECK(!r.path.empty() && (r.path[0] == '/' || r.path == "*"));
        FUZZ_CHECK(r.body.size() <= limits.max_body);
        FUZZ_CHECK(r.minor_version == 0 || r.minor_version == 1);
        events.push_back(r.method + " " + r.path + "?" + r.query + " " + std::to_string(r.body.size()) + " " +
                         std::to_string(r.keep_alive) + " " + r.authorization + " " + r.body);
      }
    }
    FUZZ_CHECK(framer.buffered() <= limits.max_head + limits.max_body + piece + 4);
    FUZZ_CHECK(framer.cost() <= RequestFramer::kCostPerByte * fed + RequestFramer::kCostConstant);
  }
  return events;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const std::size_t piece = 1 + data[0];
  const bool tight = (data[0] & 1) != 0;
  const std::string input(reinterpret_cast<const char*>(data + 1), size - 1);
  const FramerLimits limits =
      tight ? FramerLimits{.max_request_line = 64, .max_head = 256, .max_fields = 8, .max_body = 512}
            : FramerLimits{};
  const auto pieces = Frame(input, piece, limits);
  const auto whole = Frame(input, input.size() + 1, limits);
  FUZZ_CHECK(pieces == whole);
  return 0;
}
