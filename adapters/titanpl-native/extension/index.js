// t.ls and t.session of the before and after extensions (adapters/titanpl-native), over the nine
// native exports that titan-server 7.0.1 puts in t["@titanpl/core"] (titan.json lists them).
// The same wrapper for both libraries, so a request differs only by the library behind it.
// The bridge passes at most two arguments, so session.set sends key and value as one JSON
// argument: the {"key","value"} form of @titanpl/core 3.0.7's own session_set export (its
// index.js passes three and stores nothing, S2 in reports/titanpl-server-7.0.1.md).
// Not done here, left to the bridge: a NUL still aborts the server (S1), a NULL result still
// reads as "" (D1), a lone surrogate still arrives as U+FFFD (D3).
const natives = t["@titanpl/core"] || {};

const ls = {
  get: (key) => natives.ls_get(key),
  set: (key, value) => { natives.ls_set(key, String(value)); },
  remove: (key) => { natives.ls_remove(key); },
  clear: () => { natives.ls_clear(); },
  keys: () => JSON.parse(natives.ls_keys() || "[]"),
};

const session = {
  get: (sessionId, key) => natives.session_get(sessionId, key),
  set: (sessionId, key, value) => { natives.session_set(sessionId, JSON.stringify({ key: String(key), value: String(value) })); },
  delete: (sessionId, key) => { natives.session_delete(sessionId, key); },
  clear: (sessionId) => { natives.session_clear(sessionId); },
};

t.ls = ls;
t.localStorage = ls;
t.session = session;
