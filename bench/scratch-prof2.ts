import { createSharedHandle, openShared, TAG_LS, hashEntry, type SharedHandle } from '../reference/shared.js';
const N = 10_000;
const keys = Array.from({ length: N }, (_, i) => `user:${i}:profile`);
const plain = process.argv[2] === 'plain';
const h0 = createSharedHandle({ initialSlots: 32768, initialHeapBytes: 1 << 21 });
const h: SharedHandle = plain ? { ...h0, table: new SharedArrayBuffer(h0.table.byteLength), heap: new SharedArrayBuffer(h0.heap.byteLength) } : h0;
const s = openShared(h);
for (let i = 0; i < N; i++) s.ls.set(keys[i]!, 'v' + i);
const m = s.map;
function time(name: string, f: () => void) {
  let best = 1e9;
  for (let r = 0; r < 7; r++) { const t = process.hrtime.bigint(); f(); best = Math.min(best, Number(process.hrtime.bigint() - t) / 1e6); }
  console.log(name, best.toFixed(1), 'ns/op');
}
let sink = 0;
time('empty', () => { for (let j = 0; j < 1e6; j++) sink += keys[j % N]!.length; });
time('hash', () => { for (let j = 0; j < 1e6; j++) sink += hashEntry(0, '', keys[j % N]!); });
time('find', () => { for (let j = 0; j < 1e6; j++) sink += m.find(0, '', keys[j % N]!); });
time('get nolock', () => { for (let j = 0; j < 1e6; j++) sink += m.get(TAG_LS, '', keys[j % N]!)!.length; });
time('ls.get', () => { for (let j = 0; j < 1e6; j++) sink += (s.ls.get(keys[j % N]!) as string).length; });
time('ls.set', () => { for (let j = 0; j < 1e6; j++) s.ls.set(keys[j % N]!, 'w' + (j % N)); });
const mm = new Map(keys.map((k) => [k, k]));
time('Map.get', () => { for (let j = 0; j < 1e6; j++) sink += mm.get(keys[j % N]!)!.length; });
console.log(sink, m.stats().slots);
