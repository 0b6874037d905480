/**
 * The storage libraries titan-server can run with: the one table the server driver, the app build,
 * the koffi adapter and the benchmark read. Each is installed as the extension @titanpl/core
 * (index.js + titan.json + the .so) into an app dist of its own, so servers of different libraries
 * can run side by side. Choose one with TITANPL_LIBRARY=<name> (default titanpl-core-3.0.7).
 */
import { join } from 'node:path';
import { PATHS } from './paths.js';

export type LibraryName = 'titanpl-core-3.0.7' | 'before' | 'after';
export const LIBRARY_NAMES: readonly LibraryName[] = ['titanpl-core-3.0.7', 'before', 'after'];
export const DEFAULT_LIBRARY: LibraryName = 'titanpl-core-3.0.7';

export interface ServerLibrary {
  name: LibraryName;
  /** What it is, short: the driver's hello says `titan-server 7.0.1 + <label>`. */
  label: string;
  /** One line for reports. */
  description: string;
  /** The shared library as built or fetched (nine storage exports, @titanpl/core 3.0.7's C ABI). */
  so: string;
  /** The extension's JavaScript wrapper and titan.json, copied beside the .so. */
  indexJs: string;
  titanJson: string;
  /** The app the server runs with this library (`titan-server run <dist>`). */
  dist: string;
  /** The extension folder the engine loads (titan.json's native path is relative to it). */
  extensionDir: string;
  /** Who releases a returned `char*`: the caller with libc free, or nobody (a per-thread buffer of the library). */
  returnedStrings: 'caller-frees' | 'library-owned';
  /** What the store promises across a server restart (the driver's declared capability). */
  persistence: 'volatile' | 'durable';
  /** Whether the published file needs the weak GLIBC_2.39 fix (adapters/titanpl-core/elf-weaken.ts) to load here. */
  weakenGlibc: boolean;
  /** How to get the .so. */
  obtain: string;
  /** The conformance expectations file and report of this library in the server. */
  expectations: string;
  report: string;
}

const ROOT = join(PATHS.cache, '../..');
const NATIVE = join(ROOT, 'adapters/titanpl-native');
const BUILT = join(ROOT, '.cache/titanpl-native/target/release');

function appFor(name: LibraryName): { dist: string; extensionDir: string } {
  const dist = name === DEFAULT_LIBRARY ? PATHS.dist : join(PATHS.cache, `dist-${name}`);
  return { dist, extensionDir: join(dist, 'node_modules/@titanpl/core') };
}

export const LIBRARIES: Record<LibraryName, ServerLibrary> = {
  'titanpl-core-3.0.7': {
    name: 'titanpl-core-3.0.7',
    label: '@titanpl/core 3.0.7',
    description: '@titanpl/core 3.0.7 as published: in-memory RwLock<HashMap>, its own index.js',
    so: PATHS.coreSo,
    indexJs: join(PATHS.coreDir, 'index.js'),
    titanJson: join(ROOT, 'adapters/titanpl-server/extension/titan.json'),
    ...appFor('titanpl-core-3.0.7'),
    returnedStrings: 'caller-frees',
    persistence: 'volatile',
    weakenGlibc: true,
    obtain: 'bash scripts/fetch-titanpl-core.sh',
    expectations: 'conformance/expectations/titanpl-server-7.0.1.json',
    report: 'reports/titanpl-server-7.0.1.md',
  },
  before: {
    name: 'before',
    label: "the note's before (adapters/titanpl-native, file-backed Mutex<HashMap>)",
    description: "the change note's before: Mutex<HashMap>, every write rewrites titan_storage.json / titan_sessions.json in the working directory",
    so: join(BUILT, 'libtitan_core_before.so'),
    indexJs: join(NATIVE, 'extension/index.js'),
    titanJson: join(ROOT, 'adapters/titanpl-server/extension/titan.json'),
    ...appFor('before'),
    returnedStrings: 'caller-frees',
    persistence: 'durable',
    weakenGlibc: false,
    obtain: 'bash scripts/build-titanpl-native.sh',
    expectations: 'conformance/expectations/titanpl-before.json',
    report: 'reports/titanpl-before.md',
  },
  after: {
    name: 'after',
    label: "the fixed after (adapters/titanpl-native, in-memory RwLock<HashMap>)",
    description: "the change note's after, fixed: in-memory RwLock<HashMap>, sessions by (id, key), NULL for missing, no leak",
    so: join(BUILT, 'libtitan_core_after.so'),
    indexJs: join(NATIVE, 'extension/index.js'),
    titanJson: join(ROOT, 'adapters/titanpl-server/extension/titan.json'),
    ...appFor('after'),
    returnedStrings: 'library-owned',
    persistence: 'volatile',
    weakenGlibc: false,
    obtain: 'bash scripts/build-titanpl-native.sh',
    expectations: 'conformance/expectations/titanpl-after.json',
    report: 'reports/titanpl-after.md',
  },
};

export function isLibraryName(x: unknown): x is LibraryName {
  return typeof x === 'string' && (LIBRARY_NAMES as readonly string[]).includes(x);
}

/** The library named by TITANPL_LIBRARY (or `name`); an unknown name is an error listing the known ones. */
export function serverLibrary(name: string | undefined = process.env.TITANPL_LIBRARY): ServerLibrary {
  const n = name === undefined || name === '' ? DEFAULT_LIBRARY : name;
  if (!isLibraryName(n)) throw new Error(`unknown TITANPL_LIBRARY ${JSON.stringify(n)}: one of ${LIBRARY_NAMES.join(', ')}`);
  return LIBRARIES[n];
}
