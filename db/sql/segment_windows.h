// The SQL of segment_windows: the chunks of the segments' KPI windows (migrations/V022,
// service/evaluation/segment_windows.h).
// Named, with $n placeholders; times cross as microseconds since the Unix epoch (db/sql/time.h).
#pragma once

namespace driftgate::db::sql {

// The chunks an evaluation rewrote, one statement: $2 segments, $3 chunk numbers, $4 their bytes as hex.
inline constexpr const char* kUpsertSegmentChunks =
    "INSERT INTO segment_windows (model_id, segment, chunk, pairs) SELECT $1, u.segment, u.chunk, "
    "decode(u.hex, 'hex') FROM unnest($2::text[], $3::bigint[], $4::text[]) AS u(segment, chunk, "
    "hex) ON CONFLICT (model_id, segment, chunk) DO UPDATE SET pairs = EXCLUDED.pairs";
// The chunks that left their windows: of segment $2[i], every chunk below $3[i].
inline constexpr const char* kDropSegmentChunks =
    "DELETE FROM segment_windows w USING unnest($2::text[], $3::bigint[]) AS u(segment, "
    "first_kept) WHERE w.model_id = $1 AND w.segment = u.segment AND w.chunk < u.first_kept";
inline constexpr const char* kLoadSegmentChunks =
    "SELECT segment, chunk, pairs FROM segment_windows WHERE model_id = $1 ORDER BY segment, chunk";
inline constexpr const char* kDeleteSegmentChunks = "DELETE FROM segment_windows WHERE model_id = $1";

}  // namespace driftgate::db::sql
