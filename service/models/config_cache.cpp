#include "service/models/config_cache.h"

#include <utility>

namespace driftgate::service {

std::shared_ptr<const domain::ModelConfig> ModelConfigCache::Find(std::int64_t model_id,
                                                                  const std::string& document) const {
  std::lock_guard lock(mu_);
  auto it = entries_.find(model_id);
  if (it == entries_.end() || it->second.document != document) return nullptr;
  return it->second.config;
}

void ModelConfigCache::Keep(std::int64_t model_id, std::string document,
                            std::shared_ptr<const domain::ModelConfig> config) {
  std::lock_guard lock(mu_);
  // Bounded without bookkeeping: a full cache starts over. Fleets beyond the capacity parse a config
  // again at most once per refill, as every read did before.
  if (entries_.size() >= capacity_ && !entries_.contains(model_id)) entries_.clear();
  entries_[model_id] = Entry{std::move(document), std::move(config)};
}

ModelConfigCache& ModelConfigCache::Shared() {
  // 16,384 configs of a few KiB each: the 10,000-model fleet of the benchmarks fits.
  static ModelConfigCache cache(16384);
  return cache;
}

}  // namespace driftgate::service
