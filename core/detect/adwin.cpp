#include "core/detect/adwin.h"

#include <algorithm>
#include <cmath>
#include <cstddef>

#include "core/detect/snapshot_codec.h"

namespace driftgate::detect {
namespace {

// More rows would mean a window of 2^64 elements; a snapshot claiming that is corrupt.
constexpr std::size_t kMaxRows = 64;

// 2^i and 2^-i, exact. A snapshot holds at most kMaxRows rows and one insert adds at most one, so the
// table always suffices in practice; the fallbacks give the same values.
constexpr std::size_t kPowerTableSize = 128;
struct PowerTable {
  double up[kPowerTableSize];
  double down[kPowerTableSize];
};
constexpr PowerTable MakePowerTable() {
  PowerTable table{};
  double up = 1.0;
  double down = 1.0;
  for (std::size_t i = 0; i < kPowerTableSize; ++i, up *= 2.0, down *= 0.5) {
    table.up[i] = up;
    table.down[i] = down;
  }
  return table;
}
constexpr PowerTable kPowers = MakePowerTable();

double RowBucketSize(std::size_t row) {
  return row < kPowerTableSize ? kPowers.up[row] : std::ldexp(1.0, static_cast<int>(row));
}

// t / 2^row. For a power of two, division and multiplication by its (exact) reciprocal round the same
// real number t · 2^-row, so the result is bit-identical to the division; it only avoids a divsd.
double DivideByRowBucketSize(double t, std::size_t row) {
  return row < kPowerTableSize ? t * kPowers.down[row] : t / RowBucketSize(row);
}

}  // namespace

Result<Adwin::Params> Adwin::ParseParams(const ParamMap& values) {
  Params p;
  ParamReader reader(values, kName);
  reader.Number("delta", p.delta);
  reader.Integer("clock", p.clock);
  reader.Integer("max_buckets", p.max_buckets);
  reader.Integer("min_window_length", p.min_window_length);
  reader.Integer("grace_period", p.grace_period);
  if (auto status = reader.Finish(); !status.ok()) return status.error();
  return p;
}

Result<std::unique_ptr<Adwin>> Adwin::Make(const Params& p) {
  if (!(p.delta > 0.0 && p.delta < 1.0)) return OutOfRange(kName, "delta", "in (0, 1)", p.delta);
  if (p.clock < 1) return OutOfRange(kName, "clock", ">= 1", static_cast<double>(p.clock));
  // With one bucket per row a merge empties a middle row, and the peer then deletes a phantom bucket from
  // an empty last row (its window goes wrong); from 2 on every row keeps a bucket. MOA and River use 5.
  if (p.max_buckets < 2 || p.max_buckets > 1000) {
    return OutOfRange(kName, "max_buckets", "in [2, 1000]", static_cast<double>(p.max_buckets));
  }
  if (p.min_window_length < 1) {
    return OutOfRange(kName, "min_window_length", ">= 1", static_cast<double>(p.min_window_length));
  }
  if (p.grace_period < 0)
    return OutOfRange(kName, "grace_period", ">= 0", static_cast<double>(p.grace_period));
  return std::unique_ptr<Adwin>(new Adwin(p));
}

Adwin::Adwin(const Params& params)
    : params_(params),
      min_len_(static_cast<double>(params.min_window_length)),
      max_buckets_(static_cast<std::size_t>(params.max_buckets)),
      // Twice a full row (at least 16 slots): a row is moved back at most once per max_buckets appends.
      row_capacity_(std::max<std::size_t>(2 * (max_buckets_ + 1), 16)) {
  Reset();
}

void Adwin::Reset() {
  if (row_.empty()) {
    row_.assign(1, Row{});
    totals_.assign(row_capacity_, 0.0);
    variances_.assign(row_capacity_, 0.0);
  }
  std::fill(row_.begin(), row_.end(), Row{});
  rows_ = 1;
  width_ = 0.0;
  total_ = 0.0;
  variance_ = 0.0;
  tick_ = 0;
  until_check_ = static_cast<std::uint64_t>(params_.clock);
  drift_ = false;
}

Signal Adwin::Update(double x) {
  if (!std::isfinite(x)) return Signal::kNone;  // would poison every statistic; see detector docs
  // River resets lazily, on the update after the one that signalled (river/drift/adwin.py).
  if (drift_) Reset();
  Insert(x);
  // drift_ is false here. River tests when tick % clock == 0; until_check_ counts down to that.
  ++tick_;
  if (--until_check_ != 0) return Signal::kNone;
  until_check_ = static_cast<std::uint64_t>(params_.clock);
  if (!(width_ > static_cast<double>(params_.grace_period))) return Signal::kNone;
  drift_ = DetectChange();
  return drift_ ? Signal::kDrift : Signal::kNone;
}

inline void Adwin::Append(std::size_t row, double total, double variance) {
  std::size_t head = row_[row].head;
  const std::size_t count = row_[row].count;
  double* t = &totals_[row * row_capacity_];
  double* v = &variances_[row * row_capacity_];
  if (head + count == row_capacity_) {
    // Move the row back to the start of its slots: at most max_buckets elements, below the head.
    for (std::size_t k = 0; k < count; ++k) {
      t[k] = t[head + k];
      v[k] = v[head + k];
    }
    head = 0;
    row_[row].head = 0;
  }
  t[head + count] = total;
  v[head + count] = variance;
  row_[row].count = count + 1;
}

void Adwin::AddRow() {
  if (row_.size() == rows_) {
    row_.push_back(Row{});
    totals_.resize(row_.size() * row_capacity_, 0.0);
    variances_.resize(row_.size() * row_capacity_, 0.0);
  }
  row_[rows_] = Row{};
  ++rows_;
}

inline void Adwin::Insert(double x) {
  Append(0, x, 0.0);
  width_ += 1.0;
  double incremental_variance = 0.0;
  if (width_ > 1.0) {
    const double deviation = x - total_ / (width_ - 1.0);
    incremental_variance = (width_ - 1.0) * deviation * deviation / width_;
  }
  variance_ += incremental_variance;
  total_ += x;
  if (row_[0].count > max_buckets_) CompressRows();
}

// Called when row 0 is full (max_buckets + 1 buckets).
void Adwin::CompressRows() {
  for (std::size_t row = 0;; ++row) {
    if (row + 1 == rows_) AddRow();
    const std::size_t at = row * row_capacity_ + row_[row].head;
    const double t0 = totals_[at];
    const double t1 = totals_[at + 1];
    const double v0 = variances_[at];
    const double v1 = variances_[at + 1];
    // Merge the two oldest buckets of this row into one bucket of the next row.
    const double n = RowBucketSize(row);
    const double mu1 = DivideByRowBucketSize(t0, row);
    const double mu2 = DivideByRowBucketSize(t1, row);
    const double merged_total = t0 + t1;
    const double merged_variance = v0 + v1 + n * 0.5 * (mu1 - mu2) * (mu1 - mu2);
    row_[row].head += 2;
    row_[row].count -= 2;
    Append(row + 1, merged_total, merged_variance);
    if (row_[row + 1].count <= max_buckets_) return;
  }
}

double Adwin::DeleteOldestBucket() {
  const std::size_t last = rows_ - 1;
  const std::size_t at = last * row_capacity_ + row_[last].head;
  const double n = RowBucketSize(last);
  const double u = totals_[at];
  const double mu = DivideByRowBucketSize(u, last);
  const double bucket_variance = variances_[at];
  width_ -= n;
  total_ -= u;
  const double mu_window = total_ / width_;
  variance_ -= bucket_variance + n * width_ * (mu - mu_window) * (mu - mu_window) / (n + width_);
  ++row_[last].head;
  --row_[last].count;
  // The emptied last row goes. Row 0 would stay even when empty (the peer would pop it and fail on the next
  // insert), but it cannot empty here: W1 keeps at least min_window_length elements.
  if (row_[last].count == 0 && last > 0) {
    row_[last].head = 0;
    --rows_;
  }
  return n;
}

// Called every `clock` updates once the window is wider than the grace period.
bool Adwin::DetectChange() {
  bool change = false;
  for (;;) {  // one pass per dropped bucket, as River's `while reduce`
    // W0 (older) grows bucket by bucket from the oldest end; W1 is the rest. The peer also tracks both
    // parts' variances here, but its test only uses the whole window's, so they are not computed.
    double n0 = 0.0;
    double n1 = width_;
    double u0 = 0.0;
    double u1 = total_;
    // Hoisted out of the cut test: the width is fixed for one pass (a deletion restarts the pass).
    const double delta_prime = std::log(2.0 * std::log(width_) / params_.delta);
    const double variance_in_window = variance_ / width_;
    const adwin_detail::CutBound bound(width_, delta_prime, variance_in_window);
    bool cut = false;
    for (std::size_t row = rows_; row-- > 0 && !cut;) {
      const double size = RowBucketSize(row);
      const double* t = &totals_[row * row_capacity_ + row_[row].head];
      std::size_t count = row_[row].count;
      if (row == 0) {
        if (count == 0) break;
        --count;  // the newest bucket is no cut point: W1 would be empty
      }
      for (std::size_t k = 0; k < count; ++k) {
        n0 += size;
        n1 -= size;
        u0 += t[k];
        u1 -= t[k];
        if (n1 >= min_len_ && n0 >= min_len_) {
          if (bound.RulesOut(n0, n1, u0, u1)) continue;
          if (adwin_detail::SignificantCut(n0, n1, u0, u1, min_len_, variance_in_window, delta_prime)) {
            cut = true;
            break;
          }
        }
      }
    }
    if (!cut) return change;
    change = true;
    DeleteOldestBucket();
  }
}

std::vector<double> Adwin::ParamVector() const {
  return {params_.delta, static_cast<double>(params_.clock), static_cast<double>(params_.max_buckets),
          static_cast<double>(params_.min_window_length), static_cast<double>(params_.grace_period)};
}

Snapshot Adwin::Save() const {
  Snapshot s;
  s.fields["params"] = ParamVector();
  s.fields["state"] = {width_, total_, variance_, static_cast<double>(tick_), drift_ ? 1.0 : 0.0};
  std::vector<double>& counts = s.fields["row_counts"];
  std::vector<double>& totals = s.fields["totals"];
  std::vector<double>& variances = s.fields["variances"];
  for (std::size_t row = 0; row < rows_; ++row) {
    counts.push_back(static_cast<double>(row_[row].count));
    const auto first = static_cast<std::ptrdiff_t>(row * row_capacity_ + row_[row].head);
    const auto last = first + static_cast<std::ptrdiff_t>(row_[row].count);
    totals.insert(totals.end(), totals_.begin() + first, totals_.begin() + last);
    variances.insert(variances.end(), variances_.begin() + first, variances_.begin() + last);
  }
  return s;
}

Status Adwin::Restore(const Snapshot& snapshot) {
  constexpr auto kAny = std::size_t(-1);
  if (auto status =
          CheckShape(snapshot, kName, ParamVector(), {"params", "state", "row_counts", "totals", "variances"},
                     {5, 5, kAny, kAny, kAny});
      !status.ok()) {
    return status;
  }
  const auto& state = snapshot.fields.at("state");
  const auto& counts = snapshot.fields.at("row_counts");
  const auto& totals = snapshot.fields.at("totals");
  const auto& variances = snapshot.fields.at("variances");
  if (!IsCount(state[0]) || !IsCount(state[3]) || !IsFlag(state[4])) {
    return BadSnapshot(kName, "state", "holds an invalid width, tick or flag");
  }
  if (counts.empty() || counts.size() > kMaxRows) return BadSnapshot(kName, "row_counts", "has a bad length");
  double width = 0.0;
  std::size_t buckets = 0;
  // Only a lone row 0 may be empty (a fresh window); see Make() on max_buckets.
  const double min_count = counts.size() > 1 ? 1.0 : 0.0;
  for (std::size_t row = 0; row < counts.size(); ++row) {
    if (!IsCount(counts[row]) || counts[row] < min_count ||
        counts[row] > static_cast<double>(params_.max_buckets)) {
      return BadSnapshot(kName, "row_counts", "holds a count outside [1, max_buckets]");
    }
    buckets += static_cast<std::size_t>(counts[row]);
    width += counts[row] * RowBucketSize(row);
  }
  if (totals.size() != buckets || variances.size() != buckets) {
    return BadSnapshot(kName, "totals", "does not match row_counts");
  }
  if (width != state[0]) return BadSnapshot(kName, "state", "width does not match the buckets");

  rows_ = counts.size();
  row_.assign(rows_, Row{});
  totals_.assign(rows_ * row_capacity_, 0.0);
  variances_.assign(rows_ * row_capacity_, 0.0);
  std::size_t at = 0;
  for (std::size_t row = 0; row < rows_; ++row) {
    row_[row].count = static_cast<std::size_t>(counts[row]);
    for (std::size_t k = 0; k < row_[row].count; ++k, ++at) {
      totals_[row * row_capacity_ + k] = totals[at];
      variances_[row * row_capacity_ + k] = variances[at];
    }
  }
  width_ = state[0];
  total_ = state[1];
  variance_ = state[2];
  tick_ = static_cast<std::uint64_t>(state[3]);
  const auto clock = static_cast<std::uint64_t>(params_.clock);
  until_check_ = clock - tick_ % clock;
  drift_ = state[4] == 1.0;
  return Ok{};
}

}  // namespace driftgate::detect
