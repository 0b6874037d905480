// Bug: keys are Unicode-normalized to NFC, so "e\u0301" and "\u00e9" are one key.
// Caught by: STR-DISTINCT.
import { transformingMutant } from './support/transforming-store.js';

/** BUG: "cleans up" keys; distinct strings must stay distinct keys. */
export default transformingMutant('mutant/normalizes-keys', { key: (k) => k.normalize('NFC') });
