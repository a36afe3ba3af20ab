#include "core/kpi/cbpe_multiclass.h"

#include <algorithm>
#include <cmath>

#include "core/kpi/intervals.h"

namespace driftgate::kpi {
namespace {

// The window after calibration: p (n x K), the raw sums S_i, and the counts every metric reads.
struct Expected {
  std::size_t n = 0, k = 0;
  std::vector<std::size_t> predicted;  // per row
  std::vector<double> p, sum;          // p: n x K row-major; sum: S_i (0: the row is uniform)
  std::vector<double> tp, t, pc;       // per class: TP_k, T_k, P_k
};

// A metric as its value and its partial derivatives by TP_k and T_k.
struct Linearized {
  double value = 0.0;
  std::vector<double> d_tp, d_t;
};

Estimate Bounded(double value, double variance, std::size_t n, double confidence) {
  const Interval iv = NormalInterval(value, std::sqrt(std::max(variance, 0.0)), confidence);
  return Estimate{.value = value,
                  .lower = std::clamp(iv.lower, 0.0, 1.0),
                  .upper = std::clamp(iv.upper, 0.0, 1.0),
                  .n = n};
}

// Var_label + Var_cal of the header comment for the metric `m`.
double Variance(const Expected& e, const Linearized& m, const MulticlassCalibration& cal,
                std::span<const MulticlassInput> rows, bool calibration_error) {
  double var = 0.0;
  std::vector<std::vector<double>> grad;  // per class, per block
  if (calibration_error) {
    for (std::size_t k = 0; k < e.k; ++k) grad.emplace_back(cal.calibration(k).blocks(), 0.0);
  }
  std::vector<double> g(e.k);
  for (std::size_t i = 0; i < e.n; ++i) {
    const double* p = e.p.data() + i * e.k;
    double second = 0.0, first = 0.0;
    for (std::size_t k = 0; k < e.k; ++k) {
      g[k] = m.d_t[k] + (e.predicted[i] == k ? m.d_tp[k] : 0.0);
      second += g[k] * g[k] * p[k];
      first += g[k] * p[k];
    }
    var += second - first * first;
    if (!calibration_error || !(e.sum[i] > 0.0)) continue;
    for (std::size_t k = 0; k < e.k; ++k) {
      const double d = (g[k] - first) / e.sum[i];
      for (const auto& [block, w] : cal.calibration(k).Terms(rows[i].scores[k])) grad[k][block] += d * w;
    }
  }
  for (std::size_t k = 0; k < grad.size(); ++k) {
    for (std::size_t b = 0; b < grad[k].size(); ++b)
      var += grad[k][b] * grad[k][b] * cal.calibration(k).BlockVariance(b);
  }
  return var;
}

Linearized Accuracy(const Expected& e) {
  Linearized m{.d_tp = std::vector<double>(e.k, 1.0 / static_cast<double>(e.n)),
               .d_t = std::vector<double>(e.k)};
  for (double tp : e.tp) m.value += tp / static_cast<double>(e.n);
  return m;
}

// macro (weighted = false) or support-weighted F1.
Linearized F1(const Expected& e, bool weighted) {
  Linearized m{.d_tp = std::vector<double>(e.k), .d_t = std::vector<double>(e.k)};
  const double n = static_cast<double>(e.n), kk = static_cast<double>(e.k);
  for (std::size_t k = 0; k < e.k; ++k) {
    const double d = e.pc[k] + e.t[k];
    if (!(d > 0.0)) continue;
    const double f1 = 2.0 * e.tp[k] / d;
    if (weighted) {
      m.value += e.t[k] * f1 / n;
      m.d_tp[k] = 2.0 * e.t[k] / (n * d);
      m.d_t[k] = 2.0 * e.tp[k] * e.pc[k] / (n * d * d);
    } else {
      m.value += f1 / kk;
      m.d_tp[k] = 2.0 / (d * kk);
      m.d_t[k] = -2.0 * e.tp[k] / (d * d * kk);
    }
  }
  return m;
}

Expected Calibrate(const MulticlassCalibration& cal, std::span<const MulticlassInput> rows) {
  Expected e;
  e.k = cal.classes().size();
  e.tp.assign(e.k, 0.0);
  e.t.assign(e.k, 0.0);
  e.pc.assign(e.k, 0.0);
  for (const auto& row : rows) {
    double s = 0.0;
    const std::size_t base = e.p.size();
    for (std::size_t k = 0; k < e.k; ++k) {
      const double c = cal.calibration(k).Predict(row.scores[k]);
      e.p.push_back(c);
      s += c;
    }
    for (std::size_t k = 0; k < e.k; ++k) {
      e.p[base + k] = s > 0.0 ? e.p[base + k] / s : 1.0 / static_cast<double>(e.k);
      e.t[k] += e.p[base + k];
    }
    e.sum.push_back(s);
    e.predicted.push_back(row.predicted);
    e.tp[row.predicted] += e.p[base + row.predicted];
    e.pc[row.predicted] += 1.0;
    ++e.n;
  }
  return e;
}

}  // namespace

std::optional<MulticlassCalibration> MulticlassCalibration::Fit(std::vector<std::string> classes,
                                                                std::span<const double> scores,
                                                                std::span<const std::size_t> labels) {
  const std::size_t k = classes.size();
  if (k < 2 || scores.size() != labels.size() * k) return std::nullopt;
  MulticlassCalibration m;
  std::vector<double> column(labels.size());
  std::vector<int> positive(labels.size());
  for (std::size_t c = 0; c < k; ++c) {
    for (std::size_t i = 0; i < labels.size(); ++i) {
      column[i] = scores[i * k + c];
      positive[i] = labels[i] == c ? 1 : 0;
    }
    auto fit = IsotonicCalibration::Fit(column, positive);
    if (!fit) return std::nullopt;
    m.per_class_.push_back(std::move(*fit));
  }
  m.classes_ = std::move(classes);
  return m;
}

std::vector<double> MulticlassCalibration::Predict(std::span<const double> scores) const {
  std::vector<double> p(per_class_.size());
  double s = 0.0;
  for (std::size_t k = 0; k < p.size(); ++k) s += (p[k] = per_class_[k].Predict(scores[k]));
  for (double& v : p) v = s > 0.0 ? v / s : 1.0 / static_cast<double>(p.size());
  return p;
}

MulticlassEstimates EstimateMulticlass(const MulticlassCalibration& calibration,
                                       std::span<const MulticlassInput> inputs, double confidence,
                                       bool calibration_error) {
  MulticlassEstimates out;
  if (!(confidence > 0.0 && confidence < 1.0)) return out;
  const std::size_t k = calibration.classes().size();
  std::vector<MulticlassInput> rows;
  for (const auto& in : inputs) {
    if (in.predicted < k && in.scores.size() == k) rows.push_back(in);
  }
  if (rows.empty()) return out;
  const Expected e = Calibrate(calibration, rows);
  auto estimate = [&](const Linearized& m, std::size_t n) {
    return Bounded(m.value, Variance(e, m, calibration, rows, calibration_error), n, confidence);
  };
  out.accuracy = estimate(Accuracy(e), e.n);
  out.macro_f1 = estimate(F1(e, false), e.n);
  out.weighted_f1 = estimate(F1(e, true), e.n);
  for (std::size_t c = 0; c < k; ++c) {
    Linearized precision{.d_tp = std::vector<double>(k), .d_t = std::vector<double>(k)};
    if (e.pc[c] > 0.0) {
      precision.value = e.tp[c] / e.pc[c];
      precision.d_tp[c] = 1.0 / e.pc[c];
      out.precision.push_back(estimate(precision, static_cast<std::size_t>(e.pc[c])));
    } else {
      out.precision.emplace_back();
    }
    Linearized recall{.d_tp = std::vector<double>(k), .d_t = std::vector<double>(k)};
    if (e.t[c] > 0.0) {
      recall.value = e.tp[c] / e.t[c];
      recall.d_tp[c] = 1.0 / e.t[c];
      recall.d_t[c] = -e.tp[c] / (e.t[c] * e.t[c]);
      out.recall.push_back(estimate(recall, e.n));
    } else {
      out.recall.emplace_back();
    }
  }
  return out;
}

}  // namespace driftgate::kpi
