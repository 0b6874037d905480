// Bug: declares itself volatile ("data lost on restart") but keeps its state in a file in `dir` and loads it on
// open, so a restarted server still serves the previous deployment's data. Caught by: PERSIST-VOLATILE,
// RESTART-KILL-VOLATILE.
import type { Implementation } from '../spec/contract.js';
import { openFileStorage } from '../reference/file.js';

const mutant: Implementation = {
  name: 'mutant/volatile-persists',
  capabilities: { persistence: 'volatile', sharing: 'isolate' },
  open: ({ dir }) => openFileStorage(dir), // BUG: a volatile store must not read anything back
};
export default mutant;
