// Bug: the session object has no `clear` method (it was never implemented), so t.session.clear(id) is a TypeError.
// Caught by: API-SHAPE.
import type { Implementation, SessionStorage, Storage } from '../spec/contract.js';
import { createMemoryStorage } from '../reference/memory.js';

function open(): Storage {
  const { ls, session } = createMemoryStorage();
  // BUG: `clear` is missing from the hand-written object.
  const incomplete = { get: session.get, set: session.set, delete: session.delete };
  return { ls, session: incomplete as unknown as SessionStorage };
}

const mutant: Implementation = { name: 'mutant/missing-method', capabilities: { persistence: 'volatile', sharing: 'isolate' }, open };
export default mutant;
