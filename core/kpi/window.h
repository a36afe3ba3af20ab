// The KPI window of the evaluator (README.md "What it does"): the last `capacity` labelled pairs
// (evaluation.window), oldest first. When a detector signals drift the evaluator keeps only the pairs after
// the change point (KeepLast). A ring buffer: Push is O(1) and moves the pair in, no reallocation once full.
#pragma once

#include <cstddef>
#include <iterator>
#include <span>
#include <vector>

#include "core/kpi/metrics.h"

namespace driftgate::kpi {

class Window {
 public:
  // Capacity 0 is a window that never holds anything.
  explicit Window(std::size_t capacity) : capacity_(capacity) {}

  // Appends the newest pair; when full, drops the oldest.
  void Push(Pair pair);
  void Clear();
  // Keeps only the `k` most recent pairs (all of them when k >= size()).
  void KeepLast(std::size_t k);

  std::size_t size() const { return buffer_.size(); }
  std::size_t capacity() const { return capacity_; }
  bool empty() const { return buffer_.empty(); }
  // i-th pair in arrival order, 0 the oldest. Precondition: i < size().
  const Pair& operator[](std::size_t i) const { return buffer_[(head_ + i) % buffer_.size()]; }

  // Copy of the pairs in arrival order.
  std::vector<Pair> Snapshot() const;
  // Rotates the storage so the pairs are contiguous in arrival order and returns them as a span for
  // kpi::Compute without copying. The span is valid until the next non-const call.
  std::span<const Pair> Linearize();

  class const_iterator {
   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = Pair;
    using difference_type = std::ptrdiff_t;
    using pointer = const Pair*;
    using reference = const Pair&;

    const_iterator() = default;
    reference operator*() const { return (*window_)[index_]; }
    pointer operator->() const { return &(*window_)[index_]; }
    const_iterator& operator++() {
      ++index_;
      return *this;
    }
    const_iterator operator++(int) {
      const_iterator before = *this;
      ++index_;
      return before;
    }
    friend bool operator==(const const_iterator& a, const const_iterator& b) {
      return a.window_ == b.window_ && a.index_ == b.index_;
    }

   private:
    friend class Window;
    const_iterator(const Window* window, std::size_t index) : window_(window), index_(index) {}
    const Window* window_ = nullptr;
    std::size_t index_ = 0;
  };

  const_iterator begin() const { return {this, 0}; }
  const_iterator end() const { return {this, size()}; }

 private:
  std::size_t capacity_;
  std::vector<Pair> buffer_;  // grows to capacity_, then overwritten in place
  std::size_t head_ = 0;      // index of the oldest pair in buffer_ (0 until the buffer is full)
};

}  // namespace driftgate::kpi
