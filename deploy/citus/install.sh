#!/usr/bin/env bash
# Builds and installs the Citus extension into the local PostgreSQL when it is not there yet (once per
# machine; later runs find citus.so and return at once). Source: CITUS_SRC (a directory holding
# citus-13.2.2.tar.gz, the v13.2.2 release of github.com/citusdata/citus, and its compatibility patch;
# default ../shared/vendor/citus beside the clone, see its README.md).
# Citus is a test dependency only: production installs come from Citus's own packages.
set -euo pipefail
here="$(cd "$(dirname "$0")/../.." && pwd)"
src="${CITUS_SRC:-$here/../shared/vendor/citus}"
[ -d "$src" ] || src="$here/../../shared/vendor/citus"  # a worktree one level deeper
version=13.2.2
pg_version="$(dpkg-query -W -f='${Version}' postgresql-15)"
# The server headers at exactly the server's version: a newer postgresql-server-dev-15 would pull a newer
# postgresql-15, whose libraries a running server (the old binary) then fails to load.
dpkg-query -W -f='${Status}' postgresql-server-dev-15 2>/dev/null | grep -q "install ok installed" ||
  "$here/deploy/local/deps.sh" "postgresql-server-dev-15=$pg_version" liblz4-dev libzstd-dev libkrb5-dev \
  libselinux1-dev libxslt1-dev libpam0g-dev libreadline-dev >&2 2>/dev/null ||
  "$here/deploy/local/deps.sh" postgresql-server-dev-15 liblz4-dev libzstd-dev libkrb5-dev libselinux1-dev \
    libxslt1-dev libpam0g-dev libreadline-dev >&2
[ -f "$(pg_config --pkglibdir)/citus.so" ] && [ -f "$(pg_config --sharedir)/extension/citus.control" ] && exit 0
[ -f "$src/citus-$version.tar.gz" ] || { echo "no Citus source in $src (set CITUS_SRC)" >&2; exit 1; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
tar xzf "$src/citus-$version.tar.gz" -C "$work"
cd "$work/citus-$version"
# Recent PostgreSQL 15 minors export have_createdb_privilege(), which Citus also defines (vendor README).
if grep -q have_createdb_privilege "$(pg_config --includedir-server)/commands/dbcommands.h"; then
  patch -p1 <"$src/pg15-exported-have_createdb_privilege.patch" >&2
fi
./configure --without-libcurl >"$work/configure.log" 2>&1 || { tail -30 "$work/configure.log" >&2; exit 1; }
make -j"${JOBS:-2}" >"$work/make.log" 2>&1 || { tail -30 "$work/make.log" >&2; exit 1; }
make install >"$work/install.log" 2>&1 || { tail -30 "$work/install.log" >&2; exit 1; }
echo "citus $version installed into $(pg_config --pkglibdir)" >&2
