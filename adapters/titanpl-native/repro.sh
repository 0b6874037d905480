#!/bin/sh
# The findings of reports/titanpl-before.md and reports/titanpl-after.md reproduced without the suite:
# titan-server 7.0.1 on the app with the before or the after extension (scripts/build-titanpl-native.sh),
# curl against its /repro action, in a network namespace with only loopback and a scratch working
# directory (removed at the end).
#   sh adapters/titanpl-native/repro.sh before|after
set -u
LIB="${1:?usage: repro.sh before|after}"
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
BIN="$ROOT/.cache/titanpl-server/titanpl/packages/engine-linux-x64/bin/titan-server"
DIST="$ROOT/.cache/titanpl-server/dist-$LIB"
[ -f "$DIST/routes.json" ] || { echo "$DIST is missing: run scripts/fetch-titanpl-server.sh and scripts/build-titanpl-native.sh" >&2; exit 1; }
exec unshare --net sh -s "$BIN" "$DIST" "$LIB" <<'INNER'
BIN="$1"; DIST="$2"; LIB="$3"; PORT=3000; WORK="$(mktemp -d)"; LOG="$WORK.log"
cd "$WORK" || exit 1
ip link set lo up
start() { PORT=$PORT "$BIN" run "$DIST" >"$LOG" 2>&1 & PID=$!
  for _ in $(seq 100); do curl -s -o /dev/null -XPOST -d '{}' -H 'content-type: application/json' localhost:$PORT/noop && return; sleep 0.05; done; }
restart() { kill -9 $PID 2>/dev/null; wait $PID 2>/dev/null; echo "   (server SIGKILLed and started again in the same working directory)"; start; }
call() { echo "\$ curl -s localhost:$PORT/repro -H 'content-type: application/json' -d '$1'"
  out="$(curl -s -m 5 localhost:$PORT/repro -H 'content-type: application/json' -d "$1")"; echo "  -> ${out:-(no answer: curl status $?)}"; }
start
echo "== session.set stores (S2 of 3.0.7 fixed by the extension's index.js: key and value travel as one JSON argument)"
call '{"do":"session.set","id":"user1","key":"cart","value":"3 items"}'
call '{"do":"session.get","id":"user1","key":"cart"}'
echo "== sessions (\"a\", \"b:c\") and (\"a:b\", \"c\"): one entry in the before (D4, its id:key map), two in the after"
call '{"do":"session.set","id":"a","key":"b:c","value":"secret of session a"}'
call '{"do":"session.get","id":"a:b","key":"c"}'
echo "== D1: an absent key reads as \"\" (the bridge maps NULL to \"\"; the before's C surface returns \"\" itself)"
call '{"do":"ls.get","key":"never-set"}'
echo "== D3: a lone surrogate is stored as U+FFFD (65533): the bridge converts arguments lossily"
call '{"do":"ls.set","key":"s","value":"\ud83d"}'
call '{"do":"codes","key":"s"}'
if [ "$LIB" = before ]; then
  echo "== durable across a restart: the files in the working directory"
  call '{"do":"ls.set","key":"greeting","value":"kept"}'
  echo "   $ ls; cat titan_storage.json"; ls | sed 's/^/   /'; sed 's/^/   /' titan_storage.json; echo
  restart
  call '{"do":"ls.get","key":"greeting"}'
  echo "== T1: a torn titan_storage.json (what a kill between truncate and write leaves) loads as empty: every key is lost"
  printf '{\n  "greeting": "ke' > titan_storage.json; echo "   (titan_storage.json cut to 17 bytes by hand)"
  restart
  call '{"do":"ls.get","key":"greeting"}'
  call '{"do":"ls.keys"}'
else
  echo "== S3 fixed: t.ls.get leaves nothing behind (results live in a per-thread buffer the library reuses)"
  BIG="$WORK/big.json"; printf '{"do":"ls.set","key":"big","value":"%s"}' "$(head -c 102400 /dev/zero | tr '\0' v)" >"$BIG"
  curl -s -o /dev/null localhost:$PORT/repro -H 'content-type: application/json' --data-binary @"$BIG"; rm -f "$BIG"
  rss() { awk '/VmRSS/ {print $2}' /proc/$PID/status; }
  for _ in $(seq 50); do curl -s -o /dev/null localhost:$PORT/repro -H 'content-type: application/json' -d '{"do":"ls.get.length","key":"big"}'; done
  before=$(rss)
  for _ in $(seq 300); do curl -s -o /dev/null localhost:$PORT/repro -H 'content-type: application/json' -d '{"do":"ls.get.length","key":"big"}'; done
  echo "  300 requests reading the 100 KiB value after 50 to warm up: RSS $before kB -> $(rss) kB"
fi
echo "== S1: a NUL in any string argument still aborts the whole server (CString::new(..).unwrap() in the bridge)"
call '{"do":"ls.set","key":"k","value":"a\u0000b"}'
sleep 0.3
if kill -0 $PID 2>/dev/null; then echo "  server still running"; else wait $PID; echo "  server exited with status $? (134 = SIGABRT)"; fi
kill -9 $PID 2>/dev/null; wait $PID 2>/dev/null; cd /; rm -rf "$WORK" "$LOG"
INNER
