#include "service/cli/replay.h"

#include <cerrno>
#include <charconv>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>

#include "core/detect/detector.h"
#include "core/detect/replay.h"

namespace driftgate::cli {
namespace {

constexpr std::size_t kReadBlock = std::size_t{1} << 20;  // 1 MiB per read

constexpr std::string_view kUsage =
    "usage: driftgate replay --detector NAME[:param=value,...] [--input FILE]\n"
    "  Runs one streaming drift detector over one number per line (FILE, or stdin) and prints\n"
    "  {\"detector\": NAME, \"n\": N, \"drifts\": [...], \"warnings\": [...]} (0-based indices).\n";

struct Args {
  std::optional<std::string> detector;
  std::optional<std::string> input;
  bool help = false;
};

std::string KnownList() {
  std::string list;
  for (const auto& name : detect::KnownTypes()) list += (list.empty() ? "" : ", ") + name;
  return list;
}

// Returns an error message, or nothing when `args` parsed.
std::optional<std::string> ParseArgs(const std::vector<std::string>& args, Args& parsed) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string_view arg = args[i];
    if (arg == "-h" || arg == "--help") {
      parsed.help = true;
      continue;
    }
    std::optional<std::string>* slot = nullptr;
    std::string_view name = arg;
    std::optional<std::string_view> inline_value;
    if (const auto eq = arg.find('='); arg.starts_with("--") && eq != std::string_view::npos) {
      name = arg.substr(0, eq);
      inline_value = arg.substr(eq + 1);
    }
    if (name == "--detector") {
      slot = &parsed.detector;
    } else if (name == "--input") {
      slot = &parsed.input;
    } else {
      return "unknown argument '" + std::string(arg) + "'";
    }
    if (slot->has_value()) return std::string(name) + " given twice";
    if (inline_value) {
      *slot = std::string(*inline_value);
    } else if (i + 1 < args.size()) {
      *slot = args[++i];
    } else {
      return std::string(name) + " needs a value";
    }
    if ((*slot)->empty()) return std::string(name) + " needs a non-empty value";
  }
  return std::nullopt;
}

// Reads the whole stream in large blocks (no per-line iostream work).
bool ReadAll(std::istream& in, std::string& text) {
  std::streambuf* buffer = in.rdbuf();
  if (buffer == nullptr) return false;
  for (;;) {
    const std::size_t old_size = text.size();
    text.resize(old_size + kReadBlock);
    const std::streamsize got =
        buffer->sgetn(text.data() + old_size, static_cast<std::streamsize>(kReadBlock));
    text.resize(old_size + static_cast<std::size_t>(got > 0 ? got : 0));
    if (got < static_cast<std::streamsize>(kReadBlock)) return true;
  }
}

void AppendIndices(std::string& json, const std::vector<std::size_t>& indices) {
  json += '[';
  char digits[24];
  for (std::size_t i = 0; i < indices.size(); ++i) {
    if (i > 0) json += ", ";
    const auto [end, ec] = std::to_chars(digits, digits + sizeof(digits), indices[i]);
    json.append(digits, end);
  }
  json += ']';
}

int Fail(std::ostream& err, std::string_view message) {
  err << "driftgate replay: " << message << '\n';
  return kReplayUsageError;
}

}  // namespace

int RunReplay(const std::vector<std::string>& args, std::istream& in, std::ostream& out, std::ostream& err) {
  Args parsed;
  if (auto problem = ParseArgs(args, parsed)) return Fail(err, *problem + " (try --help)");
  if (parsed.help) {
    out << kUsage;
    return 0;
  }
  if (!parsed.detector)
    return Fail(err, "missing --detector NAME[:param=value,...] (known: " + KnownList() + ")");

  auto spec = detect::ParseSpec(*parsed.detector);
  if (!spec.ok()) return Fail(err, "--detector: " + spec.error().message);
  auto detector = detect::Make(spec.value());
  if (!detector.ok()) return Fail(err, "--detector: " + detector.error().message);

  std::string text;
  std::string source = "stdin";
  if (parsed.input && *parsed.input != "-") {
    source = *parsed.input;
    std::error_code ec;
    if (std::filesystem::is_directory(source, ec))
      return Fail(err, "cannot read --input " + source + ": a directory");
    std::ifstream file(source, std::ios::binary);
    if (!file.is_open()) return Fail(err, "cannot open --input " + source + ": " + std::strerror(errno));
    if (!ReadAll(file, text) || file.bad()) return Fail(err, "cannot read --input " + source);
  } else if (!ReadAll(in, text) || in.bad()) {
    return Fail(err, "cannot read stdin");
  }

  auto values = detect::ParseNumberLines(text);
  if (!values.ok()) return Fail(err, source + ": " + values.error().message);
  const detect::ReplayResult result = detect::Replay(*detector.value(), values.value());

  // The peer's layout (Python's json.dumps separators), built directly: warning lists can be long.
  std::string json = "{\"detector\": " + nlohmann::json(std::string(detector.value()->Name())).dump() +
                     ", \"n\": " + std::to_string(result.n) + ", \"drifts\": ";
  AppendIndices(json, result.drifts);
  json += ", \"warnings\": ";
  AppendIndices(json, result.warnings);
  json += "}\n";
  out << json;
  return out.good() ? 0 : Fail(err, "cannot write the result");
}

}  // namespace driftgate::cli
