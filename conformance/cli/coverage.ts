/**
 * --coverage: run the suite once more inside vitest with @vitest/coverage-v8, measuring only the
 * implementation's own files, and print which lines and branches the suite never exercised.
 */
import { dirname, join, relative } from 'node:path';
import { entryPath, optionalImport, PACKAGE_ROOT as ROOT } from '../entries.js';
import type { RunOptions } from '../check.js';
import { optionsToEnv } from '../options.js';

const ENTRY = entryPath('suite-entry');

export async function coverage(modulePath: string, o: Partial<RunOptions> & { only: string[] }): Promise<void> {
  const moduleDir = dirname(modulePath);
  const reportsDirectory = join(process.cwd(), 'coverage', 'titan-storage');
  process.stdout.write(`\ncoverage of ${relative(process.cwd(), moduleDir) || '.'}/ by the suite (report in ${relative(process.cwd(), reportsDirectory)}):\n`);
  const { only, ...options } = o;
  Object.assign(process.env, { TITAN_STORAGE_MODULE: modulePath, TITAN_STORAGE_ONLY: only.join(','), ...optionsToEnv(options) });
  const { startVitest } = await optionalImport<typeof import('vitest/node')>('vitest/node', '--coverage');
  await optionalImport('@vitest/coverage-v8', '--coverage');
  const vitest = await startVitest(
    'test',
    [],
    {
      root: ROOT,
      config: false,
      watch: false,
      include: [relative(ROOT, ENTRY)],
      reporters: ['dot'],
      coverage: {
        enabled: true,
        provider: 'v8',
        allowExternal: true,
        include: [`${moduleDir}/**/*.{ts,js,mjs,cjs}`],
        exclude: ['**/node_modules/**'],
        reporter: ['text', 'json-summary'],
        reportsDirectory,
      },
    },
    {},
  );
  await vitest.close();
}
