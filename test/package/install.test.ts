// The package as an implementer gets it: pack this repository, install the tarball into an empty project
// (from the local npm cache), and run the README's commands there.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';
import { registryEnv } from '../helpers/run-env.js';

const MINUTES = 60_000;
let project = '';
let tarball = '';
let packedFiles: string[] = [];

function run(cmd: string, args: string[], timeout = 4 * MINUTES, extraEnv: NodeJS.ProcessEnv = {}) {
  // The installed package, not the build the other tests' CLI runs from (test/helpers/global-setup.ts).
  const { TITAN_STORAGE_BUILD: _, ...env } = process.env;
  const r = spawnSync(cmd, args, { cwd: project, encoding: 'utf8', timeout, env: { ...env, NO_COLOR: '1', CI: '', ...extraEnv } });
  return { status: r.status, out: `${r.stdout}\n${r.stderr}` };
}

function install(pkgs: string[]): void {
  const r = run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', ...pkgs], 6 * MINUTES, registryEnv());
  if (r.status !== 0) throw new Error(`npm install ${pkgs.join(' ')} failed:\n${r.out}`);
}

/** A plain JavaScript store: template-literal conversion, as most hand-written stores do. */
const JS_STORE = `const str = (x) => { if (typeof x === 'symbol') throw new TypeError('a Symbol'); return \`\${x}\`; };
export default { name: 'js-store', capabilities: { persistence: 'volatile', sharing: 'isolate' }, open() {
  const ls = new Map(); const ss = new Map();
  return {
    ls: { get: (k) => ls.get(str(k)) ?? null, set: (k, v) => { const a = str(k), b = str(v); ls.set(a, b); },
      remove: (k) => void ls.delete(str(k)), clear: () => ls.clear(), keys: () => [...ls.keys()] },
    session: { get: (i, k) => { const a = str(i), b = str(k); return ss.get(a)?.get(b) ?? null; },
      set: (i, k, v) => { const a = str(i), b = str(k), c = str(v); if (!ss.has(a)) ss.set(a, new Map()); ss.get(a).set(b, c); },
      delete: (i, k) => { const a = str(i), b = str(k); ss.get(a)?.delete(b); }, clear: (i) => void ss.delete(str(i)) },
  };
} };
`;

/** The README's complete example module, taken from the README itself. */
function readmeStore(): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const block = /```ts\n(\/\/ my-store\.ts\n[\s\S]*?)```/.exec(readme);
  if (!block) throw new Error('README.md has no ```ts block starting with "// my-store.ts"');
  return block[1]!;
}

beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), 'titan-storage-package-'));
  // prepack builds; build first so pack's stdout is only its JSON.
  execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'ignore', timeout: 3 * MINUTES });
  const pack = JSON.parse(execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', project], { cwd: ROOT, encoding: 'utf8', timeout: 3 * MINUTES })) as { filename: string; files: { path: string }[] }[];
  tarball = join(project, pack[0]!.filename);
  packedFiles = pack[0]!.files.map((f) => f.path);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'my-store', private: true, type: 'module' }));
  install([tarball]);
}, 10 * MINUTES);

afterAll(() => {
  if (project) rmSync(project, { recursive: true, force: true });
});

describe('the packed tarball', () => {
  it('holds only what users run and read (under 80 files; compiled JavaScript and declarations, no sources or tests)', () => {
    expect(packedFiles.length).toBeLessThan(80);
    expect(packedFiles).toContain('dist/cli.js');
    expect(packedFiles).toContain('dist/index.d.ts');
    expect(packedFiles).toContain('dist/contract.d.ts');
    expect(packedFiles.filter((f) => /^(test|reports|bench|reference|\.ci)\//.test(f) || (f.endsWith('.ts') && !f.endsWith('.d.ts') && !f.startsWith('examples/')))).toEqual([]);
  });

  it('installs without the store backends\' native modules or the coverage provider', () => {
    const installed = readdirSync(join(project, 'node_modules'));
    for (const pkg of ['better-sqlite3', 'ioredis', 'koffi']) expect(installed).not.toContain(pkg);
    expect(existsSync(join(project, 'node_modules', '@vitest', 'coverage-v8'))).toBe(false);
  });

  it('checks a plain JavaScript module with no TypeScript loader installed', () => {
    expect(readdirSync(join(project, 'node_modules'))).not.toContain('tsx');
    writeFileSync(join(project, 'js-store.mjs'), JS_STORE);
    const r = run('npx', ['titan-storage', 'check', 'js-store.mjs', '--runs', '5', '--only', 'LS-,SES-']);
    expect(r.status, r.out).toBe(0);
    expect(r.out).toMatch(/PASS js-store/);
  }, 5 * MINUTES);

  it('a TypeScript module with no tsx installed gets one line naming the package (exit 2), not a stack trace', () => {
    writeFileSync(join(project, 'ts-store.ts'), JS_STORE);
    const r = run('npx', ['titan-storage', 'check', 'ts-store.ts', '--only', 'LS-GET']);
    expect(r.status, r.out).toBe(2);
    expect(r.out).toMatch(/^titan-storage: checking a TypeScript module needs tsx: .*npm install --save-dev tsx\)$/m);
    expect(r.out).not.toMatch(/^\s+at /m);
  }, 2 * MINUTES);

  it('npx titan-storage check passes the README example (exit 0) and fails a broken copy naming the requirement (exit 1)', () => {
    install(['tsx@^4', 'vitest@^4.1']);
    writeFileSync(join(project, 'my-store.ts'), readmeStore());
    const broken = readmeStore().replace('?? null', "?? ''");
    expect(broken).not.toBe(readmeStore());
    writeFileSync(join(project, 'broken-store.ts'), broken);
    const good = run('npx', ['titan-storage', 'check', 'my-store.ts', '--runs', '10', '--reporter', 'json', '--output', 'report.json']);
    expect(good.status, good.out).toBe(0);
    // The README's example passes the whole suite: nothing failed, nothing left unrun (the repository's own copy,
    // examples/readme-store.ts, is judged here only, not checked again by references.test.ts).
    const report = JSON.parse(readFileSync(join(project, 'report.json'), 'utf8')) as { exitCode: number; requirements: { id: string; status: string }[] };
    expect(report.exitCode).toBe(0);
    expect(report.requirements.filter((q) => q.status === 'failed' || q.status === 'not-run').map((q) => q.id), good.out).toEqual([]);
    const bad = run('npx', ['titan-storage', 'check', 'broken-store.ts', '--runs', '10', '--only', 'LS-']);
    expect(bad.status, bad.out).toBe(1);
    expect(bad.out).toMatch(/FAILED LS-GET-MISSING/);
  }, 8 * MINUTES);

  it('registerSuite runs the suite inside the implementer\'s own vitest project', () => {
    writeFileSync(join(project, 'my-store.ts'), readmeStore());
    writeFileSync(join(project, 'store.test.ts'), [
      "import { registerSuite } from 'titan-storage-spec/conformance';",
      "import impl from './my-store.ts';",
      "registerSuite(impl, { modulePath: new URL('./my-store.ts', import.meta.url).pathname, runs: 5, only: ['LS-', 'SES-'] });",
      '',
    ].join('\n'));
    const r = run('npx', ['vitest', 'run', '--reporter', 'verbose', '--root', project, 'store.test.ts']);
    expect(r.status, r.out).toBe(0);
    expect(r.out).toMatch(/LS-GET-MISSING/);
  }, 5 * MINUTES);
});
