// Bug: surrounding white space is trimmed from keys (" a" and "a" are one key).
// Caught by: STR-DISTINCT.
import { transformingMutant } from './support/transforming-store.js';

/** BUG: "cleans up" keys; distinct strings must stay distinct keys. */
export default transformingMutant('mutant/trims-keys', { key: (k) => k.trim() });
