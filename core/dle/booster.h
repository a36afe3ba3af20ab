// A gradient-boosted regression tree ensemble, trained and evaluated by XGBoost 1.7 through its C API
// (Debian libxgboost-dev, <xgboost/c_api.h>; Chen & Guestrin 2016, "XGBoost: A Scalable Tree Boosting
// System", KDD). A thin RAII wrapper: no tree learning happens here.
//
// Determinism: training uses tree_method=hist, nthread=1 and seed=0 with no row or column subsampling, so
// the same data and parameters give the same trees bit for bit on every run and replica (XGBoost's
// multithreaded histogram sums would reorder float additions). The model is serialized as XGBoost's
// Universal Binary JSON ("ubj"), which XGBoost documents as its stable, version-tolerant format.
#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace driftgate::dle {

// A dense row-major matrix of features; NaN marks a missing value (XGBoost's `missing`).
struct Matrix {
  std::size_t rows = 0;
  std::size_t cols = 0;
  std::vector<float> values{};  // rows * cols

  float& At(std::size_t r, std::size_t c) { return values[r * cols + c]; }
  float At(std::size_t r, std::size_t c) const { return values[r * cols + c]; }
};

// Booster parameters (XGBoost names). Defaults: a small, regularized ensemble — 100 trees of depth 4 at
// learning rate 0.1 — enough for a smooth loss surface over tens of features and fast on one thread.
struct BoostParams {
  int rounds = 100;
  int max_depth = 4;
  double eta = 0.1;
  double min_child_weight = 5.0;
  double lambda = 1.0;  // L2 penalty on leaf weights
};

class Booster {
 public:
  // Fits `target` (one value per row of `x`) with objective reg:squarederror, base_score = mean target.
  static Result<Booster> Train(const Matrix& x, std::span<const float> target, const BoostParams& params);
  // A booster saved by Save(); an Internal error when XGBoost rejects the bytes.
  static Result<Booster> Load(std::string_view bytes);

  Booster(Booster&& other) noexcept;
  Booster& operator=(Booster&& other) noexcept;
  Booster(const Booster&) = delete;
  Booster& operator=(const Booster&) = delete;
  ~Booster();

  // The model as UBJSON bytes.
  Result<std::string> Save() const;
  // One prediction per row of `x`; `x` must have the columns the booster was trained with. Safe to call
  // from several threads (serialized internally).
  Result<std::vector<float>> Predict(const Matrix& x) const;
  std::size_t features() const { return features_; }

 private:
  Booster(void* handle, std::size_t features);
  void* handle_ = nullptr;  // BoosterHandle
  std::size_t features_ = 0;
  std::unique_ptr<std::mutex> mu_ = std::make_unique<std::mutex>();
};

}  // namespace driftgate::dle
