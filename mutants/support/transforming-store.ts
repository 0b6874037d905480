/**
 * Shared by the mutants whose one bug is a lossy transform of local-storage keys or values (trimming,
 * lower-casing, normalizing, C strings, UTF-8, a size cap): a correct Map-backed local storage that
 * passes every key and value through the transform, and the memory store's sessions. Not a mutant itself.
 */
import type { Implementation } from '../../spec/contract.js';
import { createMemoryStorage, toStorageString } from '../../reference/memory.js';

export interface Transforms {
  key?: (key: string) => string;
  value?: (value: string) => string;
}

export function transformingMutant(name: string, t: Transforms): Implementation {
  const keyOf = (k: unknown) => (t.key ?? String)(toStorageString(k, 'key'));
  const valueOf = (v: unknown) => (t.value ?? String)(toStorageString(v, 'value'));
  return {
    name,
    capabilities: { persistence: 'volatile', sharing: 'isolate' },
    open: () => {
      const { session } = createMemoryStorage();
      const ls = new Map<string, string>();
      return {
        session,
        ls: {
          get: (key) => ls.get(keyOf(key)) ?? null,
          set: (key, value) => {
            const k = keyOf(key);
            ls.set(k, valueOf(value));
          },
          remove: (key) => void ls.delete(keyOf(key)),
          clear: () => ls.clear(),
          keys: () => Array.from(ls.keys()),
        },
      };
    },
  };
}
