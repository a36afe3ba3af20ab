#include "service/ingest/test_hooks.h"

#include <chrono>
#include <cstdlib>
#include <string>
#include <thread>

namespace driftgate::service {
namespace {

constexpr long kMaxDelayMs = 10000;

long DelayFromEnvironment() {
  const char* text = std::getenv("DRIFTGATE_TEST_LABEL_TX_DELAY_MS");
  if (text == nullptr) return 0;
  char* end = nullptr;
  const long ms = std::strtol(text, &end, 10);
  return (end != text && *end == '\0' && ms > 0 && ms <= kMaxDelayMs) ? ms : 0;
}

}  // namespace

void PauseInsideLabelTransaction() {
  static const long delay_ms = DelayFromEnvironment();  // read once; thread-safe initialization
  if (delay_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
}

}  // namespace driftgate::service
