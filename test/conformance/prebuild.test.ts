// The implementation module compiled once for every process of a run (conformance/prebuild.ts), and what keeps tsx.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { prebuild } from '../../conformance/prebuild.js';
import { compiledHostCommand } from '../../conformance/host/compiled.js';
import { driverImplementation } from '../../conformance/driver/client.js';
import { implementationProblem } from '../../spec/contract.js';
import { ROOT } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'titan-prebuild-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const source = (name: string, text: string) => {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
};

describe('prebuild', () => {
  it('compiles a TypeScript store with its own imports into one module that loads without tsx, packages resolved where the source is', async () => {
    const out = mkdtempSync(join(dir, 'sqlite-'));
    const p = await prebuild(join(ROOT, 'reference/sqlite.ts'), out);
    expect(p.fallback).toBeUndefined();
    expect(p.module).toBe(join(out, 'implementation.mjs'));
    expect(p.host).toBe(join(out, 'host.mjs'));
    const impl = ((await import(p.module)) as { default: unknown }).default;
    expect(implementationProblem(impl)).toBeNull();
    expect((impl as { name: string }).name).toBe('reference/sqlite');
  });

  it('leaves JavaScript alone and keeps tsx for what a compiled copy would break (files found relative to the source, syntax errors)', async () => {
    expect(await prebuild(join(ROOT, 'test/fixtures/cli/not-an-implementation.ts').replace(/\.ts$/, '.mjs'), dir)).toEqual({ module: join(ROOT, 'test/fixtures/cli/not-an-implementation.mjs') });
    const located = await prebuild(source('located.ts', "export const here: string = new URL('./data.json', import.meta.url).pathname;\nexport default {};\n"), mkdtempSync(join(dir, 'a-')));
    expect(located.module).toMatch(/located\.ts$/);
    expect(located.fallback).toMatch(/locates files relative to itself/);
    const broken = await prebuild(source('broken.ts', 'export default {\n'), mkdtempSync(join(dir, 'b-')));
    expect(broken.module).toMatch(/broken\.ts$/);
    expect(broken.fallback).toBeTruthy();
  });

  it('a hosted module is served from its compiled form, without tsx, compiled once per process', async () => {
    const command = await compiledHostCommand(join(ROOT, 'examples/readme-store.ts'));
    expect(command).not.toMatch(/tsx/);
    expect(command).toMatch(/implementation\.mjs$/);
    expect(await compiledHostCommand(join(ROOT, 'examples/readme-store.ts'))).toBe(command);
    const impl = await driverImplementation(command, { requestTimeoutMs: 10_000 });
    try {
      const s = await impl.open({ dir });
      await s.ls.set('k', 'v');
      expect(await s.ls.get('k')).toBe('v');
      await s.close?.();
    } finally {
      await impl.dispose();
    }
  });
});
