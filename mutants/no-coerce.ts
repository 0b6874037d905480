// Bug: set validates the value with String() but stores the original, so set("n", 1) then get("n") returns the
// number 1, not "1". Caught by: VAL-COERCE (or API-RESULT-TYPE when the harness checks the type first).
import { toStorageString } from '../reference/memory.js';
import { rawConversionMutant } from './support/raw-conversion.js';

export default rawConversionMutant('mutant/no-coerce', toStorageString, (ls, key, value) => {
  const k = toStorageString(key, 'key');
  toStorageString(value, 'value'); // validated...
  ls.set(k, value); // BUG: ...but the unconverted value is stored
});
