// Crash states are read by one reused process only while it reads what a fresh process reads.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compiledHostCommand } from '../../conformance/host/compiled.js';
import { CrashStateReader, type Pools, type TreeRead } from '../../conformance/powerloss/materialize.js';
import type { Tree } from '../../conformance/powerloss/crash-states.js';
import file from '../../reference/file.js';

const scratch = mkdtempSync(join(tmpdir(), 'titan-reader-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const POOLS: Pools = { lsKeys: ['a', 'b'], sessions: new Map() };

/** The files reference/file.ts leaves after these writes: a crash state that holds them all. */
async function treeWith(entries: Record<string, string>): Promise<Tree> {
  const dir = mkdtempSync(join(scratch, 'made-'));
  const s = await file.open({ dir });
  for (const [k, v] of Object.entries(entries)) await s.ls.set(k, v);
  await s.close?.();
  return new Map(readdirSync(dir).map((f) => [f, readFileSync(join(dir, f))]));
}

const lsOf = (r: TreeRead) => ('state' in r ? Object.fromEntries(r.state.ls) : r);

describe('CrashStateReader', () => {
  it('a store that keeps nothing across opens: every state read as a fresh process reads it, with no fallback', async () => {
    const reader = new CrashStateReader(await compiledHostCommand('reference/file.ts'), { requestTimeoutMs: 10_000 });
    try {
      const full = await treeWith({ a: '1', b: '2' });
      const empty: Tree = new Map();
      expect(lsOf(await reader.read(10_000, scratch, full, POOLS))).toEqual({ a: '1', b: '2' });
      expect(lsOf(await reader.read(10_000, scratch, empty, POOLS))).toEqual({});
      for (let i = 0; i < 3; i++) expect(lsOf(await reader.read(10_000, scratch, i % 2 ? empty : full, POOLS))).toEqual(i % 2 ? {} : { a: '1', b: '2' });
      expect(reader.carriesState).toBeUndefined();
    } finally {
      await reader.dispose();
    }
  });

  it('a store that carries state from one open to the next: the fresh reading is judged, and every later state is read fresh', async () => {
    const reader = new CrashStateReader(await compiledHostCommand('test/fixtures/powerloss/keeps-last-state.ts'), { requestTimeoutMs: 10_000 });
    try {
      const full = await treeWith({ a: '1' });
      expect(lsOf(await reader.read(10_000, scratch, full, POOLS))).toEqual({ a: '1' });
      // The reused process would answer { a: '1' } here: a fresh one finds nothing.
      expect(lsOf(await reader.read(10_000, scratch, new Map(), POOLS))).toEqual({});
      expect(reader.carriesState).toMatch(/read one differently from a fresh process/);
      // Past the sample, a state every caller would accept is still read fresh now.
      await reader.read(10_000, scratch, full, POOLS);
      expect(lsOf(await reader.read(10_000, scratch, new Map(), POOLS, () => true))).toEqual({});
    } finally {
      await reader.dispose();
    }
  });

  it('past the sample, a state the caller rejects is read again by a fresh process', async () => {
    const reader = new CrashStateReader(await compiledHostCommand('test/fixtures/powerloss/keeps-last-state.ts'), { requestTimeoutMs: 10_000 });
    try {
      const empty: Tree = new Map();
      const full = await treeWith({ a: '1' });
      // Two empty states agree both ways (nothing carried yet), so the sample ends with no difference seen.
      await reader.read(10_000, scratch, empty, POOLS);
      await reader.read(10_000, scratch, empty, POOLS);
      expect(lsOf(await reader.read(10_000, scratch, full, POOLS))).toEqual({ a: '1' });
      const rejectNonEmpty = (r: TreeRead) => 'state' in r && r.state.ls.size === 0;
      expect(lsOf(await reader.read(10_000, scratch, empty, POOLS, rejectNonEmpty))).toEqual({});
      expect(reader.carriesState).toBeDefined();
    } finally {
      await reader.dispose();
    }
  });
});
