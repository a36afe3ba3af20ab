// The segments' KPI windows in storage (migrations/V022, table segment_windows), apart from the rest of the
// evaluation state (codec/state_codec.h, one JSON document per model).
//
// Why apart: with k segments the state holds k + 1 windows of up to `evaluation.window` pairs each, and a
// label batch changes only the pairs it adds. Re-encoding every window as JSON on every batch made label
// ingest with 20 segments cost about 3.5 times as much as without (bench/README.md). Here each segment's
// stream of pairs is cut into chunks of kChunkPairs consecutive positions (a pair's position is its index
// in everything the segment's window was ever fed, evaluate::SegmentWindow::fed); a batch rewrites only the
// chunks holding positions not stored yet, and drops the chunks that lie wholly before the window. The JSON
// state keeps each segment's `fed`, window size and last reason code, so a reload knows which positions
// form the window.
//
// Both are written in the evaluation's transaction under the model's lock, so a committed state always
// matches its chunks; the state cache (service/evaluation/state_cache.h) keys on the JSON row's stamp, which
// every evaluation rewrites.
//
// A chunk's bytes: format byte 'P', the position of its first pair and the pair count (LEB128 varints),
// then per pair a flags byte (1: has a score, 2: input judged), predicted and actual as varint length +
// bytes, predicted_value and actual_value as IEEE 754 little-endian doubles (bit-exact, NaN and infinities
// included), the score when present, and when judged the fault count and codes (varints).
#pragma once

#include <cstdint>
#include <map>
#include <pqxx/pqxx>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/evaluate/evaluator.h"

namespace driftgate::service {

// Pairs per chunk: a chunk of binary pairs stays near 1 kB, under PostgreSQL's TOAST threshold (~2 kB),
// so a rewrite is one heap tuple; a batch that adds m pairs to a segment rewrites about m/32 + 1 chunks.
inline constexpr std::uint64_t kChunkPairs = 32;

struct DecodedChunk {
  std::uint64_t first = 0;  // position of pairs[0]
  std::vector<kpi::Pair> pairs{};
};

std::string EncodeChunk(const std::vector<kpi::Pair>& window, std::size_t begin, std::size_t end,
                        std::uint64_t first_position);
// Throws std::runtime_error on bytes that are not a chunk.
DecodedChunk DecodeChunk(std::string_view bytes);

// A segment's window as the JSON state describes it: positions fed - size ... fed - 1.
struct StoredWindowMeta {
  std::uint64_t fed = 0;
  std::size_t size = 0;
};
// The window of `meta` from the segment's decoded chunks; the longest run of consecutive positions that
// ends at fed - 1 when some are missing (never expected: chunks are written with the state).
std::vector<kpi::Pair> AssembleWindow(const StoredWindowMeta& meta, const std::vector<DecodedChunk>& chunks);

// Writes the chunks of `state`'s segments that hold positions not stored yet, drops the chunks that left
// their windows, and marks everything stored. `had_segments`: the state as loaded had segments (all of
// the model's chunks are deleted when it has none now: segments were turned off).
void SaveSegmentWindows(pqxx::transaction_base& tx, std::int64_t model_id, evaluate::State& state,
                        bool had_segments);
// Every stored chunk of the model, decoded, by segment.
Result<std::map<std::string, std::vector<DecodedChunk>>> LoadSegmentWindows(pqxx::transaction_base& tx,
                                                                            std::int64_t model_id);

}  // namespace driftgate::service
