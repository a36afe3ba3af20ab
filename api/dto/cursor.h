// Paging cursors bound to what they page. A cursor is `c<at_us>_<seq>_<tag>`: the last item's position
// (data time, sequence) and a tag, the first 128 bits of HMAC-SHA256 (RFC 2104) under the server's cursor
// key over the position and the listing it was issued for (route, model, `from`, `to`, `kind`). A cursor
// that was forged, edited, or issued for another model or query fails the check: 400 on `cursor`.
// Replicas that share DRIFTGATE_CURSOR_KEY (by default derived from DRIFTGATE_ADMIN_TOKEN) accept each
// other's cursors. `limit` is not bound: a client may change its page size between pages.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace driftgate::api::dto {

struct CursorPosition {
  std::int64_t at_us = 0;
  std::int64_t seq = 0;
};

class CursorCodec {
 public:
  // `key`: at least 16 bytes; empty: a random key (cursors then hold for this process only).
  explicit CursorCodec(std::string key);

  // `listing` names what is paged, e.g. "decisions|fraud-scorer|<from>|<to>|" (see ListingOf in routes).
  std::string Encode(std::string_view listing, CursorPosition position) const;
  // nullopt: not a cursor this server issued for `listing`.
  std::optional<CursorPosition> Decode(std::string_view listing, std::string_view cursor) const;

 private:
  std::string Tag(std::string_view listing, std::string_view position_text) const;
  std::string key_;
};

}  // namespace driftgate::api::dto
