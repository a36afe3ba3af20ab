// Re-sealing stored secrets (README "Secrets at rest"): every model and outbox row whose secrets are not
// sealed under the current key — plaintext rows written before secrets were sealed, and, in a key
// rotation, rows sealed under a previous key — gets its values opened and sealed under the current key.
// Each batch is one transaction over rows locked FOR UPDATE, so replicas and a concurrent re-seal are
// safe and an interrupted run resumes where it stopped. A delivery in flight keeps the plaintext it
// opened, so at-least-once delivery and the signatures are unaffected.
#pragma once

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <string>
#include <vector>

#include "core/error.h"
#include "db/pool.h"
#include "service/webhooks/transport/secret_box.h"

namespace driftgate::service {

struct ResealOptions {
  bool legacy_only = false;  // only the plaintext rows (what `driftgate serve` does at start)
  int batch = 500;
};

struct ResealCounts {
  std::int64_t models = 0;
  std::int64_t outbox = 0;
};

// Internal, naming the row and the key id (never a value), when a value does not open: its key is in
// neither DRIFTGATE_SECRET_KEY nor DRIFTGATE_SECRET_KEY_PREVIOUS. Rows before it stay re-sealed.
Result<ResealCounts> ResealSecrets(db::Pool& pool, const webhook::SecretBox& box, ResealOptions options = {});

// `driftgate reseal [--db URL]`: ResealSecrets under DRIFTGATE_SECRET_KEY, opening with it and
// DRIFTGATE_SECRET_KEY_PREVIOUS; prints {"key_id", "models", "outbox"} (rows re-sealed). Exit 0 on
// success, 1 when a value does not open or the database fails, 2 on bad usage or keys. `env` reads the
// environment (DRIFTGATE_DB_URL, the two keys); --db wins.
int RunResealCommand(const std::vector<std::string>& args, const std::function<const char*(const char*)>& env,
                     std::ostream& out, std::ostream& err);

}  // namespace driftgate::service
