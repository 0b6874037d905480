/**
 * The real TitanPL store: @titanpl/core@3.0.7's native libtitan_core.so (an in-memory
 * RwLock<HashMap>), called the way its own index.js calls it. Nothing here fixes the library:
 * `ls` and `session` below are index.js's wrappers, unchanged, over a `natives` object that
 * plays the part of the TitanPL runtime's argument and result marshalling.
 */
import type { Implementation, Storage } from '../../spec/contract.js';
import { claimFreshDir, emptyStore, noteSessionId } from './harness-reset.js';
import { loadTitanCore, type TitanCoreLib } from './native.js';

/** The runtime converts each JS argument with ToString (a Symbol throws a TypeError). */
const arg = (x: unknown): string => `${x as string}`;
/** The runtime gives "" for a NULL `char*` returned as a string (titanpl extensions/external.rs). */
const str = (s: string | null): string => s ?? '';

/** What index.js sees as `t["@titanpl/core"]`: the C functions behind the runtime's marshalling. */
function runtimeNatives(lib: TitanCoreLib) {
  return {
    ls_get: (key: unknown) => str(lib.ls_get(arg(key))),
    ls_set: (key: unknown, value: unknown) => lib.ls_set(arg(key), arg(value)),
    ls_remove: (key: unknown) => lib.ls_remove(arg(key)),
    ls_clear: () => lib.ls_clear(),
    ls_keys: () => str(lib.ls_keys()),
    session_get: (id: unknown, key: unknown) => str(lib.session_get(arg(id), arg(key))),
    // index.js 3.0.7 passes (id, key, value) but the C export takes (id, json) and reads
    // {"key", "value"} from the JSON (its own source comment says so): pack them here.
    session_set: (id: unknown, key: unknown, value: unknown) => {
      const sid = arg(id);
      noteSessionId(sid);
      lib.session_set(sid, JSON.stringify({ key: arg(key), value: arg(value) }));
    },
    session_delete: (id: unknown, key: unknown) => lib.session_delete(arg(id), arg(key)),
    session_clear: (id: unknown) => lib.session_clear(arg(id)),
  };
}

/** index.js 3.0.7's `ls` and `session` objects, verbatim apart from types. */
function indexJsWrappers(natives: ReturnType<typeof runtimeNatives>): Storage {
  const ls = {
    get: (key: unknown) => {
      return natives.ls_get(key);
    },
    set: (key: unknown, value: unknown) => {
      natives.ls_set(key, String(value));
    },
    remove: (key: unknown) => {
      natives.ls_remove(key);
    },
    clear: () => {
      natives.ls_clear();
    },
    keys: () => {
      const result: unknown = natives.ls_keys();
      try {
        return typeof result === 'string' ? (JSON.parse(result) as string[]) : (result as string[]);
      } catch (e) {
        return [];
      }
    },
  };
  const session = {
    get: (sessionId: unknown, key: unknown) => {
      return natives.session_get(sessionId, key);
    },
    set: (sessionId: unknown, key: unknown, value: unknown) => {
      natives.session_set(sessionId, key, String(value));
    },
    delete: (sessionId: unknown, key: unknown) => {
      natives.session_delete(sessionId, key);
    },
    clear: (sessionId: unknown) => {
      natives.session_clear(sessionId);
    },
  };
  return { ls, session };
}

const titanplCore: Implementation = {
  name: '@titanpl/core@3.0.7 (native)',
  // index.js: "High-performance in-memory Local Storage (backed by native RwLock<HashMap>)";
  // the library writes no file, and its statics are shared by every thread that loads it.
  capabilities: { persistence: 'volatile', sharing: 'process' },
  open({ dir }) {
    const { lib } = loadTitanCore();
    // Harness reset (see harness-reset.ts): a fresh dir must start empty in a shared store.
    if (claimFreshDir(dir)) emptyStore(lib);
    const storage = indexJsWrappers(runtimeNatives(lib));
    // close() does nothing: this store only restarts when the process does.
    return { ...storage, close: () => {} };
  },
};

export default titanplCore;
