/**
 * The storage libraries the server benchmark compares, from the one table of server libraries
 * (adapters/titanpl-server/libraries.ts): how to start a server on each in its own working
 * directory, and, for a library that loads its files at start, how to write them pre-filled.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PATHS } from '../../adapters/titanpl-server/paths.js';
import { TitanServer } from '../../adapters/titanpl-server/server.js';
import type { LibraryRole } from './types.js';

export interface BenchTarget {
  id: string;
  role: LibraryRole;
  label: string;
  /** Why it cannot run here (not built, not fetched), or null. */
  missing(): string | null;
  /** Write the files the library loads at start, holding `keys` local keys and as many session entries. */
  seed?(cwd: string, keys: number, valueBytes: number): void;
  start(cwd: string): TitanServer;
}

export function benchTargets(): BenchTarget[] {
  return [
    {
      id: 'titanpl-core-3.0.7',
      role: 'published',
      label: '@titanpl/core 3.0.7 (RwLock<HashMap>, the note\'s after as published)',
      missing: () => (existsSync(join(PATHS.dist, 'routes.json')) ? null : `${PATHS.dist} is missing: run scripts/fetch-titanpl-server.sh`),
      start: () => new TitanServer(),
    },
  ];
}
