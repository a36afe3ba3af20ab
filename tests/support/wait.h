// Waits for a condition with a deadline, checking it every few milliseconds — for state another thread
// or process commits (a delivery recorded in PostgreSQL), never a fixed sleep.
#pragma once

#include <chrono>
#include <functional>
#include <thread>

namespace driftgate::test_support {

inline bool WaitUntil(const std::function<bool()>& condition, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!condition()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}

}  // namespace driftgate::test_support
