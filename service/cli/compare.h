// `driftgate compare`: a two-sample drift test on two files with one value per line (README.md,
// "Command line"). Reads the files, hands the samples to core/stats (two_sample.h) and prints one JSON
// line:
//   {"test":"ks","statistic":0.52,"p_value":1.58e-06,"threshold":0.05,"drift":true}
// (`p_value` null for distances). Exit 0 on a result (drift or not), 2 on any error, with the reason on
// `err`: bad or missing arguments, unknown test, unreadable or empty file, or a test that does not
// apply to the data (ks/wasserstein on categories).
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace driftgate::cli {

inline constexpr int kCompareUsageError = 2;

// `args` are the arguments after `compare`:
//   --test NAME --reference FILE --current FILE [--categorical] [--threshold X]   (also --name=value)
// Without --categorical, a file whose values are not all finite numbers is read as category labels; if
// only one of the two files is, both are compared as labels.
int RunCompare(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace driftgate::cli
