// Bug: a durable file store batches its file writes (write-behind, flushed 1 s later) and close() cancels the
// pending flush instead of running it, so writes acknowledged just before a restart are lost. Caught by: PERSIST-DURABLE.
import type { Implementation, Storage } from '../spec/contract.js';
import { openFileStorage, writeFileDurably } from '../reference/file.js';

const FLUSH_DELAY_MS = 1000;

function open(dir: string): Storage {
  const pending = new Map<string, string>(); // file name -> latest text
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    timer = undefined;
    for (const [name, text] of pending) writeFileDurably(dir, name, text);
    pending.clear();
  };
  const store = openFileStorage(dir, (_dir, name, text) => {
    pending.set(name, text);
    timer ??= setTimeout(flush, FLUSH_DELAY_MS).unref();
  });
  return {
    ...store,
    close: () => {
      clearTimeout(timer); // BUG: must flush() pending writes before close resolves
      timer = undefined;
      pending.clear();
    },
  };
}

const mutant: Implementation = {
  name: 'mutant/write-behind-no-flush',
  capabilities: { persistence: 'durable', sharing: 'isolate' },
  open: ({ dir }) => open(dir),
};
export default mutant;
