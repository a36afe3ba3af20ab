#include "api/ui_assets.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <optional>
#include <utility>

#include "api/problem.h"

namespace driftgate::api {
namespace {

constexpr std::size_t kMaxSegmentLength = 255;
constexpr off_t kMaxFileBytes = 32 << 20;  // the page is ~100 kB; anything this big is not ours

struct Fd {
  int fd = -1;
  explicit Fd(int f) : fd(f) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// The file's bytes, or nullopt when it is missing, not a regular file, a symlink, or too big. Each step
// is opened relative to the previous one without following symlinks (the root folder itself may be one).
std::optional<std::string> ReadAsset(const std::string& dir, const std::vector<std::string>& segments) {
  Fd root(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (root.fd < 0) return std::nullopt;
  int parent = root.fd;
  std::optional<Fd> sub;
  for (std::size_t i = 0; i + 1 < segments.size(); ++i) {
    sub.emplace(::openat(parent, segments[i].c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (sub->fd < 0) return std::nullopt;
    parent = sub->fd;
  }
  // O_NONBLOCK: a FIFO must not stall the handler; it is refused by the type check below.
  Fd file(::openat(parent, segments.back().c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK));
  if (file.fd < 0) return std::nullopt;
  struct stat st {};
  if (::fstat(file.fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > kMaxFileBytes) return std::nullopt;
  std::string out;
  out.reserve(static_cast<std::size_t>(st.st_size));
  std::array<char, 64 * 1024> buf{};
  for (;;) {
    const ssize_t n = ::read(file.fd, buf.data(), buf.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return std::nullopt;
    if (n == 0) break;
    out.append(buf.data(), static_cast<std::size_t>(n));
    if (out.size() > static_cast<std::size_t>(kMaxFileBytes)) return std::nullopt;
  }
  return out;
}

}  // namespace

bool IsSafeUiSegment(std::string_view segment) {
  if (segment.empty() || segment.size() > kMaxSegmentLength || segment.front() == '.') return false;
  for (const char c : segment) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                    c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

std::string UiContentType(std::string_view name) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 12> kTypes{{
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".svg", "image/svg+xml"},
      {".json", "application/json"},
      {".map", "application/json"},
      {".png", "image/png"},
      {".ico", "image/x-icon"},
      {".woff2", "font/woff2"},
      {".txt", "text/plain; charset=utf-8"},
      {".webmanifest", "application/manifest+json"},
  }};
  for (const auto& [ext, type] : kTypes) {
    if (EndsWith(name, ext)) return std::string(type);
  }
  return "";
}

Response ServeUiFile(const std::string& dir, const std::vector<std::string>& segments) {
  std::vector<std::string> path = segments.empty() ? std::vector<std::string>{"index.html"} : segments;
  if (path.size() > 2) return Problem(404, "no such UI file");
  std::string shown = "/ui";
  for (const auto& s : path) {
    if (!IsSafeUiSegment(s)) return Problem(404, "no such UI file");
    shown += "/" + s;
  }
  const std::string type = UiContentType(path.back());
  if (type.empty()) return Problem(404, "no such UI file: " + shown);
  auto body = dir.empty() ? std::nullopt : ReadAsset(dir, path);
  if (!body) {
    if (segments.empty()) {
      return Problem(404,
                     "the ops page is not installed on this server (build it with `make build`, or point "
                     "DRIFTGATE_UI_DIR at a built ui folder)");
    }
    return Problem(404, "no such UI file: " + shown);
  }
  Response r{.status = 200, .body = std::move(*body), .content_type = type, .headers = {}};
  // Vite names everything under assets/ by its content hash: safe to keep; the rest is revalidated.
  const bool hashed = path.size() == 2 && path[0] == "assets";
  r.headers.emplace_back("Cache-Control", hashed ? "public, max-age=31536000, immutable" : "no-cache");
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  if (EndsWith(path.back(), ".html")) {
    r.headers.emplace_back("Content-Security-Policy",
                           "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                           "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
                           "form-action 'self'; frame-ancestors 'none'");
    r.headers.emplace_back("Referrer-Policy", "no-referrer");
  }
  return r;
}

}  // namespace driftgate::api
