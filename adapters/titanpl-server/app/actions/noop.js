export function noop(req) {
  return { ok: true };
}
