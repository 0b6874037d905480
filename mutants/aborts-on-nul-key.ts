// Bug: ls.set hands the key to a C API as a NUL-terminated string and asserts that its length came through whole:
// a key holding "\0" aborts the whole process (SIGABRT), as a native store's CHECK does. Caught by: API-NO-THROW,
// reported once as the process's death with its stack, whichever check sent the key.
import { writeSync } from 'node:fs';
import { memoryMutant } from './support/memory-mutant.js';

function nativeSet(key: string): void {
  const cLength = key.indexOf('\0') === -1 ? key.length : key.indexOf('\0');
  if (cLength !== key.length) {
    // BUG: an assertion where the API should take a length, or reject the key with an error
    writeSync(2, `FATAL: assertion failed in store_set: strlen(key) == key_len (${cLength} != ${key.length})\n${new Error('store_set').stack}\n`);
    process.abort();
  }
}

export default memoryMutant('mutant/aborts-on-nul-key', ({ ls }) => ({
  ls: {
    set: (key, value) => {
      nativeSet(key);
      ls.set(key, value);
    },
  },
}));
