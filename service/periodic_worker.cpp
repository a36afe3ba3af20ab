#include "service/periodic_worker.h"

#include <spdlog/spdlog.h>

namespace driftgate::service {

PeriodicWorker::PeriodicWorker(std::string name, Task task, std::chrono::milliseconds retry_after)
    : name_(std::move(name)),
      task_(std::move(task)),
      retry_after_(retry_after),
      thread_([this] { Loop(); }) {}

PeriodicWorker::~PeriodicWorker() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void PeriodicWorker::Wake() {
  {
    std::lock_guard lock(mu_);
    woken_ = true;
  }
  cv_.notify_all();
}

void PeriodicWorker::Loop() {
  for (;;) {
    {
      std::lock_guard lock(mu_);
      if (stopping_) return;
      woken_ = false;
    }
    std::chrono::milliseconds delay = retry_after_;
    try {
      delay = task_();
    } catch (const std::exception& e) {
      spdlog::warn("{}: {}", name_, e.what());
    } catch (...) {
      spdlog::warn("{}: unknown error", name_);
    }
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, delay, [this] { return stopping_ || woken_; });
  }
}

}  // namespace driftgate::service
