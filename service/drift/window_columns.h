// The columns of a drift-check window kept up to date as rows enter and leave it
// (service/drift/drift_window.h holds one per cached window), so that a check costs the rows that changed
// since the previous one, not the whole window: each column's numbers stay sorted — the entering values are
// sorted and merged in, the leaving ones taken out in the same pass — and its strings are counted per value.
//
// The two-sample tests and the data-quality rates do not depend on the order of a column's values (every
// test sorts or counts), so a check over these columns gives exactly what one over the rows gives.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/domain/records.h"
#include "service/drift/window_reconstruction.h"

namespace driftgate::service {

// One stored prediction as a drift check uses it, features parsed: numbers, strings and nulls (other
// JSON values are not comparable and are left out).
struct WindowRow {
  std::int64_t seq = 0;
  std::int64_t ts_us = 0;
  std::vector<std::pair<std::string, domain::FeatureValue>> features{};
  std::optional<std::string> pred_class{};
  std::optional<double> pred_value{};
  std::optional<double> score{};
  std::vector<std::pair<std::string, double>> class_scores{};  // multiclass: class -> probability
  std::optional<std::string> segment{};                        // the prediction's segment
};

class WindowColumns {
 public:
  struct Column {
    std::vector<double> numbers{};                             // ascending
    std::map<std::string, std::size_t, std::less<>> labels{};  // string value -> count
    std::size_t label_count = 0;                               // sum of the counts
    std::vector<double> entering{}, leaving{};                 // numbers not merged yet (Settle)
  };

  // A row entering or leaving the window: its features, its prediction (column "prediction": the class
  // as a string, a regression's value as a number) and its score (column "score").
  void Add(const WindowRow& row) { Apply(row, true); }
  void Remove(const WindowRow& row) { Apply(row, false); }
  // Merges the numbers of the rows added and removed since the last call into the sorted columns.
  void Settle();

  // By name; settled only after Settle().
  const std::map<std::string, Column>& columns() const { return columns_; }

  // `c`'s strings, each repeated by its count, in byte order.
  static std::vector<std::string> Labels(const Column& c);
  // `c`'s strings, each once with its count, in byte order.
  static std::vector<std::pair<std::string, std::size_t>> LabelCounts(const Column& c);

  // The rows' multivariate errors kept between checks of this window. A cache of values derived from the
  // rows, so a check (which only reads the window) fills it; one check at a time uses a window
  // (DriftWindows holds its lock meanwhile).
  WindowReconstruction& reconstruction() const { return reconstruction_; }

 private:
  void Apply(const WindowRow& row, bool add);
  Column& At(std::size_t position, const std::string& name);
  void Put(Column& c, const domain::FeatureValue& value, bool add);

  std::map<std::string, Column> columns_{};
  // Rows usually list the same features in the same order: the column of the feature at position i is
  // remembered, and the map is searched only when a row differs.
  std::vector<std::pair<const std::string*, Column*>> by_position_{};
  mutable WindowReconstruction reconstruction_{};
};

}  // namespace driftgate::service
