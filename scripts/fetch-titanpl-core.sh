#!/usr/bin/env bash
# Fetch the published @titanpl/core package (ISC) into the git-ignored cache, so the
# titanpl-core adapter can load its real native store. Never committed: CI runs this script.
# `npm install @titanpl/core` cannot be used (a transitive dependency is missing from the
# registry copy), so the tarball is packed and extracted instead. Idempotent.
set -euo pipefail

VERSION="${TITANPL_CORE_VERSION:-3.0.7}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="$ROOT/.cache/titanpl-core"
SO="$CACHE/package/native/target/release/libtitan_core.so"
STAMP="$CACHE/VERSION"

if [[ -f "$SO" && -f "$STAMP" && "$(cat "$STAMP")" == "$VERSION" ]]; then
  echo "@titanpl/core@$VERSION already in ${CACHE#"$ROOT"/} (skipping fetch)"
  echo "sha256 $(sha256sum "$SO" | cut -d' ' -f1)  ${SO#"$ROOT"/}"
  exit 0
fi

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

echo "Fetching @titanpl/core@$VERSION with npm pack ..."
if ! (cd "$TMP" && npm pack "@titanpl/core@$VERSION" >"$TMP/pack.out" 2>"$TMP/pack.err"); then
  echo "error: could not fetch @titanpl/core@$VERSION from the npm registry:" >&2
  cat "$TMP/pack.err" >&2
  exit 1
fi
TARBALL="$TMP/$(tail -n1 "$TMP/pack.out")"
if [[ ! -f "$TARBALL" ]]; then
  echo "error: npm pack did not produce a tarball (output: $(cat "$TMP/pack.out"))" >&2
  exit 1
fi

mkdir -p "$TMP/extract"
tar -xzf "$TARBALL" -C "$TMP/extract"
if [[ ! -f "$TMP/extract/package/native/target/release/libtitan_core.so" ]]; then
  echo "error: the @titanpl/core@$VERSION tarball has no native/target/release/libtitan_core.so" >&2
  exit 1
fi

# Replace the cache only once the new copy is complete.
rm -rf "$CACHE"
mkdir -p "$CACHE"
mv "$TMP/extract/package" "$CACHE/package"
echo "$VERSION" >"$STAMP"
echo "@titanpl/core@$VERSION extracted into ${CACHE#"$ROOT"/}"
echo "sha256 $(sha256sum "$SO" | cut -d' ' -f1)  ${SO#"$ROOT"/}"
