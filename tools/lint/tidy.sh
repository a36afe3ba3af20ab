#!/usr/bin/env bash
# clang-tidy (.clang-tidy: the naming rules of Google's C++ style) over the C++ files a change touched, using the
# compile commands of a build: `tools/lint/tidy.sh [BASE] [BUILD_DIR]`. BASE defaults to the commit before
# HEAD (its first parent); a changed header is checked through the source file of the same name.
# Exits non-zero on any finding. CI runs it after `make test` (.ci/run).
set -euo pipefail
cd "$(dirname "$0")/../.."
base=${1:-}
build=${2:-build}
if [[ -z "$base" ]]; then
  if ! git rev-parse -q --verify 'HEAD^1' >/dev/null; then
    echo "tidy: no parent commit to compare with; nothing to check"
    exit 0
  fi
  base='HEAD^1'
fi
[[ -f "$build/compile_commands.json" ]] || { echo "tidy: $build/compile_commands.json missing (run make build)" >&2; exit 2; }

mapfile -t changed < <(git diff --name-only --diff-filter=AMR "$base" HEAD -- '*.cpp' '*.h' |
  grep -E '^(api|app|codec|core|db|service)/' || true)
declare -A units=()
for f in "${changed[@]}"; do
  case "$f" in
    *.cpp) units["$f"]=1 ;;
    *.h) [[ -f "${f%.h}.cpp" ]] && units["${f%.h}.cpp"]=1 ;;
  esac
done
if ((${#units[@]} == 0)); then
  echo "tidy: no C++ source changed since $base"
  exit 0
fi
echo "tidy: ${#units[@]} file(s) changed since $base"
status=0
for unit in "${!units[@]}"; do
  [[ -f "$unit" ]] || continue
  # The project builds with GCC; its warning flags that clang does not know are not findings.
  findings=$(clang-tidy -p "$build" --quiet --extra-arg=-Wno-unknown-warning-option "$unit" 2>/dev/null |
    grep -E 'error:|warning:' || true)
  if [[ -n "$findings" ]]; then
    echo "$findings"
    status=1
  fi
done
exit $status
