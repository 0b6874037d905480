#!/usr/bin/env bash
# Build the two TitanPL storage extensions of adapters/titanpl-native (the change note's "before"
# and the fixed "after") offline, with cargo and Debian's crate packages, into
# .cache/titanpl-native/target/release/libtitan_core_{before,after}.so, then install each into an
# app dist of its own when the titanpl app is built (adapters/titanpl-server/build.ts --libraries).
# Installs nothing: a missing cargo or Debian crate package is named and the script exits 1.
# Up to date: ~1 s; cold: ~20-35 s.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CRATE="$ROOT/adapters/titanpl-native"
export CARGO_TARGET_DIR="$ROOT/.cache/titanpl-native/target"
export PATH="$HOME/.cargo/bin:$PATH"

missing=()
for pkg in librust-serde-json-dev librust-lazy-static-dev; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if [[ ${#missing[@]} -gt 0 ]]; then
  echo "error: Debian crate packages missing: apt-get install -y ${missing[*]}" >&2
  exit 1
fi
if ! command -v cargo >/dev/null 2>&1; then
  echo "error: cargo not found (looked on PATH and in ~/.cargo/bin); install a Rust toolchain >= 1.70" >&2
  exit 1
fi

# cargo reads .cargo/config.toml (the Debian source replacement) from the directory it runs in.
(cd "$CRATE" && cargo build --release --offline --locked --quiet)
for lib in before after; do
  so="$CARGO_TARGET_DIR/release/libtitan_core_$lib.so"
  test -s "$so" || { echo "error: $so was not built" >&2; exit 1; }
  echo "built ${so#"$ROOT"/} (sha256 $(sha256sum "$so" | cut -c1-16))"
done

if [[ -d "$ROOT/.cache/titanpl-server/app/dist" ]]; then
  node --import tsx "$ROOT/adapters/titanpl-server/build.ts" --libraries before after
else
  echo "the titanpl app is not built yet (scripts/fetch-titanpl-server.sh): the libraries are installed into it when it is"
fi
