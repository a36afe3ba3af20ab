#include "core/detect/adwin.h"

#include <cmath>
#include <cstring>

#include "core/detect/snapshot_codec.h"

namespace driftgate::detect {
namespace {

// More rows would mean a window of 2^64 elements; a snapshot claiming that is corrupt.
constexpr std::size_t kMaxRows = 64;

double RowBucketSize(std::size_t row) { return std::ldexp(1.0, static_cast<int>(row)); }

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
    : params_(params), min_len_(static_cast<double>(params.min_window_length)) {
  Reset();
}

void Adwin::Reset() {
  counts_.assign(1, 0);
  totals_.assign(Stride(), 0.0);
  variances_.assign(Stride(), 0.0);
  width_ = 0.0;
  total_ = 0.0;
  variance_ = 0.0;
  tick_ = 0;
  drift_ = false;
}

Signal Adwin::Update(double x) {
  if (!std::isfinite(x)) return Signal::kNone;  // would poison every statistic; see detector docs
  // River resets lazily, on the update after the one that signalled (river/drift/adwin.py).
  if (drift_) Reset();
  Insert(x);
  drift_ = DetectChange();
  return drift_ ? Signal::kDrift : Signal::kNone;
}

void Adwin::Insert(double x) {
  totals_[static_cast<std::size_t>(counts_[0])] = x;
  variances_[static_cast<std::size_t>(counts_[0])] = 0.0;
  ++counts_[0];
  width_ += 1.0;
  double incremental_variance = 0.0;
  if (width_ > 1.0) {
    const double deviation = x - total_ / (width_ - 1.0);
    incremental_variance = (width_ - 1.0) * deviation * deviation / width_;
  }
  variance_ += incremental_variance;
  total_ += x;
  CompressRows();
}

void Adwin::CompressRows() {
  const std::size_t stride = Stride();
  const auto full = params_.max_buckets + 1;
  for (std::size_t row = 0; row < counts_.size() && counts_[row] == full; ++row) {
    if (row + 1 == counts_.size()) {
      counts_.push_back(0);
      totals_.resize(totals_.size() + stride, 0.0);
      variances_.resize(variances_.size() + stride, 0.0);
    }
    double* t = &totals_[row * stride];
    double* v = &variances_[row * stride];
    // Merge the two oldest buckets of this row into one bucket of the next row.
    const double n = RowBucketSize(row);
    const double mu1 = t[0] / n;
    const double mu2 = t[1] / n;
    const double merged_total = t[0] + t[1];
    const double merged_variance = v[0] + v[1] + n * 0.5 * (mu1 - mu2) * (mu1 - mu2);
    const std::size_t next = (row + 1) * stride + static_cast<std::size_t>(counts_[row + 1]);
    totals_[next] = merged_total;
    variances_[next] = merged_variance;
    ++counts_[row + 1];
    const auto remaining = static_cast<std::size_t>(counts_[row] - 2);
    std::memmove(t, t + 2, remaining * sizeof(double));
    std::memmove(v, v + 2, remaining * sizeof(double));
    counts_[row] -= 2;
    if (counts_[row + 1] <= params_.max_buckets) break;
  }
}

double Adwin::DeleteOldestBucket() {
  const std::size_t last = counts_.size() - 1;
  const std::size_t stride = Stride();
  double* t = &totals_[last * stride];
  double* v = &variances_[last * stride];
  const double n = RowBucketSize(last);
  const double u = t[0];
  const double mu = u / n;
  const double bucket_variance = v[0];
  width_ -= n;
  total_ -= u;
  const double mu_window = total_ / width_;
  variance_ -= bucket_variance + n * width_ * (mu - mu_window) * (mu - mu_window) / (n + width_);
  const auto remaining = static_cast<std::size_t>(counts_[last] - 1);
  std::memmove(t, t + 1, remaining * sizeof(double));
  std::memmove(v, v + 1, remaining * sizeof(double));
  --counts_[last];
  // The emptied last row goes. Row 0 would stay even when empty (the peer would pop it and fail on the next
  // insert), but it cannot empty here: W1 keeps at least min_window_length elements.
  if (counts_[last] == 0 && last > 0) {
    counts_.pop_back();
    totals_.resize(last * stride);
    variances_.resize(last * stride);
  }
  return n;
}

bool Adwin::DetectChange() {
  ++tick_;
  if (tick_ % static_cast<std::uint64_t>(params_.clock) != 0 ||
      !(width_ > static_cast<double>(params_.grace_period))) {
    return false;
  }
  const std::size_t stride = Stride();
  bool change = false;
  bool reduce = true;
  while (reduce) {
    reduce = false;
    // W0 (older) grows bucket by bucket from the oldest end; W1 is the rest. The peer also tracks both
    // parts' variances here, but its test only uses the whole window's, so they are not computed.
    double n0 = 0.0;
    double n1 = width_;
    double u0 = 0.0;
    double u1 = total_;
    // Hoisted out of the cut test: the width is fixed for one pass (a deletion restarts the pass).
    const double delta_prime = std::log(2.0 * std::log(width_) / params_.delta);
    const double variance_in_window = variance_ / width_;
    bool done = false;
    for (std::size_t row = counts_.size(); row-- > 0 && !done;) {
      const double size = RowBucketSize(row);
      const double* t = &totals_[row * stride];
      const auto count = static_cast<std::size_t>(counts_[row]);
      for (std::size_t k = 0; k < count; ++k) {
        n0 += size;
        n1 -= size;
        u0 += t[k];
        u1 -= t[k];
        if (row == 0 && k == count - 1) {
          done = true;  // W1 would be empty
          break;
        }
        if (n1 >= min_len_ && n0 >= min_len_) {
          const double delta_mean = (u0 / n0) - (u1 / n1);
          // The ADWIN2 bound, with m = harmonic term over the lengths past min_window_length.
          const double m_recip = (1.0 / (n0 - min_len_ + 1.0)) + (1.0 / (n1 - min_len_ + 1.0));
          const double epsilon =
              std::sqrt(2.0 * m_recip * variance_in_window * delta_prime) + 2.0 / 3.0 * delta_prime * m_recip;
          if (std::fabs(delta_mean) > epsilon) {
            reduce = true;
            change = true;
            DeleteOldestBucket();
            done = true;
            break;
          }
        }
      }
    }
  }
  return change;
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
  for (std::size_t row = 0; row < counts_.size(); ++row) {
    counts.push_back(static_cast<double>(counts_[row]));
    for (std::int64_t k = 0; k < counts_[row]; ++k) {
      totals.push_back(totals_[row * Stride() + static_cast<std::size_t>(k)]);
      variances.push_back(variances_[row * Stride() + static_cast<std::size_t>(k)]);
    }
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

  const std::size_t stride = Stride();
  counts_.assign(counts.size(), 0);
  totals_.assign(counts.size() * stride, 0.0);
  variances_.assign(counts.size() * stride, 0.0);
  std::size_t at = 0;
  for (std::size_t row = 0; row < counts.size(); ++row) {
    counts_[row] = static_cast<std::int64_t>(counts[row]);
    for (std::int64_t k = 0; k < counts_[row]; ++k, ++at) {
      totals_[row * stride + static_cast<std::size_t>(k)] = totals[at];
      variances_[row * stride + static_cast<std::size_t>(k)] = variances[at];
    }
  }
  width_ = state[0];
  total_ = state[1];
  variance_ = state[2];
  tick_ = static_cast<std::uint64_t>(state[3]);
  drift_ = state[4] == 1.0;
  return Ok{};
}

}  // namespace driftgate::detect
