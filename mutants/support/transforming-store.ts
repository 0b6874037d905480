/**
 * Shared by the mutants whose one bug is a lossy transform of local-storage keys or values (trimming,
 * lower-casing, normalizing, C strings, UTF-8, a size cap): the memory store with every local-storage
 * key and value passed through the transform. Not a mutant itself.
 */
import type { Implementation } from '../../spec/contract.js';
import { memoryMutant } from './memory-mutant.js';

export interface Transforms {
  key?: (key: string) => string;
  value?: (value: string) => string;
}

const same = (s: string) => s;

export function transformingMutant(name: string, t: Transforms): Implementation {
  const keyOf = t.key ?? same;
  const valueOf = t.value ?? same;
  return memoryMutant(name, ({ ls }) => ({
    ls: {
      get: (key) => ls.get(keyOf(key)) ?? null,
      set: (key, value) => {
        const k = keyOf(key);
        ls.set(k, valueOf(value));
      },
      remove: (key) => void ls.delete(keyOf(key)),
    },
  }));
}
