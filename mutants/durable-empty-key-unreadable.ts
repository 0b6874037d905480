// Bug: the crash-safe file store, but its loader rejects a file that holds the key "" (it treats an empty key as
// corruption), so once "" is written the store cannot be reopened at all. One string defect of a durable store:
// it must fail the requirement about that string and durability, not every check that happens to restart.
// Caught by: PERSIST-DURABLE (its hostile strings include "").
import type { Implementation } from '../spec/contract.js';
import file from '../reference/file.js';

const mutant: Implementation = {
  name: 'mutant/durable-empty-key-unreadable',
  capabilities: file.capabilities,
  async open(options) {
    const s = await file.open(options);
    const keys = await s.ls.keys();
    // BUG: an empty key read back from disk is taken for a corrupt file
    if (keys.includes('')) throw new Error(`corrupt store in ${options.dir}: an entry has an empty key`);
    return s;
  },
};
export default mutant;
