// A check may decide at run time that it cannot say anything (skipped, with the reason), or pass with a note.
import { describe, expect, it } from 'vitest';
import memory from '../../reference/memory.js';
import { CheckSkipped, type Check } from '../../conformance/check.js';
import { DEFAULT_OPTIONS, runCheck } from '../../conformance/runner.js';

const check = (run: Check['run']): Check => ({ id: 'API-SHAPE/runtime', requirement: 'API-SHAPE', title: 'a check for the runner', run });

describe('runtime skips and notes', () => {
  it('CheckSkipped thrown by a check is a skip with its reason, never a pass or a failure', async () => {
    const r = await runCheck(memory, check(async () => {
      throw new CheckSkipped('not observable: nothing under the directory');
    }), DEFAULT_OPTIONS);
    expect(r.status).toBe('skipped');
    expect(r.reason).toBe('not observable: nothing under the directory');
  });

  it('a string a passing check returns is its note; nothing returned means no note', async () => {
    const noted = await runCheck(memory, check(async () => '23 distinct crash states tried'), DEFAULT_OPTIONS);
    expect(noted).toMatchObject({ status: 'passed', note: '23 distinct crash states tried' });
    const plain = await runCheck(memory, check(async () => {}), DEFAULT_OPTIONS);
    expect(plain.status).toBe('passed');
    expect('note' in plain).toBe(false);
  });
});
