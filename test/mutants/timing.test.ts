// The suite's own benchmark (scripts/mutation-timing.ts): what it times and how it draws the kill curve.
import { describe, expect, it } from 'vitest';
import { killCurveSvg, timedCheck, timingSection } from '../../scripts/mutation-timing.js';
import { ROOT } from '../helpers/cli.js';

const printing = (lines: string[]) => ['-e', `for (const l of ${JSON.stringify(lines)}) console.log(l);`];

describe('mutation timing', () => {
  it('notes when the first failing check line is printed, and nothing when no check failed', async () => {
    const failing = await timedCheck(printing([' ✓ A/one  1 ms', ' ✗ B/two  2 ms', 'FAIL x']), ROOT);
    expect(failing.status).toBe(0);
    expect(failing.firstFailure).not.toBeNull();
    expect(failing.firstFailure!).toBeLessThanOrEqual(failing.total);
    const passing = await timedCheck(printing([' ✓ A/one  1 ms', 'PASS x', 'a line that mentions ✗ elsewhere']), ROOT);
    expect(passing.firstFailure).toBeNull();
  });

  it('draws the kill curve as steps up to the share caught, one series for first failures and one for verdicts', () => {
    const svg = killCurveSvg(
      [
        { firstFailure: 1, total: 3 },
        { firstFailure: 2, total: 4 },
        { firstFailure: null, total: 5 },
        { firstFailure: 0.5, total: 6 },
      ],
      [true, true, false, false],
    );
    expect(svg).toMatch(/^<svg|^<\?xml/);
    expect(svg).toContain('Kill curve: share of the 4 mutants caught');
    expect(svg).toContain('first failing check printed');
    expect(svg).toContain('verdict (the check finished)');
    // Two caught of four: each curve climbs to 50 %, not beyond; the uncaught ones draw no step.
    expect((svg.match(/<path /g) ?? []).length).toBe(2);
  });

  it('states the passing check time with its runs and the load, and quantiles of the first failures', () => {
    const md = timingSection([{ firstFailure: 1, total: 2 }, { firstFailure: 3, total: 4 }], { module: 'examples/readme-store.ts', seconds: [2.5, 2.4, 2.6], median: 2.5 }, 'charts/kill-curve.svg', 2, '0.50 0.40 0.30');
    expect(md).toContain('**2.5 s** wall, median of\n3 (2.5 s, 2.4 s, 2.6 s)');
    expect(md).toContain('Load average when the runs began: 0.50 0.40 0.30');
    expect(md).toContain('Half the mutants show a failing check within **1.0 s**');
    expect(md).toContain('![kill curve](charts/kill-curve.svg)');
  });
});
