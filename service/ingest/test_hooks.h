// Fault injection for the crash test (tests/e2e/test_crash_e2e.py), compiled into every build.
//
// DRIFTGATE_TEST_LABEL_TX_DELAY_MS=N (N > 0, at most 10000) makes every label batch wait N ms inside its
// transaction — after its labels are stored, paired and evaluated, before the commit — so a SIGKILL sent
// during that wait provably lands inside the transaction. Unset or 0 (the default and the only sensible
// production value) leaves a single branch on a value read once at the first call. Not a configuration
// setting: README.md lists it among the test-only variables.
#pragma once

namespace driftgate::service {

void PauseInsideLabelTransaction();

}  // namespace driftgate::service
