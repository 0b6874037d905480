// `check --watch` as a user runs it: a save in the module's folder reruns the checks, the last run's failures first.
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'titan-watch-'));
const store = join(dir, 'store.ts');
copyFileSync(join(ROOT, 'examples/readme-store.ts'), store);
const good = readFileSync(store, 'utf8');
const broken = good.replace("ls.set(key, str(v, 'value'))", "ls.set(key, str(v, 'value').slice(1))");

let child: ChildProcess | undefined;
let output = '';

/** Resolves once the output after `from` matches `pattern`; rejects with the output so far after `ms`. */
function waitFor(pattern: RegExp, from: number, ms = 90_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const poll = setInterval(() => {
      const m = pattern.exec(output.slice(from));
      if (m) finish(() => resolve(output.slice(from)));
      else if (child?.exitCode !== null) finish(() => reject(new Error(`the watcher exited (${child?.exitCode}):\n${output}`)));
    }, 50);
    const timer = setTimeout(() => finish(() => reject(new Error(`no ${pattern} within ${ms} ms; output:\n${output}`))), ms);
    const finish = (f: () => void) => {
      clearInterval(poll);
      clearTimeout(timer);
      f();
    };
  });
}

afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((r) => child!.once('exit', r));
    child.kill('SIGINT');
    await exited;
  }
  rmSync(dir, { recursive: true, force: true });
});

describe('titan-storage check --watch', () => {
  it('reruns when the module is saved, the failing check first, until it passes again', async () => {
    expect(broken).not.toBe(good);
    child = spawn(process.execPath, [join(ROOT, 'bin/titan-storage.mjs'), 'check', store, '--watch', '--runs', '5', '--seed', '7', '--only', 'LS-GET-MISSING,LS-SET-GET'], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (c: Buffer) => (output += c.toString('utf8')));
    child.stderr!.on('data', (c: Buffer) => (output += c.toString('utf8')));

    const first = await waitFor(/PASS my-store[\s\S]*watching \S+ for changes/, 0);
    expect(first).toMatch(/── run 1 /);
    expect(first.indexOf('LS-GET-MISSING/property')).toBeLessThan(first.indexOf('LS-SET-GET/last-write-wins'));

    let mark = output.length;
    writeFileSync(store, broken);
    const second = await waitFor(/FAIL my-store[\s\S]*watching \S+ for changes/, mark);
    expect(second).toMatch(/── run 2 · store\.ts changed; rerun \d+ ms after the save/);
    expect(second).toMatch(/✗ LS-SET-GET\/last-write-wins/);

    mark = output.length;
    writeFileSync(store, good);
    const third = await waitFor(/PASS my-store[\s\S]*watching \S+ for changes/, mark);
    expect(third).toMatch(/── run 3 · store\.ts changed; .* · 1 failing check first/);
    // The failing check ran first; the summary still lists requirements in the spec's order.
    expect(third.indexOf('LS-SET-GET/last-write-wins')).toBeLessThan(third.indexOf('LS-GET-MISSING/property'));
    expect(child.exitCode).toBeNull();
  }, 300_000);
});
