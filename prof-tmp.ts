import { createSharedHandle, openShared } from './reference/shared.js';
const s = openShared(createSharedHandle());
const N = 1000;
const keys = Array.from({ length: N }, (_, i) => 'user:' + i);
const m = new Map<string, string>();
for (let i = 0; i < N; i++) { s.ls.set(keys[i]!, 'v'.repeat(100)); m.set(keys[i]!, 'v'.repeat(100)); }
let sink = 0;
for (let rep = 0; rep < 5; rep++) {
  let t = performance.now(); for (let j = 0; j < 3e6; j++) sink += (s.ls.get(keys[j % N]!) as string).length; console.log('get', ((performance.now() - t) * 1e6 / 3e6).toFixed(0));
  t = performance.now(); for (let j = 0; j < 3e6; j++) sink += m.get(keys[j % N]!)!.length; console.log('map get', ((performance.now() - t) * 1e6 / 3e6).toFixed(0));
}
