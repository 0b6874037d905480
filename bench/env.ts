/** The conditions of a run, recorded next to its numbers. */
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { calibrateTimerOverhead, performanceNowTimestampProvider } from 'tinybench';
import { REPO_ROOT } from './stores.js';
import type { Environment } from './types.js';

function run(cmd: string, args: string[], cwd = REPO_ROOT): string | null {
  try {
    return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 5000 }).trim();
  } catch {
    return null;
  }
}

/** "ext4 (stat -f: ext2/ext3)": the filesystem type of `dir` per df -T, with stat -f's answer. */
export function filesystemOf(dir: string): string {
  const df = run('df', ['-T', dir])?.split('\n')[1]?.split(/\s+/)[1];
  const stat = run('stat', ['-f', '-c', '%T', dir]);
  return [df, stat && stat !== df ? `(stat -f: ${stat})` : null].filter(Boolean).join(' ') || 'unknown';
}

export function collectEnvironment(benchDir: string, exposeGc: boolean, loadAverageStart: number[]): Environment {
  const commit = run('git', ['rev-parse', 'HEAD']);
  const status = run('git', ['status', '--porcelain', '--untracked-files=no']);
  return {
    date: new Date().toISOString(),
    gitCommit: commit,
    gitDirty: status === null ? null : status.length > 0,
    cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
    cores: os.availableParallelism(),
    memoryBytes: os.totalmem(),
    platform: `${os.platform()} ${os.arch()}`,
    kernel: os.release(),
    node: process.versions.node,
    v8: process.versions.v8,
    benchDir,
    filesystem: filesystemOf(benchDir),
    mountOptions: run('findmnt', ['-n', '-o', 'OPTIONS', '--target', benchDir]),
    loadAverageStart,
    loadAverageEnd: os.loadavg(),
    exposeGc,
    timerOverheadNs: calibrateTimerOverhead(performanceNowTimestampProvider) * 1e6,
  };
}
