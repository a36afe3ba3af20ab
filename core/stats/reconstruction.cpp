#include "core/stats/reconstruction.h"

#include <Eigen/Dense>
#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <numeric>
#include <tuple>
#include <utility>

namespace driftgate::stats {
namespace {

using RowMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// A number's category label: integral values without a fraction (3.0 is "3"), else the shortest text.
std::string LabelOf(double v) {
  char buf[32];
  if (v == std::trunc(v) && std::abs(v) < 1e15) {
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, static_cast<long long>(v));
    return std::string(buf, end);
  }
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, end);
}

// Per feature of the reference: its numbers, its labels, and whether it had any value.
struct RawFeature {
  bool categorical = false;
  double sum = 0.0;
  std::size_t numbers = 0;
  std::map<std::string, std::size_t> labels{};  // categorical counts (numbers counted by their label)
  std::vector<double> values{};                 // numbers, for labels if the column turns categorical
};

std::map<std::string, RawFeature> Scan(std::span<const FeatureRow* const> rows) {
  std::map<std::string, RawFeature> raw;
  for (const FeatureRow* row : rows) {
    for (const auto& [name, value] : *row) {
      if (const auto* d = std::get_if<double>(&value)) {
        RawFeature& f = raw[name];
        f.sum += *d;
        ++f.numbers;
        f.values.push_back(*d);
      } else if (const auto* s = std::get_if<std::string>(&value)) {
        RawFeature& f = raw[name];
        f.categorical = true;
        ++f.labels[*s];
      }
    }
  }
  for (auto& [name, f] : raw) {
    if (!f.categorical) continue;
    for (double v : f.values) ++f.labels[LabelOf(v)];
    f.values.clear();
  }
  return raw;
}

}  // namespace

std::vector<double> ReconstructionDrift::Standardized(std::span<const FeatureRow* const> rows) const {
  const std::size_t d = features_.size();
  std::vector<double> z(rows.size() * d);
  std::vector<std::size_t> by_position;  // feature index of a row's i-th entry, as in the previous row
  for (std::size_t r = 0; r < rows.size(); ++r) {
    double* out = z.data() + r * d;
    for (std::size_t j = 0; j < d; ++j) out[j] = std::nan("");
    const FeatureRow& row = *rows[r];
    for (std::size_t i = 0; i < row.size(); ++i) {
      const auto& [name, value] = row[i];
      if (i >= by_position.size()) by_position.push_back(d);
      std::size_t& j = by_position[i];
      if (j >= d || features_[j].name != name) {
        auto it = index_.find(name);
        j = it == index_.end() ? d : it->second;
        if (j >= d) continue;
      }
      const Feature& f = features_[j];
      if (f.categorical) {
        const std::string* label = std::get_if<std::string>(&value);
        std::string text;
        if (const auto* num = std::get_if<double>(&value)) label = &(text = LabelOf(*num));
        if (label) {
          auto it = f.frequency.find(*label);
          out[j] = it == f.frequency.end() ? 0.0 : it->second;
        }
      } else if (const auto* num = std::get_if<double>(&value)) {
        out[j] = *num;
      }
    }
    for (std::size_t j = 0; j < d; ++j) {
      const double x = std::isnan(out[j]) ? features_[j].impute : out[j];
      out[j] = (x - mean_[j]) / scale_[j];
    }
  }
  return z;
}

// Row by row, with loops whose every sum runs in one fixed order (over features, then over components):
// a row's error does not depend on which other rows are scored with it, unlike a blocked matrix product.
// The inner loops run across independent outputs, so the compiler vectorizes them without reordering a
// sum.
std::vector<double> ReconstructionDrift::ErrorsOf(const std::vector<double>& z, std::size_t n) const {
  const std::size_t d = features_.size();
  const std::size_t k = components_;
  std::vector<double> out(n);
  std::vector<double> centred(d), back(d), scores(k);
  for (std::size_t i = 0; i < n; ++i) {
    const double* row = z.data() + i * d;
    for (std::size_t j = 0; j < d; ++j) centred[j] = row[j] - centre_[j];
    std::fill(scores.begin(), scores.end(), 0.0);
    for (std::size_t j = 0; j < d; ++j) {  // scores = centred * basis
      const double x = centred[j];
      const double* b = basis_rows_.data() + j * k;
      for (std::size_t c = 0; c < k; ++c) scores[c] += x * b[c];
    }
    std::fill(back.begin(), back.end(), 0.0);
    for (std::size_t c = 0; c < k; ++c) {  // back = scores * basis^T
      const double s = scores[c];
      const double* b = basis_.data() + c * d;
      for (std::size_t j = 0; j < d; ++j) back[j] += s * b[j];
    }
    double squares = 0.0;
    for (std::size_t j = 0; j < d; ++j) {
      const double r = centred[j] - back[j];
      squares += r * r;
    }
    out[i] = std::sqrt(squares);
  }
  return out;
}

namespace {

// The fewest components, largest first, whose explained share of `total` exceeds `variance` (Eigen orders
// the eigenvalues ascending).
std::size_t ComponentsFor(const Eigen::VectorXd& values, double total, double variance) {
  const auto d = static_cast<std::size_t>(values.size());
  double cumulative = 0.0;
  std::size_t k = 0;
  while (k < d) {
    cumulative += values(static_cast<Eigen::Index>(d - 1 - k)) / total;
    ++k;
    if (cumulative > variance) break;
  }
  return k;
}

// The mean of each of `chunks` consecutive chunks, sized as numpy.array_split sizes them.
std::vector<double> ChunkMeans(const std::vector<double>& errors, std::size_t chunks) {
  const std::size_t n = errors.size();
  std::vector<double> means;
  std::size_t start = 0;
  for (std::size_t c = 0; c < chunks; ++c) {
    const std::size_t size = n / chunks + (c < n % chunks ? 1 : 0);
    const double sum = std::accumulate(errors.begin() + static_cast<std::ptrdiff_t>(start),
                                       errors.begin() + static_cast<std::ptrdiff_t>(start + size), 0.0);
    means.push_back(sum / static_cast<double>(size));
    start += size;
  }
  return means;
}

// The alert band: the chunk errors' mean ± multiplier × their population standard deviation.
std::pair<double, double> Band(const std::vector<double>& chunk_errors, double multiplier) {
  const auto count = static_cast<double>(chunk_errors.size());
  const double mean = std::accumulate(chunk_errors.begin(), chunk_errors.end(), 0.0) / count;
  double var = 0.0;
  for (double e : chunk_errors) var += (e - mean) * (e - mean);
  const double sd = std::sqrt(var / count);
  return {mean - multiplier * sd, mean + multiplier * sd};
}

}  // namespace

std::optional<ReconstructionDrift> ReconstructionDrift::Fit(std::span<const FeatureRow* const> reference,
                                                            const ReconstructionParams& params) {
  if (!(params.variance > 0.0 && params.variance < 1.0) || params.chunks < 2) return std::nullopt;
  if (reference.size() < 2 * params.chunks) return std::nullopt;
  ReconstructionDrift m;
  for (auto& [name, raw] : Scan(reference)) {
    Feature f{.name = name, .categorical = raw.categorical};
    if (raw.categorical) {
      std::size_t seen = 0;
      const std::string* mode = nullptr;
      std::size_t mode_count = 0;
      for (const auto& [label, count] : raw.labels) {  // ascending labels: the first maximum is the smallest
        seen += count;
        if (count > mode_count) mode = &label, mode_count = count;
      }
      if (mode == nullptr) continue;
      const double n = static_cast<double>(reference.size());
      for (const auto& [label, count] : raw.labels) f.frequency[label] = static_cast<double>(count) / n;
      f.frequency[*mode] += static_cast<double>(reference.size() - seen) / n;  // the imputed rows
      f.impute = f.frequency[*mode];
    } else {
      if (raw.numbers == 0) continue;
      f.impute = raw.sum / static_cast<double>(raw.numbers);
    }
    m.index_[name] = m.features_.size();
    m.names_.push_back(name);
    m.features_.push_back(std::move(f));
  }
  const std::size_t d = m.features_.size();
  if (d < 2) return std::nullopt;
  m.mean_.assign(d, 0.0);
  m.scale_.assign(d, 1.0);
  m.centre_.assign(d, 0.0);
  // Standardization from the encoded, imputed reference (Standardized with identity scaling first).
  const std::vector<double> x = m.Standardized(reference);
  const std::size_t n = reference.size();
  Eigen::Map<const RowMatrix> xm(x.data(), static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(d));
  const Eigen::RowVectorXd mean = xm.colwise().mean();
  const RowMatrix dev = xm.rowwise() - mean;
  for (std::size_t j = 0; j < d; ++j) {
    const auto jj = static_cast<Eigen::Index>(j);
    m.mean_[j] = mean(jj);
    const double sd = std::sqrt(dev.col(jj).squaredNorm() / static_cast<double>(n));
    m.scale_[j] = sd > 0.0 ? sd : 1.0;
  }
  const std::vector<double> z = m.Standardized(reference);
  Eigen::Map<const RowMatrix> zm(z.data(), static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(d));
  const Eigen::RowVectorXd centre = zm.colwise().mean();
  for (std::size_t j = 0; j < d; ++j) m.centre_[j] = centre(static_cast<Eigen::Index>(j));
  const RowMatrix centred = zm.rowwise() - centre;
  const Eigen::MatrixXd cov = (centred.transpose() * centred) / static_cast<double>(n - 1);
  const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(cov);
  if (eig.info() != Eigen::Success) return std::nullopt;
  // Eigen orders eigenvalues ascending; the components are taken from the largest down.
  const Eigen::VectorXd values = eig.eigenvalues().cwiseMax(0.0);
  const double total = values.sum();
  if (!(total > 0.0)) return std::nullopt;
  const std::size_t k = ComponentsFor(values, total, params.variance);
  // Every component kept: each row is reconstructed exactly (error 0 up to rounding), nothing to measure.
  if (k == d) return std::nullopt;
  m.components_ = k;
  m.basis_.resize(d * k);
  for (std::size_t c = 0; c < k; ++c) {
    const auto col = eig.eigenvectors().col(static_cast<Eigen::Index>(d - 1 - c));
    for (std::size_t j = 0; j < d; ++j) m.basis_[c * d + j] = col(static_cast<Eigen::Index>(j));
  }
  m.basis_rows_.resize(d * k);
  for (std::size_t c = 0; c < k; ++c) {
    for (std::size_t j = 0; j < d; ++j) m.basis_rows_[j * k + c] = m.basis_[c * d + j];
  }
  // The threshold from the reference's own chunks (numpy.array_split sizes).
  const std::vector<double> errors = m.ErrorsOf(z, n);
  m.chunk_errors_ = ChunkMeans(errors, params.chunks);
  std::tie(m.lower_, m.upper_) = Band(m.chunk_errors_, params.std_multiplier);
  return m;
}

std::vector<double> ReconstructionDrift::Errors(std::span<const FeatureRow* const> rows) const {
  return ErrorsOf(Standardized(rows), rows.size());
}

ReconstructionResult ReconstructionDrift::Judge(std::span<const FeatureRow* const> rows) const {
  if (rows.empty()) return JudgeErrors({});
  const std::vector<double> errors = Errors(rows);
  return JudgeErrors(errors);
}

ReconstructionResult ReconstructionDrift::JudgeErrors(std::span<const double> errors) const {
  ReconstructionResult r{.lower = lower_, .upper = upper_, .rows = errors.size()};
  if (errors.empty()) return r;
  r.error = std::accumulate(errors.begin(), errors.end(), 0.0) / static_cast<double>(errors.size());
  r.alert = r.error < lower_ || r.error > upper_;
  return r;
}

}  // namespace driftgate::stats
