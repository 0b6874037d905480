/** The last measurement of the real server (bench/server/run.ts) kept beside perf.json, so the main benchmark keeps it in the report. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ServerBench } from './measure.js';

export function loadServerBench(dir: string): ServerBench | undefined {
  const file = join(dir, 'perf-server.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as ServerBench) : undefined;
}
