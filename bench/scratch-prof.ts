import { createSharedHandle, openShared, TAG_LS, hashEntry } from '../reference/shared.js';
const N = 10_000;
const keys = Array.from({ length: N }, (_, i) => `user:${i}:profile`);
const s = openShared(createSharedHandle());
for (let i = 0; i < N; i++) s.ls.set(keys[i]!, 'v' + i);
const m = s.map;
function time(name: string, f: () => void) {
  for (let r = 0; r < 3; r++) { const t = process.hrtime.bigint(); f(); if (r === 2) console.log(name, (Number(process.hrtime.bigint() - t) / 1e6).toFixed(1), 'ns/op'); }
}
let sink = 0;
time('hash', () => { for (let j = 0; j < 1e6; j++) sink += hashEntry(0, '', keys[j % N]!); });
time('find', () => { for (let j = 0; j < 1e6; j++) sink += m.find(0, '', keys[j % N]!); });
time('get nolock', () => { for (let j = 0; j < 1e6; j++) sink += m.get(TAG_LS, '', keys[j % N]!)!.length; });
time('lock', () => { for (let j = 0; j < 1e6; j++) { m.lock.readLock(); m.lock.readUnlock(); } });
time('wlock', () => { for (let j = 0; j < 1e6; j++) { m.lock.writeLock(); m.lock.writeUnlock(); } });
time('ls.get', () => { for (let j = 0; j < 1e6; j++) sink += (s.ls.get(keys[j % N]!) as string).length; });
console.log(sink);
