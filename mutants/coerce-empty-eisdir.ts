// Bug: a file-per-key store (one file per local-storage key, named by the key's UTF-16 in hex) names the key "" specially,
// since its hex is empty, but tests for it before converting the argument: `[]` or `{ toString: () => "" }` pass the
// test, convert to "" and name the directory itself, and writing it throws EISDIR. The string "" works.
// Caught by: VAL-COERCE.
import { mkdirSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Implementation, Storage } from '../spec/contract.js';
import { createMemoryStorage, toStorageString } from '../reference/memory.js';

const EMPTY_KEY_FILE = 'empty';
const hex = (s: string) => Buffer.from(s, 'utf16le').toString('hex');
const unhex = (name: string) => Buffer.from(name, 'hex').toString('utf16le');

function open(dir: string): Storage {
  const folder = join(dir, 'ls');
  // Volatile: whatever an earlier process left is wiped.
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder, { recursive: true });
  // BUG: the special case looks at the raw argument; it must look at toStorageString(key).
  const fileOf = (key: unknown) => join(folder, key === '' ? EMPTY_KEY_FILE : hex(toStorageString(key, 'key')));
  const read = (path: string) => {
    try {
      return readFileSync(path).toString('utf16le');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
  };
  return {
    session: createMemoryStorage().session,
    ls: {
      get: (key) => read(fileOf(key)),
      set: (key, value) => {
        const path = fileOf(key);
        writeFileSync(path, Buffer.from(toStorageString(value, 'value'), 'utf16le'));
      },
      remove: (key) => rmSync(fileOf(key), { force: true }),
      clear: () => readdirSync(folder).forEach((f) => unlinkSync(join(folder, f))),
      keys: () => readdirSync(folder).map((f) => (f === EMPTY_KEY_FILE ? '' : unhex(f))),
    },
  };
}

const mutant: Implementation = {
  name: 'mutant/coerce-empty-eisdir',
  capabilities: { persistence: 'volatile', sharing: 'isolate' },
  open: ({ dir }) => open(dir),
};
export default mutant;
