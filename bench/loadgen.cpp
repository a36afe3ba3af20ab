// driftgate's load generator for bench/run.sh. Several threads, each with its own
// keep-alive libcurl easy handle, POST deterministic batches to a running `driftgate serve`; every mode
// prints one JSON line with its figures and its own CPU use (getrusage), so the run can show that the
// generator is not the bottleneck. The same records can be written as COPY text for the raw-COPY baseline.
//
//   loadgen create-models  --prefix P --count N --kind ingest|labels|breach [--webhook URL] [--drift-every N]
//                          [--segments off|monitor|trigger]
//   loadgen predictions    --model M --records N [--from I] [--batch 1000] [--id-prefix p] [--segments K]
//   loadgen labels         --model M --records N [--from I] [--batch 1000] [--id-prefix p] [--error-rate 0.2]
//   loadgen fleet          --prefix P --models N [--per-model 100]
//   loadgen breaches       --prefix P --models 20 [--records 300]   (hosts its own webhook receiver)
//   loadgen soak           --prefix P --models N --seconds S [--batch 500]
//   loadgen copy-predictions --model-id ID --records N [--id-prefix p] --out FILE [--keys FILE]
//   loadgen copy-labels      --model-id ID --records N [--id-prefix p] [--error-rate 0.2] --out FILE [--keys
//   FILE]
// Common: --url http://127.0.0.1:PORT, --token T, --conns C (threads), --ts-base-us T (data time of record
// 0).
//
// Record i of a prefix is the same everywhere: id "<prefix>-<i>", four features (three numbers and a
// category), a 0/1 prediction with its score, ts = base + i ms; its label flips the prediction with
// probability --error-rate (a hash of i, not a random draw).
#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

// ---- options

struct Options {
  std::map<std::string, std::string> values;
  std::string Get(const std::string& key, const std::string& fallback = "") const {
    auto it = values.find(key);
    return it == values.end() ? fallback : it->second;
  }
  long long Int(const std::string& key, long long fallback) const {
    auto it = values.find(key);
    return it == values.end() ? fallback : std::stoll(it->second);
  }
  double Num(const std::string& key, double fallback) const {
    auto it = values.find(key);
    return it == values.end() ? fallback : std::stod(it->second);
  }
};

Options ParseOptions(int argc, char** argv) {
  Options o;
  for (int i = 2; i < argc; ++i) {
    std::string a = argv[i];
    if (a.rfind("--", 0) != 0) throw std::runtime_error("unexpected argument " + a);
    a = a.substr(2);
    if (auto eq = a.find('='); eq != std::string::npos) {
      o.values[a.substr(0, eq)] = a.substr(eq + 1);
    } else if (i + 1 < argc) {
      o.values[a] = argv[++i];
    } else {
      throw std::runtime_error("missing value for --" + a);
    }
  }
  return o;
}

// ---- deterministic records

std::uint64_t Mix(std::uint64_t z) {
  z += 0x9e3779b97f4a7c15ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}
double Unit(std::uint64_t i, std::uint64_t salt) {
  return static_cast<double>(Mix(i * 8 + salt) >> 11) * 0x1.0p-53;
}

struct Record {
  double f0, f1, f2;
  const char* cat;
  int prediction;
  double score;
  int label;
};

Record MakeRecord(std::uint64_t i, double error_rate) {
  static const char* kCats[] = {"red", "green", "blue"};
  Record r{};
  r.f0 = Unit(i, 1) * 100.0;
  r.f1 = Unit(i, 2) * 2.0 - 1.0;
  r.f2 = static_cast<double>(Mix(i * 8 + 3) % 1000);
  r.cat = kCats[Mix(i * 8 + 4) % 3];
  r.score = Unit(i, 5);
  r.prediction = r.score >= 0.5 ? 1 : 0;
  r.label = Unit(i, 6) < error_rate ? 1 - r.prediction : r.prediction;
  return r;
}

// `2026-11-23T06:00:00.123Z` and, for COPY, `2026-11-23 06:00:00.123+00`.
void AppendTime(std::string& out, std::int64_t us, bool rfc3339) {
  const std::time_t secs = static_cast<std::time_t>(us / 1000000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[48];
  const int ms = static_cast<int>((us / 1000) % 1000);
  std::snprintf(buf, sizeof buf,
                rfc3339 ? "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ" : "%04d-%02d-%02d %02d:%02d:%02d.%03d+00",
                tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ms);
  out += buf;
}

void AppendDouble(std::string& out, double v) {
  char buf[32];
  const int n = std::snprintf(buf, sizeof buf, "%.6g", v);
  out.append(buf, static_cast<std::size_t>(n));
}

struct Stream {
  std::string id_prefix;
  std::int64_t ts_base_us;
  double error_rate = 0.2;
  std::uint64_t segments = 0;  // > 0: each prediction carries one of K segments, "seg-0" ... "seg-{K-1}"
  std::int64_t TsUs(std::uint64_t i) const { return ts_base_us + static_cast<std::int64_t>(i) * 1000; }
};

std::string PredictionBody(const Stream& s, std::uint64_t from, std::uint64_t count) {
  std::string b;
  b.reserve(count * 190 + 16);
  b += "{\"records\":[";
  for (std::uint64_t i = from; i < from + count; ++i) {
    const Record r = MakeRecord(i, s.error_rate);
    if (i != from) b += ',';
    b += "{\"id\":\"" + s.id_prefix + "-" + std::to_string(i) + "\",\"ts\":\"";
    AppendTime(b, s.TsUs(i), true);
    b += "\",\"features\":{\"amount\":";
    AppendDouble(b, r.f0);
    b += ",\"delta\":";
    AppendDouble(b, r.f1);
    b += ",\"count\":";
    AppendDouble(b, r.f2);
    b += ",\"color\":\"";
    b += r.cat;
    b += "\"},\"prediction\":";
    b += r.prediction ? '1' : '0';
    b += ",\"score\":";
    AppendDouble(b, r.score);
    if (s.segments) b += ",\"segment\":\"seg-" + std::to_string(Mix(i * 8 + 7) % s.segments) + '"';
    b += '}';
  }
  b += "]}";
  return b;
}

std::string LabelBody(const Stream& s, std::uint64_t from, std::uint64_t count) {
  std::string b;
  b.reserve(count * 80 + 16);
  b += "{\"records\":[";
  for (std::uint64_t i = from; i < from + count; ++i) {
    const Record r = MakeRecord(i, s.error_rate);
    if (i != from) b += ',';
    b += "{\"id\":\"" + s.id_prefix + "-" + std::to_string(i) + "\",\"ts\":\"";
    AppendTime(b, s.TsUs(i) + 60000000, true);  // labels arrive a minute of data time later
    b += "\",\"label\":";
    b += r.label ? '1' : '0';
    b += '}';
  }
  b += "]}";
  return b;
}

// One COPY text row per record of the stream: `append(line, i, record)` writes the row, '\n' included.
template <class Append>
void WriteCopyRows(const Stream& s, std::uint64_t n, std::ostream& out, Append append) {
  std::string line;
  for (std::uint64_t i = 0; i < n; ++i) {
    const Record r = MakeRecord(i, s.error_rate);
    line.clear();
    append(line, i, r);
    out << line;
  }
}

// COPY text rows with the columns of the predictions / labels tables that ingest fills, and optionally
// the record_keys rows ingest writes with them (migrations/V004__partitions.sql):
//   record_keys (model_id, kind, record_id, received_at, ts, cls, value, score, matched)
void WriteCopyKeys(const Stream& s, std::int64_t model_id, std::uint64_t n, bool labels, std::ostream& out) {
  const auto now_us = std::chrono::duration_cast<std::chrono::microseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  WriteCopyRows(s, n, out, [&](std::string& line, std::uint64_t i, const Record& r) {
    line += std::to_string(model_id) + (labels ? "\tl\t" : "\tp\t") + s.id_prefix + "-" + std::to_string(i) +
            '\t';
    AppendTime(line, now_us, false);
    line += '\t';
    if (labels) {
      AppendTime(line, s.TsUs(i) + 60000000, false);
      line += r.label ? "\t1\t\\N\t\\N\tt\n" : "\t0\t\\N\t\\N\tt\n";
    } else {
      line += r.prediction ? "\\N\t1\t\\N\t" : "\\N\t0\t\\N\t";
      AppendDouble(line, r.score);
      line += "\tf\n";
    }
  });
}

void WriteCopyPredictions(const Stream& s, std::int64_t model_id, std::uint64_t n, std::ostream& out) {
  WriteCopyRows(s, n, out, [&](std::string& line, std::uint64_t i, const Record& r) {
    line += std::to_string(model_id) + '\t' + s.id_prefix + "-" + std::to_string(i) + '\t';
    AppendTime(line, s.TsUs(i), false);
    line += r.prediction ? "\t1" : "\t0";
    line += "\t\\N\t";
    AppendDouble(line, r.score);
    line += "\t\\N\t{\"amount\":";
    AppendDouble(line, r.f0);
    line += ",\"delta\":";
    AppendDouble(line, r.f1);
    line += ",\"count\":";
    AppendDouble(line, r.f2);
    line += ",\"color\":\"";
    line += r.cat;
    line += "\"}\t\\N\n";
  });
}

void WriteCopyLabels(const Stream& s, std::int64_t model_id, std::uint64_t n, std::ostream& out) {
  WriteCopyRows(s, n, out, [&](std::string& line, std::uint64_t i, const Record& r) {
    line += std::to_string(model_id) + '\t' + s.id_prefix + "-" + std::to_string(i) + '\t';
    line += r.label ? "1" : "0";
    line += "\t\\N\t";
    AppendTime(line, s.TsUs(i) + 60000000, false);
    line += "\tt\n";
  });
}

// ---- HTTP: one keep-alive easy handle per thread

class Client {
 public:
  Client(std::string base, const std::string& token) : base_(std::move(base)), curl_(curl_easy_init()) {
    headers_ = curl_slist_append(headers_, ("Authorization: Bearer " + token).c_str());
    headers_ = curl_slist_append(headers_, "Content-Type: application/json");
    headers_ = curl_slist_append(headers_, "Expect:");  // no 100-continue round trip for large bodies
    curl_easy_setopt(curl_, CURLOPT_HTTPHEADER, headers_);
    curl_easy_setopt(curl_, CURLOPT_TCP_NODELAY, 1L);
    curl_easy_setopt(curl_, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl_, CURLOPT_TIMEOUT_MS, 120000L);
    curl_easy_setopt(curl_, CURLOPT_WRITEFUNCTION, &Client::Collect);
    curl_easy_setopt(curl_, CURLOPT_WRITEDATA, &response_);
  }
  ~Client() {
    curl_slist_free_all(headers_);
    curl_easy_cleanup(curl_);
  }
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // The HTTP status, or 0 on a transport error; the body is in response().
  long Send(const char* method, const std::string& path, const std::string& body) {
    response_.clear();
    const std::string url = base_ + path;
    curl_easy_setopt(curl_, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl_, CURLOPT_CUSTOMREQUEST, method);
    curl_easy_setopt(curl_, CURLOPT_POSTFIELDS, body.c_str());
    curl_easy_setopt(curl_, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
    if (curl_easy_perform(curl_) != CURLE_OK) return 0;
    long status = 0;
    curl_easy_getinfo(curl_, CURLINFO_RESPONSE_CODE, &status);
    return status;
  }
  const std::string& response() const { return response_; }

 private:
  static size_t Collect(char* data, size_t size, size_t n, void* out) {
    static_cast<std::string*>(out)->append(data, size * n);
    return size * n;
  }
  std::string base_;
  CURL* curl_;
  curl_slist* headers_ = nullptr;
  std::string response_;
};

// ---- the run: work items pulled by `conns` threads, each with its own client

struct Totals {
  std::atomic<std::uint64_t> rows{0}, requests{0}, errors{0};
  std::mutex mu;
  std::string first_error;
  void Fail(long status, const std::string& body) {
    ++errors;
    std::lock_guard lock(mu);
    if (first_error.empty()) first_error = "HTTP " + std::to_string(status) + ": " + body.substr(0, 300);
  }
};

double CpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

struct Run {
  const Options& opt;
  Totals totals;
  double seconds = 0, cpu = 0;

  // Calls `work(client, item)` for items 0..count-1, spread over the threads in order.
  void Parallel(std::size_t count, const std::function<void(Client&, std::size_t)>& work) {
    const int conns = static_cast<int>(opt.Int("conns", 2));
    std::atomic<std::size_t> next{0};
    const double cpu0 = CpuSeconds();
    const auto t0 = Clock::now();
    std::vector<std::thread> threads;
    for (int t = 0; t < conns; ++t) {
      threads.emplace_back([&] {
        Client client(opt.Get("url"), opt.Get("token"));
        for (std::size_t i = next++; i < count; i = next++) work(client, i);
      });
    }
    for (auto& th : threads) th.join();
    seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    cpu = CpuSeconds() - cpu0;
  }

  void Post(Client& c, const std::string& path, const std::string& body, std::uint64_t rows,
            const char* method = "POST") {
    const long status = c.Send(method, path, body);
    ++totals.requests;
    if (status >= 200 && status < 300) {
      totals.rows += rows;
    } else {
      totals.Fail(status, c.response());
    }
  }

  json Report() const {
    const double rows = static_cast<double>(totals.rows.load());
    return json{{"rows", totals.rows.load()},
                {"requests", totals.requests.load()},
                {"errors", totals.errors.load()},
                {"first_error", totals.first_error},
                {"seconds", seconds},
                {"rows_per_s", seconds > 0 ? rows / seconds : 0.0},
                {"loadgen_cpu_s", cpu},
                {"loadgen_cpu_share_of_one_core", seconds > 0 ? cpu / seconds : 0.0}};
  }
};

Stream StreamFrom(const Options& o, const std::string& default_prefix) {
  const auto now_us = std::chrono::duration_cast<std::chrono::microseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  return Stream{.id_prefix = o.Get("id-prefix", default_prefix),
                .ts_base_us = o.Int("ts-base-us", now_us - 3600LL * 1000000),
                .error_rate = o.Num("error-rate", 0.2),
                .segments = static_cast<std::uint64_t>(o.Int("segments", 0))};
}

// ---- model documents

json ModelDoc(const std::string& name, const std::string& kind, const std::string& webhook) {
  json m{{"name", name},
         {"task", "binary_classification"},
         {"webhook", {{"url", webhook}, {"secret", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"}}}};
  if (kind == "labels") {
    // No breach at a 20% error rate: the figure is the cost of evaluating, not of deciding.
    m["kpis"] = json::array({{{"metric", "accuracy"}, {"min", 0.6}}, {{"metric", "f1"}, {"min", 0.5}}});
    m["detectors"] = json::array({{{"type", "adwin"}, {"delta", 0.002}}, {{"type", "ddm"}}});
  } else if (kind == "breach") {
    m["kpis"] = json::array({{{"metric", "accuracy"}, {"min", 0.85}}, {{"metric", "f1"}, {"min", 0.5}}});
    m["detectors"] = json::array({{{"type", "adwin"}, {"delta", 0.002}}, {{"type", "ddm"}}});
    m["evaluation"] = {{"window", 1000}, {"min_samples", 100}};
  } else {
    m["kpis"] = json::array({{{"metric", "accuracy"}, {"min", 0.6}}});
    m["detectors"] = json::array({{{"type", "adwin"}}});
  }
  return m;
}

int CreateModels(const Options& o) {
  Run run{o, {}};
  const std::string prefix = o.Get("prefix", "bench");
  const std::size_t count = static_cast<std::size_t>(o.Int("count", 1));
  const std::string kind = o.Get("kind", "ingest");
  const std::string webhook = o.Get("webhook", "http://127.0.0.1:9/hook");
  run.Parallel(count, [&](Client& c, std::size_t i) {
    const std::string name = count == 1 ? prefix : prefix + "-" + std::to_string(i);
    json doc = ModelDoc(name, kind, webhook);
    if (o.values.count("drift-every")) doc["drift"] = {{"every", o.Int("drift-every", 1000)}};
    if (o.values.count("segments")) doc["segments"] = {{"mode", o.Get("segments", "monitor")}};
    run.Post(c, "/v1/models", doc.dump(), 1);
  });
  std::cout << run.Report().dump() << std::endl;
  return run.totals.errors ? 1 : 0;
}

int Ingest(const Options& o, bool labels) {
  Run run{o, {}};
  const std::string model = o.Get("model");
  const Stream s = StreamFrom(o, model);
  const std::uint64_t n = static_cast<std::uint64_t>(o.Int("records", 100000));
  const std::uint64_t first = static_cast<std::uint64_t>(o.Int("from", 0));  // index of the first record
  const std::uint64_t batch = static_cast<std::uint64_t>(o.Int("batch", 1000));
  const std::size_t batches = static_cast<std::size_t>((n + batch - 1) / batch);
  const std::string path = "/v1/models/" + model + (labels ? "/labels" : "/predictions");
  run.Parallel(batches, [&](Client& c, std::size_t b) {
    const std::uint64_t from = b * batch, count = std::min(batch, n - from);
    run.Post(c, path, labels ? LabelBody(s, first + from, count) : PredictionBody(s, first + from, count),
             count);
  });
  json r = run.Report();
  r["batch"] = batch;
  std::cout << r.dump() << std::endl;
  return run.totals.errors ? 1 : 0;
}

// Interleaved: request k goes to model k mod N, round after round, so consecutive requests (and the
// concurrent ones) always hit different models.
int Fleet(const Options& o) {
  Run run{o, {}};
  const std::string prefix = o.Get("prefix", "fleet");
  const std::size_t models = static_cast<std::size_t>(o.Int("models", 10000));
  const std::uint64_t per_model = static_cast<std::uint64_t>(o.Int("per-model", 100));
  const std::uint64_t rounds = static_cast<std::uint64_t>(o.Int("rounds", 1));
  const std::uint64_t batch = per_model / rounds;
  const Stream base = StreamFrom(o, prefix);
  run.Parallel(models * rounds, [&](Client& c, std::size_t k) {
    const std::size_t m = k % models;
    const std::uint64_t round = k / models;
    const std::string name = prefix + "-" + std::to_string(m);
    Stream s = base;
    s.id_prefix = name;
    run.Post(c, "/v1/models/" + name + "/predictions", PredictionBody(s, round * batch, batch), batch);
  });
  json r = run.Report();
  r["batch"] = batch;
  std::cout << r.dump() << std::endl;
  return run.totals.errors ? 1 : 0;
}

// ---- a minimal webhook receiver: records when each model's retrain request arrives

class Receiver {
 public:
  Receiver() {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || listen(fd_, 64) != 0) {
      throw std::runtime_error("receiver: cannot listen");
    }
    socklen_t len = sizeof addr;
    getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { Loop(); });
  }
  ~Receiver() {
    stop_ = true;
    thread_.join();
    close(fd_);
  }
  std::string Url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/hooks/retrain"; }

  // When the webhook for `model` arrived, waiting up to `timeout`.
  std::optional<Clock::time_point> WaitFor(const std::string& model, std::chrono::milliseconds timeout) {
    std::unique_lock lock(mu_);
    if (!cv_.wait_for(lock, timeout, [&] { return arrived_.count(model) > 0; })) return std::nullopt;
    return arrived_[model];
  }

 private:
  void Loop() {
    while (!stop_) {
      pollfd p{fd_, POLLIN, 0};
      if (poll(&p, 1, 50) <= 0) continue;
      const int c = accept(fd_, nullptr, nullptr);
      if (c < 0) continue;
      Serve(c);
      close(c);
    }
  }
  // One request per connection (answered with Connection: close).
  void Serve(int c) {
    std::string in;
    char buf[8192];
    std::size_t need = std::string::npos;
    while (true) {
      pollfd p{c, POLLIN, 0};
      if (poll(&p, 1, 5000) <= 0) return;
      const ssize_t n = read(c, buf, sizeof buf);
      if (n <= 0) return;
      in.append(buf, static_cast<std::size_t>(n));
      const auto end = in.find("\r\n\r\n");
      if (end == std::string::npos) continue;
      if (need == std::string::npos) {
        std::string head = in.substr(0, end);
        std::transform(head.begin(), head.end(), head.begin(), ::tolower);
        const auto cl = head.find("content-length:");
        need = end + 4 + (cl == std::string::npos ? 0 : std::stoul(head.substr(cl + 15)));
      }
      if (in.size() >= need) break;
    }
    const auto at = Clock::now();
    const std::string body = in.substr(in.find("\r\n\r\n") + 4);
    const char kReply[] = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
    if (write(c, kReply, sizeof kReply - 1) < 0) return;
    const json doc = json::parse(body, nullptr, false);
    if (doc.is_object() && doc.contains("model")) {
      std::lock_guard lock(mu_);
      arrived_.emplace(doc["model"].get<std::string>(), at);
      cv_.notify_all();
    }
  }

  int fd_ = -1;
  std::uint16_t port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread thread_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::map<std::string, Clock::time_point> arrived_;
};

double Median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

// For each of N fresh models: predictions, then one label batch that is all wrong — enough pairs
// (≥ min_samples) that the accuracy interval lies wholly below its minimum: a confirmed breach. The models
// are breached one after the other, so each latency is measured on an otherwise idle dispatcher.
int Breaches(const Options& o) {
  Receiver receiver;
  const std::string prefix = o.Get("prefix", "breach");
  const int models = static_cast<int>(o.Int("models", 20));
  const std::uint64_t records = static_cast<std::uint64_t>(o.Int("records", 300));
  Client c(o.Get("url"), o.Get("token"));
  const Stream base = StreamFrom(o, prefix);
  std::vector<double> from_send, from_200;
  json failures = json::array();
  const double cpu0 = CpuSeconds();
  for (int m = 0; m < models; ++m) {
    const std::string name = prefix + "-" + std::to_string(m);
    Stream s = base;
    s.id_prefix = name;
    if (c.Send("POST", "/v1/models", ModelDoc(name, "breach", receiver.Url()).dump()) != 201 ||
        c.Send("POST", "/v1/models/" + name + "/predictions", PredictionBody(s, 0, records)) != 200) {
      failures.push_back(name + ": setup failed: " + c.response().substr(0, 200));
      continue;
    }
    Stream all_wrong = s;  // every label the opposite of its prediction
    all_wrong.error_rate = 1.0;
    const std::string wrong = LabelBody(all_wrong, 0, records);
    const auto sent = Clock::now();
    const long status = c.Send("POST", "/v1/models/" + name + "/labels", wrong);
    const auto answered = Clock::now();
    if (status != 200) {
      failures.push_back(name + ": labels HTTP " + std::to_string(status));
      continue;
    }
    const auto hook = receiver.WaitFor(name, std::chrono::milliseconds(15000));
    if (!hook) {
      failures.push_back(name + ": no webhook within 15 s");
      continue;
    }
    from_send.push_back(std::chrono::duration<double, std::milli>(*hook - sent).count());
    from_200.push_back(std::chrono::duration<double, std::milli>(*hook - answered).count());
  }
  json r{
      {"breaches", from_200.size()},
      {"failures", failures},
      {"median_ms_from_200", Median(from_200)},
      {"median_ms_from_send", Median(from_send)},
      {"max_ms_from_200", from_200.empty() ? 0.0 : *std::max_element(from_200.begin(), from_200.end())},
      {"max_ms_from_send", from_send.empty() ? 0.0 : *std::max_element(from_send.begin(), from_send.end())},
      {"from_200_ms", from_200},
      {"loadgen_cpu_s", CpuSeconds() - cpu0}};
  std::cout << r.dump() << std::endl;
  return failures.empty() ? 0 : 1;
}

// Constant load for --seconds: each thread owns a slice of the models and, round after round, sends a
// prediction batch to one model and the labels of that model's previous batch.
int Soak(const Options& o) {
  Run run{o, {}};
  const std::string prefix = o.Get("prefix", "soak");
  const int models = static_cast<int>(o.Int("models", 20));
  const std::uint64_t batch = static_cast<std::uint64_t>(o.Int("batch", 500));
  const auto until = Clock::now() + std::chrono::seconds(o.Int("seconds", 60));
  const Stream base = StreamFrom(o, prefix);
  const int conns = static_cast<int>(o.Int("conns", 2));
  run.Parallel(static_cast<std::size_t>(conns), [&](Client& c, std::size_t t) {
    std::vector<std::uint64_t> next(static_cast<std::size_t>(models), 0);
    for (std::size_t round = 0; Clock::now() < until; ++round) {
      for (int m = static_cast<int>(t); m < models && Clock::now() < until; m += conns) {
        const std::string name = prefix + "-" + std::to_string(m);
        Stream s = base;
        s.id_prefix = name;
        auto& from = next[static_cast<std::size_t>(m)];
        run.Post(c, "/v1/models/" + name + "/predictions", PredictionBody(s, from, batch), batch);
        if (from >= batch)
          run.Post(c, "/v1/models/" + name + "/labels", LabelBody(s, from - batch, batch), batch);
        from += batch;
      }
    }
  });
  std::cout << run.Report().dump() << std::endl;
  return run.totals.errors ? 1 : 0;
}

int CopyFile(const Options& o, bool labels) {
  const Stream s = StreamFrom(o, o.Get("model", "bench"));
  std::ofstream out(o.Get("out"), std::ios::binary);
  if (!out) throw std::runtime_error("cannot write " + o.Get("out"));
  const std::uint64_t n = static_cast<std::uint64_t>(o.Int("records", 100000));
  const std::int64_t model_id = o.Int("model-id", 1);
  labels ? WriteCopyLabels(s, model_id, n, out) : WriteCopyPredictions(s, model_id, n, out);
  if (o.values.count("keys")) {
    std::ofstream keys(o.Get("keys"), std::ios::binary);
    WriteCopyKeys(s, model_id, n, labels, keys);
    if (!keys) return 1;
  }
  return out ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr
        << "usage: loadgen create-models|predictions|labels|fleet|breaches|soak|copy-predictions|copy-labels "
           "[--option value ...] (see bench/loadgen.cpp)\n";
    return 2;
  }
  curl_global_init(CURL_GLOBAL_ALL);
  const std::string mode = argv[1];
  try {
    const Options o = ParseOptions(argc, argv);
    if (mode == "create-models") return CreateModels(o);
    if (mode == "predictions") return Ingest(o, false);
    if (mode == "labels") return Ingest(o, true);
    if (mode == "fleet") return Fleet(o);
    if (mode == "breaches") return Breaches(o);
    if (mode == "soak") return Soak(o);
    if (mode == "copy-predictions") return CopyFile(o, false);
    if (mode == "copy-labels") return CopyFile(o, true);
  } catch (const std::exception& e) {
    std::cerr << "loadgen: " << e.what() << "\n";
    return 2;
  }
  std::cerr << "loadgen: unknown mode " << mode << "\n";
  return 2;
}
