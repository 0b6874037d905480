// The conformance suite against the reference stores and example drivers, through the CLI gate (test/helpers/conforms.ts).
// The README's example module passes it as installed from the packed tarball (test/package/install.test.ts).
import { describe, expect, it } from 'vitest';
import { CONFORMS_TIMEOUT as TIMEOUT, expectConforms, powerLossCheck, recorderRuns, SEED, SKIP_MANY_WRITES } from '../helpers/conforms.js';

describe.concurrent(`reference stores pass the whole suite (seed ${SEED})`, () => {
  it('reference/memory.ts through a real process (--isolation process)', () => expectConforms(['reference/memory.ts', '--isolation', 'process', '--runs', '6']), TIMEOUT);
  it('the Python driver in durable mode, power loss included', async () => {
    const report = await expectConforms(['--driver', 'python3 examples/python-driver/driver.py --durable', '--runs', '5', '--crash-kills', '6', '--timeout', '15000', ...SKIP_MANY_WRITES]);
    if (recorderRuns) expect(powerLossCheck(report)).toMatchObject({ status: 'passed', note: expect.stringMatching(/distinct crash states tried \(budget 8\)/) });
  }, TIMEOUT);
});
