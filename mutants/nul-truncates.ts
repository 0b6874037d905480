// Bug: values are handled as C strings, so a value is cut at its first "\0".
// Caught by: STR-ROUNDTRIP.
import { transformingMutant } from './support/transforming-store.js';

/** Mimics passing the value through a NUL-terminated C string. BUG: JavaScript strings may contain "\0". */
const encodeValue = (v: string): string => {
  const nul = v.indexOf('\0');
  return nul === -1 ? v : v.slice(0, nul);
};

export default transformingMutant('mutant/nul-truncates', { value: encodeValue });
