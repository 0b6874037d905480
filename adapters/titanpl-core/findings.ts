/**
 * Probe the real @titanpl/core@3.0.7 store (through the adapter, i.e. through index.js's
 * wrappers) on the spec's edge cases and print what it does next to what spec/model.ts expects.
 * Evidence for the conformance report; run with `npx tsx adapters/titanpl-core/findings.ts`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Storage } from '../../spec/contract.js';
import { quote } from '../../spec/model.js';
import impl from './index.js';

const dirs: string[] = [];
function fresh(): Storage {
  const dir = mkdtempSync(join(tmpdir(), 'titanpl-findings-'));
  dirs.push(dir);
  return impl.open({ dir }) as Storage;
}

const show = (x: unknown): string =>
  x === null ? 'null' : x === undefined ? 'undefined' : typeof x === 'string' ? quote(x, 40) : Array.isArray(x) ? `[${x.map((k) => show(k)).join(', ')}]` : String(x);
const sorted = (a: readonly string[]) => [...a].sort();

interface Row {
  id: string;
  repro: string;
  observed: string;
  expected: string;
}
const rows: Row[] = [];
function probe(id: string, repro: string, run: (s: Storage) => unknown, expected: unknown): void {
  let observed: string;
  try {
    observed = show(run(fresh()));
  } catch (e) {
    observed = `throws ${e instanceof Error ? `${e.constructor.name}: ${e.message}` : String(e)}`;
  }
  rows.push({ id, repro, observed, expected: typeof expected === 'string' && expected.startsWith('throws') ? expected : show(expected) });
}

// Missing keys and empty values
probe('LS-GET-MISSING', `ls.get("nope")`, (s) => s.ls.get('nope'), null);
probe('SES-GET-MISSING', `session.get("s", "nope")`, (s) => s.session.get('s', 'nope'), null);
probe('VAL-EMPTY-STRING', `ls.set("e", ""); ls.get("e")`, (s) => (s.ls.set('e', ''), s.ls.get('e')), '');
probe('VAL-EMPTY-STRING', `ls.set("e", ""); ls.keys()`, (s) => (s.ls.set('e', ''), s.ls.keys()), ['e']);
// NUL
probe('STR-ROUNDTRIP', `ls.set("k", "x\\0y"); ls.get("k")`, (s) => (s.ls.set('k', 'x\0y'), s.ls.get('k')), 'x\0y');
probe('STR-ROUNDTRIP', `ls.set("a\\0b", "v"); ls.keys()`, (s) => (s.ls.set('a\0b', 'v'), s.ls.keys()), ['a\0b']);
probe('STR-DISTINCT', `ls.set("a\\0b", "v"); ls.get("a\\0c")`, (s) => (s.ls.set('a\0b', 'v'), s.ls.get('a\0c')), null);
probe('STR-ROUNDTRIP', `session.set("s", "k", "x\\0y"); session.get("s", "k")`, (s) => (s.session.set('s', 'k', 'x\0y'), s.session.get('s', 'k')), 'x\0y');
probe('STR-ROUNDTRIP', `session.set("s", "k\\0z", "v"); session.get("s", "k\\0z")`, (s) => (s.session.set('s', 'k\0z', 'v'), s.session.get('s', 'k\0z')), 'v');
probe('SES-ISOLATION', `session.set("a\\0b", "k", "v"); session.get("a\\0c", "k")`, (s) => (s.session.set('a\0b', 'k', 'v'), s.session.get('a\0c', 'k')), null);
// Lone surrogates
probe('STR-ROUNDTRIP', `ls.set("k", "\\ud800"); ls.get("k")`, (s) => (s.ls.set('k', '\ud800'), s.ls.get('k')), '\ud800');
probe('STR-DISTINCT', `ls.set("\\ud800", "v"); ls.get("\\udc00")`, (s) => (s.ls.set('\ud800', 'v'), s.ls.get('\udc00')), null);
probe('STR-ROUNDTRIP', `session.set("s", "k", "\\ud800"); session.get("s", "k")`, (s) => (s.session.set('s', 'k', '\ud800'), s.session.get('s', 'k')), '\ud800');
probe('STR-ROUNDTRIP', `session.set("s", "\\udc00", "v"); session.get("s", "\\udc00")`, (s) => (s.session.set('s', '\udc00', 'v'), s.session.get('s', '\udc00')), 'v');
probe('STR-ROUNDTRIP', `session.set("\\ud800", "k", "v"); session.get("\\ud800", "k")`, (s) => (s.session.set('\ud800', 'k', 'v'), s.session.get('\ud800', 'k')), 'v');
probe('SES-ISOLATION', `session.set("\\ud800", "k", "v"); session.get("\\ufffd", "k")`, (s) => (s.session.set('\ud800', 'k', 'v'), s.session.get('\ufffd', 'k')), null);
// Astral characters
probe('STR-ROUNDTRIP', `ls.set("😀", "𝄞"); ls.get("😀")`, (s) => (s.ls.set('😀', '𝄞'), s.ls.get('😀')), '𝄞');
probe('STR-ROUNDTRIP', `session.set("😀", "𝄞", "🎉"); session.get("😀", "𝄞")`, (s) => (s.session.set('😀', '𝄞', '🎉'), s.session.get('😀', '𝄞')), '🎉');
// Prototype names
probe('STR-PROTO-NAMES', `ls.set("__proto__", "p"); ls.set("constructor", "c"); [get, get, keys]`, (s) => {
  s.ls.set('__proto__', 'p');
  s.ls.set('constructor', 'c');
  return [s.ls.get('__proto__'), s.ls.get('constructor'), ...sorted(s.ls.keys() as string[])];
}, ['p', 'c', '__proto__', 'constructor']);
probe('STR-PROTO-NAMES', `session.set("__proto__", "__proto__", "p"); session.get(…)`, (s) => (s.session.set('__proto__', '__proto__', 'p'), s.session.get('__proto__', '__proto__')), 'p');
// ":" in session ids and keys
probe('SES-ISOLATION', `session.set("a:b", "c", "1"); session.get("a", "b:c")`, (s) => (s.session.set('a:b', 'c', '1'), s.session.get('a', 'b:c')), null);
probe('SES-ISOLATION', `session.set("a:b", "c", "1"); session.set("a", "b:c", "2"); session.get("a:b", "c")`, (s) => {
  s.session.set('a:b', 'c', '1');
  s.session.set('a', 'b:c', '2');
  return s.session.get('a:b', 'c');
}, '1');
probe('SES-DELETE', `session.set("a:b", "c", "1"); session.delete("a", "b:c"); session.get("a:b", "c")`, (s) => {
  s.session.set('a:b', 'c', '1');
  s.session.delete('a', 'b:c');
  return s.session.get('a:b', 'c');
}, '1');
probe('SES-CLEAR', `session.set("a:b", "c", "1"); session.clear("a"); session.get("a:b", "c")`, (s) => (s.session.set('a:b', 'c', '1'), s.session.clear('a'), s.session.get('a:b', 'c')), '1');
probe('SES-CLEAR', `session.set("ab", "x", "1"); session.clear("a"); session.get("ab", "x")`, (s) => (s.session.set('ab', 'x', '1'), s.session.clear('a'), s.session.get('ab', 'x')), '1');
probe('SES-CLEAR', `session.set("", "k", "1"); session.clear(""); session.get("", "k")`, (s) => (s.session.set('', 'k', '1'), s.session.clear(''), s.session.get('', 'k')), null);
// Namespaces
probe('ISO-LS-SESSION', `session.set("s", "k", "v"); ls.keys()`, (s) => (s.session.set('s', 'k', 'v'), s.ls.keys()), []);
probe('ISO-LS-SESSION', `ls.set("s:k", "v"); session.get("s", "k")`, (s) => (s.ls.set('s:k', 'v'), s.session.get('s', 'k')), null);
probe('LS-CLEAR', `session.set("s", "k", "v"); ls.clear(); session.get("s", "k")`, (s) => (s.session.set('s', 'k', 'v'), s.ls.clear(), s.session.get('s', 'k')), 'v');
// keys()
probe('LS-KEYS-SET', `set k0…k199 (and k7 twice); keys().length, distinct`, (s) => {
  for (let i = 0; i < 200; i++) s.ls.set(`k${i}`, 'v');
  s.ls.set('k7', 'again');
  const k = s.ls.keys() as string[];
  return `${k.length} keys, ${new Set(k).size} distinct`;
}, '200 keys, 200 distinct');
probe('LS-KEYS-SET (order)', `ls.set("k0".."k4"); ls.keys()`, (s) => {
  for (let i = 0; i < 5; i++) s.ls.set(`k${i}`, 'v');
  return s.ls.keys();
}, ['k0', 'k1', 'k2', 'k3', 'k4']);
probe('LS-KEYS-SNAPSHOT', `const k = ls.keys(); k.push("x"); ls.keys()`, (s) => {
  s.ls.set('a', '1');
  (s.ls.keys() as string[]).push('x');
  return s.ls.keys();
}, ['a']);
// 16 MiB
const big = 'é'.repeat(8 * 2 ** 20); // 16 MiB of UTF-8, 8 Mi UTF-16 code units
probe('STR-LARGE-VALUE', `ls.set("big", 16 MiB); ls.get("big") === value`, (s) => (s.ls.set('big', big), s.ls.get('big') === big), true);
probe('STR-LARGE-VALUE', `session.set("s", "big", 16 MiB); session.get(…) === value`, (s) => (s.session.set('s', 'big', big), s.session.get('s', 'big') === big), true);
// String() coercion
probe('VAL-COERCE', `ls.set(1, 2); ls.set(null, undefined); ls.set({}, [1,2]); [get("1"), get("null"), get("[object Object]")]`, (s) => {
  s.ls.set(1, 2);
  s.ls.set(null, undefined);
  s.ls.set({}, [1, 2]);
  return [s.ls.get('1'), s.ls.get('null'), s.ls.get('[object Object]')];
}, ['2', 'undefined', '1,2']);
probe('VAL-COERCE', `session.set(1, true, 3.5); session.get("1", "true")`, (s) => (s.session.set(1, true, 3.5), s.session.get('1', 'true')), '3.5');
// Symbols and throwing toString
probe('VAL-REJECT', `ls.set("k", Symbol("v"))`, (s) => (s.ls.set('k', Symbol('v')), `returned; ls.get("k") = ${show(s.ls.get('k'))}`), 'throws TypeError');
probe('VAL-REJECT', `session.set("s", "k", Symbol("v"))`, (s) => (s.session.set('s', 'k', Symbol('v')), `returned; get = ${show(s.session.get('s', 'k'))}`), 'throws TypeError');
probe('VAL-REJECT', `ls.set(Symbol("k"), "v")  (runtime ToString on the key)`, (s) => s.ls.set(Symbol('k'), 'v'), 'throws TypeError');
probe('VAL-REJECT', `ls.set("k", { toString() { throw new Error("boom") } })`, (s) => s.ls.set('k', { toString() { throw new Error('boom'); } }), 'throws TypeError');
probe('VAL-REJECT-ATOMIC', `ls.set("k", "old"); try { ls.set("k", badToString) } catch {}; ls.get("k")`, (s) => {
  s.ls.set('k', 'old');
  try {
    s.ls.set('k', { toString() { throw new Error('boom'); } });
  } catch {
    /* expected */
  }
  return s.ls.get('k');
}, 'old');

/** Two worker threads write 20k distinct keys and one shared key at the same time. */
async function concurrentWorkers(): Promise<Row> {
  const s = fresh();
  const worker = (n: number) =>
    new Promise<void>((resolve, reject) => {
      const code = `
        const { workerData, parentPort } = require('node:worker_threads');
        import(workerData.api).then(({ register }) => { register(); return import(workerData.native); }).then(({ loadTitanCore }) => {
          const { lib } = loadTitanCore();
          for (let i = 0; i < 10000; i++) { lib.ls_set('w' + workerData.n + '-' + i, String(i)); lib.ls_set('shared', 'w' + workerData.n + '-' + i); lib.ls_get('shared'); }
          parentPort.postMessage('done');
        });`;
      const w = new Worker(code, { eval: true, workerData: { n, api: import.meta.resolve('tsx/esm/api'), native: new URL('./native.ts', import.meta.url).href } });
      w.once('message', () => void w.terminate().then(() => resolve()));
      w.once('error', reject);
    });
  await Promise.all([worker(1), worker(2)]);
  const keys = s.ls.keys() as string[];
  return {
    id: 'SHARING (process)',
    repro: 'two worker_threads: 10k ls_set of own keys + ls_set/ls_get "shared" each, concurrently',
    observed: `${keys.length} keys (${new Set(keys).size} distinct), shared = ${show(s.ls.get('shared'))}, no crash`,
    expected: '20001 keys, shared = one worker\'s last write',
  };
}

rows.push(await concurrentWorkers());
for (const d of dirs) rmSync(d, { recursive: true, force: true });

function verdict(r: Row): string {
  if (r.observed === r.expected) return 'ok';
  if (r.id.endsWith('(order)') && r.observed.length === r.expected.length) return 'ok (order unspecified)';
  if (r.expected === 'throws TypeError' && r.observed.startsWith('throws TypeError')) return 'ok';
  if (r.expected === 'null' && r.observed === '""' && !r.id.endsWith('-MISSING')) return 'ok, except missing reads as "" (see *-GET-MISSING)';
  if (r.id.startsWith('SHARING') && r.observed.startsWith('20001 keys (20001 distinct)')) return 'ok';
  return 'DIFFERS';
}
console.log('| requirement | reproduction | observed | model / contract | |');
console.log('|---|---|---|---|---|');
for (const r of rows) console.log(`| ${r.id} | \`${r.repro.replace(/\|/g, '\\|')}\` | ${r.observed.replace(/\|/g, '\\|')} | ${r.expected.replace(/\|/g, '\\|')} | ${verdict(r)} |`);
