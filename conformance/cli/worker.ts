/**
 * A child process that runs checks for the CLI. It loads the implementation, reports the plan,
 * runs the checks the supervisor hands it one at a time (other children run others on the other
 * cores), and sends a heartbeat so the supervisor can tell a synchronous hang (a blocked event
 * loop) from slow progress.
 */
import { SUITE, selectChecks } from '../suite.js';
import { runCheck, skipReason } from '../runner.js';
import { onEveryCall } from '../harness.js';
import { openSync, writeSync } from 'node:fs';
import type { Implementation } from '../../spec/contract.js';
import { loadImplementation, LoadError } from './load.js';
import { hostCommand, usePrebuiltHost } from '../host/command.js';
import type { RunRequest, SupervisorMessage, WorkerMessage } from './messages.js';

const send = (m: WorkerMessage) => new Promise<void>((resolve) => process.send!(m, undefined, undefined, () => resolve()));

async function implementationFor(req: RunRequest, modulePath: string | undefined): Promise<Implementation> {
  if (req.driver !== undefined || req.isolation === 'process') {
    const { driverImplementation } = await import('../driver/client.js');
    // A slow start (a deployment, a loaded machine) gets as long as --timeout gives one operation, at least 10 s.
    return driverImplementation(req.driver ?? hostCommand(modulePath!), { requestTimeoutMs: req.options.timeoutMs, helloTimeoutMs: Math.max(10_000, req.options.timeoutMs), echoStderr: req.options.driverStderr });
  }
  return loadImplementation(modulePath!, req.module);
}

/**
 * Write every call to the file the supervisor names (at offset 0, one line) just before it is made: if the
 * implementation then blocks the event loop or kills the process, the supervisor reads which call it was.
 */
function recordCallsInFlight(file: string | undefined): void {
  if (!file) return;
  const fd = openSync(file, 'w');
  onEveryCall((describe) => {
    const line = Buffer.from(`${describe()}\n`);
    writeSync(fd, line, 0, line.length, 0);
  });
}

async function main(req: RunRequest): Promise<void> {
  if (req.recordCalls) recordCallsInFlight(process.env.TITAN_STORAGE_CALL_FILE);
  let impl: Implementation;
  const loadPath = req.load?.module ?? req.module;
  usePrebuiltHost(req.load?.host);
  try {
    impl = await implementationFor(req, loadPath);
  } catch (e) {
    await send({ type: 'fatal', message: e instanceof LoadError ? e.message : `cannot start the implementation: ${e instanceof Error ? e.message : String(e)}` });
    process.exit(2);
  }
  const selected = selectChecks(SUITE, req.only).map((check, rank) => ({ check, rank }));
  const first = new Set(req.first ?? []);
  const planned = [...selected.filter((c) => first.has(c.check.id)), ...selected.filter((c) => !first.has(c.check.id))];
  const checks = planned.map((c) => c.check);
  const modulePath = req.isolation === 'inline' ? loadPath : undefined;
  const beat = setInterval(() => process.send!({ type: 'beat' } satisfies WorkerMessage), 200);
  const handed = nextMessages();
  await send({ type: 'ready', implementation: { name: impl.name, capabilities: impl.capabilities }, plan: planned.map(({ check: c, rank }) => ({ id: c.id, requirement: c.requirement, title: c.title, rank, ...(c.slow ? { slow: true } : {}) })) });
  for (let m = await handed(); m.type === 'check'; m = await handed()) {
    const i = m.index;
    const check = checks[i]!;
    if (!skipReason(check, impl, modulePath, req.options.exclude)) await send({ type: 'start', index: i });
    // Each further attempt (judging past a defect of another rule) restarts the supervisor's clock for the check.
    const result = await runCheck(impl, check, req.options, modulePath, () => void send({ type: 'start', index: i }));
    await send({ type: 'result', index: i, result });
  }
  clearInterval(beat);
  await (impl as { dispose?: () => Promise<void> }).dispose?.().catch(() => {});
  await send({ type: 'done' });
  process.exit(0);
}

/** The supervisor's messages after the run request, one per call, in the order they came. */
function nextMessages(): () => Promise<SupervisorMessage> {
  const queued: SupervisorMessage[] = [];
  let waiting: ((m: SupervisorMessage) => void) | undefined;
  process.on('message', (m) => {
    const w = waiting;
    waiting = undefined;
    if (w) w(m as SupervisorMessage);
    else queued.push(m as SupervisorMessage);
  });
  return () => (queued.length ? Promise.resolve(queued.shift()!) : new Promise((resolve) => (waiting = resolve)));
}

process.once('message', (m) => void main(m as RunRequest));
