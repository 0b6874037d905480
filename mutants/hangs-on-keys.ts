// Bug: ls.keys() pages through the keys 3 at a time and waits for a "page" event that was emitted before the
// listener was attached, so with more than 3 keys its promise never settles. Caught by: API-TIMELY.
import { EventEmitter, once } from 'node:events';
import { memoryMutant } from './support/memory-mutant.js';

const PAGE_SIZE = 3;

/** A cursor-style scan, as over a paginated backend. */
async function scanKeys(all: readonly string[]): Promise<string[]> {
  const cursor = new EventEmitter();
  const fetchPage = (from: number) => cursor.emit('page', all.slice(from, from + PAGE_SIZE));
  const out = all.slice(0, PAGE_SIZE);
  while (out.length < all.length) {
    fetchPage(out.length); // BUG: emits synchronously, before `once` below listens, so the page is lost
    const [page] = (await once(cursor, 'page')) as [string[]];
    out.push(...page);
  }
  return out;
}

export default memoryMutant('mutant/hangs-on-keys', ({ ls }) => ({
  ls: { keys: () => scanKeys([...ls.keys()]) },
}));
