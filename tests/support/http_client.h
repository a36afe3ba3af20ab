// A small blocking HTTP client for tests (libcurl), keep-alive across calls on one instance.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace driftgate::test_support {

struct HttpResponse {
  int status = 0;
  std::string body{};
  std::map<std::string, std::string> headers{};  // lower-cased names
  std::string error{};                           // transport error, when status is 0

  nlohmann::json Json() const { return nlohmann::json::parse(body, nullptr, false); }
  std::string Header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
  }
};

class HttpClient {
 public:
  HttpClient();
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  HttpResponse Send(const std::string& method, const std::string& url, const std::string& body = "",
                    const std::vector<std::string>& headers = {});

 private:
  void* curl_;
};

}  // namespace driftgate::test_support
