/**
 * The implementation module compiled once per run instead of once per process: a TypeScript module
 * becomes one JavaScript file (esbuild, which comes with tsx) that the worker, every restarted host
 * process and every isolate import without a TypeScript loader. In a checkout the host entry is
 * compiled the same way. Whatever cannot be compiled safely keeps the per-process loader.
 */
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, resolve } from 'node:path';
import { BUNDLED, entryPath, needsTypeScriptLoader } from './entries.js';

export interface Prebuilt {
  /** The module to import: the compiled file, or the original when it is not compiled. */
  module: string;
  /** The host entry to run instead of entryPath('host'), when it was compiled too. */
  host?: string;
  /** Why the module is loaded through tsx in every process, when it is. */
  fallback?: string;
}

/** Sources that find files relative to themselves, which a file compiled elsewhere would not find. */
const LOCATION_DEPENDENT = /\bimport\.meta\.(url|dirname|filename|resolve)\b|\b__dirname\b|\b__filename\b|\brequire\.resolve\b/;

const BUILTINS = new Set(builtinModules);
const isBuiltin = (spec: string) => spec.startsWith('node:') || BUILTINS.has(spec.split('/')[0]!);

type Esbuild = typeof import('esbuild');

async function loadEsbuild(): Promise<Esbuild | null> {
  try {
    return (await import('esbuild')) as Esbuild;
  } catch {
    return null;
  }
}

/**
 * One ES module of `entry` and its own files; packages stay imports, resolved from where the source
 * imports them (the compiled file lives in a temp dir, where a bare name would not resolve).
 */
async function compile(esbuild: Esbuild, entry: string, outfile: string): Promise<{ ok: true } | { ok: false; why: string }> {
  const result = await esbuild.build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    write: true,
    metafile: true,
    logLevel: 'silent',
    plugins: [
      {
        name: 'packages-at-their-source',
        setup(build) {
          build.onResolve({ filter: /^[^./]/ }, async (args) => {
            if (args.pluginData === 'inner' || isBuiltin(args.path)) return undefined;
            const found = await build.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: 'inner' });
            if (found.errors.length) return { errors: found.errors };
            return { path: found.path, external: true };
          });
        },
      },
    ],
  }).catch((e: unknown) => e as Error);
  if (result instanceof Error) return { ok: false, why: result.message.split('\n')[0]! };
  if (result.warnings.length) return { ok: false, why: result.warnings[0]!.text };
  for (const input of Object.keys(result.metafile!.inputs)) {
    if (LOCATION_DEPENDENT.test(readFileSync(resolve(input), 'utf8'))) return { ok: false, why: `${input} locates files relative to itself` };
  }
  return { ok: true };
}

/** Compile `modulePath` (when TypeScript) and, in a checkout, the host entry, into `dir`. Never throws: the fallback is the per-process loader. */
export async function prebuild(modulePath: string, dir: string): Promise<Prebuilt> {
  const module = await prebuildModule(modulePath, dir);
  if (module.module === modulePath) return module;
  const host = await prebuildHost(dir);
  return host ? { ...module, host } : module;
}

/** `modulePath` (when TypeScript) compiled into `dir`, or why it is not. Never throws. */
export async function prebuildModule(modulePath: string, dir: string): Promise<Prebuilt> {
  if (!needsTypeScriptLoader(modulePath)) return { module: modulePath };
  const esbuild = await loadEsbuild();
  if (!esbuild) return { module: modulePath, fallback: 'esbuild is not installed' };
  // esbuild's service process is unreferenced between builds: it ends with this process, and concurrent prebuilds share it.
  const out = join(dir, 'implementation.mjs');
  const built = await compile(esbuild, modulePath, out).catch((e: unknown) => ({ ok: false as const, why: String(e) }));
  return built.ok ? { module: out } : { module: modulePath, fallback: built.why };
}

/** In a checkout, the host entry compiled into `dir` (the same for every module); undefined in the build or when it does not compile. */
export async function prebuildHost(dir: string): Promise<string | undefined> {
  const esbuild = BUNDLED ? null : await loadEsbuild();
  if (!esbuild) return undefined;
  const host = join(dir, 'host.mjs');
  const built = await compile(esbuild, entryPath('host'), host).catch(() => ({ ok: false as const }));
  return built.ok ? host : undefined;
}
