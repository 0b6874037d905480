// One defect, few requirements: a single-defect mutant, checked by the whole default suite, fails at most three
// requirements, all of them listed in its manifest entry.
import { describe, expect, it } from 'vitest';
import { MUTANTS, precise } from '../../mutants/index.js';
import { checkMutant } from '../helpers/mutants.js';

const CASCADES = ['mutant/durable-empty-key-unreadable', 'mutant/refuses-empty-key', 'mutant/lone-surrogate-key-throws', 'mutant/lru-evicts', 'mutant/web-storage-names', 'mutant/namespace-prefix', 'mutant/ns-key-joins', 'mutant/coerce-empty-eisdir', 'mutant/object-get-inherits', 'mutant/bounded/log-no-fsync', 'mutant/bounded/hole', 'mutant/bounded/window-10x'];

describe.concurrent('a single defect does not cascade', () => {
  for (const name of CASCADES) {
    const m = MUTANTS.find((x) => x.name === name)!;
    it(`${name} fails only its manifest's requirements, at most three`, async () => {
      const r = await checkMutant(m, [], 20261201);
      const failed = r.failed;
      expect(r.rejected).toBe(true);
      expect(failed.filter((id) => !precise(m).includes(id)), `failed ${failed.join(', ')}`).toEqual([]);
      expect(failed.length).toBeGreaterThan(0);
      expect(failed.length).toBeLessThanOrEqual(3);
    }, 300_000);
  }
});
