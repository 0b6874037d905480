/**
 * The two storage libraries of adapters/titanpl-native (built by scripts/build-titanpl-native.sh):
 * their exports, the C contract each declares, and the before's files in a server's working
 * directory. Without the built libraries (or, for the server part, the app and `unshare --net`)
 * skipped locally, failed in CI.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { driverImplementation } from '../../conformance/driver/client.js';
import { exportedFunctions } from '../../adapters/titanpl-core/elf-weaken.js';
import { loadStorageLibrary } from '../../adapters/titanpl-core/native.js';
import { LIBRARIES } from '../../adapters/titanpl-server/libraries.js';
import { OP_NAMES } from '../../spec/operations.js';

const ROOT = join(import.meta.dirname, '../..');
const { before, after } = LIBRARIES;
const core = LIBRARIES['titanpl-core-3.0.7'];
const built = existsSync(before.so) && existsSync(after.so);
const skip = !built && !process.env.CI;
const TITLE = `titanpl-native libraries${skip ? ' (skipped: not built; run bash scripts/build-titanpl-native.sh)' : ''}`;
const serverReady = existsSync(join(before.dist, 'routes.json')) && spawnSync('unshare', ['--net', 'true']).status === 0;
const skipServer = !serverReady && !process.env.CI;

/** The C name of each operation of spec/operations.ts: ls.get -> ls_get. */
const NINE = OP_NAMES.map((op) => op.replace('.', '_')).sort();

const dirs: string[] = [];
function freshDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'titanpl-native-test-'));
  dirs.push(d);
  return d;
}
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Run the before library in a node process whose working directory is `cwd`; prints what `body` returns. */
function inBeforeProcess(cwd: string, body: string): unknown {
  const koffi = createRequire(import.meta.url).resolve('koffi');
  const script = `
    const koffi = require(${JSON.stringify(koffi)});
    const lib = koffi.load(${JSON.stringify(before.so)});
    const f = (p) => lib.func(p);
    const get = f('const char *ls_get(const char *k)'), set = f('void ls_set(const char *k, const char *v)');
    const sset = f('void session_set(const char *id, const char *json)'), sget = f('const char *session_get(const char *id, const char *k)');
    console.log(JSON.stringify((() => { ${body} })()));`;
  const r = spawnSync(process.execPath, ['-e', script], { cwd, encoding: 'utf8', timeout: 20_000 });
  if (r.status !== 0) throw new Error(`before process failed (${r.status ?? r.signal}): ${r.stderr}`);
  return JSON.parse(r.stdout);
}

describe.skipIf(skip)(TITLE, () => {
  it('each exports exactly the nine storage functions, the ones @titanpl/core 3.0.7 exports', () => {
    for (const lib of [before, after]) expect(exportedFunctions(readFileSync(lib.so)), lib.name).toEqual(NINE);
    if (existsSync(core.so)) expect(exportedFunctions(readFileSync(core.so))).toEqual(expect.arrayContaining(NINE));
  });

  it('the after: NULL for a missing key, sessions by (id, key), results it owns (read, never freed)', () => {
    const lib = loadStorageLibrary(after.so, after.returnedStrings);
    lib.ls_clear();
    expect(lib.ls_get('never-set')).toBeNull();
    lib.ls_set('k', 'v');
    expect(lib.ls_get('k')).toBe('v');
    lib.session_set('a', JSON.stringify({ key: 'b:c', value: 'one' }));
    lib.session_set('a:b', JSON.stringify({ key: 'c', value: 'two' }));
    expect([lib.session_get('a', 'b:c'), lib.session_get('a:b', 'c')]).toEqual(['one', 'two']);
    lib.session_clear('a');
    expect([lib.session_get('a', 'b:c'), lib.session_get('a:b', 'c')]).toEqual([null, 'two']);
    lib.session_set('a', 'not json');
    expect(lib.session_get('a', 'not json')).toBeNull();
    // Freeing a pointer into the library's buffer would abort this process (free(): invalid pointer).
    for (let i = 0; i < 10_000; i++) lib.ls_get(i % 2 ? 'k' : 'never-set');
    expect(JSON.parse(lib.ls_keys()!)).toEqual(['k']);
    lib.ls_clear();
    lib.session_clear('a:b');
  });

  it('the before: files in the working directory, rewritten per write, loaded by the next process; a torn file loads empty', () => {
    const cwd = freshDir();
    const wrote = inBeforeProcess(cwd, `set('greeting', 'hi'); sset('u1', JSON.stringify({ key: 'cart', value: '3' })); return get('missing');`);
    expect(wrote).toBe(''); // 3.0.7's C surface: a missing key is "" (D1)
    expect(JSON.parse(readFileSync(join(cwd, 'titan_storage.json'), 'utf8'))).toEqual({ greeting: 'hi' });
    expect(readFileSync(join(cwd, 'titan_storage.json'), 'utf8')).toContain('\n  "greeting"'); // pretty-printed
    expect(JSON.parse(readFileSync(join(cwd, 'titan_sessions.json'), 'utf8'))).toEqual({ 'u1:cart': '3' }); // D4's composite key
    expect(inBeforeProcess(cwd, `return [get('greeting'), sget('u1', 'cart'), sget('u1:cart', '')];`)).toEqual(['hi', '3', '']);
    writeFileSync(join(cwd, 'titan_storage.json'), '{\n  "greeting": "h');
    expect(inBeforeProcess(cwd, `return get('greeting');`)).toBe('');
  });
});

describe.skipIf(skip || skipServer)(`the before in titan-server${skipServer && !skip ? ' (skipped: app not built or `unshare --net` not permitted)' : ''}`, () => {
  it('keeps its files in the store dir (the server\'s working directory) and reloads them after a SIGKILL', { timeout: 60_000 }, async () => {
    const impl = await driverImplementation(`sh ${join(ROOT, 'adapters/titanpl-server/driver.sh')} before`, { requestTimeoutMs: 20_000 });
    try {
      expect(impl.capabilities.persistence).toBe('durable');
      const dir = freshDir();
      const s = await impl.open({ dir });
      await s.ls.set('k', 'kept');
      await s.session.set('id', 'key', 'v');
      expect(JSON.parse(readFileSync(join(dir, 'titan_storage.json'), 'utf8'))).toEqual({ k: 'kept' });
      await s.kill();
      const again = await impl.open({ dir });
      expect([await again.ls.get('k'), await again.session.get('id', 'key')]).toEqual(['kept', 'v']);
      const other = freshDir();
      await again.close();
      const fresh = await impl.open({ dir: other });
      expect(await fresh.ls.keys()).toEqual([]);
      await fresh.close();
    } finally {
      await impl.dispose();
    }
  });
});
