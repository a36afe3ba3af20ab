// Python's `x ** y` on floats, for the few places where the peer writes a power instead of a product or
// a square root. CPython calls the C library's pow(); the compiler, seeing a constant exponent, would
// rewrite pow(x, 2.0) into x * x, which differs from glibc's pow() in the last bit for some x (about one in a
// thousand uniform doubles). Defined out of line so no constant exponent is visible to the optimizer.
#pragma once

namespace driftgate::detect {

double PeerPow(double base, double exponent);

}  // namespace driftgate::detect
