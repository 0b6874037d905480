/**
 * Load the real TitanPL native store (libtitan_core.so from @titanpl/core) with koffi and
 * expose its C functions with JavaScript strings in and out.
 *
 * Strings cross the C boundary as the TitanPL runtime passes them: UTF-8, NUL-terminated.
 * - A lone surrogate cannot be encoded in UTF-8 and becomes U+FFFD (V8's and Rust's lossy
 *   conversions do the same).
 * - A NUL inside a string ends the C string: the library sees only the part before it.
 * Every returned `char*` of libtitan_core.so was allocated with the system malloc and is never
 * freed by the library, so it is decoded and then released with libc `free`; a library that owns
 * its results (`library-owned`, adapters/titanpl-server/libraries.ts) is only read.
 * A NULL `char*` is `null` here.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMainThread } from 'node:worker_threads';
import koffi from 'koffi';
import { writeWeakenedCopy } from './elf-weaken.js';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const CACHE_DIR = join(REPO_ROOT, '.cache/titanpl-core');
export const DEFAULT_SO_PATH = join(CACHE_DIR, 'package/native/target/release/libtitan_core.so');
/** The only version requirement this machine's glibc (2.36) may lack; see elf-weaken.ts. */
const MISSING_VERSION = 'GLIBC_2.39';

export interface TitanCoreLib {
  ls_get(key: string): string | null;
  ls_set(key: string, value: string): void;
  ls_remove(key: string): void;
  ls_clear(): void;
  /** A JSON array of strings, as the library returns it. */
  ls_keys(): string | null;
  session_get(id: string, key: string): string | null;
  /** `json` is `{"key": …, "value": …}`: the library parses it with serde_json. */
  session_set(id: string, json: string): void;
  session_delete(id: string, key: string): void;
  session_clear(id: string): void;
}

export interface LoadedTitanCore {
  lib: TitanCoreLib;
  /** True when the published file could not be loaded as is and a VER_FLG_WEAK copy was loaded. */
  patched: boolean;
  /** The file actually loaded. */
  path: string;
}

/** UTF-8 bytes plus a terminating NUL: what a `const char*` parameter receives. */
export function toCString(s: string): Buffer {
  const n = Buffer.byteLength(s, 'utf8');
  const buf = Buffer.allocUnsafe(n + 1);
  buf.write(s, 0, n, 'utf8');
  buf[n] = 0;
  return buf;
}

const libc = koffi.load('libc.so.6');
const strlen = libc.func('size_t strlen(const void *s)');
const free = libc.func('void free(void *ptr)');

/** Who releases a returned `char*`: the caller with libc `free`, or nobody (the library's own buffer). */
export type ReturnedStrings = 'caller-frees' | 'library-owned';

/** Decode a returned C string, freeing it when the caller owns it. */
function takeCString(ptr: unknown, owner: ReturnedStrings): string | null {
  if (ptr === null || ptr === undefined || ptr === 0n) return null;
  try {
    const n = Number(strlen(ptr));
    return n === 0 ? '' : Buffer.from(koffi.view(ptr as bigint, n)).toString('utf8');
  } finally {
    if (owner === 'caller-frees') free(ptr);
  }
}

function bind(handle: ReturnType<typeof koffi.load>, owner: ReturnedStrings = 'caller-frees'): TitanCoreLib {
  const f = (proto: string) => handle.func(proto);
  const lsGet = f('void *ls_get(const void *key)');
  const lsSet = f('void ls_set(const void *key, const void *value)');
  const lsRemove = f('void ls_remove(const void *key)');
  const lsClear = f('void ls_clear()');
  const lsKeys = f('void *ls_keys()');
  const sessionGet = f('void *session_get(const void *id, const void *key)');
  const sessionSet = f('void session_set(const void *id, const void *json)');
  const sessionDelete = f('void session_delete(const void *id, const void *key)');
  const sessionClear = f('void session_clear(const void *id)');
  const c = toCString;
  const take = (ptr: unknown) => takeCString(ptr, owner);
  return {
    ls_get: (key) => take(lsGet(c(key))),
    ls_set: (key, value) => void lsSet(c(key), c(value)),
    ls_remove: (key) => void lsRemove(c(key)),
    ls_clear: () => void lsClear(),
    ls_keys: () => take(lsKeys()),
    session_get: (id, key) => take(sessionGet(c(id), c(key))),
    session_set: (id, json) => void sessionSet(c(id), c(json)),
    session_delete: (id, key) => void sessionDelete(c(id), c(key)),
    session_clear: (id) => void sessionClear(c(id)),
  };
}

function glibcVersion(): string {
  const header = (process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined)?.header;
  return header?.glibcVersionRuntime ?? 'unknown';
}

/** A deterministic path for the weakened copy, so every thread loads the very same file. */
function patchedPath(source: string): string {
  const digest = createHash('sha256').update(readFileSync(source)).digest('hex').slice(0, 16);
  return join(CACHE_DIR, 'patched', `libtitan_core.${digest}.weak-glibc.so`);
}

let loaded: LoadedTitanCore | undefined;

/**
 * Load libtitan_core.so (env TITANPL_CORE_SO, else the cache filled by scripts/fetch-titanpl-core.sh).
 * Falls back to a VER_FLG_WEAK copy only when dlopen fails for the missing GLIBC_2.39 version.
 */
export function loadTitanCore(): LoadedTitanCore {
  if (loaded) return loaded;
  const source = process.env.TITANPL_CORE_SO || DEFAULT_SO_PATH;
  if (!existsSync(source)) {
    throw new Error(`libtitan_core.so not found at ${source}: run npm run fetch:titanpl (scripts/fetch-titanpl-core.sh) or set TITANPL_CORE_SO`);
  }
  try {
    loaded = { lib: bind(koffi.load(source)), patched: false, path: source };
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    if (!message.includes(`version \`${MISSING_VERSION}' not found`)) throw e;
    const target = patchedPath(source);
    if (!existsSync(target)) {
      mkdirSync(dirname(target), { recursive: true });
      writeWeakenedCopy(source, target, MISSING_VERSION);
    }
    loaded = { lib: bind(koffi.load(target)), patched: true, path: target };
    if (isMainThread) {
      console.error(
        `notice: @titanpl/core's libtitan_core.so requires ${MISSING_VERSION} but this glibc is ${glibcVersion()}; ` +
          `loaded a copy with that requirement marked weak (VER_FLG_WEAK, code unchanged): ${target}`,
      );
    }
  }
  return loaded;
}

const others = new Map<string, TitanCoreLib>();

/** Another library with libtitan_core.so's nine storage exports (adapters/titanpl-native), its result ownership declared. */
export function loadStorageLibrary(path: string, owner: ReturnedStrings): TitanCoreLib {
  let lib = others.get(path);
  if (!lib) {
    if (!existsSync(path)) throw new Error(`${path} not found: run bash scripts/build-titanpl-native.sh`);
    others.set(path, (lib = bind(koffi.load(path), owner)));
  }
  return lib;
}
