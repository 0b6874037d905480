/**
 * A Storage behind a harness: every call is awaited with a per-operation timeout, results are
 * type-checked, and the event loop is yielded to now and then so a supervisor's heartbeat keeps
 * running while an all-synchronous implementation is exercised.
 */
import { DriverError } from './driver/errors.js';
import type { Storage } from '../spec/contract.js';
import { formatOp, opArgs, type Op, type RawCall } from '../spec/model.js';
import { OPERATIONS, resultHasKind, type OpName } from '../spec/operations.js';
import { currentAvoidance, noteIncident, readThrough, refuseAvoided, REMOVALS, type RemovalOp } from './avoid.js';

/** The operation did not settle within the per-operation timeout. */
export class OperationTimeout extends Error {
  constructor(readonly call: string, readonly ms: number) {
    super(`${call} did not complete within ${ms} ms`);
    this.name = 'OperationTimeout';
  }
}

/**
 * A call whose arguments are all strings threw or rejected (API-NO-THROW). A check about another rule
 * that runs into it did not get to its own operation, so the failure is credited to API-NO-THROW.
 */
export class OperationThrew extends Error {
  constructor(readonly call: string, readonly error: unknown) {
    const what = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    super(`${call} threw ${what}`);
    this.name = 'OperationThrew';
  }
}

/** The storage has no such method (API-SHAPE): every check that calls it runs into the same defect. */
export class MissingMethod extends Error {
  constructor(readonly call: string) {
    super(`${call}: the storage has no such method`);
    this.name = 'MissingMethod';
  }
}

/** The store's own process died (a signal, an abort, an exit) while the call was outstanding: API-NO-THROW, whichever check ran into it. */
export class ProcessCrashed extends Error {
  constructor(readonly call: string, readonly error: DriverError) {
    super(`${call}: the store's process died. ${error.message}`);
    this.name = 'ProcessCrashed';
  }
}

/**
 * A symptom other checks read through (conformance/avoid.ts), met in a check of the rule it breaks: a removal that
 * threw although what it removes is absent, or a get that returned undefined for it. That rule's failure.
 */
export class OwnRuleSymptom extends Error {
  constructor(
    readonly rule: string,
    message: string,
  ) {
    super(message);
    this.name = 'OwnRuleSymptom';
  }
}

/** The implementation returned something of the wrong type (API-RESULT-TYPE). */
export class WrongResultType extends Error {
  constructor(
    readonly call: string,
    readonly result: unknown,
    readonly op?: OpName,
    readonly args?: readonly unknown[],
  ) {
    super(`${call} returned ${describeValue(result)}`);
    this.name = 'WrongResultType';
  }
}

export function describeValue(x: unknown): string {
  if (x === null) return 'null';
  if (Array.isArray(x)) return `an array [${x.slice(0, 5).map(describeValue).join(', ')}${x.length > 5 ? ', …' : ''}]`;
  if (typeof x === 'string') return JSON.stringify(x.length > 60 ? `${x.slice(0, 60)}…` : x);
  if (typeof x === 'function') return `a function${x.name ? ` (${x.name})` : ''}`;
  if (typeof x === 'object') return x === Object.prototype ? 'Object.prototype' : `an object (${Object.prototype.toString.call(x)})`;
  return `${typeof x} ${String(x)}`;
}

function isDriverError(e: unknown, kind: DriverError['kind']): e is DriverError {
  return e instanceof Error && e.name === 'DriverError' && (e as DriverError).kind === kind;
}

/** Told of every call just before it is made: the CLI's child records it, to name the call in flight if the process hangs or dies. */
let callProbe: ((describe: () => string) => void) | undefined;
export function onEveryCall(probe: ((describe: () => string) => void) | undefined): void {
  callProbe = probe;
}

let lastYield = Date.now();
/** Yield to the macrotask queue at most every 50 ms (cheap when called often). */
export async function breathe(): Promise<void> {
  const now = Date.now();
  if (now - lastYield < 50) return;
  lastYield = now;
  await new Promise<void>((r) => setImmediate(r));
}

export function withTimeout<T>(value: T | Promise<T>, ms: number, call: () => string): Promise<T> {
  if (!(value instanceof Promise) && !(value && typeof (value as { then?: unknown }).then === 'function')) return Promise.resolve(value as T);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new OperationTimeout(call(), ms)), ms);
  });
  return Promise.race([Promise.resolve(value as T | Promise<T>), timeout]).finally(() => clearTimeout(timer));
}

function checkType(op: OpName, args: readonly unknown[], result: unknown, call: () => string): unknown {
  if (!resultHasKind(op, result)) throw new WrongResultType(call(), result, op, args);
  return result;
}

function describeRaw(op: OpName, args: readonly unknown[]): string {
  return `${op}(${args.map((a) => (typeof a === 'string' ? JSON.stringify(a.length > 60 ? `${a.slice(0, 60)}…` : a) : typeof a === 'symbol' ? a.toString() : describeValue(a))).join(', ')})`;
}

/** Call `op` (e.g. "session.set") on a storage with these arguments; returns what the method returns, unawaited. */
export function callOp(storage: Storage, op: OpName, args: readonly unknown[]): unknown {
  const { namespace, method } = OPERATIONS[op];
  const target = storage[namespace] as unknown as Record<string, (...a: unknown[]) => unknown>;
  return target[method]!.apply(target, args as unknown[]);
}

/** Session ids written through any harness of this process since the last sweep: what a store whose opens share one state may still hold. */
const writtenIds = new Set<string>();
/** Past this many ids the registry stops growing: a leftover it missed is then seen, and blamed, again. */
const MAX_WRITTEN_IDS = 100_000;

export class Harness {
  /** Every call that returned, in order: what a failure's diagnosis replays (conformance/diagnose.ts converts them then). */
  readonly log: RawCall[] = [];

  constructor(
    readonly storage: Storage,
    readonly dir: string,
    readonly timeoutMs: number,
  ) {}

  /** Call an operation with raw arguments; resolves to its (type-checked) result or rejects with what it threw. */
  async call(op: OpName, args: readonly unknown[]): Promise<unknown> {
    await breathe();
    const describe = () => describeRaw(op, args);
    // A call the check runs without (a known defect of another rule, or --avoid): the run is discarded.
    refuseAvoided(op, args);
    const { namespace, method } = OPERATIONS[op];
    if (typeof (this.storage[namespace] as unknown as Record<string, unknown> | undefined)?.[method] !== 'function') {
      noteIncident({ kind: 'missing-method', op, args });
      throw new MissingMethod(describe());
    }
    let result: unknown;
    callProbe?.(describe);
    try {
      result = await withTimeout(callOp(this.storage, op, args), this.timeoutMs, describe);
    } catch (e) {
      const failed = this.failure(op, args, e, describe);
      if (failed instanceof OperationThrew && (await this.threwWhenAbsent(op, args, failed))) {
        this.log.push({ op, args });
        return undefined;
      }
      if (failed instanceof OperationTimeout) noteIncident({ kind: 'timeout', op, args });
      else if (failed instanceof MissingMethod) noteIncident({ kind: 'missing-method', op, args });
      else if (failed instanceof OperationThrew) noteIncident({ kind: 'threw', op, args });
      throw failed;
    }
    result = readThrough(op, result);
    const own = currentAvoidance()?.ownMissingSymptom(op, result);
    if (own) throw new OwnRuleSymptom(own, `${describe()} returned ${describeValue(result)}, which other checks read as an absent entry: an absent entry must read as null`);
    if (!resultHasKind(op, result)) noteIncident({ kind: 'wrong-type', op, args, result });
    checkType(op, args, result, describe);
    this.log.push({ op, args });
    if (op === 'session.set' && writtenIds.size < MAX_WRITTEN_IDS) writtenIds.add(String(args[0]));
    return result;
  }

  /** Empty what a freshly opened store already held (the "leftovers" tolerance): local storage, and every session id written before in this process. */
  async sweepLeftovers(): Promise<void> {
    const ids = [...writtenIds];
    writtenIds.clear();
    await this.call('ls.clear', []);
    for (const id of ids) await this.call('session.clear', [id]);
    this.log.length = 0;
  }

  /** What a call's error means: a timeout, a missing method, or (for string arguments) a throw of API-NO-THROW. */
  private failure(op: OpName, args: readonly unknown[], e: unknown, describe: () => string): unknown {
    if (e instanceof OperationTimeout || !args.every((a) => typeof a === 'string')) return e;
    // A driver process that does not answer in time is killed by its client, which may win the race with ours.
    // By name and kind: a driver error may come from another copy of the client module.
    if (isDriverError(e, 'timeout')) return new OperationTimeout(describe(), this.timeoutMs);
    if (isDriverError(e, 'crashed')) return new ProcessCrashed(describe(), e);
    // A hosted store without the method (conformance/host/serve.ts names the error so).
    if (e instanceof Error && e.name === 'MissingMethod') return new MissingMethod(describe());
    return new OperationThrew(describe(), e);
  }

  /**
   * Whether a removal's throw is read as its no-op (a tolerated symptom, conformance/avoid.ts): only when the
   * store's own get says the key or pair is absent. In the check of the removal's own rule it is that rule's failure.
   */
  private async threwWhenAbsent(op: OpName, args: readonly unknown[], threw: OperationThrew): Promise<boolean> {
    const t = currentAvoidance()?.toleratesThrow(op);
    if (!t) return false;
    const probe = REMOVALS[op as RemovalOp].probe;
    let read: unknown;
    try {
      read = readThrough(probe, await withTimeout(callOp(this.storage, probe, args), this.timeoutMs, () => describeRaw(probe, args)));
    } catch {
      return false;
    }
    if (read !== null) return false;
    if (t.own) {
      const what = threw.error instanceof Error ? `${threw.error.name}: ${threw.error.message}` : String(threw.error);
      throw new OwnRuleSymptom(REMOVALS[op as RemovalOp].rule, `${threw.call} threw ${what}, although ${op === 'ls.remove' ? 'the key' : 'the pair'} is absent (${probe} read null): removing what is not there must change nothing`);
    }
    return true;
  }

  callRaw(c: RawCall): Promise<unknown> {
    return this.call(c.op, c.args);
  }

  /** Apply a model operation (string arguments). */
  apply(o: Op): Promise<unknown> {
    return this.call(o.op, opArgs(o));
  }

  describe(o: Op): string {
    return formatOp(o);
  }

  async close(): Promise<void> {
    if (typeof this.storage.close === 'function') await withTimeout(this.storage.close(), this.timeoutMs, () => 'close()');
  }
}
