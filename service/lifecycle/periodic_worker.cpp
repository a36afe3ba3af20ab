#include "service/lifecycle/periodic_worker.h"

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

void BackgroundWorker::Start(PeriodicWorker::Task task) {
  std::lock_guard lock(mu_);
  if (!worker_) worker_ = std::make_unique<PeriodicWorker>(name_, std::move(task));
}

void BackgroundWorker::Stop() {
  std::unique_ptr<PeriodicWorker> stopping;
  {
    std::lock_guard lock(mu_);
    stopping = std::move(worker_);
  }
  stopping.reset();  // joins outside the lock: a run in progress may still call Wake
}

void BackgroundWorker::Wake() {
  std::lock_guard lock(mu_);
  if (worker_) worker_->Wake();
}

}  // namespace driftgate::service
