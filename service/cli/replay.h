// `driftgate replay`: runs one streaming detector over a recorded stream (README.md, "Command line").
//
//   driftgate replay --detector NAME[:param=value,...] [--input FILE]      (also --name=value; FILE "-" =
//   stdin)
//
// Reads one number per line from FILE (else `in`), feeds them in order to the detector built by
// core/detect (Make(ParseSpec(NAME...))) and prints one JSON line, in the peer's shape:
//   {"detector": "adwin", "n": 10000, "drifts": [1023], "warnings": []}
// with 0-based indices of the elements after whose update the drift / warning flag was set.
// Exit 0 on a result; 2 on any error, with one line naming it on `err`: missing or unknown argument,
// unknown detector or parameter, bad parameter value, unreadable file, a line that is not a finite number.
// Input is read in large blocks and parsed with std::from_chars (10^7 lines in well under a second).
#pragma once

#include <istream>
#include <ostream>
#include <string>
#include <vector>

namespace driftgate::cli {

inline constexpr int kReplayUsageError = 2;

// `args` are the arguments after `replay`.
int RunReplay(const std::vector<std::string>& args, std::istream& in, std::ostream& out, std::ostream& err);

}  // namespace driftgate::cli
