/**
 * A concurrent multi-client history under faults, Jepsen style: every client (its own connection,
 * protocol version 2) runs a workload while the driver's nemesis (spec/PROTOCOL.md section 11)
 * injects the scheduled faults into the deployment, one at a time, each healed and followed by
 * convergence. Every operation is recorded on the runner's clock as ok, failed (definitely not
 * applied) or indeterminate (Jepsen's :info: timed out, connection lost, fewer replicas than
 * asked; it may or may not have been applied). After the last heal the deployment must converge
 * and everything is read back.
 *
 * Workload: unique-key writes (`ls.set("w:<client>:<n>", …)`, each key written once, so a missing
 * one is a lost write) and reads and writes of two registers (`r0`, `r1`, unique values) for the
 * linearizability check, which takes indeterminate operations as possibly applied (no return).
 */
import type { DriverStorage } from '../driver/client.js';
import type { NemesisFault } from '../driver/protocol.js';
import type { Op, Output } from '../../spec/model.js';
import { checkStorageHistory, type StorageOperation } from '../linearizability/storage.js';
import type { CheckResult } from '../linearizability/checker.js';
import type { ScheduledFault } from './schedule.js';

export type Outcome = 'ok' | 'failed' | 'info';

export interface RecordedOp {
  client: number;
  input: Op;
  output?: Output;
  /** ms since the run started, on the runner's clock. */
  call: number;
  ret?: number;
  outcome: Outcome;
  error?: string;
}

export interface FaultWindow {
  fault: NemesisFault;
  /** The node the fault hit (the primary at that moment) and the clients isolated with it. */
  node: string;
  clients: number[];
  injectedAt: number;
  healedAt: number;
  /** From injection until a Sentinel majority named another primary (ms); null if none did while the fault lasted. */
  failoverMs: number | null;
  /** Operations called while the fault lasted. */
  ops: Record<Outcome, number>;
  /** From heal until the deployment converged (ms). */
  convergeMs: number | null;
}

export interface LostWrite {
  key: string;
  value: string;
  client: number;
  /** When its acknowledgement arrived (ms since the start). */
  ackedAt: number;
}

export interface FaultRunResult {
  seed: number;
  schedule: ScheduledFault[];
  windows: FaultWindow[];
  /** Unique-key writes. */
  writes: { acknowledged: number; failed: number; indeterminate: number; indeterminateKept: number; lost: LostWrite[] };
  /** The register history (with the final reads), as the linearizability checker saw it. */
  history: StorageOperation[];
  lin: CheckResult<Op, Output>;
  /** Why the run could not read back (the deployment did not converge), if so. */
  incomplete?: string;
  durationMs: number;
}

export interface RunOptions {
  clients: number;
  /** ms of workload before the first fault and after each convergence. */
  quietMs?: number;
  /** Pause between two operations of one client (ms). */
  thinkMs?: number;
  /** Budget for one convergence after a heal (ms). */
  convergeMs?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Is a failed write definitely not applied? The stores say so ("nothing was changed"); anything else may have been. */
function classify(op: Op, e: unknown): Outcome {
  const m = e instanceof Error ? e.message : String(e);
  if (op.op === 'ls.get' || op.op === 'ls.keys' || op.op === 'session.get') return 'failed';
  return /nothing was changed/.test(m) ? 'failed' : 'info';
}

function callView(s: DriverStorage, client: number, o: Op): Promise<unknown> {
  const v = s.client(client);
  switch (o.op) {
    case 'ls.set':
      return v.ls.set(o.key, o.value) as Promise<unknown>;
    case 'ls.get':
      return v.ls.get(o.key) as Promise<unknown>;
    case 'ls.keys':
      return v.ls.keys() as Promise<unknown>;
    default:
      throw new Error(`the fault workload does not use ${o.op}`);
  }
}

export async function runUnderFaults(storage: DriverStorage, seed: number, schedule: readonly ScheduledFault[], o: RunOptions): Promise<FaultRunResult> {
  const t0 = performance.now();
  const now = () => performance.now() - t0;
  const ops: RecordedOp[] = [];
  const quiet = o.quietMs ?? 1500;
  const think = o.thinkMs ?? 40;
  let stop = false;

  async function record(client: number, input: Op): Promise<RecordedOp> {
    const r: RecordedOp = { client, input, call: now(), outcome: 'ok' };
    ops.push(r);
    try {
      const out = await callView(storage, client, input);
      r.ret = now();
      if (input.op !== 'ls.set') r.output = out as Output;
    } catch (e) {
      r.outcome = classify(input, e);
      r.error = e instanceof Error ? e.message : String(e);
      if (r.outcome === 'failed') r.ret = now();
    }
    return r;
  }

  async function worker(k: number): Promise<void> {
    for (let i = 0; !stop; i++) {
      const input: Op =
        i % 3 === 0 ? { op: 'ls.set', key: `w:${k}:${i}`, value: `${k}.${i}` } : i % 3 === 1 ? { op: 'ls.set', key: `r${(i >> 1) % 2}`, value: `${k}.${i}` } : { op: 'ls.get', key: `r${(i + k) % 2}` };
      await record(k, input);
      await sleep(think);
    }
  }

  const windows: FaultWindow[] = [];
  let incomplete: string | undefined;
  const workers = Array.from({ length: o.clients }, (_, k) => worker(k));
  try {
    await sleep(quiet);
    for (const f of schedule) {
      const before = ((await storage.nemesis({ action: 'status' })) as { primary: string | null }).primary;
      const injectedAt = now();
      const hit = (await storage.nemesis(f.fault === 'isolate' ? { action: 'isolate', node: f.node, clients: f.clients } : { action: f.fault, node: f.node })) as { node: string };
      let failoverMs: number | null = null;
      while (now() - injectedAt < f.holdMs) {
        if (failoverMs === null) {
          const p = ((await storage.nemesis({ action: 'status' })) as { primary: string | null }).primary;
          if (p !== null && p !== (before ?? hit.node)) failoverMs = now() - injectedAt;
        }
        await sleep(200);
      }
      await storage.nemesis({ action: 'heal' });
      const healedAt = now();
      let convergeMs: number | null = null;
      try {
        await storage.nemesis({ action: 'converge' }, (o.convergeMs ?? 45_000) + 10_000);
        convergeMs = now() - healedAt;
      } catch (e) {
        incomplete = `after healing ${f.fault} of ${hit.node}: ${e instanceof Error ? e.message : String(e)}`;
      }
      const counts: Record<Outcome, number> = { ok: 0, failed: 0, info: 0 };
      for (const r of ops) if (r.call >= injectedAt && r.call < healedAt) counts[r.outcome]++;
      windows.push({ fault: f.fault, node: hit.node, clients: f.clients, injectedAt, healedAt, failoverMs, ops: counts, convergeMs });
      if (incomplete) break;
      await sleep(quiet);
    }
  } finally {
    stop = true;
    await Promise.all(workers);
  }

  // Read back from a converged deployment: every unique key, and the registers.
  const uniques = ops.filter((r) => r.input.op === 'ls.set' && r.input.key.startsWith('w:'));
  let present = new Set<string>();
  if (!incomplete) {
    const keys = await record(0, { op: 'ls.keys' });
    if (keys.outcome !== 'ok') incomplete = `the final ls.keys failed: ${keys.error}`;
    else present = new Set(keys.output as string[]);
    ops.splice(ops.indexOf(keys), 1);
    for (const key of ['r0', 'r1']) await record(0, { op: 'ls.get', key });
  }
  const lost: LostWrite[] = incomplete
    ? []
    : uniques.filter((r) => r.outcome === 'ok' && !present.has((r.input as { key: string }).key)).map((r) => ({ key: (r.input as { key: string }).key, value: (r.input as { value: string }).value, client: r.client, ackedAt: r.ret! }));
  const history: StorageOperation[] = ops
    .filter((r) => r.outcome !== 'failed' && !(r.input.op === 'ls.set' && r.input.key.startsWith('w:')))
    .map((r) => ({ client: r.client, input: r.input, output: r.output, call: r.call, ...(r.outcome === 'ok' ? { ret: r.ret } : {}) }));
  const lin = checkStorageHistory(history, { maxSteps: 2_000_000, timeoutMs: 10_000 });
  return {
    seed,
    schedule: [...schedule],
    windows,
    writes: {
      acknowledged: uniques.filter((r) => r.outcome === 'ok').length,
      failed: uniques.filter((r) => r.outcome === 'failed').length,
      indeterminate: uniques.filter((r) => r.outcome === 'info').length,
      indeterminateKept: uniques.filter((r) => r.outcome === 'info' && present.has((r.input as { key: string }).key)).length,
      lost,
    },
    history,
    lin,
    ...(incomplete ? { incomplete } : {}),
    durationMs: now(),
  };
}
