// A checkout's CLI runs its own build (bin/checkout-build.mjs): used while every file it was built from is unchanged,
// made again otherwise, and run from any working directory.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkoutBuild, freshBuild } from '../../bin/checkout-build.mjs';
import { ROOT } from '../helpers/cli.js';

const scratch = mkdtempSync(join(tmpdir(), 'titan-checkout-build-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("the checkout's build", () => {
  it('is fresh while its inputs keep their modification times, and not once one changes or its bundle is gone', () => {
    const dir = join(scratch, 'b-1');
    mkdirSync(join(dir, 'dist'), { recursive: true });
    writeFileSync(join(dir, 'dist', 'cli.js'), '');
    const input = join(scratch, 'source.ts');
    writeFileSync(input, 'export {};');
    utimesSync(input, 1_700_000_000, 1_700_000_000);
    writeFileSync(join(scratch, 'latest.json'), JSON.stringify({ dir, inputs: { [input]: 1_700_000_000_000 } }));
    expect(freshBuild(scratch)).toBe(dir);
    utimesSync(input, 1_700_000_001, 1_700_000_001);
    expect(freshBuild(scratch)).toBeNull();
    utimesSync(input, 1_700_000_000, 1_700_000_000);
    rmSync(join(dir, 'dist', 'cli.js'));
    expect(freshBuild(scratch)).toBeNull();
  });

  it('is what bin/titan-storage.mjs runs, started from another folder', async () => {
    const dir = await checkoutBuild();
    expect(freshBuild()).toBe(dir);
    const { TITAN_STORAGE_BUILD: _, ...env } = process.env;
    const r = spawnSync(process.execPath, [join(ROOT, 'bin/titan-storage.mjs'), 'check', join(ROOT, 'reference/memory.ts'), '--only', 'LS-GET-MISSING', '--jobs', '1'], { cwd: scratch, encoding: 'utf8', timeout: 60_000, env: { ...env, NO_COLOR: '1' } });
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('PASS reference/memory');
    expect(freshBuild()).toBe(dir);
  });
});
