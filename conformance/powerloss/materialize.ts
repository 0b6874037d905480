/**
 * A crash state on disk and the store's verdict on it: write the tree into a fresh directory, open
 * the store there in a fresh driver process, read everything back, and compare with the
 * acknowledged history (the in-flight operation may be wholly there or wholly absent).
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fingerprint, quote, type State } from '../../spec/model.js';
import type { DriverImplementation } from '../driver/client.js';
import { Harness } from '../harness.js';
import { explain } from '../property.js';
import type { Tree } from './crash-states.js';

/** The keys and session pairs the workload uses: what to read back besides ls.keys(). */
export interface Pools {
  readonly lsKeys: readonly string[];
  readonly sessions: ReadonlyMap<string, readonly string[]>;
}

export interface Expectation {
  /** The state after every acknowledged operation. */
  readonly acked: State;
  /** The state with the in-flight operation applied too, when one was in flight. */
  readonly withInflight: State | null;
}

/** Write `tree` under `dir` (which exists and is empty). */
export async function writeTree(dir: string, tree: Tree): Promise<void> {
  for (const [path, content] of tree) {
    const full = join(dir, path);
    if (content === null) await mkdir(full, { recursive: true });
    else {
      await mkdir(dirname(full), { recursive: true });
      await writeFile(full, content);
    }
  }
}

/** A value in a report: which operation wrote it ("#n|…"), and its length. */
export function showValue(v: string | null | undefined): string {
  if (v === null || v === undefined) return 'null';
  const m = /^#(\d+)\|/.exec(v);
  return m ? `"#${m[1]}|…" (${v.length} chars)` : quote(v);
}

function describeDifference(observed: State, want: State, pools: Pools): string[] {
  const lines: string[] = [];
  const keys = new Set([...want.ls.keys(), ...observed.ls.keys()]);
  for (const k of keys) {
    const a = observed.ls.get(k) ?? null;
    const b = want.ls.get(k) ?? null;
    if (a !== b) lines.push(`ls.get(${quote(k)}) returned ${showValue(a)}; acknowledged: ${showValue(b)}`);
  }
  for (const [id, ks] of pools.sessions) {
    for (const k of ks) {
      const a = observed.sessions.get(id)?.get(k) ?? null;
      const b = want.sessions.get(id)?.get(k) ?? null;
      if (a !== b) lines.push(`session.get(${quote(id)}, ${quote(k)}) returned ${showValue(a)}; acknowledged: ${showValue(b)}`);
    }
  }
  return lines;
}

/** What the store holds after opening `tree` in a fresh process, or why it could not be read. */
export async function readTree(impl: DriverImplementation, timeoutMs: number, scratch: string, tree: Tree, pools: Pools): Promise<{ state: State } | { problem: string }> {
  const dir = await mkdtemp(join(scratch, 'crash-'));
  try {
    await writeTree(dir, tree);
    let storage;
    try {
      storage = await impl.open({ dir });
    } catch (e) {
      return { problem: `the store did not open: ${explain(e)}` };
    }
    const store = { h: new Harness(storage, dir, timeoutMs) };
    try {
      const keys = (await store.h.call('ls.keys', [])) as string[];
      const ls = new Map<string, string>();
      for (const k of new Set([...keys, ...pools.lsKeys])) {
        const v = (await store.h.call('ls.get', [k])) as string | null;
        if (v !== null) ls.set(k, v);
      }
      const sessions = new Map<string, Map<string, string>>();
      for (const [id, ks] of pools.sessions) {
        const entries = new Map<string, string>();
        for (const k of ks) {
          const v = (await store.h.call('session.get', [id, k])) as string | null;
          if (v !== null) entries.set(k, v);
        }
        if (entries.size) sessions.set(id, entries);
      }
      return { state: { ls, sessions } };
    } catch (e) {
      return { problem: `the reopened store failed: ${explain(e)}` };
    } finally {
      await storage.kill();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** What the store returned, when it does not match the history: null when it does. */
export async function judgeTree(impl: DriverImplementation, timeoutMs: number, scratch: string, tree: Tree, want: Expectation, pools: Pools): Promise<string[] | null> {
  const read = await readTree(impl, timeoutMs, scratch, tree, pools);
  if ('problem' in read) return [read.problem];
  const got = fingerprint(read.state);
  if (got === fingerprint(want.acked) || (want.withInflight && got === fingerprint(want.withInflight))) return null;
  const diff = describeDifference(read.state, want.acked, pools);
  return diff.length ? diff : ['the store returned a state that is neither the acknowledged one nor that plus the in-flight operation'];
}
