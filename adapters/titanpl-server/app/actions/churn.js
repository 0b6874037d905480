// Benchmark (memory curve): body.n storage operations in one request, set/get/remove over a rotating
// pool of keys, so the store's size stays bounded and any growth of the process is a leak.
export function churn(req) {
  const n = req.body.n, offset = req.body.offset;
  let found = 0;
  for (let i = 0; i < n; i += 3) {
    const key = "churn-" + ((offset + i) % 1000);
    t.ls.set(key, "value-" + i);
    if (t.ls.get(key) !== "") found++;
    t.ls.remove(key);
  }
  return { ok: true, found };
}
