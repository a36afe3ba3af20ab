#include "api/dto/json_body.h"

#include <vector>

namespace driftgate::api::dto {
namespace {

using nlohmann::json;

// nlohmann's own json_sax_dom_parser, plus the path and the two checks (its SAX interface, see
// nlohmann/detail/input/json_sax.hpp). Containers on the stack point into their parent, which only
// grows after the child is closed, so the pointers stay valid.
class CheckedDomBuilder {
 public:
  CheckedDomBuilder(json& root, std::size_t max_depth) : root_(root), max_depth_(max_depth) {}

  bool null() { return Put(nullptr); }
  bool boolean(bool v) { return Put(v); }
  bool number_integer(json::number_integer_t v) { return Put(v); }
  bool number_unsigned(json::number_unsigned_t v) { return Put(v); }
  bool number_float(json::number_float_t v, const json::string_t& /*text*/) { return Put(v); }
  bool string(json::string_t& v) { return Put(std::move(v)); }
  bool binary(json::binary_t& /*v*/) { return Fail("body", "body: is not valid JSON"); }  // not in JSON text

  bool start_object(std::size_t /*n*/) { return Open(json::value_t::object); }
  bool start_array(std::size_t /*n*/) { return Open(json::value_t::array); }
  bool end_object() { return Close(); }
  bool end_array() { return Close(); }

  bool key(json::string_t& k) {
    Frame& f = stack_.back();
    if (f.value->contains(k)) {
      f.key = k;
      const std::string at = Path();
      return Fail(at, at + ": duplicate member name (each name may appear once per object)");
    }
    f.key = std::move(k);
    return true;
  }

  bool parse_error(std::size_t /*position*/, const std::string& /*token*/,
                   const nlohmann::detail::exception& e) {
    if (failed_) return false;
    // 406: the lexer read a number that is not finite as a double (nlohmann/detail/input/parser.hpp).
    if (e.id == 406 && !stack_.empty()) {
      const std::string at = Path(/*pending_element=*/true);
      return Fail(at, at + ": number out of range (at most about 1.8e308 in magnitude)");
    }
    return Fail("body", "body: is not valid JSON (UTF-8, no NaN/Infinity literals)");
  }

  const std::optional<Error>& error() const { return error_; }

 private:
  struct Frame {
    json* value;
    std::size_t count = 0;  // arrays: elements so far
    std::string key{};      // objects: the member being read
  };

  // Where the value being read sits: `records[3].features.amount`. `pending_element`: the current array
  // element has not been stored (its number failed), so its index is the element count.
  std::string Path(bool pending_element = false) const {
    std::string out;
    for (const Frame& f : stack_) {
      if (f.value->is_object()) {
        out = MemberPath(out, f.key);
      } else {
        const std::size_t index = pending_element && &f == &stack_.back() ? f.count : f.count - 1;
        out += "[" + std::to_string(index) + "]";
      }
    }
    return out.empty() ? "body" : out;
  }

  bool Fail(const std::string& field, const std::string& message) {
    if (!failed_) error_ = Error::Invalid(field, message);
    failed_ = true;
    return false;
  }

  json* Place(json&& v) {
    if (stack_.empty()) {
      root_ = std::move(v);
      return &root_;
    }
    Frame& top = stack_.back();
    if (top.value->is_array()) {
      ++top.count;
      top.value->push_back(std::move(v));
      return &top.value->back();
    }
    json& slot = (*top.value)[top.key];
    slot = std::move(v);
    return &slot;
  }

  template <class T>
  bool Put(T&& v) {
    Place(json(std::forward<T>(v)));
    return true;
  }

  bool Open(json::value_t type) {
    if (stack_.size() >= max_depth_) {
      return Fail("body", "body: JSON nested deeper than " + std::to_string(max_depth_) + " levels");
    }
    stack_.push_back(Frame{.value = Place(json(type))});
    return true;
  }

  bool Close() {
    stack_.pop_back();
    return true;
  }

  json& root_;
  std::size_t max_depth_;
  std::vector<Frame> stack_{};
  std::optional<Error> error_{};
  bool failed_ = false;
};

}  // namespace

Result<json> ParseJsonBody(std::string_view body, std::size_t max_depth) {
  // nlohmann's lexer takes a NUL byte for the end of the input, so `{...}\0<anything>` would parse as
  // the part before it. A raw NUL is never valid JSON text (RFC 8259: not whitespace, and escaped inside
  // strings), so it rejects the whole body.
  if (body.find('\0') != std::string_view::npos) {
    return Error::Invalid("body", "body: is not valid JSON (a raw NUL byte)");
  }
  json doc;
  CheckedDomBuilder builder(doc, max_depth);
  const bool ok = json::sax_parse(body, &builder, json::input_format_t::json, /*strict=*/true);
  if (!ok || builder.error()) {
    if (builder.error()) return *builder.error();
    return Error::Invalid("body", "body: is not valid JSON (UTF-8, no NaN/Infinity literals)");
  }
  return doc;
}

}  // namespace driftgate::api::dto
