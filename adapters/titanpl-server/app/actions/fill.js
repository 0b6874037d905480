// Benchmark set-up: local keys bench-<i> and session entries (fill-<i/10>, k<i%10>), i in [from, from + n),
// each value `bytes` long; answers how many local keys the store holds afterwards.
export function fill(req) {
  const { from, n, bytes } = req.body;
  for (let i = from; i < from + n; i++) {
    const value = ("v" + i + "-").padEnd(bytes, "x");
    t.ls.set("bench-" + i, value);
    t.session.set("fill-" + Math.floor(i / 10), "k" + (i % 10), value);
  }
  return { ok: true, keys: t.ls.keys().length };
}
