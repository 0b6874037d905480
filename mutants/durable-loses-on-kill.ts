// Bug: declares itself durable but only writes its files in close(), so a graceful restart (close, open) keeps
// everything while a killed server loses every acknowledged write since it started. Caught by:
// RESTART-KILL-DURABLE, CRASH-CONSISTENT (not by PERSIST-DURABLE, which restarts with close()).
import type { Implementation, Storage } from '../spec/contract.js';
import { openFileStorage, writeFileDurably } from '../reference/file.js';

function open({ dir }: { dir: string }): Storage {
  const unsaved = new Map<string, string>();
  const storage = openFileStorage(dir, (_dir, name, text) => void unsaved.set(name, text)); // BUG: buffered until close
  return {
    ...storage,
    close: () => {
      for (const [name, text] of unsaved) writeFileDurably(dir, name, text);
      unsaved.clear();
    },
  };
}

const mutant: Implementation = { name: 'mutant/durable-loses-on-kill', capabilities: { persistence: 'durable', sharing: 'isolate' }, open };
export default mutant;
