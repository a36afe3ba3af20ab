// Stored model documents parsed once per process. A model's config is validated by ParseModelConfig when
// it is written (create, replace, patch); every later read (each prediction or label batch, each drift
// check, each alert) finds the typed ModelConfig here instead of parsing and validating the JSON again.
// An entry is keyed by the model's id and holds the exact document text it was parsed from, so a config
// written by another replica (a different text) is parsed afresh: no invalidation message is needed.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "core/domain/model.h"

namespace driftgate::service {

class ModelConfigCache {
 public:
  explicit ModelConfigCache(std::size_t capacity) : capacity_(capacity) {}

  // The config parsed from `document` for model `model_id`, or nullptr when it is not cached.
  std::shared_ptr<const domain::ModelConfig> Find(std::int64_t model_id, const std::string& document) const;
  void Keep(std::int64_t model_id, std::string document, std::shared_ptr<const domain::ModelConfig> config);

  // The process-wide cache of the stored-model reads (FromStored).
  static ModelConfigCache& Shared();

 private:
  struct Entry {
    std::string document;
    std::shared_ptr<const domain::ModelConfig> config;
  };
  std::size_t capacity_;
  mutable std::mutex mu_;
  std::unordered_map<std::int64_t, Entry> entries_;
};

}  // namespace driftgate::service
