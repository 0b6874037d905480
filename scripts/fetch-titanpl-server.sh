#!/usr/bin/env bash
# Fetch the published titanpl@7.0.1 package (ISC: titan-server binary, CLI, bundler) and
# @titanpl/core@3.0.7 into the git-ignored cache, install the bundler's tools (esbuild@0.27.2),
# and build the app of adapters/titanpl-server/app into .cache/titanpl-server/app/dist.
# `npm install titanpl` cannot be used: its dependency @titanpl/core@7.0.0 is not in the registry.
# Idempotent: a complete cache is reused.
set -euo pipefail

VERSION="${TITANPL_VERSION:-7.0.1}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="$ROOT/.cache/titanpl-server"
BIN="$CACHE/titanpl/packages/engine-linux-x64/bin/titan-server"
STAMP="$CACHE/VERSION"

bash "$ROOT/scripts/fetch-titanpl-core.sh"

if [[ -x "$BIN" && -f "$STAMP" && "$(cat "$STAMP")" == "$VERSION" ]]; then
  echo "titanpl@$VERSION already in ${CACHE#"$ROOT"/} (skipping fetch)"
else
  TMP="$(mktemp -d)"
  trap 'rm -rf "$TMP"' EXIT
  echo "Fetching titanpl@$VERSION with npm pack ..."
  if ! (cd "$TMP" && npm pack "titanpl@$VERSION" >"$TMP/pack.out" 2>"$TMP/pack.err"); then
    echo "error: could not fetch titanpl@$VERSION from the npm registry:" >&2
    cat "$TMP/pack.err" >&2
    exit 1
  fi
  mkdir -p "$TMP/extract"
  tar -xzf "$TMP/$(tail -n1 "$TMP/pack.out")" -C "$TMP/extract"
  if [[ ! -f "$TMP/extract/package/packages/engine-linux-x64/bin/titan-server" ]]; then
    echo "error: the titanpl@$VERSION tarball has no packages/engine-linux-x64/bin/titan-server" >&2
    exit 1
  fi
  chmod +x "$TMP/extract/package/packages/engine-linux-x64/bin/titan-server"
  rm -rf "$CACHE/titanpl" "$CACHE/tools"
  mkdir -p "$CACHE/tools"
  mv "$TMP/extract/package" "$CACHE/titanpl"
  echo '{"name":"titanpl-build-tools","private":true}' >"$CACHE/tools/package.json"
  # The versions titanpl@7.0.1's bundler was published against.
  (cd "$CACHE/tools" && npm install --no-audit --no-fund --loglevel=error esbuild@0.27.2 >/dev/null)
  echo "$VERSION" >"$STAMP"
  echo "titanpl@$VERSION extracted into ${CACHE#"$ROOT"/}"
fi
echo "sha256 $(sha256sum "$BIN" | cut -d' ' -f1)  ${BIN#"$ROOT"/}"

node --import tsx "$ROOT/adapters/titanpl-server/build.ts"
