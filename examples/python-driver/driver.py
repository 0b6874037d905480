#!/usr/bin/env python3
"""A TitanPL storage driver in Python 3 (standard library only), speaking the line-delimited JSON
driver protocol of spec/PROTOCOL.md on stdin/stdout.

    python3 driver.py             # volatile: an in-memory store, empty after every open
    python3 driver.py --durable   # durable: state in <dir>/store.json, replaced atomically and fsynced

Strings: JSON `\\uD800`-style escapes of lone surrogates are decoded by `json.loads` into Python str
surrogate code points, and `json.dumps` (ensure_ascii=True, the default) escapes them again, so every
JavaScript string survives. Never write with ensure_ascii=False: a lone surrogate cannot be encoded
as UTF-8 and would crash the driver (or, with "surrogatepass", emit invalid UTF-8).
"""
import json
import os
import sys

PROTOCOL = "titan-storage-driver"
VERSION = 1
STORE_FILE = "store.json"

ARITY = {
    "ls.get": 1, "ls.set": 2, "ls.remove": 1, "ls.clear": 0, "ls.keys": 0,
    "session.get": 2, "session.set": 3, "session.delete": 2, "session.clear": 1,
}
MUTATORS = {"ls.set", "ls.remove", "ls.clear", "session.set", "session.delete", "session.clear"}


class BadRequest(Exception):
    """The request itself is wrong (unknown op, wrong arguments): answered as an "Error"."""


class Store:
    """Local storage is a dict; sessions are a dict of dicts, so (id, key) pairs never collide,
    whatever characters (":" included) they contain. Dict keys are plain str: "__proto__" is ordinary."""

    def __init__(self, path=None):
        self.path = path  # None: volatile
        self.ls = {}
        self.sessions = {}
        if path is not None:
            os.makedirs(os.path.dirname(path), exist_ok=True)
        if path is not None and os.path.exists(path):
            with open(path, "rb") as f:
                data = json.loads(f.read().decode("utf-8"))  # a corrupt file raises: open fails loudly
            self.ls = dict(data["ls"])
            self.sessions = {sid: dict(pairs) for sid, pairs in data["sessions"]}

    def apply(self, op, args):
        if op == "ls.get":
            return self.ls.get(args[0])
        if op == "ls.keys":
            return list(self.ls)  # a new list: a snapshot, never the live dict view
        if op == "session.get":
            return self.sessions.get(args[0], {}).get(args[1])
        if op == "ls.set":
            self.ls[args[0]] = args[1]
        elif op == "ls.remove":
            self.ls.pop(args[0], None)
        elif op == "ls.clear":
            self.ls.clear()
        elif op == "session.set":
            self.sessions.setdefault(args[0], {})[args[1]] = args[2]
        elif op == "session.delete":
            entries = self.sessions.get(args[0])
            if entries is not None:
                entries.pop(args[1], None)
                if not entries:
                    del self.sessions[args[0]]
        elif op == "session.clear":
            self.sessions.pop(args[0], None)
        self.persist()
        return None

    def persist(self):
        """Durable mode: write a temp file, fsync it, rename it over the store, fsync the directory.
        A crash at any moment leaves the old file or the new one, never a truncated one."""
        if self.path is None:
            return
        data = {"ls": list(self.ls.items()), "sessions": [[sid, list(e.items())] for sid, e in self.sessions.items()]}
        text = json.dumps(data, separators=(",", ":"))  # ASCII only: surrogates and NUL escaped
        directory = os.path.dirname(self.path)
        tmp = os.path.join(directory, "." + STORE_FILE + ".tmp")
        with open(tmp, "wb") as f:
            f.write(text.encode("ascii"))
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, self.path)
        dfd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)


def log(*parts):
    # stderr is free for logs; stdout carries only protocol lines.
    print("python-driver:", *parts, file=sys.stderr, flush=True)


def send(out, message):
    out.write(json.dumps(message, separators=(",", ":")).encode("ascii") + b"\n")
    out.flush()


def main():
    durable = "--durable" in sys.argv[1:]
    out = sys.stdout.buffer
    send(out, {
        "protocol": PROTOCOL, "version": VERSION,
        "name": "python-driver/" + ("durable" if durable else "memory"),
        "capabilities": {"persistence": "durable" if durable else "volatile", "sharing": "isolate"},
    })
    store = None
    # Binary stdin, split on b"\n" only and decoded as UTF-8 explicitly: independent of the locale.
    for raw in sys.stdin.buffer:
        try:
            req = json.loads(raw.decode("utf-8"))
            rid = req["id"]
        except (ValueError, KeyError, TypeError) as e:
            log("unreadable request, exiting:", repr(e))
            sys.exit(3)
        try:
            op = req.get("op")
            if op == "open":
                if store is not None:
                    raise BadRequest("a store is already open in this process; close it first")
                directory = req.get("dir")
                if not isinstance(directory, str):
                    raise BadRequest('open needs a string "dir"')
                # Every open is a new store: a volatile one starts empty even in a reused process.
                store = Store(os.path.join(directory, STORE_FILE) if durable else None)
                value = None
            elif op == "close":
                store = None  # durable writes are already on disk when acknowledged
                value = None
            elif op in ARITY:
                if store is None:
                    raise BadRequest(op + " before open")
                args = req.get("args")
                if not isinstance(args, list) or len(args) != ARITY[op] or not all(isinstance(a, str) for a in args):
                    send(out, {"id": rid, "ok": False, "error": {"type": "TypeError", "message": "%s takes %d string argument(s)" % (op, ARITY[op])}})
                    continue
                value = store.apply(op, args)
            else:
                raise BadRequest("unknown op %r" % (op,))
        except BadRequest as e:
            send(out, {"id": rid, "ok": False, "error": {"type": "Error", "message": "bad request: " + str(e)}})
            continue
        except Exception as e:  # an implementation error: reported, and the driver keeps serving
            send(out, {"id": rid, "ok": False, "error": {"type": "Error", "message": "%s: %s" % (type(e).__name__, e)}})
            continue
        send(out, {"id": rid, "ok": True, "value": value})
    # EOF: the runner is done. Durable state is already on disk.


if __name__ == "__main__":
    main()
