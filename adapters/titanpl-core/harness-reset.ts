/**
 * Test scaffolding, not a fix: the native store is one process-global map, but the contract
 * wants `open({ dir })` with a fresh dir to give an empty store. The library has no call that
 * lists or clears every session, so this module remembers every session id passed to it by
 * any thread of this process (a small append-only file, since worker threads share no module
 * state) and clears them, with ls_clear(), when a dir is opened for the first time.
 */
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isMainThread } from 'node:worker_threads';
import type { TitanCoreLib } from './native.js';

const REGISTRY_PREFIX = 'titanpl-core-adapter-session-ids-';
const REGISTRY = join(tmpdir(), `${REGISTRY_PREFIX}${process.pid}.jsonl`);
const MARKER = '.titanpl-core-opened';
const seenHere = new Set<string>();

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The exit hook never runs in a SIGKILLed process (the restart checks kill many): remove the registries of dead ones. */
function removeStaleRegistries(): void {
  for (const name of readdirSync(tmpdir())) {
    const pid = name.startsWith(REGISTRY_PREFIX) && name.endsWith('.jsonl') ? Number(name.slice(REGISTRY_PREFIX.length, -'.jsonl'.length)) : NaN;
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && !isAlive(pid)) rmSync(join(tmpdir(), name), { force: true });
  }
}

if (isMainThread) {
  removeStaleRegistries();
  process.once('exit', () => rmSync(REGISTRY, { force: true }));
}

/** Remember a session id (cheap after the first time in this thread). */
export function noteSessionId(id: string): void {
  if (seenHere.has(id)) return;
  seenHere.add(id);
  appendFileSync(REGISTRY, `${JSON.stringify(id)}\n`);
}

function allSessionIds(): string[] {
  if (!existsSync(REGISTRY)) return [...seenHere];
  const fromFile = readFileSync(REGISTRY, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as string);
  return [...new Set([...fromFile, ...seenHere])];
}

/** Claim `dir` for this store; true only for the first open of that dir (then the store is emptied). */
export function claimFreshDir(dir: string): boolean {
  mkdirSync(dir, { recursive: true });
  try {
    writeFileSync(join(dir, MARKER), `${process.pid}\n`, { flag: 'wx' });
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
}

/** Empty the process-global store: local storage and every session any thread has used. */
export function emptyStore(lib: TitanCoreLib): void {
  lib.ls_clear();
  for (const id of allSessionIds()) lib.session_clear(id);
}
