// Data drift per segment end to end (service/drift/segment_drift.h): real PostgreSQL, the server in-process
// on port 0, real HTTP. The test builds every segment's reference and window values itself, so the expected
// KS results are computed here from those slices.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "core/domain/time.h"
#include "core/stats/two_sample.h"
#include "tests/support/test_db.h"
#include "tests/support/test_server.h"
#include "tests/support/wait.h"

namespace driftgate {
namespace {

using nlohmann::json;
using test_support::TestDatabase;
using test_support::TestServer;

constexpr std::int64_t kStart = 1'793'491'200'000'000;  // 2026-11-01T00:00:00Z

// Rows per segment in the reference and in the window: "d" has too few reference rows to be judged.
const std::map<std::string, int> kRows = {{"a", 200}, {"b", 400}, {"c", 350}, {"d", 50}};

// Segment `s`'s values of x: evenly spread over [0, 1] in both periods, except "a", whose window values
// sit 0.25 higher. The whole stream barely moves (KS D = 0.054 over 1,000 + 1,000 rows, p = 0.108).
std::vector<double> Values(const std::string& s, bool window) {
  const int n = kRows.at(s);
  std::vector<double> v;
  for (int i = 0; i < n; ++i) {
    if (!window) {
      v.push_back((i + 0.25) / n);
    } else {
      v.push_back(s == "a" ? 0.25 + (i + 0.5) / n : (i + 0.75) / n);
    }
  }
  return v;
}

// The period's records, segments interleaved round robin; ids and data times continue from `first`.
json Records(bool window, int first) {
  std::map<std::string, std::vector<double>> values;
  for (const auto& [s, n] : kRows) values[s] = Values(s, window);
  json records = json::array();
  int id = first;
  for (std::size_t i = 0; records.size() < 1000; ++i) {
    for (const auto& [s, v] : values) {
      if (i >= v.size()) continue;
      records.push_back({{"id", "r" + std::to_string(id)},
                         {"ts", domain::FormatRfc3339(kStart + static_cast<std::int64_t>(id) * 1'000'000)},
                         {"features", {{"x", v[i]}}},
                         {"prediction", static_cast<int>(i % 2)},
                         {"segment", s}});
      ++id;
    }
  }
  return json{{"records", std::move(records)}};
}

json Model(const std::string& name, const std::string& mode) {
  json m = test_support::BinaryModel(name, "http://127.0.0.1:9/h");
  m["reference"] = {{"size", 1000}};
  m["drift"] = {{"window", 1000}, {"every", 1000}};
  m["segments"] = {{"mode", mode}, {"min_samples", 150}};
  return m;
}

json Events(TestServer& server, const std::string& model, const std::string& query = "") {
  auto r = server.Call("GET", "/v1/models/" + model + "/drift?limit=100" + query);
  EXPECT_EQ(r.status, 200) << r.body;
  return r.Json()["drift"];
}

json Feature(const json& event, const std::string& name) {
  for (const auto& f : event["features"]) {
    if (f["feature"] == name) return f;
  }
  return nullptr;
}

// Sends the window after the reference is in place and waits for the check it is due for.
void SendWindowAndWait(TestServer& server, const std::string& model) {
  auto r = server.Call("POST", "/v1/models/" + model + "/predictions", Records(true, 1000));
  ASSERT_EQ(r.status, 200) << r.body;
  ASSERT_TRUE(
      test_support::WaitUntil([&] { return !Events(server, model).empty(); }, std::chrono::seconds(30)))
      << "no data-drift check";
}

// The segments' results of `model`'s one check agree with KS on the slices built here.
void ExpectSegmentResults(TestServer& server, const std::string& model) {
  const json whole = Events(server, model);
  ASSERT_EQ(whole.size(), 1u) << whole.dump();
  EXPECT_TRUE(whole[0]["segment"].is_null());
  EXPECT_FALSE(Feature(whole[0], "x")["drifted"].get<bool>()) << "the whole stream does not visibly shift";

  for (const std::string s : {"a", "b", "c"}) {
    const json events = Events(server, model, "&segment=" + s);
    ASSERT_EQ(events.size(), 1u) << s << ": " << events.dump();
    const json& e = events[0];
    EXPECT_EQ(e["segment"], s);
    EXPECT_EQ(e["at"], whole[0]["at"]);
    ASSERT_TRUE(e["judged"].get<bool>()) << e.dump();
    EXPECT_EQ(e["reference"]["size"], kRows.at(s));
    EXPECT_EQ(e["current_size"], kRows.at(s));
    EXPECT_EQ(e["segments_judged"], 3);
    const json x = Feature(e, "x");
    ASSERT_FALSE(x.is_null()) << e.dump();
    EXPECT_EQ(x["test"], "ks");  // a numeric slice of at most 1,000 reference rows
    stats::Sample reference, current;
    reference.numbers = Values(s, false);
    current.numbers = Values(s, true);
    const auto expected = stats::Run(stats::Test::kKs, reference, current);
    ASSERT_TRUE(expected.ok());
    EXPECT_NEAR(x["statistic"].get<double>(), expected->statistic, 1e-12) << s;
    EXPECT_NEAR(x["p_value"].get<double>(), *expected->p_value, 1e-12 * std::max(1.0, *expected->p_value))
        << s;
    EXPECT_NEAR(x["threshold"].get<double>(), 0.05 / 3, 1e-15) << "Bonferroni over the 3 judged segments";
    EXPECT_EQ(x["drifted"].get<bool>(), s == "a") << s << ": " << x.dump();
  }
  // scipy.stats.ks_2samp(a_reference, a_window) on the same 200 + 200 values: D = 0.255, p = 4.0248065e-06.
  const json a = Feature(Events(server, model, "&segment=a")[0], "x");
  EXPECT_NEAR(a["statistic"].get<double>(), 0.255, 1e-12);
  EXPECT_NEAR(a["p_value"].get<double>(), 4.024806511439489e-06, 4.024806511439489e-06 * 1e-6);

  const json d = Events(server, model, "&segment=d");
  ASSERT_EQ(d.size(), 1u) << d.dump();
  EXPECT_FALSE(d[0]["judged"].get<bool>());
  EXPECT_EQ(d[0]["reference"]["size"], 50);
  EXPECT_NE(d[0]["reason"].get<std::string>().find("fewer than segments.min_samples (150)"),
            std::string::npos)
      << d[0].dump();
  EXPECT_TRUE(Events(server, model, "&segment=zzz").empty());
}

TEST(SegmentDrift, OneShiftedSegmentIsFlaggedAgainstItsOwnReferenceSliceWhileTheWholeStreamHolds) {
  TestDatabase db;
  TestServer server(db.url());
  ASSERT_EQ(server.Call("POST", "/v1/models", Model("seg", "monitor")).status, 201);
  ASSERT_EQ(server.Call("POST", "/v1/models/seg/predictions", Records(false, 0)).status, 200);
  SendWindowAndWait(server, "seg");
  ExpectSegmentResults(server, "seg");
  // A segment's data drift informs; it decides nothing.
  EXPECT_TRUE(server.Call("GET", "/v1/models/seg/decisions").Json()["decisions"].empty());
  EXPECT_EQ(server.Call("GET", "/v1/models/seg/drift?segment=").status, 400);
}

TEST(SegmentDrift, AnUploadedReferenceKeepsItsSegments) {
  TestDatabase db;
  TestServer server(db.url());
  ASSERT_EQ(server.Call("POST", "/v1/models", Model("up", "trigger")).status, 201);
  auto up = server.Call("PUT", "/v1/models/up/reference", Records(false, 0));
  ASSERT_EQ(up.status, 200) << up.body;
  SendWindowAndWait(server, "up");
  ExpectSegmentResults(server, "up");
}

TEST(SegmentDrift, SegmentsOffGiveNoSegmentResults) {
  TestDatabase db;
  TestServer server(db.url());
  ASSERT_EQ(server.Call("POST", "/v1/models", Model("off", "off")).status, 201);
  ASSERT_EQ(server.Call("POST", "/v1/models/off/predictions", Records(false, 0)).status, 200);
  SendWindowAndWait(server, "off");
  EXPECT_EQ(Events(server, "off").size(), 1u);
  EXPECT_TRUE(Events(server, "off", "&segment=a").empty());
}

}  // namespace
}  // namespace driftgate
