/**
 * Most mutants are the memory store with one method replaced by its bug: `memoryMutant` builds the
 * memory store's string core on maps it hands to the bug, swaps in the methods the bug returns and
 * puts the shared conversion wrapper in front, so a mutant file holds its bug and nothing else.
 * Not a mutant itself.
 */
import type { Capabilities, Implementation } from '../../spec/contract.js';
import { withConversion, type StringStorage } from '../../spec/conversion.js';
import { createMemoryCore, type MemoryMaps } from '../../reference/memory.js';

export type { MemoryMaps } from '../../reference/memory.js';

/** Methods that replace the memory core's. Bugs may return what the contract forbids, hence `unknown`. */
export interface Bug {
  ls?: { [M in keyof StringStorage['ls']]?: (...args: Parameters<StringStorage['ls'][M]>) => unknown };
  session?: { [M in keyof StringStorage['session']]?: (...args: Parameters<StringStorage['session'][M]>) => unknown };
}

const VOLATILE: Capabilities = { persistence: 'volatile', sharing: 'isolate' };

export function memoryMutant(name: string, bug: (maps: MemoryMaps) => Bug, capabilities: Capabilities = VOLATILE): Implementation {
  return {
    name,
    capabilities,
    open: () => {
      const maps: MemoryMaps = { ls: new Map(), sessions: new Map() };
      const core = createMemoryCore(maps);
      const b = bug(maps);
      return withConversion({ ls: { ...core.ls, ...b.ls }, session: { ...core.session, ...b.session } } as StringStorage);
    },
  };
}
