// The suite tests itself: it must reject every mutant and name the requirement it breaks (through the CLI where the bug
// is a synchronous hang or a race, test/helpers/mutants.ts). The mutants needing processes, isolates or the recorder are
// judged in kill-processes.test.ts, the cascade mutants in cascades.test.ts (from the whole-suite run judged there), so
// the three files run side by side and no mutant's checks run twice.
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MUTANTS } from '../../mutants/index.js';
import { ROOT } from '../helpers/cli.js';
import { CASCADE_MUTANTS, killTests, PROCESS_MUTANTS } from '../helpers/mutants.js';

describe('the mutant manifest', () => {
  it('lists every mutant file', () => {
    const files = [
      ...readdirSync(`${ROOT}/mutants`).filter((f) => f.endsWith('.ts') && f !== 'index.ts').map((f) => `mutants/${f}`),
      ...readdirSync(`${ROOT}/mutants/race`).filter((f) => f.endsWith('.ts')).map((f) => `mutants/race/${f}`),
      ...readdirSync(`${ROOT}/mutants/powerloss`).filter((f) => f.endsWith('.ts')).map((f) => `mutants/powerloss/${f}`),
      ...readdirSync(`${ROOT}/mutants/bounded`).filter((f) => f.endsWith('.ts')).map((f) => `mutants/bounded/${f}`),
      ...readdirSync(`${ROOT}/mutants/two-defects`).filter((f) => f.endsWith('.ts')).map((f) => `mutants/two-defects/${f}`),
    ];
    expect(MUTANTS.map((m) => m.file).sort()).toEqual(files.sort());
    expect(MUTANTS.length).toBeGreaterThanOrEqual(15);
  });
});

killTests(MUTANTS.filter((m) => !CASCADE_MUTANTS.includes(m) && !PROCESS_MUTANTS.includes(m)));
