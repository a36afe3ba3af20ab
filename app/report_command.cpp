#include "app/report_command.h"

namespace driftgate::service {

std::optional<std::string> ReadOptions(const std::vector<std::string>& args, ReportTarget& target,
                                       const OptionHandler& on_option) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string key = args[i], value;
    if (const auto eq = key.find('='); key.rfind("--", 0) == 0 && eq != std::string::npos) {
      value = key.substr(eq + 1);
      key = key.substr(0, eq);
    } else if (i + 1 < args.size()) {
      value = args[++i];
    } else {
      return key + " needs a value";
    }
    if (key == "--model") {
      target.model = value;
    } else if (key == "--db") {
      target.db_url = value;
    } else if (auto problem = on_option(key, value)) {
      return problem;
    }
  }
  return std::nullopt;
}

std::optional<double> ParseNumber(const std::string& text) {
  try {
    std::size_t used = 0;
    const double v = std::stod(text, &used);
    if (used == text.size()) return v;
  } catch (const std::exception&) {
  }
  return std::nullopt;
}

int UsageError(const char* command, std::ostream& err, const std::string& message) {
  err << "driftgate " << command << ": " << message << "\n";
  return 2;
}

}  // namespace driftgate::service
