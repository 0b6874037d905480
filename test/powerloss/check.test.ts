// End to end through the CLI: a correct store passes CRASH-POWERLOSS, a missing sync is named, a store that
// writes nothing under its directory is "not observable", and a missing recorder is a visible skip. SQLite, the Python
// driver (both pass) and Redis (not observable: its data lives in the server) are judged in their whole-suite runs
// (test/conformance/references*.test.ts).
import { describe, expect, it } from 'vitest';
import { recorderProblem } from '../../conformance/powerloss/record.js';
import { cliJsonAsync } from '../helpers/cli.js';
import { powerLossCheck as check } from '../helpers/conforms.js';
import { byName, MUTANT_SEED, notKilled, outcomeOf } from '../helpers/mutants.js';

const noRecorder = recorderProblem();
if (noRecorder && process.env.CI === 'true') throw new Error(`CRASH-POWERLOSS needs strace under CI: ${noRecorder}`);
const args = (target: string[]) => ['check', ...target, '--only', 'CRASH-POWERLOSS', '--seed', '7', '--crash-states', '16'];
/** A power-loss mutant on the CI seed at the default number of crash states: the run is also its kill verdict. */
const mutantArgs = (target: string[]) => ['check', ...target, '--only', 'CRASH-POWERLOSS', '--seed', String(MUTANT_SEED)];
const mutant = (name: string) => byName([name])[0]!;

describe.skipIf(noRecorder !== null).concurrent(`CRASH-POWERLOSS end to end${noRecorder ? ` (skipped: ${noRecorder})` : ''}`, () => {
  it('reference/file.ts through --isolation process passes, saying how many crash states it tried', async () => {
    const r = await cliJsonAsync(args(['reference/file.ts', '--isolation', 'process']));
    const c = check(r.report);
    expect(c.status, r.stdout).toBe('passed');
    expect(c.note).toMatch(/^(\d+) distinct crash states tried \(budget 16\)/);
    expect(Number(/^(\d+)/.exec(c.note!)![1])).toBeGreaterThan(4);
    expect(r.status).toBe(0);
  }, 300_000);

  it('fsync of the file but not of the directory: fails naming the lost rename, with the trace, the store\'s answer and a replay', async () => {
    const r = await cliJsonAsync(mutantArgs(['mutants/powerloss/no-dir-fsync.ts']));
    expect(notKilled(mutant('mutant/powerloss/no-dir-fsync'), outcomeOf(r))).toBeNull();
    const c = check(r.report);
    expect(c.status, r.stdout).toBe('failed');
    expect(c.message).toMatch(/Missing sync: rename\(\.titan_storage\.json\.tmp → titan_storage\.json\) #\d+ \(trace line \d+\) was lost: no fsync of its directory/);
    expect(c.counterexample).toMatch(/power cut here/);
    expect(c.counterexample).toMatch(/what the store then returned:\n\s+ls\.get\(/);
    expect(c.counterexample).toMatch(/shrunk from 6/);
    expect(c.replay).toMatch(new RegExp(`--only CRASH-POWERLOSS/replayed-crash-states --seed ${MUTANT_SEED}`));
    expect(r.status).toBe(1);
  }, 300_000);

  it.each([['inline', []], ['through --isolation process', ['--isolation', 'process']]])('a store that acknowledges first and writes 200 ms later, never fsyncing, fails %s (its later writes are recorded)', async (_mode, extra) => {
    const r = await cliJsonAsync(mutantArgs(['mutants/powerloss/ack-then-write.ts', ...extra]));
    expect(notKilled(mutant('mutant/powerloss/ack-then-write'), outcomeOf(r))).toBeNull();
    const c = check(r.report);
    expect(c.status, r.stdout).toBe('failed');
    expect(c.message).toMatch(/Missing sync: .*titan_(storage|sessions)\.json/);
    expect(c.counterexample).toMatch(/power cut here/);
  }, 300_000);

  it('the faithful truncate-and-write baseline fails, naming the write it never fsynced', async () => {
    const r = await cliJsonAsync(args(['reference/file-faithful.ts']));
    const c = check(r.report);
    expect(c.status, r.stdout).toBe('failed');
    expect(c.message).toMatch(/Missing sync: write of \d+ bytes at offset 0 to titan_(storage|sessions)\.json #\d+ \(trace line \d+\) never reached the disk: no fsync\/fdatasync of that file/);
    expect(c.counterexample).toMatch(/the creation of titan_(storage|sessions)\.json #\d+ \(trace line \d+\) was lost: no fsync of its directory/);
  }, 300_000);

  it('a durable store that writes no file under its directory is reported as not observable, not as passing', async () => {
    const r = await cliJsonAsync(args(['mutants/durable-never-writes.ts']));
    const c = check(r.report);
    expect(c.status).toBe('skipped');
    expect(c.reason).toMatch(/^not observable: the store acknowledged 6 writes without writing any file under its directory/);
  }, 300_000);

  it('without the recorder the check is skipped with the reason (a visible skip, exit 0)', async () => {
    const r = await cliJsonAsync(args(['reference/file.ts']), 120_000, { TITAN_STRACE: '/nonexistent/strace' });
    const c = check(r.report);
    expect(c.status).toBe('skipped');
    expect(c.reason).toMatch(/strace is not installed/);
    expect(r.status).toBe(0);
  }, 300_000);
});
