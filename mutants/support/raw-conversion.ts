/**
 * Shared by the conversion mutants, which stay raw on purpose (their bug is in the conversion, so they cannot sit
 * behind spec/conversion.ts's wrapper): local storage on a Map with the mutant's own conversion of each argument
 * and its own set; sessions from the memory store. Not a mutant itself.
 */
import type { Implementation, Storage } from '../../spec/contract.js';
import { createMemoryStorage } from '../../reference/memory.js';

export type Convert = (x: unknown, what: 'key' | 'value') => string;

export function rawConversionMutant(name: string, convert: Convert, set: (ls: Map<string, unknown>, key: unknown, value: unknown) => void): Implementation {
  const open = (): Storage => {
    const { session } = createMemoryStorage();
    const ls = new Map<string, unknown>();
    return {
      session,
      ls: {
        get: (key) => (ls.get(convert(key, 'key')) ?? null) as string | null,
        set: (key, value) => set(ls, key, value),
        remove: (key) => void ls.delete(convert(key, 'key')),
        clear: () => ls.clear(),
        keys: () => Array.from(ls.keys()),
      },
    };
  };
  return { name, capabilities: { persistence: 'volatile', sharing: 'isolate' }, open };
}
