// A response header that carries its text as written. Pistache 0.0.5 writes only typed headers into a
// response (those added with addRaw are dropped), so every header a handler sets travels as one of these.
// Used by the server (http_connection.cpp) and by the tests' webhook receiver (tests/support/).
#pragma once

#include <pistache/http_header.h>

#include <cstdint>
#include <ostream>
#include <string>
#include <utility>

namespace driftgate::api {

class TextHeader : public Pistache::Http::Header::Header {
 public:
  TextHeader(std::string name, std::string value) : name_(std::move(name)), value_(std::move(value)) {}
  const char* name() const override { return name_.c_str(); }
  void write(std::ostream& os) const override { os << value_; }
  std::uint64_t hash() const override { return Pistache::Http::Header::detail::hash(name_.c_str()); }

 private:
  std::string name_;
  std::string value_;
};

}  // namespace driftgate::api
