// What the HTTP layer asks of the drift monitor: storing a model's new reference. An interface of its
// own so that api/ compiles against this header alone, not against DriftMonitor's, whose check state
// carries storage types.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/domain/records.h"
#include "core/error.h"

namespace driftgate::service {

class ReferenceUploads {
 public:
  virtual ~ReferenceUploads() = default;

  // Replaces the model's reference with uploaded records; returns its size. Audited as `actor`.
  virtual Result<std::int64_t> UploadReference(const std::string& model,
                                               std::vector<domain::PredictionRecord> records,
                                               const std::string& actor) = 0;
};

}  // namespace driftgate::service
