// Bug: values are stored as UTF-8 bytes (as a native store would), so lone surrogates come back as U+FFFD.
// Caught by: STR-ROUNDTRIP.
import { transformingMutant } from './support/transforming-store.js';

/** Values are kept as UTF-8 bytes to halve memory for ASCII. BUG: a lone surrogate has no UTF-8 form and becomes U+FFFD. */
const encodeValue = (v: string): string => Buffer.from(v, 'utf8').toString('utf8');

export default transformingMutant('mutant/utf8-lossy', { value: encodeValue });
