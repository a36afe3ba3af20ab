#include "service/cli/compare.h"

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string_view>
#include <variant>

#include "core/stats/two_sample.h"

namespace driftgate::cli {
namespace {

constexpr std::string_view kUsage =
    "usage: driftgate compare --test NAME --reference FILE --current FILE [--categorical] [--threshold X]\n"
    "  NAME: ks, chi2, psi, jensen_shannon, wasserstein, wasserstein_normed, z\n";

struct Options {
  std::string test;
  std::string reference;
  std::string current;
  std::optional<double> threshold;
  bool categorical = false;
  bool help = false;
};

// A failure to report: the message goes to `err` with the usage line when the call itself was wrong.
struct Failure {
  std::string message;
  bool show_usage = false;
};

template <class T>
using Outcome = std::variant<T, Failure>;

Outcome<Options> ParseArgs(const std::vector<std::string>& args) {
  Options options;
  std::string threshold_text;
  const std::map<std::string_view, std::string*> valued = {{"--test", &options.test},
                                                           {"--reference", &options.reference},
                                                           {"--current", &options.current},
                                                           {"--threshold", &threshold_text}};
  std::map<std::string_view, bool> seen;
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string_view arg = args[i];
    if (arg == "--help" || arg == "-h") {
      options.help = true;
      return options;
    }
    std::optional<std::string_view> inline_value;
    if (const auto eq = arg.find('='); arg.starts_with("--") && eq != std::string_view::npos) {
      inline_value = arg.substr(eq + 1);
      arg = arg.substr(0, eq);
    }
    if (arg == "--categorical") {
      if (inline_value) return Failure{"--categorical takes no value", true};
      options.categorical = true;
      continue;
    }
    const auto target = valued.find(arg);
    if (target == valued.end()) return Failure{"unknown argument '" + std::string(arg) + "'", true};
    if (seen[target->first]) return Failure{std::string(arg) + " given twice", true};
    seen[target->first] = true;
    if (inline_value) {
      *target->second = std::string(*inline_value);
    } else if (i + 1 < args.size()) {
      *target->second = args[++i];
    } else {
      return Failure{std::string(arg) + " needs a value", true};
    }
  }
  for (const auto& [name, value] :
       {std::pair{"--test", &options.test}, std::pair{"--reference", &options.reference},
        std::pair{"--current", &options.current}}) {
    if (value->empty()) return Failure{std::string("missing ") + name, true};
  }
  if (seen["--threshold"]) {
    double value = 0.0;
    const char* end = threshold_text.data() + threshold_text.size();
    const auto [ptr, ec] = std::from_chars(threshold_text.data(), end, value);
    if (ec != std::errc() || ptr != end || !std::isfinite(value) || value < 0.0) {
      return Failure{"--threshold must be a finite number >= 0, got '" + threshold_text + "'", true};
    }
    options.threshold = value;
  }
  return options;
}

Outcome<std::string> ReadFile(const std::string& role, const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) return Failure{role + " file '" + path + "' is a directory"};
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) return Failure{"cannot open " + role + " file '" + path + "': " + std::strerror(errno)};
  // One read of the whole file when its size is known (a regular file); streams otherwise (a pipe).
  const std::streamoff size = in.tellg();
  if (size > 0) {
    std::string text(static_cast<std::size_t>(size), '\0');
    in.seekg(0);
    if (in.read(text.data(), size)) return text;
    in.clear();
  }
  in.seekg(0);
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return Failure{"cannot read " + role + " file '" + path + "'"};
  return std::move(text).str();
}

Outcome<stats::Sample> Parse(const std::string& role, const std::string& path, const std::string& text,
                             bool categorical) {
  Result<stats::Sample> sample = stats::ParseSample(text, categorical);
  if (!sample.ok()) return Failure{role + " file '" + path + "': " + sample.error().message};
  return std::move(sample).value();
}

Outcome<nlohmann::ordered_json> Compare(const Options& options) {
  const std::optional<stats::Test> test = stats::ParseTest(options.test);
  if (!test) return Failure{"unknown test '" + options.test + "'", true};
  const Outcome<std::string> reference_text = ReadFile("reference", options.reference);
  if (const auto* f = std::get_if<Failure>(&reference_text)) return *f;
  const Outcome<std::string> current_text = ReadFile("current", options.current);
  if (const auto* f = std::get_if<Failure>(&current_text)) return *f;
  const std::string& ref_text = std::get<std::string>(reference_text);
  const std::string& cur_text = std::get<std::string>(current_text);

  Outcome<stats::Sample> reference = Parse("reference", options.reference, ref_text, options.categorical);
  if (const auto* f = std::get_if<Failure>(&reference)) return *f;
  Outcome<stats::Sample> current = Parse("current", options.current, cur_text, options.categorical);
  if (const auto* f = std::get_if<Failure>(&current)) return *f;
  // Labels in one file make both files labels: numbers "1.0" and "1" then stay as written.
  if (std::get<stats::Sample>(reference).categorical != std::get<stats::Sample>(current).categorical) {
    reference = Parse("reference", options.reference, ref_text, true);
    current = Parse("current", options.current, cur_text, true);
  }
  const stats::Sample& ref = std::get<stats::Sample>(reference);
  const stats::Sample& cur = std::get<stats::Sample>(current);

  Result<stats::TestResult> result = stats::Run(*test, ref, cur, options.threshold);
  if (!result.ok()) {
    std::string message = result.error().message;
    if (ref.categorical && !options.categorical) {
      message += " (the values are not all finite numbers, so they were read as category labels)";
    }
    return Failure{message};
  }
  nlohmann::ordered_json json;
  json["test"] = stats::TestName(result->test);
  json["statistic"] = result->statistic;
  json["p_value"] =
      result->p_value ? nlohmann::ordered_json(*result->p_value) : nlohmann::ordered_json(nullptr);
  json["threshold"] = result->threshold;
  json["drift"] = result->drift;
  return json;
}

}  // namespace

int RunCompare(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  const Outcome<Options> options = ParseArgs(args);
  Failure failure;
  if (const auto* f = std::get_if<Failure>(&options)) {
    failure = *f;
  } else if (std::get<Options>(options).help) {
    out << kUsage;
    return 0;
  } else {
    const Outcome<nlohmann::ordered_json> json = Compare(std::get<Options>(options));
    if (const auto* j = std::get_if<nlohmann::ordered_json>(&json)) {
      out << j->dump() << '\n';
      return 0;
    }
    failure = std::get<Failure>(json);
  }
  err << "driftgate compare: " << failure.message << '\n';
  if (failure.show_usage) err << kUsage;
  return kCompareUsageError;
}

}  // namespace driftgate::cli
