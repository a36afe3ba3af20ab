// A background thread that runs one task now and then again after the delay the task returns, until the
// worker is destroyed. Between runs it sleeps on a condition variable: no polling, so an idle worker costs
// no CPU, and destruction wakes it at once (it then waits only for a run in progress to finish).
//
// Used for work that must stay off the request path, such as the database figures behind GET /metrics:
// a scrape reads what the last run published and never waits for the database.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace driftgate::service {

class PeriodicWorker {
 public:
  // `task` returns how long to sleep before its next run. It must not throw (exceptions are caught and
  // logged with `name`, then the worker retries after `retry_after`).
  using Task = std::function<std::chrono::milliseconds()>;

  PeriodicWorker(std::string name, Task task,
                 std::chrono::milliseconds retry_after = std::chrono::seconds(5));
  ~PeriodicWorker();
  PeriodicWorker(const PeriodicWorker&) = delete;
  PeriodicWorker& operator=(const PeriodicWorker&) = delete;

  // Runs the task as soon as possible (e.g. after an event that changed what it computes).
  void Wake();

 private:
  void Loop();

  std::string name_;
  Task task_;
  std::chrono::milliseconds retry_after_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  bool woken_ = false;
  std::thread thread_;  // last: started once every member above is ready
};

// The background thread of a component that is started and stopped by its owner (the server starts its
// dispatcher, drift monitor and retention after the listener is up and stops them before the pool goes).
// Start after Stop starts a new thread. Declare it as the owner's last member, so that it stops before
// anything its task uses is destroyed.
class BackgroundWorker {
 public:
  explicit BackgroundWorker(std::string name) : name_(std::move(name)) {}
  ~BackgroundWorker() { Stop(); }
  BackgroundWorker(const BackgroundWorker&) = delete;
  BackgroundWorker& operator=(const BackgroundWorker&) = delete;

  // Runs `task` on its own thread (PeriodicWorker) unless one runs already.
  void Start(PeriodicWorker::Task task);
  // Waits for a run in progress, then ends the thread. The task may call Wake but never Stop.
  void Stop();
  // Runs the task again as soon as possible; nothing when stopped.
  void Wake();

 private:
  std::string name_;
  std::mutex mu_;
  std::unique_ptr<PeriodicWorker> worker_;
};

}  // namespace driftgate::service
