#include "db/exec.h"

namespace driftgate::db {
namespace {
std::atomic<bool> g_prepared{true};
}  // namespace

void UsePreparedStatements(bool on) { g_prepared.store(on, std::memory_order_relaxed); }
bool PreparedStatementsEnabled() { return g_prepared.load(std::memory_order_relaxed); }

}  // namespace driftgate::db
