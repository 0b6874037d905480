/**
 * The library entry: register the whole suite in your own vitest run (abstract-level style).
 *
 *   import { registerSuite } from 'titan-storage-spec/conformance';
 *   import impl from '../src/my-store.js';
 *   registerSuite(impl, { modulePath: new URL('../src/my-store.ts', import.meta.url).pathname });
 *
 * One `describe` per requirement, one `it` per check; checks for undeclared capabilities are
 * reported as skipped with the reason. A failure message starts with the requirement ID and ends
 * with the replay command.
 */
import { describe, it } from 'vitest';
import type { Implementation } from '../spec/contract.js';
import { REQUIREMENTS } from '../spec/requirements.js';
import type { RunOptions } from './check.js';
import { failedCheckLines } from './report/failure.js';
import { optionsFromEnv } from './options.js';
import { DEFAULT_OPTIONS, runCheck, skipReason } from './runner.js';
import { SUITE, selectChecks } from './suite.js';

export type { Implementation, Storage, Capabilities } from '../spec/contract.js';
export type { Check, CheckContext, RunOptions } from './check.js';
export { SUITE, selectChecks } from './suite.js';
export { runCheck } from './runner.js';

export interface RegisterOptions extends Partial<RunOptions> {
  /** The implementation's file: lets checks load it in other isolates/processes, and names it in replay commands. */
  modulePath?: string;
  /** Only these checks or requirements (IDs or prefixes). */
  only?: string[];
}

export function registerSuite(impl: Implementation, opts: RegisterOptions = {}): void {
  const env = optionsFromEnv();
  const { modulePath: _module, only: _only, ...given } = opts;
  const options: RunOptions = {
    ...env,
    ...given,
    runs: opts.runs ?? env.runs ?? DEFAULT_OPTIONS.runs,
    seed: opts.seed ?? env.seed ?? (Math.random() * 2 ** 31) | 0,
    timeoutMs: opts.timeoutMs ?? env.timeoutMs ?? DEFAULT_OPTIONS.timeoutMs,
  };
  const checks = selectChecks(SUITE, opts.only);
  describe(`titan-storage conformance: ${impl.name} (seed ${options.seed})`, () => {
    for (const req of REQUIREMENTS) {
      const mine = checks.filter((c) => c.requirement === req.id);
      if (mine.length === 0) continue;
      describe(`${req.id}: ${req.title}`, () => {
        for (const check of mine) {
          it(check.id, async (t) => {
            const reason = skipReason(check, impl, opts.modulePath, options.exclude);
            if (reason) t.skip(reason);
            const r = await runCheck(impl, check, options, opts.modulePath);
            if (r.status === 'skipped') t.skip(r.reason);
            if (r.status === 'failed') {
              throw new Error([`FAILED ${r.requirement}: ${req.title}`, ...failedCheckLines(r, { module: opts.modulePath })].join('\n'));
            }
          }, options.timeoutMs * 40);
        }
      });
    }
  });
}
