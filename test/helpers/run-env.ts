/**
 * What the test run's processes start with (set once by test/helpers/global-setup.ts). Two things of a machine's
 * environment cost CPU at every process start and buy the tests nothing; a run starts about 700 Node processes and
 * dozens of Python drivers, all speaking only to loopback.
 * - NODE_EXTRA_CA_CERTS: Node parses every certificate it names at start, TLS or not (59 ms per start for 144
 *   certificates here). The run's processes start without it; `npm install`, which fetches from the registry, gets it
 *   back (registryEnv).
 * - A Python version manager's shim (pyenv's `python3` is a bash script running a dozen more): 0.27 s of CPU per start
 *   here, 0.03 s for the interpreter itself. The run's `python3` is the interpreter the shim picks, found once.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';

const SAVED_EXTRA_CA_CERTS = 'TITAN_TESTS_NODE_EXTRA_CA_CERTS';

/** The environment a child that reaches the npm registry adds to the run's. */
export function registryEnv(): NodeJS.ProcessEnv {
  const certs = process.env[SAVED_EXTRA_CA_CERTS];
  return certs === undefined ? {} : { NODE_EXTRA_CA_CERTS: certs };
}

/** Sets this process's environment, inherited by every test worker and child; returns the variables to restore. */
export function startWithoutWaste(scratch: string): NodeJS.ProcessEnv {
  const saved = { NODE_EXTRA_CA_CERTS: process.env.NODE_EXTRA_CA_CERTS, [SAVED_EXTRA_CA_CERTS]: process.env[SAVED_EXTRA_CA_CERTS], PATH: process.env.PATH };
  if (saved.NODE_EXTRA_CA_CERTS !== undefined) process.env[SAVED_EXTRA_CA_CERTS] = saved.NODE_EXTRA_CA_CERTS;
  delete process.env.NODE_EXTRA_CA_CERTS;
  const python = spawnSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8', timeout: 20_000 });
  const exe = python.status === 0 ? python.stdout.trim() : '';
  if (exe) {
    // A wrapper, not a link: a virtual environment's interpreter finds its packages from the path it was started by.
    const bin = join(scratch, 'bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'python3'), `#!/bin/sh\nexec '${exe.replace(/'/g, `'\\''`)}' "$@"\n`, { mode: 0o755 });
    process.env.PATH = `${bin}${delimiter}${process.env.PATH ?? ''}`;
  }
  return saved;
}
