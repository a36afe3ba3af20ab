// The /ui static file handler (api/ui_assets.h) on a folder made here: types, cache headers, and every
// way out of the folder refused. No database, no server: ServeUiFile is the whole route. The routes
// themselves (no token, real binary, real browser) are covered by tests/e2e/test_ui_browser.py.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "api/ui_assets.h"

namespace driftgate::api {
namespace {

namespace fs = std::filesystem;

std::string Header(const Response& r, const std::string& name) {
  for (const auto& [k, v] : r.headers) {
    if (k == name) return v;
  }
  return "";
}

// A built-looking asset folder `<root>/ui` with one file outside it (`<root>/secret.txt`), removed at
// the end of the test.
struct AssetFolder {
  fs::path root;
  std::string dir;

  AssetFolder() {
    root = fs::temp_directory_path() / ("dg-ui-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root);
    fs::create_directories(root / "ui" / "assets");
    Write("ui/index.html", "<!doctype html><title>ops</title>");
    Write("ui/favicon.svg", "<svg/>");
    Write("ui/assets/main.abc123.js", "export const x = 1;");
    Write("ui/assets/style.abc123.css", "body{}");
    Write("ui/assets/main.abc123.js.map", "{}");
    Write("secret.txt", "outside the asset folder");
    dir = (root / "ui").string();
  }
  ~AssetFolder() { fs::remove_all(root); }
  AssetFolder(const AssetFolder&) = delete;
  AssetFolder& operator=(const AssetFolder&) = delete;

  void Write(const std::string& rel, const std::string& text) const { std::ofstream(root / rel) << text; }
};

TEST(UiAssets, ServesIndexAndAssetsWithTypeAndCacheHeaders) {
  const AssetFolder f;
  Response index = ServeUiFile(f.dir, {});
  EXPECT_EQ(index.status, 200);
  EXPECT_EQ(index.body, "<!doctype html><title>ops</title>");
  EXPECT_EQ(index.content_type, "text/html; charset=utf-8");
  EXPECT_EQ(Header(index, "Cache-Control"), "no-cache");
  EXPECT_NE(Header(index, "Content-Security-Policy").find("default-src 'self'"), std::string::npos);
  EXPECT_EQ(Header(index, "X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(ServeUiFile(f.dir, {"index.html"}).body, index.body);

  Response js = ServeUiFile(f.dir, {"assets", "main.abc123.js"});
  EXPECT_EQ(js.status, 200);
  EXPECT_EQ(js.body, "export const x = 1;");
  EXPECT_EQ(js.content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(Header(js, "Cache-Control"), "public, max-age=31536000, immutable");
  EXPECT_EQ(Header(js, "Content-Security-Policy"), "");

  EXPECT_EQ(ServeUiFile(f.dir, {"assets", "style.abc123.css"}).content_type, "text/css; charset=utf-8");
  EXPECT_EQ(ServeUiFile(f.dir, {"assets", "main.abc123.js.map"}).content_type, "application/json");
  Response svg = ServeUiFile(f.dir, {"favicon.svg"});
  EXPECT_EQ(svg.content_type, "image/svg+xml");
  EXPECT_EQ(Header(svg, "Cache-Control"), "no-cache");  // not under assets/: not content-hashed
}

TEST(UiAssets, ContentTypes) {
  EXPECT_EQ(UiContentType("a.html"), "text/html; charset=utf-8");
  EXPECT_EQ(UiContentType("a.js"), "text/javascript; charset=utf-8");
  EXPECT_EQ(UiContentType("a.mjs"), "text/javascript; charset=utf-8");
  EXPECT_EQ(UiContentType("a.css"), "text/css; charset=utf-8");
  EXPECT_EQ(UiContentType("a.svg"), "image/svg+xml");
  EXPECT_EQ(UiContentType("a.json"), "application/json");
  EXPECT_EQ(UiContentType("a.js.map"), "application/json");
  EXPECT_EQ(UiContentType("a.exe"), "");
  EXPECT_EQ(UiContentType("Makefile"), "");
}

TEST(UiAssets, MissingFilesAreProblem404) {
  const AssetFolder f;
  for (const std::vector<std::string>& path :
       {std::vector<std::string>{"nope.js"}, {"assets", "nope.js"}, {"nope", "main.abc123.js"}, {"assets"}}) {
    Response r = ServeUiFile(f.dir, path);
    EXPECT_EQ(r.status, 404) << path.back();
    EXPECT_EQ(r.content_type, "application/problem+json") << path.back();
  }
  Response none = ServeUiFile((f.root / "absent").string(), {});
  EXPECT_EQ(none.status, 404);
  EXPECT_NE(none.body.find("not installed"), std::string::npos) << none.body;
  EXPECT_EQ(ServeUiFile("", {}).status, 404);
}

TEST(UiAssets, NothingOutsideTheFolder) {
  const AssetFolder f;
  const std::vector<std::vector<std::string>> hostile = {
      {".."},
      {"..", "secret.txt"},
      {"%2e%2e", "secret.txt"},
      {"..%2fsecret.txt"},
      {"assets", ".."},
      {".", "index.html"},
      {".hidden.js"},
      {"/etc", "passwd"},
      {f.dir + "/index.html"},
      {"a\\b.js"},
      {std::string("index.html\0.js", 14)},
      {"assets", "main.abc123.js", "extra"},
      {""},
      {"assets", ""},
      {std::string(300, 'a') + ".js"},
  };
  for (const auto& path : hostile) {
    Response r = ServeUiFile(f.dir, path);
    EXPECT_EQ(r.status, 404) << testing::PrintToString(path);
    EXPECT_EQ(r.body.find("outside the asset folder"), std::string::npos);
  }
  EXPECT_FALSE(IsSafeUiSegment(".."));
  EXPECT_FALSE(IsSafeUiSegment(".git"));
  EXPECT_FALSE(IsSafeUiSegment("a/b"));
  EXPECT_FALSE(IsSafeUiSegment(std::string("a\0b", 3)));
  EXPECT_TRUE(IsSafeUiSegment("main.abc123_-X.js"));
}

TEST(UiAssets, OnlyRegularFilesNoSymlinks) {
  const AssetFolder f;
  fs::create_symlink(f.root / "secret.txt", f.root / "ui" / "leak.txt");
  fs::create_directory_symlink(f.root, f.root / "ui" / "up");
  ASSERT_EQ(::mkfifo((f.root / "ui" / "pipe.js").c_str(), 0600), 0);
  fs::create_directory(f.root / "ui" / "dir.js");
  EXPECT_EQ(ServeUiFile(f.dir, {"leak.txt"}).status, 404);
  EXPECT_EQ(ServeUiFile(f.dir, {"up", "secret.txt"}).status, 404);
  EXPECT_EQ(ServeUiFile(f.dir, {"pipe.js"}).status, 404);  // and it did not block
  EXPECT_EQ(ServeUiFile(f.dir, {"dir.js"}).status, 404);
  // The folder itself may be a symlink (an operator's choice, e.g. a release folder).
  fs::create_directory_symlink(f.root / "ui", f.root / "current");
  EXPECT_EQ(ServeUiFile((f.root / "current").string(), {}).status, 200);
}

}  // namespace
}  // namespace driftgate::api
