/**
 * The server benchmark end to end (bench/server/run.ts --smoke): one short round of every task on every
 * storage library in the real titan-server, inside a private network namespace. Checks what was measured,
 * never how fast. Needs the app (scripts/fetch-titanpl-server.sh), the libraries (scripts/build-titanpl-native.sh)
 * and `unshare --net` (root): without them skipped locally, failed in CI.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ENDPOINTS, type ServerBench } from '../../bench/server/types.js';

const ROOT = join(import.meta.dirname, '../..');
const built = existsSync(join(ROOT, '.cache/titanpl-server/app/dist/routes.json'));
const canUnshare = spawnSync('unshare', ['--net', 'true']).status === 0;
const missing = !built ? '.cache/titanpl-server missing: run scripts/fetch-titanpl-server.sh' : !canUnshare ? '`unshare --net` not permitted (needs root)' : '';
const skip = missing !== '' && !process.env.CI;

describe.skipIf(skip)(`server benchmark, one round on every library${skip ? ` (skipped: ${missing})` : ''}`, () => {
  const dir = mkdtempSync(join(os.tmpdir(), 'titan-server-bench-test-'));
  const work = join(dir, 'work');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('measures every task of every library, with server CPU, and leaves no working directory behind', () => {
    rmSync(work, { recursive: true, force: true });
    mkdirSync(work, { recursive: true });
    const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'bench/server/run.ts'), '--smoke', '--json-only', '--out', dir, '--tmp', work], { encoding: 'utf8', timeout: 150_000 });
    expect(r.status, r.stderr).toBe(0);
    const bench = JSON.parse(readFileSync(join(dir, 'perf-server.json'), 'utf8')) as ServerBench;
    expect(bench.schema).toBe(2);
    const measured = bench.libraries.filter((l) => !l.skipped);
    if (process.env.CI) expect(bench.libraries.filter((l) => l.skipped)).toEqual([]);
    expect(measured.map((l) => l.role)).toContain('published');
    for (const l of measured) {
      expect(l.failures ?? [], l.id).toEqual([]);
      for (const e of ENDPOINTS) {
        const cell = bench.cells.find((c) => c.library === l.id && c.endpoint === e && c.keys === 10 && c.connections === bench.config.connections);
        expect(cell, `${l.id} ${e}`).toBeDefined();
        expect(cell!.rps.every((x) => x > 0), `${l.id} ${e} requests/s ${cell!.rps}`).toBe(true);
        expect(cell!.cpuNs.every((x) => Number.isFinite(x) && x >= 0), `${l.id} ${e} CPU ${cell!.cpuNs}`).toBe(true);
      }
      for (const c of bench.config.concurrency) expect(bench.cells.some((x) => x.library === l.id && x.endpoint === 'ls.get' && x.connections === c), `${l.id} ls.get x${c}`).toBe(true);
    }
    expect(readdirSync(work)).toEqual([]);
  }, 180_000);
});
