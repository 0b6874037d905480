#!/usr/bin/env bash
# The README's check-time figure, measured as a new user meets it: this repository packed, installed with tsx into an
# empty project, and `npx titan-storage check store.ts` of the README's example store timed N times (default 5).
# Prints each wall time, the median and the load average; removes the project.
#   bash scripts/measure-check-time.sh [N] [extra check options…]
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-5}"
shift || true
project="$(mktemp -d)"
trap 'rm -rf "$project"' EXIT
npm pack --silent --pack-destination "$project" >/dev/null
(cd "$project" && npm init -y >/dev/null && npm install --silent --no-audit --no-fund ./titan-storage-spec-*.tgz tsx >/dev/null 2>&1)
cp examples/readme-store.ts "$project/store.ts"
times=()
for i in $(seq "$n"); do
  start=$(date +%s.%N)
  (cd "$project" && npx titan-storage check store.ts --seed 20261125 --quiet "$@" >/dev/null) || { echo "run $i did not pass" >&2; exit 1; }
  end=$(date +%s.%N)
  times+=("$(echo "$end - $start" | bc)")
  printf 'run %d: %.2f s (load %s)\n' "$i" "${times[-1]}" "$(cut -d' ' -f1 /proc/loadavg)"
done
printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "median of %d: %.2f s\n", NR, (NR % 2 ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2)}'
