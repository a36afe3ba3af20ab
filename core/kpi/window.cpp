#include "core/kpi/window.h"

#include <algorithm>
#include <iterator>
#include <utility>

namespace driftgate::kpi {

void Window::Push(Pair pair) {
  if (capacity_ == 0) return;
  if (buffer_.size() < capacity_) {
    buffer_.push_back(std::move(pair));
    return;
  }
  buffer_[head_] = std::move(pair);  // overwrite the oldest
  head_ = (head_ + 1) % capacity_;
}

void Window::Clear() {
  buffer_.clear();
  head_ = 0;
}

void Window::KeepLast(std::size_t k) {
  if (k >= buffer_.size()) return;
  Linearize();
  buffer_.erase(buffer_.begin(), buffer_.end() - static_cast<std::ptrdiff_t>(k));
}

std::vector<Pair> Window::Snapshot() const {
  std::vector<Pair> pairs;
  pairs.reserve(buffer_.size());
  pairs.insert(pairs.end(), buffer_.begin() + static_cast<std::ptrdiff_t>(head_), buffer_.end());
  pairs.insert(pairs.end(), buffer_.begin(), buffer_.begin() + static_cast<std::ptrdiff_t>(head_));
  return pairs;
}

std::span<const Pair> Window::Linearize() {
  std::rotate(buffer_.begin(), buffer_.begin() + static_cast<std::ptrdiff_t>(head_), buffer_.end());
  head_ = 0;
  return buffer_;
}

}  // namespace driftgate::kpi
