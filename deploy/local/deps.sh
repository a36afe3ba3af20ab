#!/usr/bin/env bash
# Installs the Debian packages driftgate needs to build, run and test, when any is missing.
set -euo pipefail
pkgs=(build-essential cmake pkg-config ccache git curl ca-certificates
      libpistache-dev libpqxx-dev nlohmann-json3-dev libspdlog-dev libboost-math-dev
      libgtest-dev libgmock-dev libbenchmark-dev libcurl4-openssl-dev libssl-dev libzstd-dev libeigen3-dev
      postgresql postgresql-contrib python3 python3-numpy python3-scipy python3-sklearn python3-yaml
      libxgboost-dev python3-xgboost)
pkgs+=("$@")
# The /ui page is built with npm (ui/build.sh). A Node.js already on PATH (e.g. NodeSource's, which
# bundles npm) is kept; otherwise Debian's packages.
command -v node >/dev/null 2>&1 || pkgs+=(nodejs)
command -v npm >/dev/null 2>&1 || pkgs+=(npm)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "deps: installing ${missing[*]}"
sudo_cmd=()
[ "$(id -u)" -ne 0 ] && sudo_cmd=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get install -y --no-install-recommends "${missing[@]}" ||
  { "${sudo_cmd[@]}" apt-get update && "${sudo_cmd[@]}" apt-get install -y --no-install-recommends "${missing[@]}"; }
