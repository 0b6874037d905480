/**
 * The titan-server driver's side of the protocol (spec/PROTOCOL.md, version 2), against the real
 * server: hello, order within a client, failures as error responses, a dead server reported and
 * replaced, exit at end of input. Needs the app built by scripts/fetch-titanpl-server.sh and
 * `unshare --net` (root): without them skipped locally, failed in CI.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');
const DRIVER = join(ROOT, 'adapters/titanpl-server/driver.sh');
const built = existsSync(join(ROOT, '.cache/titanpl-server/app/dist/routes.json'));
const canUnshare = spawnSync('unshare', ['--net', 'true']).status === 0;
const missing = !built ? '.cache/titanpl-server missing: run scripts/fetch-titanpl-server.sh' : !canUnshare ? '`unshare --net` not permitted (needs root)' : '';
const skip = missing !== '' && !process.env.CI;
const TITLE = `titan-server driver${skip ? ` (skipped: ${missing})` : ''}`;

/** The driver as a raw child: send lines, read answers by id. */
class RawDriver {
  readonly child: ChildProcessWithoutNullStreams;
  readonly lines: Record<string, unknown>[] = [];
  private buffer = '';
  private waiters: (() => void)[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor() {
    this.child = spawn('sh', [DRIVER], { stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    this.child.stderr.resume();
    this.child.stdout.on('data', (c: Buffer) => {
      const parts = (this.buffer + c.toString('utf8')).split('\n');
      this.buffer = parts.pop()!;
      for (const p of parts) this.lines.push(JSON.parse(p) as Record<string, unknown>);
      for (const w of this.waiters.splice(0)) w();
    });
    this.exited = new Promise((r) => this.child.on('exit', (code, signal) => r({ code, signal })));
  }

  send(...reqs: object[]): void {
    for (const r of reqs) this.child.stdin.write(`${JSON.stringify(r)}\n`);
  }

  /** Wait (bounded) until `n` lines have arrived. */
  async waitLines(n: number, ms = 30_000): Promise<Record<string, unknown>[]> {
    const until = Date.now() + ms;
    while (this.lines.length < n) {
      if (Date.now() > until) throw new Error(`only ${this.lines.length} of ${n} lines within ${ms} ms: ${JSON.stringify(this.lines)}`);
      await new Promise<void>((r) => {
        this.waiters.push(r);
        setTimeout(r, 200);
      });
    }
    return this.lines;
  }

  answer(id: number): Record<string, unknown> | undefined {
    return this.lines.find((l) => l.id === id);
  }

  kill(): void {
    try {
      process.kill(-this.child.pid!, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
}

const started: RawDriver[] = [];
afterEach(() => {
  for (const d of started.splice(0)) d.kill();
});
function start(): RawDriver {
  const d = new RawDriver();
  started.push(d);
  return d;
}

describe.skipIf(skip)(TITLE, () => {
  it('says hello: version 2 with clients, volatile, shared by the process', async () => {
    const d = start();
    const [hello] = await d.waitLines(1);
    expect(hello).toMatchObject({ protocol: 'titan-storage-driver', version: 2, clients: true, capabilities: { persistence: 'volatile', sharing: 'process' } });
  }, 60_000);

  it('answers the requests of one client in order, an error for what it cannot do, and keeps serving', async () => {
    const d = start();
    d.send(
      { id: 1, op: 'ls.get', args: ['a'] }, // before open
      { id: 2, op: 'open', dir: '/nonexistent/titan-test' },
      ...Array.from({ length: 20 }, (_, i) => ({ id: 3 + i, op: 'ls.set', args: ['k', `v${i}`], client: 1 })),
      { id: 23, op: 'ls.get', args: ['k'], client: 1 },
      { id: 24, op: 'nonsense', args: [] },
      { id: 25, op: 'ls.keys', args: [], client: 1 },
    );
    const lines = await d.waitLines(26);
    expect(lines[1]).toMatchObject({ id: 1, ok: false, error: { type: 'Error' } });
    const client1 = lines.filter((l) => typeof l.id === 'number' && l.id >= 3 && l.id <= 23).map((l) => l.id);
    expect(client1).toEqual(Array.from({ length: 21 }, (_, i) => 3 + i));
    expect(d.answer(23)).toEqual({ id: 23, ok: true, value: 'v19' });
    expect(d.answer(24)).toMatchObject({ ok: false, error: { type: 'Error', message: expect.stringMatching(/unknown op/) } });
    expect(d.answer(25)).toEqual({ id: 25, ok: true, value: ['k'] });
  }, 60_000);

  it('reports a server that died during an operation, naming it, its signal and log, and carries on with a fresh server', async () => {
    const d = start();
    d.send({ id: 1, op: 'open', dir: '/nonexistent/titan-test' }, { id: 2, op: 'ls.set', args: ['kept', 'before'] }, { id: 3, op: 'ls.set', args: ['n', 'x\u0000y'] }, { id: 4, op: 'ls.get', args: ['kept'] }, { id: 5, op: 'ls.set', args: ['after', '1'] }, { id: 6, op: 'ls.get', args: ['after'] });
    await d.waitLines(7);
    const crash = d.answer(3) as { ok: boolean; error: { message: string } };
    expect(crash.ok).toBe(false);
    expect(crash.error.message).toMatch(/ls\.set\("n", "x\\u0000y"\)/);
    expect(crash.error.message).toMatch(/SIGABRT|exited with code/);
    expect(crash.error.message).toMatch(/last log lines/);
    // The fresh server is empty (what was stored died with the old one) and works.
    expect(d.answer(4)).toEqual({ id: 4, ok: true, value: '' });
    expect(d.answer(6)).toEqual({ id: 6, ok: true, value: '1' });
  }, 60_000);

  it('exits with status 0 at the end of its input', async () => {
    const d = start();
    d.send({ id: 1, op: 'open', dir: '/nonexistent/titan-test' }, { id: 2, op: 'close' });
    await d.waitLines(3);
    d.child.stdin.end();
    const exit = await Promise.race([d.exited, new Promise<string>((r) => setTimeout(() => r('still running after 10 s'), 10_000))]);
    expect(exit).toEqual({ code: 0, signal: null });
  }, 60_000);
});
