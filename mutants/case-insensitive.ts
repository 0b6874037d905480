// Bug: keys are lower-cased, so "Key" and "key" are one key.
// Caught by: STR-DISTINCT.
import { transformingMutant } from './support/transforming-store.js';

/** BUG: "cleans up" keys; distinct strings must stay distinct keys. */
export default transformingMutant('mutant/case-insensitive', { key: (k) => k.toLowerCase() });
