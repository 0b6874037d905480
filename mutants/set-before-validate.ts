// Bug: set deletes the old entry (to move the key to the end of the insertion order) before converting the value,
// so a set rejected with a TypeError has already lost the previous value. Caught by: VAL-REJECT-ATOMIC.
import { toStorageString } from '../reference/memory.js';
import { rawConversionMutant } from './support/raw-conversion.js';

export default rawConversionMutant('mutant/set-before-validate', toStorageString, (ls, key, value) => {
  const k = toStorageString(key, 'key');
  ls.delete(k); // BUG: a mutation before the last conversion that can throw
  ls.set(k, toStorageString(value, 'value'));
});
