// Minimal reproductions for reports/titanpl-server-7.0.1.md: plain JSON strings in the body, the
// storage called exactly as an application would. POST {"do": "...", ...} to /repro.
export function repro(req) {
  const b = req.body;
  switch (b.do) {
    case "ls.set": t.ls.set(b.key, b.value); return { stored: true };
    case "ls.get": { const v = t.ls.get(b.key); return { value: v, type: typeof v }; }
    case "ls.get.length": return { length: t.ls.get(b.key).length };
    case "ls.keys": return { keys: t.ls.keys() };
    case "session.set": t.session.set(b.id, b.key, b.value); return { stored: true };
    case "session.get": return { value: t.session.get(b.id, b.key) };
    case "session.clear": t.session.clear(b.id); return { cleared: true };
    case "codes": { const v = t.ls.get(b.key), codes = []; for (let i = 0; i < v.length; i++) codes.push(v.charCodeAt(i)); return { codes }; }
    default: return { error: "unknown" };
  }
}
