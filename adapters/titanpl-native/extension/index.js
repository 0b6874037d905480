// t.ls and t.session of the before and after extensions (adapters/titanpl-native), over the nine
// native exports that titan-server 7.0.1 puts in t["@titanpl/core"] (titan.json lists them).
// The same wrapper for both libraries, so a request differs only by the library behind it.
// The bridge passes at most two arguments, so session.set sends key and value as one JSON
// argument: the {"key","value"} form of @titanpl/core 3.0.7's own session_set export (its
// index.js passes three and stores nothing, S2 in reports/titanpl-server-7.0.1.md).
// Arguments are converted as template literals do, so a Symbol is a TypeError (not "Symbol()").
// Lone surrogates become U+FFFD in session.set's JSON as the bridge makes them elsewhere
// (serde_json rejects them, and the write would be lost).
// Not done here, left to the bridge: a NUL still aborts the server (S1), a NULL result still
// reads as "" (D1), a lone surrogate still arrives as U+FFFD (D3).
const natives = t["@titanpl/core"] || {};
const str = (x) => `${x}`;
const LONE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const wellFormed = (s) => s.replace(LONE, "\ufffd");

const ls = {
  get: (key) => natives.ls_get(str(key)),
  set: (key, value) => { natives.ls_set(str(key), str(value)); },
  remove: (key) => { natives.ls_remove(str(key)); },
  clear: () => { natives.ls_clear(); },
  keys: () => JSON.parse(natives.ls_keys() || "[]"),
};

const session = {
  get: (sessionId, key) => natives.session_get(str(sessionId), str(key)),
  set: (sessionId, key, value) => {
    const id = str(sessionId), entry = { key: wellFormed(str(key)), value: wellFormed(str(value)) };
    natives.session_set(id, JSON.stringify(entry));
  },
  delete: (sessionId, key) => { natives.session_delete(str(sessionId), str(key)); },
  clear: (sessionId) => { natives.session_clear(str(sessionId)); },
};

t.ls = ls;
t.localStorage = ls;
t.session = session;
