#include "core/detect/peer_math.h"

#include <cmath>

namespace driftgate::detect {

double PeerPow(double base, double exponent) { return std::pow(base, exponent); }

}  // namespace driftgate::detect
