// One storage operation inside a titan-server isolate, through t.ls / t.session exactly as an
// action calls them; strings encoded (lib/wire.js) so the transport never changes one and
// whatever differs was done by the storage.
import { dec, enc } from "../lib/wire.js";

export function op(req) {
  const body = req.body;
  const a = body.args.map(dec);
  try {
    let v;
    switch (body.op) {
      case "ls.get": v = t.ls.get(a[0]); break;
      case "ls.set": v = t.ls.set(a[0], a[1]); break;
      case "ls.remove": v = t.ls.remove(a[0]); break;
      case "ls.clear": v = t.ls.clear(); break;
      case "ls.keys": v = t.ls.keys(); break;
      case "session.get": v = t.session.get(a[0], a[1]); break;
      case "session.set": v = t.session.set(a[0], a[1], a[2]); break;
      case "session.delete": v = t.session.delete(a[0], a[1]); break;
      case "session.clear": v = t.session.clear(a[0]); break;
      default: return { ok: false, error: { type: "Error", message: "unknown op " + body.op } };
    }
    return v === undefined ? { ok: true } : { ok: true, value: enc(v) };
  } catch (e) {
    // The error's own name (URIError, RangeError, …): the report shows what the storage threw.
    const type = e instanceof Error && typeof e.name === "string" ? e.name : "Error";
    return { ok: false, error: { type, message: String(e && e.message !== undefined ? e.message : e) } };
  }
}
