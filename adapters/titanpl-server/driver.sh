#!/bin/sh
# Start the titan-server driver in a network namespace of its own with only loopback up.
# titan-server 7.0.1 binds 0.0.0.0 (hard-coded), so it must not share the host's network: here
# neither the server nor the driver talking HTTP to it can be reached from, or reach, outside.
# Needs root (or CAP_SYS_ADMIN) for `unshare --net`, and iproute2.
#   titan-storage check --driver "sh adapters/titanpl-server/driver.sh [titanpl-core-3.0.7|before|after]"
# The argument (else TITANPL_LIBRARY) chooses the storage library (adapters/titanpl-server/libraries.ts).
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
# driver.ts runs compiled once (adapters/compiled-entry.mjs): a driver process starts per store open.
exec unshare --net sh -c 'ip link set lo up && exec node "$@"' sh "$ROOT/adapters/compiled-entry.mjs" "$HERE/driver.ts" "$@"
