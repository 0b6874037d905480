/**
 * Recording a driver under strace: the driver command runs as `strace -f … -- sh -c '<command>'`,
 * the runner drives it through the protocol (open, the operations, close, EOF), and the trace file
 * holds the store's file-system calls and the driver's response lines in one timeline.
 */
import { execFile, spawnSync } from 'node:child_process';
import { readFile, realpath, mkdtemp, stat } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import { opArgs, type Op } from '../../spec/model.js';
import { callOp } from '../harness.js';
import { driverImplementation } from '../driver/client.js';
import { shellQuote } from '../host/command.js';

/** `?` : not an error on an architecture that lacks the call (aarch64 has no open, rename, fork…). */
const TRACED = [
  'open', 'openat', 'creat', 'read', 'readv', 'write', 'writev', 'pwrite64', 'pwritev', 'pwritev2', 'lseek',
  'ftruncate', 'truncate', 'rename', 'renameat', 'renameat2', 'unlink', 'unlinkat', 'rmdir', 'mkdir', 'mkdirat',
  'link', 'linkat', 'fsync', 'fdatasync', 'sync', 'syncfs', 'close', 'dup', 'dup2', 'dup3', 'fcntl', 'clone',
  'clone3', 'fork', 'vfork', 'mmap', 'connect', 'copy_file_range', 'sendfile', 'splice', 'fallocate',
].map((s) => `?${s}`).join(',');

/** Longest string strace prints whole; a longer write fails the recording rather than being replayed wrong. */
const STRING_LIMIT = 1 << 24;

/** The recorder binary unless RunOptions.strace names another. */
export const DEFAULT_STRACE = 'strace';

/** Probe result per recorder binary. */
const problems = new Map<string, string | null>();

const PROBE = ['-f', '-qq', '-o', '/dev/null', '--', 'true'];

function probeProblem(error: NodeJS.ErrnoException | null | undefined, status: number | null, stderr: string): string | null {
  if (error?.code === 'ENOENT') return 'strace is not installed (Debian/Ubuntu: apt-get install strace); power loss cannot be simulated without a system-call recorder';
  if (status === 0) return null;
  const why = stderr.trim().split('\n').slice(-1)[0] ?? error?.message ?? '';
  return /not permitted|EPERM|EACCES/i.test(why)
    ? `ptrace is not permitted here (a container without CAP_SYS_PTRACE, or a seccomp profile that blocks it): ${why}`
    : `strace failed (exit ${status}): ${why}`;
}

/** Why the recorder cannot run here (strace missing, ptrace not permitted), or null. Probed once per binary. */
export function recorderProblem(strace = DEFAULT_STRACE): string | null {
  if (!problems.has(strace)) {
    const r = spawnSync(strace, PROBE, { encoding: 'utf8', timeout: 10_000 });
    problems.set(strace, probeProblem(r.error, r.status, r.stderr ?? ''));
  }
  return problems.get(strace)!;
}

/** The same probe without blocking the event loop (the CLI's watchdog expects heartbeats). */
export async function recorderProblemAsync(strace = DEFAULT_STRACE): Promise<string | null> {
  if (!problems.has(strace)) {
    const problem = await new Promise<string | null>((resolve) => {
      execFile(strace, PROBE, { encoding: 'utf8', timeout: 10_000 }, (error, _stdout, stderr) => {
        const status = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        resolve(probeProblem(error as NodeJS.ErrnoException | null, status, stderr));
      });
    });
    problems.set(strace, problem);
  }
  return problems.get(strace)!;
}

/** The driver command wrapped in the recorder, writing its trace to `traceFile`. */
export function tracedCommand(command: string, traceFile: string, recorder = DEFAULT_STRACE): string {
  const strace = [recorder, '-f', '-qq', '-ttt', '-y', '-s', String(STRING_LIMIT), '--seccomp-bpf', '-e', `trace=${TRACED}`, '-o', traceFile, '--', 'sh', '-c', command];
  return strace.map(shellQuote).join(' ');
}

export interface Recording {
  /** The real path of the directory the store ran in. */
  readonly storeDir: string;
  readonly trace: string;
  /** The driver's request id of each operation, in order (open is id 1). */
  readonly ids: readonly number[];
}

/** How long the trace must stay unchanged before the store counts as done writing, and the longest wait for that. */
export const QUIET_MS = 700;
const SETTLE_MAX_MS = 5_000;

/**
 * Wait until the recorded process has issued no traced call for QUIET_MS (strace writes each line as the call
 * happens): a store that acknowledges first and writes later (a timer, a queue, the thread pool) gets to write
 * before the next request, so its writes are in the trace however it issues them. Returns how long it waited.
 */
async function settle(traceFile: string): Promise<number> {
  const size = () => stat(traceFile).then((s) => s.size, () => -1);
  const start = Date.now();
  let last = await size();
  let since = start;
  while (Date.now() - since < QUIET_MS && Date.now() - start < SETTLE_MAX_MS) {
    await sleep(100);
    const now = await size();
    if (now !== last) [last, since] = [now, Date.now()];
  }
  return Date.now() - start;
}

/**
 * Run `ops` on a fresh store under the recorder; every operation is acknowledged before the next is sent. After the
 * last one, and again after close, the store is left alone until it is quiet (`settle`), so writes it makes after
 * acknowledging are recorded instead of dying with the process.
 */
export async function record(command: string, ops: readonly Op[], scratch: string, timeoutMs: number, strace = DEFAULT_STRACE): Promise<Recording> {
  const storeDir = await realpath(await mkdtemp(join(scratch, 'recorded-')));
  const traceFile = join(scratch, `trace-${Date.now()}-${Math.random().toString(36).slice(2)}.txt`);
  // Under ptrace everything is slower: give start-up and each request generous time.
  const impl = await driverImplementation(tracedCommand(command, traceFile, strace), { requestTimeoutMs: Math.max(timeoutMs, 30_000), helloTimeoutMs: 60_000 });
  try {
    const store = await impl.open({ dir: storeDir });
    for (const o of ops) await callOp(store, o.op, opArgs(o));
    await settle(traceFile);
    await store.close();
    await settle(traceFile);
  } finally {
    await impl.dispose();
  }
  const ids = ops.map((_, i) => i + 2);
  return { storeDir, trace: await readFile(traceFile, 'utf8'), ids };
}
