#include "core/dle/booster.h"

#include <xgboost/c_api.h>

#include <charconv>
#include <cmath>
#include <limits>
#include <numeric>
#include <utility>

namespace driftgate::dle {
namespace {

Error XgbError(const std::string& what) {
  return Error{ErrorCode::kInternal, "xgboost: " + what + ": " + XGBGetLastError(), {}};
}

// A DMatrix owned for one call.
class DMatrix {
 public:
  ~DMatrix() {
    if (h_ != nullptr) XGDMatrixFree(h_);
  }
  DMatrixHandle* out() { return &h_; }
  DMatrixHandle get() const { return h_; }

 private:
  DMatrixHandle h_ = nullptr;
};

Result<Ok> MakeMatrix(const Matrix& x, DMatrix& out) {
  if (x.values.size() != x.rows * x.cols || x.rows == 0 || x.cols == 0) {
    return Error{ErrorCode::kInternal, "xgboost: matrix shape does not match its values", {}};
  }
  // nthread = 1: the conversion stays on the calling thread (deterministic, no OpenMP pool).
  if (XGDMatrixCreateFromMat_omp(x.values.data(), x.rows, x.cols, std::numeric_limits<float>::quiet_NaN(),
                                 out.out(), 1) != 0) {
    return XgbError("DMatrix");
  }
  return Ok{};
}

// Shortest text that reads back as the same double (as Python's repr, which the reference script uses).
std::string Text(double v) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, end);
}

bool SetParams(BoosterHandle h, const BoostParams& p, double base_score) {
  const std::pair<const char*, std::string> kv[] = {
      {"objective", "reg:squarederror"},
      {"tree_method", "hist"},
      {"nthread", "1"},
      {"seed", "0"},
      {"verbosity", "0"},
      {"max_depth", std::to_string(p.max_depth)},
      {"eta", Text(p.eta)},
      {"min_child_weight", Text(p.min_child_weight)},
      {"lambda", Text(p.lambda)},
      {"base_score", Text(base_score)},
  };
  for (const auto& [k, v] : kv) {
    if (XGBoosterSetParam(h, k, v.c_str()) != 0) return false;
  }
  return true;
}

}  // namespace

Booster::Booster(void* handle, std::size_t features) : handle_(handle), features_(features) {}

Booster::Booster(Booster&& other) noexcept
    : handle_(std::exchange(other.handle_, nullptr)), features_(other.features_), mu_(std::move(other.mu_)) {}

Booster& Booster::operator=(Booster&& other) noexcept {
  if (this != &other) {
    if (handle_ != nullptr) XGBoosterFree(handle_);
    handle_ = std::exchange(other.handle_, nullptr);
    features_ = other.features_;
    mu_ = std::move(other.mu_);
  }
  return *this;
}

Booster::~Booster() {
  if (handle_ != nullptr) XGBoosterFree(handle_);
}

Result<Booster> Booster::Train(const Matrix& x, std::span<const float> target, const BoostParams& params) {
  if (target.size() != x.rows) return Error{ErrorCode::kInternal, "xgboost: one target per row needed", {}};
  DMatrix train;
  if (auto st = MakeMatrix(x, train); !st.ok()) return st.error();
  if (XGDMatrixSetFloatInfo(train.get(), "label", target.data(), target.size()) != 0)
    return XgbError("label");
  BoosterHandle h = nullptr;
  const DMatrixHandle cache[] = {train.get()};
  if (XGBoosterCreate(cache, 1, &h) != 0) return XgbError("create");
  Booster booster(h, x.cols);
  // The mean target as the starting prediction (XGBoost 1.7 would start every model at 0.5).
  const double mean = std::accumulate(target.begin(), target.end(), 0.0) / static_cast<double>(target.size());
  if (!SetParams(h, params, mean)) return XgbError("parameters");
  for (int i = 0; i < params.rounds; ++i) {
    if (XGBoosterUpdateOneIter(h, i, train.get()) != 0) return XgbError("boosting round");
  }
  // The booster keeps its training matrix as a cache while it lives; the saved model read back has none
  // (and is exactly what a replica loads from the database).
  auto bytes = booster.Save();
  if (!bytes.ok()) return bytes.error();
  return Load(*bytes);
}

Result<Booster> Booster::Load(std::string_view bytes) {
  BoosterHandle h = nullptr;
  if (XGBoosterCreate(nullptr, 0, &h) != 0) return XgbError("create");
  Booster booster(h, 0);
  if (XGBoosterLoadModelFromBuffer(h, bytes.data(), bytes.size()) != 0) return XgbError("load");
  // Prediction runs on the calling thread only, as training did.
  if (XGBoosterSetParam(h, "nthread", "1") != 0) return XgbError("parameters");
  bst_ulong n = 0;
  if (XGBoosterGetNumFeature(h, &n) != 0) return XgbError("features");
  booster.features_ = n;
  return booster;
}

Result<std::string> Booster::Save() const {
  std::lock_guard lock(*mu_);
  bst_ulong len = 0;
  const char* data = nullptr;
  if (XGBoosterSaveModelToBuffer(handle_, R"({"format": "ubj"})", &len, &data) != 0) return XgbError("save");
  return std::string(data, len);
}

Result<std::vector<float>> Booster::Predict(const Matrix& x) const {
  if (x.cols != features_) return Error{ErrorCode::kInternal, "xgboost: feature count differs", {}};
  DMatrix m;
  if (auto st = MakeMatrix(x, m); !st.ok()) return st.error();
  std::lock_guard lock(*mu_);
  const bst_ulong* shape = nullptr;
  bst_ulong dim = 0;
  const float* out = nullptr;
  constexpr const char* kConfig =
      R"({"type": 0, "training": false, "iteration_begin": 0, "iteration_end": 0, "strict_shape": false})";
  if (XGBoosterPredictFromDMatrix(handle_, m.get(), kConfig, &shape, &dim, &out) != 0)
    return XgbError("predict");
  return std::vector<float>(out, out + x.rows);
}

}  // namespace driftgate::dle
