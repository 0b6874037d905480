// Bug: arguments are converted with a bare String(x), which accepts a Symbol as "Symbol(x)" instead of
// rejecting it with a TypeError. Caught by: VAL-REJECT.
import { rawConversionMutant } from './support/raw-conversion.js';

const toText = (x: unknown): string => String(x); // BUG: must reject Symbols with a TypeError

export default rawConversionMutant('mutant/symbol-accepted', toText, (ls, key, value) => void ls.set(toText(key), toText(value)));
