#include "service/evaluation/state_windows.h"

namespace driftgate::service {

codec::WindowLoader WindowsFromChunks(const std::map<std::string, std::vector<DecodedChunk>>& chunks) {
  return [&chunks](const std::string& segment, std::uint64_t fed, std::size_t size) {
    const auto c = chunks.find(segment);
    if (c == chunks.end()) return std::vector<kpi::Pair>{};
    return AssembleWindow(StoredWindowMeta{.fed = fed, .size = size}, c->second);
  };
}

}  // namespace driftgate::service
