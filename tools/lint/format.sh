#!/usr/bin/env bash
# Every C++ file of the tree formatted as .clang-format says: `clang-format --dry-run --Werror` over the
# tracked sources (a test in `make test`, lint.format). Prints each file that differs; exits non-zero if
# any does. To fix: `tools/lint/format.sh --fix`.
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v clang-format >/dev/null || { echo "format: clang-format is not installed (deploy/local/deps.sh clang-format)" >&2; exit 2; }
mapfile -t files < <(git ls-files -- '*.cpp' '*.h' | grep -E '^(api|app|bench|core|db|fuzz|service|tests)/' |
  grep -v '^tests/data/')
if [[ "${1:-}" == "--fix" ]]; then
  clang-format -i "${files[@]}"
  exit 0
fi
bad=0
for f in "${files[@]}"; do
  if ! clang-format --dry-run --Werror "$f" >/dev/null 2>&1; then
    echo "format: $f differs from .clang-format (tools/lint/format.sh --fix)"
    bad=$((bad + 1))
  fi
done
echo "format: ${#files[@]} files checked, $bad differ"
((bad == 0))
