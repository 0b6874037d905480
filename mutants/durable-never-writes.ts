// Bug: declares persistence "durable" but is the in-memory store (the file layer was never wired in), so every
// restart comes back empty. Caught by: PERSIST-DURABLE.
import type { Implementation } from '../spec/contract.js';
import { createMemoryStorage } from '../reference/memory.js';

const mutant: Implementation = {
  name: 'mutant/durable-never-writes',
  capabilities: { persistence: 'durable', sharing: 'isolate' }, // BUG: nothing is ever written to `dir`
  open: () => ({ ...createMemoryStorage(), close: () => {} }),
};
export default mutant;
