/**
 * The storage libraries the server benchmark compares, from the one table of server libraries
 * (adapters/titanpl-server/libraries.ts): how to start a server on each in its own working
 * directory, and, for the library that loads its files at start, how to write them pre-filled.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LIBRARIES, type LibraryName } from '../../adapters/titanpl-server/libraries.js';
import { TitanServer } from '../../adapters/titanpl-server/server.js';
import type { LibraryRole } from './types.js';

export interface BenchTarget {
  id: string;
  role: LibraryRole;
  label: string;
  /** Where its servers' working directories go, when not where the others' do. */
  workRoot?: string;
  returnedStrings: 'caller-frees' | 'library-owned';
  /** Why the memory run leaves it out (another target runs the same library faster), or nothing. */
  memorySkipped?: string;
  /** Why it cannot run here (not built, not fetched), or null. */
  missing(): string | null;
  /** Write the files the library loads at start, holding `keys` local keys and as many session entries. */
  seed?(cwd: string, keys: number, valueBytes: number): void;
  start(cwd: string): TitanServer;
}

const ROLE: Record<LibraryName, LibraryRole> = { before: 'before', 'titanpl-core-3.0.7': 'published', after: 'after' };

/** The entries the app's /fill action writes (adapters/titanpl-server/app/actions/fill.js), as the before library's two files. */
function seedBeforeFiles(cwd: string, keys: number, valueBytes: number): void {
  const local: Record<string, string> = {};
  const sessions: Record<string, string> = {};
  for (let i = 0; i < keys; i++) {
    const value = `v${i}-`.padEnd(valueBytes, 'x');
    local[`bench-${i}`] = value;
    sessions[`fill-${Math.floor(i / 10)}:k${i % 10}`] = value;
  }
  writeFileSync(join(cwd, 'titan_storage.json'), JSON.stringify(local, null, 2));
  writeFileSync(join(cwd, 'titan_sessions.json'), JSON.stringify(sessions));
}

/** tmpfs: the before library's files in memory only, to separate its file system's cost from the rewrite's. */
const TMPFS = '/dev/shm';

export function benchTargets(): BenchTarget[] {
  const targets = (['before', 'titanpl-core-3.0.7', 'after'] as const).map((name): BenchTarget => {
    const lib = LIBRARIES[name];
    return {
      id: name,
      role: ROLE[name],
      label: lib.description,
      returnedStrings: lib.returnedStrings,
      missing: () => {
        for (const f of [lib.so, join(lib.dist, 'routes.json'), join(lib.extensionDir, 'titan.json')]) if (!existsSync(f)) return `${f} is missing: ${lib.obtain}`;
        return null;
      },
      ...(lib.persistence === 'durable' ? { seed: seedBeforeFiles } : {}),
      start: (cwd: string) => new TitanServer(lib.dist, cwd),
    };
  });
  const before = targets[0]!;
  const onTmpfs: BenchTarget = {
    ...before,
    id: 'before-tmpfs',
    role: 'before-tmpfs',
    workRoot: TMPFS,
    // (the ext4 one keeps its own memory run off: at milliseconds per write it would take an hour to reach a million operations)
    missing: () => before.missing() ?? (existsSync(TMPFS) ? null : `${TMPFS} does not exist (no tmpfs to compare with)`),
  };
  before.memorySkipped = 'the same library as "before on tmpfs", which runs the memory curve: on the disk its writes take milliseconds, so a million operations would take an hour';
  return [before, onTmpfs, ...targets.slice(1)];
}
