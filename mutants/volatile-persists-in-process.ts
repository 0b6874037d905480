// Bug: declares persistence "volatile" but caches each store in a module-level Map keyed by dir (to make re-opens
// cheap), so close + open of the same dir in one process sees the old data. Caught by: PERSIST-VOLATILE.
import type { Implementation, Storage } from '../spec/contract.js';
import { createMemoryStorage } from '../reference/memory.js';

/** BUG: outlives close(); a restart of a volatile store must come back empty. */
const openStores = new Map<string, Storage>();

const mutant: Implementation = {
  name: 'mutant/volatile-persists-in-process',
  capabilities: { persistence: 'volatile', sharing: 'isolate' },
  open: ({ dir }) => {
    let store = openStores.get(dir);
    if (store === undefined) openStores.set(dir, (store = { ...createMemoryStorage(), close: () => {} }));
    return store;
  },
};
export default mutant;
