/**
 * A crash state on disk and the store's verdict on it: write the tree into a fresh directory, open
 * the store there as a restarted machine's process would, read everything back, and compare with the
 * acknowledged history (the in-flight operation may be wholly there or wholly absent).
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fingerprint, quote, type State } from '../../spec/model.js';
import { driverImplementation, type DriverImplementation, type DriverOptions, type DriverStorage } from '../driver/client.js';
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

export type TreeRead = { state: State } | { problem: string };

const showRead = (r: TreeRead) => ('state' in r ? fingerprint(r.state) : `problem: ${r.problem}`);

/**
 * The processes that open crash states. After a power cut every process is new, so a state counts as a fresh process
 * reads it; starting one per state made process start-ups most of the check's time. One process reads state after
 * state instead (open, read, close: each state in a directory of its own) while it reads what a fresh process reads:
 * the first FRESH_SAMPLE states and every state the caller does not accept are read again by a fresh process, and
 * at the first difference (a store that carries something from one open to the next in its process) every later
 * state gets a fresh process, and the fresh reading is the one judged.
 */
export class CrashStateReader {
  static readonly FRESH_SAMPLE = 2;
  private reused?: Promise<DriverImplementation>;
  private fresh?: Promise<DriverImplementation>;
  private compared = 0;
  /** Why states are read by fresh processes only, once a difference was seen. */
  carriesState?: string;

  constructor(
    private readonly command: string,
    private readonly opts: DriverOptions,
  ) {}

  /** What the store holds after opening `tree`; `accept` says whether the caller would pass it (a rejected one is confirmed fresh). */
  async read(timeoutMs: number, scratch: string, tree: Tree, pools: Pools, accept: (r: TreeRead) => boolean = () => true): Promise<TreeRead> {
    if (this.carriesState) return readOnce(await this.freshImpl(), 'kill', timeoutMs, scratch, tree, pools);
    this.reused ??= driverImplementation(this.command, { ...this.opts, prespawn: 0 });
    const r = await readOnce(await this.reused, 'close', timeoutMs, scratch, tree, pools);
    if (this.compared >= CrashStateReader.FRESH_SAMPLE && accept(r)) return r;
    this.compared++;
    const f = await readOnce(await this.freshImpl(), 'kill', timeoutMs, scratch, tree, pools);
    if (showRead(f) !== showRead(r)) this.carriesState = `a process that had opened other crash states read one differently from a fresh process (${showRead(r).slice(0, 200)} instead of ${showRead(f).slice(0, 200)})`;
    return f;
  }

  private freshImpl(): Promise<DriverImplementation> {
    return (this.fresh ??= driverImplementation(this.command, { ...this.opts, prespawn: 1 }));
  }

  async dispose(): Promise<void> {
    await Promise.all([this.reused, this.fresh].map(async (p) => (await p?.catch(() => undefined))?.dispose()));
  }
}

/** What the store holds after opening `tree`, or why it could not be read; `end`: close (the process serves the next open) or kill it. */
async function readOnce(impl: DriverImplementation, end: 'close' | 'kill', timeoutMs: number, scratch: string, tree: Tree, pools: Pools): Promise<TreeRead> {
  const dir = await mkdtemp(join(scratch, 'crash-'));
  try {
    await writeTree(dir, tree);
    let storage: DriverStorage;
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
      if (end === 'kill') await storage.kill();
      else await storage.close().catch(() => storage.kill());
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** What the store returned, when it does not match the history: null when it does. */
export async function judgeTree(reader: CrashStateReader, timeoutMs: number, scratch: string, tree: Tree, want: Expectation, pools: Pools): Promise<string[] | null> {
  const matches = (r: TreeRead) => 'state' in r && (fingerprint(r.state) === fingerprint(want.acked) || (want.withInflight !== null && fingerprint(r.state) === fingerprint(want.withInflight)));
  const read = await reader.read(timeoutMs, scratch, tree, pools, matches);
  if ('problem' in read) return [read.problem];
  if (matches(read)) return null;
  const diff = describeDifference(read.state, want.acked, pools);
  return diff.length ? diff : ['the store returned a state that is neither the acknowledged one nor that plus the in-flight operation'];
}
