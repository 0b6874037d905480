export function sessionset(req) {
  t.session.set("bench-session", "bench-key", "bench-value");
  return { ok: true };
}
