// The audit detail as it is stored in audit.detail (a JSON object, jsonb) and listed by GET /v1/audit.
#pragma once

#include <string>

#include "core/domain/audit_detail.h"

namespace driftgate::codec {

// A compact JSON object, keys in sorted order; invalid UTF-8 in a string is replaced (U+FFFD), never
// refused, so an audit row is always written.
std::string EncodeAuditDetail(const domain::AuditDetail& detail);

}  // namespace driftgate::codec
