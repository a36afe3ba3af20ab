// The KPI window ring buffer (core/kpi/window.h).
#include "core/kpi/window.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace driftgate::kpi {
namespace {

Pair Numbered(int i) {
  Pair pair;
  pair.predicted = std::to_string(i);
  return pair;
}

std::vector<std::string> Ids(const std::vector<Pair>& pairs) {
  std::vector<std::string> ids;
  for (const Pair& pair : pairs) ids.push_back(pair.predicted);
  return ids;
}

std::vector<std::string> Iterated(const Window& window) {
  std::vector<std::string> ids;
  for (const Pair& pair : window) ids.push_back(pair.predicted);
  return ids;
}

using Strings = std::vector<std::string>;

TEST(Window, HoldsPairsInArrivalOrderBelowCapacity) {
  Window window(5);
  for (int i = 0; i < 3; ++i) window.Push(Numbered(i));
  EXPECT_EQ(window.size(), 3u);
  EXPECT_EQ(Ids(window.Snapshot()), (Strings{"0", "1", "2"}));
  EXPECT_EQ(Iterated(window), (Strings{"0", "1", "2"}));
}

TEST(Window, DropsTheOldestWhenFull) {
  Window window(3);
  for (int i = 0; i < 7; ++i) window.Push(Numbered(i));
  EXPECT_EQ(window.size(), 3u);
  EXPECT_EQ(window.capacity(), 3u);
  EXPECT_EQ(Ids(window.Snapshot()), (Strings{"4", "5", "6"}));
  EXPECT_EQ(Iterated(window), (Strings{"4", "5", "6"}));
  EXPECT_EQ(window[0].predicted, "4");
  EXPECT_EQ(window[2].predicted, "6");
}

TEST(Window, KeepLastKeepsTheMostRecentAcrossTheWrapPoint) {
  Window window(4);
  for (int i = 0; i < 6; ++i) window.Push(Numbered(i));  // storage wrapped: 4 5 2 3
  window.KeepLast(3);
  EXPECT_EQ(Ids(window.Snapshot()), (Strings{"3", "4", "5"}));
  window.Push(Numbered(6));
  window.Push(Numbered(7));  // full again: the oldest ("3") goes
  EXPECT_EQ(Ids(window.Snapshot()), (Strings{"4", "5", "6", "7"}));
}

TEST(Window, KeepLastBeyondSizeKeepsEverythingAndZeroEmpties) {
  Window window(4);
  for (int i = 0; i < 2; ++i) window.Push(Numbered(i));
  window.KeepLast(10);
  EXPECT_EQ(Ids(window.Snapshot()), (Strings{"0", "1"}));
  window.KeepLast(0);
  EXPECT_TRUE(window.empty());
}

TEST(Window, ClearEmptiesAndTheWindowRefillsInOrder) {
  Window window(2);
  for (int i = 0; i < 5; ++i) window.Push(Numbered(i));
  window.Clear();
  EXPECT_TRUE(window.empty());
  EXPECT_EQ(window.begin(), window.end());
  for (int i = 10; i < 13; ++i) window.Push(Numbered(i));
  EXPECT_EQ(Ids(window.Snapshot()), (Strings{"11", "12"}));
}

TEST(Window, ZeroCapacityNeverHoldsAPair) {
  Window window(0);
  window.Push(Numbered(1));
  EXPECT_TRUE(window.empty());
  EXPECT_TRUE(window.Snapshot().empty());
}

TEST(Window, LinearizeGivesAContiguousViewInArrivalOrder) {
  Window window(3);
  for (int i = 0; i < 5; ++i) window.Push(Numbered(i));
  const std::span<const Pair> view = window.Linearize();
  ASSERT_EQ(view.size(), 3u);
  EXPECT_EQ(view[0].predicted, "2");
  EXPECT_EQ(view[2].predicted, "4");
  window.Push(Numbered(5));  // still drops the oldest after the rotation
  EXPECT_EQ(Ids(window.Snapshot()), (Strings{"3", "4", "5"}));
}

}  // namespace
}  // namespace driftgate::kpi
