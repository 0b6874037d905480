export function get(req) {
  return { ok: true, value: t.ls.get("bench-key") };
}
