// One storage operation inside a titan-server isolate, through t.ls / t.session exactly as an
// action calls them. Strings travel as {"s": string} or, when they hold a lone surrogate (which
// JSON parsers on the way may replace), {"u": [UTF-16 code units]}, so the transport never
// changes a string and whatever differs was done by the storage.
function dec(x) {
  if (!Array.isArray(x.u)) return x.s;
  let s = "";
  for (let i = 0; i < x.u.length; i += 8192) s += String.fromCharCode.apply(null, x.u.slice(i, i + 8192));
  return s;
}

function wellFormed(s) {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) { i++; continue; }
      return false;
    }
    if (c >= 0xdc00 && c <= 0xdfff) return false;
  }
  return true;
}

function units(s) {
  const u = new Array(s.length);
  for (let i = 0; i < s.length; i++) u[i] = s.charCodeAt(i);
  return u;
}

// Any result, its type kept: strings as above, null as null, everything else tagged.
function enc(v) {
  if (typeof v === "string") return wellFormed(v) ? { s: v } : { u: units(v) };
  if (v === null) return null;
  if (Array.isArray(v)) return { array: v.map(enc) };
  return { type: typeof v, text: String(v) };
}

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
    const type = e instanceof TypeError ? "TypeError" : "Error";
    return { ok: false, error: { type, message: String(e && e.message !== undefined ? e.message : e) } };
  }
}
