/**
 * The mutants are broken in the way they claim, independent of the conformance suite: each one is driven directly
 * and shown to diverge from the sequential model (spec/model.ts) or from its declared persistence. Hangs are shown
 * with bounded waits: a promise still pending after 50 ms, a synchronous loop still running in a worker after 500 ms.
 */
import { readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import type { Implementation, Storage } from '../../spec/contract.js';
import { opArgs, convertCall, run, type Op } from '../../spec/model.js';
import { callOp } from '../../conformance/harness.js';
import { isRequirementId } from '../../spec/requirements.js';
import { MUTANTS, mutantPath } from '../../mutants/index.js';

const scratch = await mkdtemp(join(tmpdir(), 'mutants-'));
let dirs = 0;
const freshDir = () => join(scratch, String(dirs++));
afterAll(() => rm(scratch, { recursive: true, force: true }));

async function load(name: string): Promise<Implementation> {
  return ((await import(`../../mutants/${name}.ts`)) as { default: Implementation }).default;
}

async function openMutant(name: string, dir = freshDir()): Promise<Storage> {
  return (await load(name)).open({ dir });
}

/** Apply a model operation to a store, unchecked. */
async function apply(s: Storage, o: Op): Promise<unknown> {
  return await callOp(s, o.op, opArgs(o));
}

const get = (key: string): Op => ({ op: 'ls.get', key });
const set = (key: string, value: string): Op => ({ op: 'ls.set', key, value });
const remove = (key: string): Op => ({ op: 'ls.remove', key });
const keys: Op = { op: 'ls.keys' };
const sget = (id: string, key: string): Op => ({ op: 'session.get', id, key });
const sset = (id: string, key: string, value: string): Op => ({ op: 'session.set', id, key, value });

/** A sequence whose last operation's output differs from the model's, and what the mutant returns instead. */
interface Divergence {
  mutant: string;
  ops: Op[];
  /** What the mutant returns for the last operation. */
  actual: unknown;
}

const divergences: Divergence[] = [
  { mutant: 'undefined-for-missing', ops: [get('x')], actual: undefined },
  { mutant: 'empty-string-for-missing', ops: [get('x')], actual: '' },
  { mutant: 'empty-value-is-absent', ops: [set('k', ''), get('k')], actual: null },
  { mutant: 'object-backed', ops: [set('__proto__', 'v'), get('__proto__')], actual: null },
  { mutant: 'stale-keys-cache', ops: [set('a', '1'), keys, remove('a'), keys], actual: ['a'] },
  { mutant: 'keys-duplicates', ops: [set('a', '1'), set('a', '2'), keys], actual: ['a', 'a'] },
  { mutant: 'clear-clears-sessions', ops: [sset('s', 'k', 'v'), { op: 'ls.clear' }, sget('s', 'k')], actual: null },
  { mutant: 'shared-namespace', ops: [sset('s', 'k', 'v'), keys], actual: ['session:["s","k"]'] },
  { mutant: 'trims-keys', ops: [set(' a', '1'), set('a', '2'), get(' a')], actual: '2' },
  { mutant: 'normalizes-keys', ops: [set('e\u0301', '1'), set('\u00e9', '2'), get('e\u0301')], actual: '2' },
  { mutant: 'case-insensitive', ops: [set('Key', '1'), set('key', '2'), get('Key')], actual: '2' },
  { mutant: 'utf8-lossy', ops: [set('k', 'a\ud800b'), get('k')], actual: 'a\ufffdb' },
  { mutant: 'nul-truncates', ops: [set('k', 'a\0b'), get('k')], actual: 'a' },
  { mutant: 'remove-removes-prefix', ops: [set('a', '1'), set('ab', '2'), remove('a'), get('ab')], actual: null },
  { mutant: 'composite-session-key', ops: [sset('a:b', 'c', '1'), sset('a', 'b:c', '2'), sget('a:b', 'c')], actual: '2' },
  { mutant: 'prefix-session-clear', ops: [sset('ab', 'k', 'v'), { op: 'session.clear', id: 'a' }, sget('ab', 'k')], actual: null },
  { mutant: 'session-undefined-for-missing', ops: [sget('s', 'k')], actual: undefined },
  { mutant: 'session-empty-id-ignored', ops: [sset('', 'k', 'v'), sget('', 'k')], actual: null },
];

describe('mutants diverge from the sequential model', () => {
  it.each(divergences)('$mutant', async ({ mutant, ops, actual }) => {
    const s = await openMutant(mutant);
    let last: unknown;
    for (const o of ops) last = await apply(s, o);
    const expected = run(ops).outputs.at(-1);
    expect(last).toEqual(actual);
    expect(last).not.toEqual(expected);
  });
});

describe('mutants with bugs a single sequence cannot show', () => {
  it('live-keys-array: the returned array is the store\'s own index', async () => {
    const s = await openMutant('live-keys-array');
    await s.ls.set('a', '1');
    const held = (await s.ls.keys()) as string[];
    await s.ls.set('b', '2');
    expect(held).toEqual(['a', 'b']); // a snapshot would still be ['a']
    held.push('ghost');
    expect(await s.ls.keys()).toContain('ghost');
    expect(await s.ls.get('ghost')).toBe(null);
  });

  it('keys-iterator: keys() is not an array', async () => {
    const s = await openMutant('keys-iterator');
    await s.ls.set('a', '1');
    const result = await s.ls.keys();
    expect(Array.isArray(result)).toBe(false);
    expect([...(result as Iterable<string>)]).toEqual(['a']);
  });

  it('missing-method: session.clear is not a function', async () => {
    const s = await openMutant('missing-method');
    expect(typeof s.session.clear).toBe('undefined');
    expect(typeof s.session.get).toBe('function');
  });

  it('no-coerce: get returns the number that was set, not its String()', async () => {
    const s = await openMutant('no-coerce');
    const call = convertCall({ op: 'ls.set', args: ['n', 1] });
    expect(call.ok && call.op).toEqual({ op: 'ls.set', key: 'n', value: '1' });
    await s.ls.set('n', 1);
    expect(await s.ls.get('n')).toBe(1);
  });

  it('symbol-accepted: a Symbol key is stored instead of rejected', async () => {
    const s = await openMutant('symbol-accepted');
    expect(convertCall({ op: 'ls.set', args: [Symbol('x'), 'v'] }).ok).toBe(false);
    await s.ls.set(Symbol('x'), 'v');
    expect(await s.ls.keys()).toEqual(['Symbol(x)']);
  });

  it('set-before-validate: a rejected set loses the previous value', async () => {
    const s = await openMutant('set-before-validate');
    await s.ls.set('k', 'old');
    const bad = { toString: () => { throw new Error('no string for you'); } };
    await expect((async () => s.ls.set('k', bad))()).rejects.toThrow(TypeError);
    expect(await s.ls.get('k')).toBe(null); // the model keeps "old"
  });

  it('remove-missing-throws: removing a missing key rejects', async () => {
    const s = await openMutant('remove-missing-throws');
    await expect((async () => s.ls.remove('missing'))()).rejects.toThrow(/no such key/);
  });

  it('session-delete-missing-throws: deleting a missing session key rejects', async () => {
    const s = await openMutant('session-delete-missing-throws');
    await expect((async () => s.session.delete('s', 'missing'))()).rejects.toThrow(/has no key/);
  });

  it('throws-sometimes: one in every 50 sets throws "disk full"', async () => {
    const s = await openMutant('throws-sometimes');
    const failures: string[] = [];
    for (let i = 0; i < 50; i++) {
      await (async () => s.ls.set(`k${i}`, 'v'))().catch((e: Error) => failures.push(`k${i}: ${e.message}`));
    }
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatch(/disk full/);
    expect(await s.ls.get(failures[0]!.split(':')[0])).toBe(null);
  });

  it('size-limit: a value over 1 MiB comes back truncated', async () => {
    const s = await openMutant('size-limit');
    const big = 'x'.repeat((1 << 20) + 10);
    await s.ls.set('big', big);
    expect(((await s.ls.get('big')) as string).length).toBe(1 << 20);
  });

  it('hangs-on-keys: keys() never settles with 4 keys (but does with 3)', async () => {
    const s = await openMutant('hangs-on-keys');
    for (const k of ['a', 'b', 'c']) await s.ls.set(k, 'v');
    expect(await s.ls.keys()).toEqual(['a', 'b', 'c']);
    await s.ls.set('d', 'v');
    const pending = Symbol('pending');
    const after50ms = new Promise((resolve) => setTimeout(() => resolve(pending), 50));
    expect(await Promise.race([s.ls.keys(), after50ms])).toBe(pending);
  });
});

describe('mutants that break their declared persistence', () => {
  async function restartedValue(name: string): Promise<unknown> {
    const impl = await load(name);
    const dir = freshDir();
    const before = await impl.open({ dir });
    await before.ls.set('k', 'v');
    await before.close?.();
    const after = await impl.open({ dir });
    const value = await after.ls.get('k');
    await after.close?.();
    return value;
  }

  it.each(['durable-never-writes', 'write-behind-no-flush'])('%s: declared durable, empty after close + open', async (name) => {
    expect((await load(name)).capabilities.persistence).toBe('durable');
    expect(await restartedValue(name)).toBe(null);
  });

  it('volatile-persists-in-process: declared volatile, still holds data after close + open', async () => {
    expect((await load('volatile-persists-in-process')).capabilities.persistence).toBe('volatile');
    expect(await restartedValue('volatile-persists-in-process')).toBe('v');
  });

  it('singleton-store: a fresh dir sees data written through another dir', async () => {
    const first = await openMutant('singleton-store');
    await first.ls.set('leak', 'v');
    const second = await openMutant('singleton-store');
    expect(await second.ls.get('leak')).toBe('v');
  });
});

describe('sync-infinite-loop', () => {
  it('loops forever, synchronously, on an absent key once 8 keys fill the table (worker killed after 500 ms)', async () => {
    const worker = new Worker(new URL('./sync-loop-worker.mjs', import.meta.url), { workerData: { dir: freshDir() } });
    const messages: unknown[] = [];
    try {
      // One listener from the start, so a second message cannot slip past between two listeners.
      await new Promise<void>((resolve, reject) => {
        worker.on('message', (m) => {
          messages.push(m);
          resolve();
        });
        worker.once('error', reject);
        setTimeout(() => reject(new Error('the worker did not load the mutant within 20 s')), 20_000).unref();
      });
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(messages).toEqual([{ full: 'v' }]); // get('absent') has not returned
    } finally {
      await worker.terminate();
    }
  });
});

describe('the manifest', () => {
  it('lists exactly the mutant modules in the folder', () => {
    const files = (readdirSync(join(import.meta.dirname, '../../mutants'), { recursive: true }) as string[])
      .map((f) => f.split(sep).join('/'))
      // support/ holds code shared by mutants, not mutants.
      .filter((f) => f.endsWith('.ts') && f !== 'index.ts' && !f.startsWith('support/'))
      .map((f) => `mutants/${f}`)
      .sort();
    expect([...MUTANTS.map((m) => m.file)].sort()).toEqual(files);
  });

  it('names every mutant as its module does and expects only registered requirements', async () => {
    for (const m of MUTANTS) {
      expect((await import(pathToFileURL(mutantPath(m)).href)).default.name, m.file).toBe(m.name);
      for (const id of m.expect) expect(isRequirementId(id), `${m.file}: ${id}`).toBe(true);
    }
  });
});
