// The /ui ops page: static files from one folder (DRIFTGATE_UI_DIR / --ui-dir, by default the `ui/`
// folder next to the binary, which `make build` fills from ui/ with npm + Vite). No token: the page
// asks for one and sends it to /v1 itself.
//
// Only names made of [A-Za-z0-9._-] that do not start with '.' are served, directly in the folder or
// one subfolder down, so no `..`, no absolute path, no percent-escape, no NUL, no hidden file; only
// regular files (no symlinks) of a known type. Hashed build output under `assets/` is cacheable for a
// year; everything else is revalidated on each load.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "api/http/http_types.h"

namespace driftgate::api {

// Whether `segment` may name a file or folder of the asset tree.
bool IsSafeUiSegment(std::string_view segment);

// Content-Type for a file name by its extension; empty when the type is not served.
std::string UiContentType(std::string_view file_name);

// The response for `segments` under `dir` (empty segments: index.html): the file with its type and
// cache headers, or a 404 problem.
Response ServeUiFile(const std::string& dir, const std::vector<std::string>& segments);

}  // namespace driftgate::api
