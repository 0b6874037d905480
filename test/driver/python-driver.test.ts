/** The Python example driver, through the protocol client: model-based comparison, the awkward edges, durability. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { driverImplementation, type DriverImplementation, type DriverStorage } from '../../conformance/driver/client.js';
import { opsArb } from '../../conformance/arbitraries.js';
import { Harness } from '../../conformance/harness.js';
import { applyChecked, expectState, Touched } from '../../conformance/observe.js';
import { emptyState } from '../../spec/model.js';

const DRIVER = fileURLToPath(new URL('../../examples/python-driver/driver.py', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'titan-pydriver-'));
let n = 0;
const newDir = () => join(root, `s${n++}`);

let memory: DriverImplementation;
let durable: DriverImplementation;
beforeAll(async () => {
  memory = await driverImplementation(`python3 ${DRIVER}`);
  durable = await driverImplementation(`python3 ${DRIVER} --durable`);
});
afterAll(async () => {
  await Promise.all([memory?.dispose(), durable?.dispose()]);
  rmSync(root, { recursive: true, force: true });
});

describe('python driver', () => {
  it('says hello with its capabilities', () => {
    expect(memory.name).toBe('python-driver/memory');
    expect(memory.capabilities).toEqual({ persistence: 'volatile', sharing: 'isolate' });
    expect(durable.capabilities.persistence).toBe('durable');
  });

  it('agrees with the sequential model on random operation sequences (adversarial strings)', async () => {
    await fc.assert(
      fc.asyncProperty(opsArb(30), async (ops) => {
        const storage = await memory.open({ dir: newDir() });
        try {
          const h = new Harness(storage, '', 10_000);
          const touched = new Touched();
          const state = await applyChecked(h, ops, emptyState, touched);
          await expectState(h, state, touched, 'at the end');
        } finally {
          await storage.close();
        }
      }),
      { numRuns: 60, seed: 7 },
    );
  });

  it('keeps the awkward edges: lone surrogates, NUL, "__proto__", ":" in session ids, "", keys() snapshot', async () => {
    const s = await memory.open({ dir: newDir() });
    await s.ls.set('\uD800', 'lone high');
    await s.ls.set('\uDFFFa', '\uD83D');
    await s.ls.set('a\0b', '\0');
    await s.ls.set('__proto__', '');
    await s.ls.set('\u{1F600}', 'astral');
    expect(await s.ls.get('\uD800')).toBe('lone high');
    expect(await s.ls.get('\uDFFFa')).toBe('\uD83D');
    expect(await s.ls.get('a\0b')).toBe('\0');
    expect(await s.ls.get('a')).toBeNull();
    expect(await s.ls.get('__proto__')).toBe('');
    expect(await s.ls.get('\uD83D\uDE00')).toBe('astral');
    const keys = (await s.ls.keys()) as string[];
    expect([...keys].sort()).toEqual(['\uD800', '\uDFFFa', 'a\0b', '__proto__', '\u{1F600}'].sort());
    keys.push('mutated');
    await s.ls.remove('__proto__');
    expect(((await s.ls.keys()) as string[]).length).toBe(4);
    await s.session.set('a:b', 'c', 'first');
    await s.session.set('a', 'b:c', 'second');
    expect(await s.session.get('a:b', 'c')).toBe('first');
    expect(await s.session.get('a', 'b:c')).toBe('second');
    await s.session.clear('a');
    expect(await s.session.get('a:b', 'c')).toBe('first');
    await s.close();
  });

  it('starts a volatile store empty on every open, even in a reused process', async () => {
    const dir = newDir();
    const a = await memory.open({ dir });
    await a.ls.set('k', 'v');
    await a.close();
    const b = await memory.open({ dir });
    expect(await b.ls.keys()).toEqual([]);
    await b.close();
  });

  it('in --durable mode keeps every acknowledged write across a SIGKILL', async () => {
    const dir = newDir();
    let s: DriverStorage = await durable.open({ dir });
    await s.ls.set('\uD800k', 'v\0');
    await s.session.set('u:1', '__proto__', '');
    await s.kill();
    s = await durable.open({ dir });
    expect(await s.ls.get('\uD800k')).toBe('v\0');
    expect(await s.session.get('u:1', '__proto__')).toBe('');
    await s.close();
  });
});
