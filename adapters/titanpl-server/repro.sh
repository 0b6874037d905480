#!/bin/sh
# Every defect of reports/titanpl-server-7.0.1.md reproduced without the suite: a titan-server on
# the built app (scripts/fetch-titanpl-server.sh), curl against its /repro action
# (app/actions/repro.js), in a network namespace with only loopback (the server binds 0.0.0.0).
#   sh adapters/titanpl-server/repro.sh
set -u
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
BIN="$ROOT/.cache/titanpl-server/titanpl/packages/engine-linux-x64/bin/titan-server"
DIST="$ROOT/.cache/titanpl-server/app/dist"
exec unshare --net sh -s "$BIN" "$DIST" "$ROOT/.cache/titanpl-core/package/titan.json" <<'INNER'
BIN="$1"; DIST="$2"; CORE_TITAN_JSON="$3"; PORT=3000; LOG="$(mktemp)"
ip link set lo up
start() { PORT=$PORT "$BIN" run "$DIST" >"$LOG" 2>&1 & PID=$!
  for _ in $(seq 100); do curl -s -o /dev/null -XPOST -d '{}' -H 'content-type: application/json' localhost:$PORT/noop && return; sleep 0.05; done; }
call() { echo "\$ curl -s localhost:$PORT/repro -H 'content-type: application/json' -d '$1'"
  out="$(curl -s -m 5 localhost:$PORT/repro -H 'content-type: application/json' -d "$1")"; echo "  -> ${out:-(no answer: curl status $?)}"; }
echo "== S0: with @titanpl/core 3.0.7's own titan.json the engine skips the extension without a word: no t.ls"
PROBE="$(mktemp -d)"; cp -r "$DIST/." "$PROBE"; CORE="$PROBE/node_modules/@titanpl/core"
cp "$CORE_TITAN_JSON" "$CORE/titan.json"
mkdir -p "$CORE/native/target/release" && cp "$CORE/libtitan_core.so" "$CORE/native/target/release/"
SAVED="$DIST"; DIST="$PROBE"; start; DIST="$SAVED"
call '{"do":"ls.get","key":"x"}'
kill -9 $PID; wait $PID 2>/dev/null; rm -rf "$PROBE"
start
echo "== S2: session.set stores nothing (index.js passes (id, key, value); the native session_set takes (id, json))"
call '{"do":"session.set","id":"user1","key":"cart","value":"3 items"}'
call '{"do":"session.get","id":"user1","key":"cart"}'
echo "   ... the native side parses the *key* as its {key, value} JSON:"
call '{"do":"session.set","id":"user1","key":"{\"key\":\"cart\",\"value\":\"from the key\"}","value":"ignored"}'
call '{"do":"session.get","id":"user1","key":"cart"}'
echo "== D4 (native): sessions are one map keyed id:key: session (\"a\", \"b:c\") is session (\"a:b\", \"c\")"
call '{"do":"session.set","id":"a","key":"{\"key\":\"b:c\",\"value\":\"secret of session a\"}","value":"ignored"}'
call '{"do":"session.get","id":"a:b","key":"c"}'
echo "== D1 (native): an absent key reads as \"\", not null"
call '{"do":"ls.get","key":"never-set"}'
echo "== D3 (native/bridge): a lone surrogate is stored as U+FFFD (65533)"
call '{"do":"ls.set","key":"s","value":"\ud83d"}'
call '{"do":"codes","key":"s"}'
echo "== S3: every t.ls.get leaks the string it returns (the C string from ls_get is never freed)"
BIG="$(mktemp)"; printf '{"do":"ls.set","key":"big","value":"%s"}' "$(head -c 102400 /dev/zero | tr '\0' v)" >"$BIG"
curl -s -o /dev/null localhost:$PORT/repro -H 'content-type: application/json' --data-binary @"$BIG"; rm -f "$BIG"
rss() { awk '/VmRSS/ {print $2}' /proc/$PID/status; }
for what in noop get set; do
  before=$(rss)
  for _ in $(seq 300); do case $what in
    noop) curl -s -o /dev/null localhost:$PORT/noop -H 'content-type: application/json' -d '{}' ;;
    get) curl -s -o /dev/null localhost:$PORT/repro -H 'content-type: application/json' -d '{"do":"ls.get.length","key":"big"}' ;;
    set) curl -s -o /dev/null localhost:$PORT/repro -H 'content-type: application/json' -d '{"do":"ls.set","key":"small","value":"v"}' ;;
  esac; done
  echo "  300 requests of $what (the value under \"big\" is 100 KiB): RSS $before kB -> $(rss) kB"
done
echo "== S1: a NUL in any string argument aborts the whole server (CString::new(..).unwrap() in the bridge)"
call '{"do":"ls.set","key":"greeting","value":"kept until the crash"}'
call '{"do":"ls.set","key":"k","value":"a\u0000b"}'
sleep 0.3
if kill -0 $PID 2>/dev/null; then echo "  server still running"; else wait $PID; echo "  server exited with status $? (134 = SIGABRT)"; fi
tail -n 4 "$LOG" | sed 's/\x1b\[[0-9;]*m//g; s/^/  log: /'
start
call '{"do":"ls.get","key":"greeting"}'
echo "   ... every isolate and every stored value died with it; a restarted server is empty."
kill -9 $PID 2>/dev/null; rm -f "$LOG"
INNER
