// Bug: values longer than 1 MiB (2^20 code units) are silently truncated to that length.
// Caught by: STR-LARGE-VALUE.
import { transformingMutant } from './support/transforming-store.js';

/** A per-value cap meant to protect memory. BUG: it truncates silently instead of storing the whole value. */
const MAX_VALUE_LENGTH = 1 << 20;
const encodeValue = (v: string): string => (v.length > MAX_VALUE_LENGTH ? v.slice(0, MAX_VALUE_LENGTH) : v);

export default transformingMutant('mutant/size-limit', { value: encodeValue });
