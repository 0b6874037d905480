/**
 * The fixed after's library judged on its own: libtitan_core_after.so loaded with koffi, under
 * the extension's own index.js (adapters/titanpl-native/extension/index.js, evaluated with a `t`
 * whose t["@titanpl/core"] are the C functions). What differs from titan-server 7.0.1 is the
 * marshalling only: a NULL result stays null here (the bridge makes it ""), a NUL argument
 * reaches the library as the end of a C string (the bridge aborts), and arguments are converted
 * with a template literal, as the bridge's ToString does.
 *   npx titan-storage check adapters/titanpl-native/koffi.ts
 * The before is not checked this way: it reads its files from the process's working directory
 * once per process, so only the server driver (a server per store dir) can give it fresh dirs.
 */
import { readFileSync } from 'node:fs';
import type { Implementation, Storage } from '../../spec/contract.js';
import { claimFreshDir, emptyStore, noteSessionId } from '../titanpl-core/harness-reset.js';
import { loadStorageLibrary, type TitanCoreLib } from '../titanpl-core/native.js';
import { LIBRARIES } from '../titanpl-server/libraries.js';

const LIBRARY = LIBRARIES.after;
const arg = (x: unknown): string => `${x as string}`;

/** What index.js sees as t["@titanpl/core"]: the C functions, arguments converted, results as returned. */
function natives(lib: TitanCoreLib) {
  return {
    ls_get: (key: unknown) => lib.ls_get(arg(key)),
    ls_set: (key: unknown, value: unknown) => lib.ls_set(arg(key), arg(value)),
    ls_remove: (key: unknown) => lib.ls_remove(arg(key)),
    ls_clear: () => lib.ls_clear(),
    ls_keys: () => lib.ls_keys(),
    session_get: (id: unknown, key: unknown) => lib.session_get(arg(id), arg(key)),
    session_set: (id: unknown, json: unknown) => {
      noteSessionId(arg(id));
      lib.session_set(arg(id), arg(json));
    },
    session_delete: (id: unknown, key: unknown) => lib.session_delete(arg(id), arg(key)),
    session_clear: (id: unknown) => lib.session_clear(arg(id)),
  };
}

/** t.ls and t.session as the extension's index.js defines them. */
function extensionStorage(lib: TitanCoreLib): Storage {
  const t: Record<string, unknown> = { '@titanpl/core': natives(lib) };
  new Function('t', readFileSync(LIBRARY.indexJs, 'utf8'))(t);
  return { ls: t.ls as Storage['ls'], session: t.session as Storage['session'] };
}

const afterKoffi: Implementation = {
  name: 'the fixed after (adapters/titanpl-native) through koffi',
  capabilities: { persistence: 'volatile', sharing: 'process' },
  open({ dir }) {
    const lib = loadStorageLibrary(LIBRARY.so, LIBRARY.returnedStrings);
    if (claimFreshDir(dir)) emptyStore(lib);
    return { ...extensionStorage(lib), close: () => {} };
  },
};

export default afterKoffi;
