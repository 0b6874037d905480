#!/bin/sh
# The replicated Redis deployment as a driver (spec/PROTOCOL.md, with a nemesis): a private network namespace per run.
#   titan-storage check --driver "sh reference/redis-replicated/driver.sh --mode wait2" --only FAILOVER-,LIN-LINEARIZABLE/faults
# host.ts runs compiled once (adapters/compiled-entry.mjs), not through tsx in every run.
cd "$(dirname "$0")/../.." && exec unshare --net node adapters/compiled-entry.mjs reference/redis-replicated/host.ts "$@"
