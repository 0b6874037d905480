// Bug: the hybrid store declares a 100 ms loss window but group-commits its log as if it were 1 000 ms: every
// crash may lose up to a second of acknowledged writes. Caught by: LOSS-BOUNDED.
import type { Implementation } from '../../spec/contract.js';
import { hybridImplementation } from '../../reference/hybrid.js';

const mutant: Implementation = hybridImplementation({ windowMs: 1000, declaredWindowMs: 100, name: 'mutant/bounded/window-10x' });
export default mutant;
