import { dec } from "../lib/wire.js";

// Empty the store for a fresh `open` (the driver's test scaffolding): local storage and the listed sessions.
export function reset(req) {
  t.ls.clear();
  for (const id of req.body.ids) t.session.clear(dec(id));
  return { ok: true, keysLeft: t.ls.keys().length };
}
