export function set(req) {
  t.ls.set("bench-key", "bench-value");
  return { ok: true };
}
