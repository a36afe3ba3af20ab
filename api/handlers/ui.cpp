// GET /ui...: the ops page's static files, without a token (the page asks for one and sends it to /v1).
#include "api/handlers/resources.h"
#include "api/ui_assets.h"

namespace driftgate::api {

void AddUiRoutes(const RouteContext& c, const ApiOptions& options) {
  const std::string ui_dir = options.ui_dir;
  c.router.Add("GET", "/ui", std::nullopt, [ui_dir](Request&) { return ServeUiFile(ui_dir, {}); });
  c.router.Add("GET", "/ui/", std::nullopt, [ui_dir](Request&) { return ServeUiFile(ui_dir, {}); });
  c.router.Add("GET", "/ui/{asset}", std::nullopt,
               [ui_dir](Request& req) { return ServeUiFile(ui_dir, {req.params["asset"]}); });
  c.router.Add("GET", "/ui/{dir}/{asset}", std::nullopt, [ui_dir](Request& req) {
    return ServeUiFile(ui_dir, {req.params["dir"], req.params["asset"]});
  });
}

}  // namespace driftgate::api
