#include "core/dle/dle.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <map>
#include <set>

#include "core/kpi/intervals.h"

namespace driftgate::dle {
namespace {

constexpr float kMissing = std::numeric_limits<float>::quiet_NaN();

// A number as a category: integers without a fraction ("3", not "3.0"), else the shortest round trip.
std::string NumberText(double v) {
  char buf[32];
  if (v == std::trunc(v) && std::abs(v) < 1e15) {
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, static_cast<long long>(v));
    return std::string(buf, end);
  }
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, end);
}

// A double as a booster input: non-finite values are missing; beyond float's range it saturates (the
// conversion of an out-of-range double to float is undefined behaviour).
float ToFloat(double v) {
  if (!std::isfinite(v)) return kMissing;
  constexpr double kMax = std::numeric_limits<float>::max();
  return static_cast<float>(std::clamp(v, -kMax, kMax));
}

float Encoded(const domain::FeatureValue& value, const std::vector<std::string>& categories) {
  if (categories.empty()) {
    const auto* d = std::get_if<double>(&value);
    return d != nullptr ? ToFloat(*d) : kMissing;
  }
  std::string text;
  if (const auto* s = std::get_if<std::string>(&value)) {
    text = *s;
  } else if (const auto* d = std::get_if<double>(&value)) {
    text = NumberText(*d);
  } else {
    return kMissing;
  }
  auto it = std::lower_bound(categories.begin(), categories.end(), text);
  return it != categories.end() && *it == text ? static_cast<float>(it - categories.begin()) : kMissing;
}

// a = max(a, 0), s = max(s, a^2): the cleaned conditional moments.
std::pair<double, double> Moments(float abs_out, float sq_out) {
  const double a = std::max(static_cast<double>(abs_out), 0.0);
  const double s = std::max(static_cast<double>(sq_out), a * a);
  return {a, s};
}

// mean(r)^2 + var(r)/m with the sample variance (m - 1 denominator); m >= 2.
double BiasTerm(const std::vector<double>& r) {
  const double m = static_cast<double>(r.size());
  kpi::MeanAccumulator acc;
  for (double x : r) acc.Add(x);
  const double var = acc.m2() / (m - 1.0);
  return acc.mean() * acc.mean() + var / m;
}

}  // namespace

Encoding Encoding::Build(std::span<const FeatureRow* const> rows) {
  std::map<std::string, std::set<std::string>> labels;  // name -> string values seen
  for (const FeatureRow* row : rows) {
    for (const auto& [name, value] : *row) {
      auto& seen = labels[name];
      if (const auto* s = std::get_if<std::string>(&value)) seen.insert(*s);
    }
  }
  Encoding e;
  for (auto& [name, seen] : labels) {
    e.names.push_back(name);
    e.categories.emplace_back();
    if (seen.empty()) continue;
    // A categorical column: its numbers are categories too.
    for (const FeatureRow* row : rows) {
      for (const auto& [n, value] : *row) {
        if (const auto* d = std::get_if<double>(&value); d != nullptr && n == name)
          seen.insert(NumberText(*d));
      }
    }
    e.categories.back().assign(seen.begin(), seen.end());
  }
  return e;
}

Matrix Encoding::Encode(std::span<const FeatureRow* const> rows, std::span<const double> predictions) const {
  Matrix m{.rows = rows.size(), .cols = names.size() + 1};
  m.values.assign(m.rows * m.cols, kMissing);
  // Rows usually list the same features in the same order: the column of position j is remembered and
  // the names are searched only when a row differs.
  std::vector<std::size_t> column_at;
  for (std::size_t r = 0; r < rows.size(); ++r) {
    const FeatureRow& row = *rows[r];
    for (std::size_t j = 0; j < row.size(); ++j) {
      const auto& [name, value] = row[j];
      if (j >= column_at.size()) column_at.push_back(names.size());
      std::size_t c = column_at[j];
      if (c >= names.size() || names[c] != name) {
        c = static_cast<std::size_t>(std::lower_bound(names.begin(), names.end(), name) - names.begin());
        if (c >= names.size() || names[c] != name) continue;  // a feature the reference never had
        column_at[j] = c;
      }
      m.At(r, c) = Encoded(value, categories[c]);
    }
    const double p = predictions[r];
    m.At(r, names.size()) = ToFloat(p);
  }
  return m;
}

Calibration Calibrate(std::span<const float> abs_out, std::span<const float> sq_out,
                      std::span<const double> errors) {
  Calibration c{.holdout = errors.size()};
  if (errors.size() < 2) return c;
  std::vector<double> r, q;
  double sum_r2 = 0, sum_v = 0, sum_q2 = 0, sum_s2 = 0;
  for (std::size_t i = 0; i < errors.size(); ++i) {
    const auto [a, s] = Moments(abs_out[i], sq_out[i]);
    const double e = errors[i];
    r.push_back(std::abs(e) - a);
    q.push_back(e * e - s);
    sum_r2 += r.back() * r.back();
    sum_v += s - a * a;
    sum_q2 += q.back() * q.back();
    sum_s2 += s * s;
  }
  if (sum_v > 0) c.abs_scale = sum_r2 / sum_v;
  if (sum_s2 > 0) c.sq_scale = sum_q2 / sum_s2;
  c.abs_bias = BiasTerm(r);
  c.sq_bias = BiasTerm(q);
  return c;
}

std::optional<DleEstimate> EstimateFrom(std::span<const float> abs_out, std::span<const float> sq_out,
                                        const Calibration& calibration, double confidence) {
  const std::size_t n = abs_out.size();
  if (n == 0 || sq_out.size() != n) return std::nullopt;
  double sum_a = 0, sum_s = 0, sum_v = 0, sum_s2 = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const auto [a, s] = Moments(abs_out[i], sq_out[i]);
    sum_a += a;
    sum_s += s;
    sum_v += s - a * a;
    sum_s2 += s * s;
  }
  const double nn = static_cast<double>(n);
  const double z = kpi::NormalCritical(confidence);
  DleEstimate out;
  const double mae = sum_a / nn;
  const double mae_half = z * std::sqrt(calibration.abs_scale * sum_v / (nn * nn) + calibration.abs_bias);
  out.mae = {.value = mae, .lower = std::max(mae - mae_half, 0.0), .upper = mae + mae_half, .n = n};
  const double mse = sum_s / nn;
  const double mse_half = z * std::sqrt(calibration.sq_scale * sum_s2 / (nn * nn) + calibration.sq_bias);
  out.rmse = {.value = std::sqrt(mse),
              .lower = std::sqrt(std::max(mse - mse_half, 0.0)),
              .upper = std::sqrt(mse + mse_half),
              .n = n};
  return out;
}

Result<DleModel> Fit(Encoding encoding, const Matrix& x, std::span<const double> errors,
                     const DleParams& params) {
  if (errors.size() != x.rows || x.rows < kMinFitRows || params.holdout_every < 2) {
    return Error{ErrorCode::kInternal, "dle: too few labelled reference rows to fit", {}};
  }
  Matrix train{.cols = x.cols}, holdout{.cols = x.cols};
  std::vector<float> abs_target, sq_target;
  std::vector<double> holdout_errors;
  for (std::size_t i = 0; i < x.rows; ++i) {
    const bool held = i % params.holdout_every == params.holdout_every - 1;
    Matrix& to = held ? holdout : train;
    to.values.insert(to.values.end(), x.values.begin() + i * x.cols, x.values.begin() + (i + 1) * x.cols);
    ++to.rows;
    if (held) {
      holdout_errors.push_back(errors[i]);
    } else {
      abs_target.push_back(ToFloat(std::abs(errors[i])));
      sq_target.push_back(ToFloat(errors[i] * errors[i]));
    }
  }
  auto abs = Booster::Train(train, abs_target, params.boost);
  if (!abs.ok()) return abs.error();
  auto sq = Booster::Train(train, sq_target, params.boost);
  if (!sq.ok()) return sq.error();
  auto abs_out = abs->Predict(holdout);
  if (!abs_out.ok()) return abs_out.error();
  auto sq_out = sq->Predict(holdout);
  if (!sq_out.ok()) return sq_out.error();
  Calibration calibration = Calibrate(*abs_out, *sq_out, holdout_errors);
  return DleModel{.encoding = std::move(encoding),
                  .abs = std::move(abs).value(),
                  .sq = std::move(sq).value(),
                  .calibration = calibration};
}

Result<DleEstimate> Estimate(const DleModel& model, const Matrix& window, double confidence) {
  auto abs_out = model.abs.Predict(window);
  if (!abs_out.ok()) return abs_out.error();
  auto sq_out = model.sq.Predict(window);
  if (!sq_out.ok()) return sq_out.error();
  auto e = EstimateFrom(*abs_out, *sq_out, model.calibration, confidence);
  if (!e) return Error{ErrorCode::kInternal, "dle: empty window", {}};
  return *e;
}

}  // namespace driftgate::dle
