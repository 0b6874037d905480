// Bug: one module-level store is handed to every open(), whatever the dir, so a fresh dir sees data written
// through an earlier store. Caught by: OPEN-FRESH-EMPTY (also PERSIST-VOLATILE).
import type { Implementation } from '../spec/contract.js';
import { createMemoryStorage } from '../reference/memory.js';

const store = createMemoryStorage(); // BUG: should be created per open()

const mutant: Implementation = {
  name: 'mutant/singleton-store',
  capabilities: { persistence: 'volatile', sharing: 'isolate' },
  open: () => store,
};
export default mutant;
