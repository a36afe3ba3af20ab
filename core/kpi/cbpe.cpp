#include "core/kpi/cbpe.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "core/kpi/intervals.h"

namespace driftgate::kpi {
namespace {

Estimate Normal(double value, double variance, std::size_t n, double confidence) {
  const Interval iv = NormalInterval(value, std::sqrt(std::max(variance, 0.0)), confidence);
  return Estimate{.value = value,
                  .lower = std::clamp(iv.lower, 0.0, 1.0),
                  .upper = std::clamp(iv.upper, 0.0, 1.0),
                  .n = n};
}

}  // namespace

std::optional<IsotonicCalibration> IsotonicCalibration::Fit(std::span<const double> scores,
                                                            std::span<const int> labels) {
  std::vector<std::pair<double, double>> points;
  points.reserve(std::min(scores.size(), labels.size()));
  for (std::size_t i = 0; i < scores.size() && i < labels.size(); ++i) {
    if (std::isfinite(scores[i])) points.emplace_back(scores[i], labels[i] != 0 ? 1.0 : 0.0);
  }
  std::sort(points.begin(), points.end());
  // Pool equal scores (sklearn's _make_unique: weighted mean of y per distinct x).
  std::vector<double> xs, ys, ws;
  for (const auto& [x, y] : points) {
    if (!xs.empty() && xs.back() == x) {
      ys.back() += y;
      ws.back() += 1.0;
    } else {
      xs.push_back(x);
      ys.push_back(y);
      ws.push_back(1.0);
    }
  }
  if (xs.size() < 2) return std::nullopt;
  const double positives = std::accumulate(ys.begin(), ys.end(), 0.0);
  if (positives == 0.0 || positives == static_cast<double>(points.size())) return std::nullopt;
  for (std::size_t i = 0; i < ys.size(); ++i) ys[i] /= ws[i];

  // Pool adjacent violators: a stack of blocks (mean, weight, first index).
  struct Block {
    double mean = 0, weight = 0;
    std::size_t start = 0;
  };
  std::vector<Block> blocks(xs.size());
  std::size_t top = 0;  // blocks[0, top) are in use
  for (std::size_t i = 0; i < xs.size(); ++i) {
    blocks[top++] = Block{ys[i], ws[i], i};
    while (top > 1 && blocks[top - 2].mean >= blocks[top - 1].mean) {
      const Block last = blocks[--top];
      Block& b = blocks[top - 1];
      b.mean = (b.mean * b.weight + last.mean * last.weight) / (b.weight + last.weight);
      b.weight += last.weight;
    }
  }
  blocks.resize(top);
  // ys is reused for the fitted values: every block overwrites exactly its own range.
  for (std::size_t b = 0; b < blocks.size(); ++b) {
    const std::size_t end = b + 1 < blocks.size() ? blocks[b + 1].start : ys.size();
    for (std::size_t i = blocks[b].start; i < end; ++i) ys[i] = blocks[b].mean;
  }
  IsotonicCalibration c;
  std::vector<std::size_t> block_of(ys.size(), 0);
  std::vector<double> block_var(blocks.size(), 0.0);
  for (std::size_t b = 0; b < blocks.size(); ++b) {
    const std::size_t end = b + 1 < blocks.size() ? blocks[b + 1].start : ys.size();
    for (std::size_t i = blocks[b].start; i < end; ++i) block_of[i] = b;
    block_var[b] = blocks[b].mean * (1.0 - blocks[b].mean) / blocks[b].weight;
  }
  c.block_of_ = std::move(block_of);
  c.block_var_ = std::move(block_var);
  c.xs_ = std::move(xs);
  c.ys_ = std::move(ys);
  return c;
}

double IsotonicCalibration::Predict(double score) const {
  if (!(score > xs_.front())) return ys_.front();  // also NaN: the lowest value
  if (score >= xs_.back()) return ys_.back();
  const auto it = std::upper_bound(xs_.begin(), xs_.end(), score);
  const std::size_t hi = static_cast<std::size_t>(it - xs_.begin());
  const std::size_t lo = hi - 1;
  const double t = (score - xs_[lo]) / (xs_[hi] - xs_[lo]);
  return ys_[lo] + t * (ys_[hi] - ys_[lo]);
}

std::vector<std::pair<std::size_t, double>> IsotonicCalibration::Terms(double score) const {
  if (!(score > xs_.front())) return {{block_of_.front(), 1.0}};
  if (score >= xs_.back()) return {{block_of_.back(), 1.0}};
  const auto it = std::upper_bound(xs_.begin(), xs_.end(), score);
  const std::size_t hi = static_cast<std::size_t>(it - xs_.begin());
  const std::size_t lo = hi - 1;
  const double t = (score - xs_[lo]) / (xs_[hi] - xs_[lo]);
  if (block_of_[lo] == block_of_[hi]) return {{block_of_[lo], 1.0}};
  return {{block_of_[lo], 1.0 - t}, {block_of_[hi], t}};
}

ExpectedConfusion ExpectConfusion(std::span<const EstimatedInput> inputs) {
  ExpectedConfusion c;
  c.n = inputs.size();
  for (const auto& in : inputs) {
    const double p = std::clamp(in.probability, 0.0, 1.0);
    if (in.predicted_positive) {
      ++c.predicted_positive;
      c.tp += p;
      c.fp += 1.0 - p;
      c.var_tp += p * (1.0 - p);
    } else {
      c.fn += p;
      c.tn += 1.0 - p;
      c.var_fn += p * (1.0 - p);
    }
  }
  return c;
}

namespace {

// ROC AUC over expected labels: each row counts as p positive and 1 - p negative (Mann-Whitney U with
// ties at half), its variance by Hanley & McNeil 1982 with the expected class sizes.
std::optional<Estimate> EstimateRocAuc(std::span<const EstimatedInput> inputs, double confidence) {
  std::vector<std::pair<double, double>> sp;  // (score, p)
  sp.reserve(inputs.size());
  for (const auto& in : inputs) sp.emplace_back(in.score, std::clamp(in.probability, 0.0, 1.0));
  std::sort(sp.begin(), sp.end());
  double pos_total = 0, neg_total = 0;
  for (const auto& [s, p] : sp) {
    pos_total += p;
    neg_total += 1.0 - p;
  }
  if (!(pos_total > 0) || !(neg_total > 0)) return std::nullopt;
  // Ascending scores: a group's positives beat every negative below it, and half of its own.
  double neg_below = 0, u = 0;
  for (std::size_t i = 0; i < sp.size();) {
    std::size_t j = i;
    double gp = 0, gn = 0;
    for (; j < sp.size() && sp[j].first == sp[i].first; ++j) {
      gp += sp[j].second;
      gn += 1.0 - sp[j].second;
    }
    u += gp * (neg_below + 0.5 * gn);
    neg_below += gn;
    i = j;
  }
  const double auc = u / (pos_total * neg_total);
  const double q1 = auc / (2.0 - auc), q2 = 2.0 * auc * auc / (1.0 + auc);
  const double var =
      (auc * (1.0 - auc) + (pos_total - 1.0) * (q1 - auc * auc) + (neg_total - 1.0) * (q2 - auc * auc)) /
      (pos_total * neg_total);
  return Normal(auc, var, inputs.size(), confidence);
}

// A confusion-matrix KPI as f(A, B), A the expected true positives and B the expected false negatives:
// its value, its partial derivatives (the delta method's variance follows from them) and its n.
struct Linearized {
  double value = 0;
  double ga = 0;
  double gb = 0;
  std::size_t count = 0;
};

std::optional<Linearized> Linearize(Metric metric, const ExpectedConfusion& c) {
  const double n = static_cast<double>(c.n);
  const double a = c.tp, b = c.fn;
  const double npos = static_cast<double>(c.predicted_positive);
  switch (metric) {
    case Metric::kAccuracy:  // (TP + TN) / n with TN = (n - npos) - FN
      return Linearized{.value = (c.tp + c.tn) / n, .ga = 1.0 / n, .gb = -1.0 / n, .count = c.n};
    case Metric::kPrecision:
      if (npos == 0) return std::nullopt;
      return Linearized{.value = a / npos, .ga = 1.0 / npos, .gb = 0, .count = c.predicted_positive};
    case Metric::kRecall: {
      const double d = a + b;
      if (!(d > 0)) return std::nullopt;
      return Linearized{.value = a / d, .ga = b / (d * d), .gb = -a / (d * d), .count = c.n};
    }
    case Metric::kF1: {
      const double d = npos + a + b;  // 2TP + FP + FN
      if (!(a + b > 0) || !(d > 0)) return std::nullopt;
      return Linearized{
          .value = 2.0 * a / d, .ga = 2.0 * (npos + b) / (d * d), .gb = -2.0 * a / (d * d), .count = c.n};
    }
    default:
      return std::nullopt;
  }
}

}  // namespace

std::optional<Estimate> EstimateMetric(Metric metric, std::span<const EstimatedInput> inputs,
                                       double confidence, const IsotonicCalibration* calibration) {
  if (inputs.empty() || !(confidence > 0.0 && confidence < 1.0)) return std::nullopt;
  if (metric == Metric::kRocAuc) return EstimateRocAuc(inputs, confidence);
  const ExpectedConfusion c = ExpectConfusion(inputs);
  const auto f = Linearize(metric, c);
  if (!f) return std::nullopt;
  double var = f->ga * f->ga * c.var_tp + f->gb * f->gb * c.var_fn;
  if (calibration && calibration->blocks() > 0) {
    // The calibration's own error: each block value is a mean over the reference, with its variance.
    std::vector<double> grad(calibration->blocks(), 0.0);  // dKPI / d(block value)
    for (const auto& in : inputs) {
      for (const auto& [block, w] : calibration->Terms(in.score)) {
        grad[block] += (in.predicted_positive ? f->ga : f->gb) * w;
      }
    }
    for (std::size_t k = 0; k < grad.size(); ++k) var += grad[k] * grad[k] * calibration->BlockVariance(k);
  }
  return Normal(f->value, var, f->count, confidence);
}

}  // namespace driftgate::kpi
