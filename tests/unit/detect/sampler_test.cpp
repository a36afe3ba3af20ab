// The test streams' samplers (tests/support/sampler.h) give fixed values for a seed: the same numbers
// with any standard library. Values from tests/data/river_model/river_model.py's SplitMix64 with the same
// Uniform and Box–Muller steps in CPython.
#include "tests/support/sampler.h"

#include <gtest/gtest.h>

namespace driftgate::test_support {
namespace {

TEST(Sampler, GivesThePeerModelsValuesForASeed) {
  Sampler rng(42);
  EXPECT_EQ(rng.Uniform(), 0.7415648787718233);
  EXPECT_EQ(rng.Uniform(), 0.1599103928769201);
  EXPECT_DOUBLE_EQ(rng.Gaussian(0.0, 1.0), -0.4508498757188601);
  EXPECT_TRUE(rng.Bernoulli(0.3));
}

}  // namespace
}  // namespace driftgate::test_support
