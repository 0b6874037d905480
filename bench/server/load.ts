/** The measurement of the real server (bench/server/run.ts) kept beside perf.json, read into the report; an older format is dropped. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ServerBench } from './types.js';

export function loadServerBench(dir: string): ServerBench | undefined {
  const file = join(dir, 'perf-server.json');
  if (!existsSync(file)) return undefined;
  const bench = JSON.parse(readFileSync(file, 'utf8')) as ServerBench;
  return bench.schema === 2 ? bench : undefined;
}
