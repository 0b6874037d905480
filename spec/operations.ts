/**
 * The storage operations, once: every list of operations in the project (the model's Op type, the
 * driver protocol, the driver client, the isolate worker, the checks, the benchmark) is derived
 * from this table. Adding an operation here makes each layer that must handle it fail to
 * compile or fail its test until it does (test/spec/operations.test.ts).
 */

/** An argument's field name in a model operation. */
export type ArgName = 'id' | 'key' | 'value';

/** What an operation returns: a value or null, a list of keys, or nothing (a mutator). */
export type ResultKind = 'value' | 'keys' | 'none';

export interface OperationSpec {
  readonly namespace: 'ls' | 'session';
  readonly method: string;
  /** Arguments in call order. */
  readonly args: readonly ArgName[];
  /** Does it change state (can it be a write in a history)? */
  readonly mutates: boolean;
  readonly result: ResultKind;
}

export const OPERATIONS = {
  'ls.get': { namespace: 'ls', method: 'get', args: ['key'], mutates: false, result: 'value' },
  'ls.set': { namespace: 'ls', method: 'set', args: ['key', 'value'], mutates: true, result: 'none' },
  'ls.remove': { namespace: 'ls', method: 'remove', args: ['key'], mutates: true, result: 'none' },
  'ls.clear': { namespace: 'ls', method: 'clear', args: [], mutates: true, result: 'none' },
  'ls.keys': { namespace: 'ls', method: 'keys', args: [], mutates: false, result: 'keys' },
  'session.get': { namespace: 'session', method: 'get', args: ['id', 'key'], mutates: false, result: 'value' },
  'session.set': { namespace: 'session', method: 'set', args: ['id', 'key', 'value'], mutates: true, result: 'none' },
  'session.delete': { namespace: 'session', method: 'delete', args: ['id', 'key'], mutates: true, result: 'none' },
  'session.clear': { namespace: 'session', method: 'clear', args: ['id'], mutates: true, result: 'none' },
} as const satisfies Record<string, OperationSpec>;

export type OpName = keyof typeof OPERATIONS;
export type ArgsOf<N extends OpName> = (typeof OPERATIONS)[N]['args'][number];

/** Every operation name, in table order. */
export const OP_NAMES = Object.keys(OPERATIONS) as OpName[];

/** How an argument is named in error messages (e.g. "session id must be convertible to a string"). */
export const ARG_LABELS: Readonly<Record<ArgName, string>> = { id: 'session id', key: 'key', value: 'value' };

export function operation(op: OpName): OperationSpec {
  return OPERATIONS[op];
}

export function isOpName(x: unknown): x is OpName {
  return typeof x === 'string' && Object.hasOwn(OPERATIONS, x);
}

/** The methods of each namespace, e.g. { ls: ["get", …], session: ["get", …] }. */
export function methodsByNamespace(): Record<OperationSpec['namespace'], string[]> {
  const out: Record<OperationSpec['namespace'], string[]> = { ls: [], session: [] };
  for (const name of OP_NAMES) out[OPERATIONS[name].namespace].push(OPERATIONS[name].method);
  return out;
}

/** Is `result` of the kind `op` must return (API-RESULT-TYPE)? */
export function resultHasKind(op: OpName, result: unknown): boolean {
  switch (OPERATIONS[op].result) {
    case 'value':
      return result === null || typeof result === 'string';
    case 'keys':
      return Array.isArray(result) && result.every((k) => typeof k === 'string');
    case 'none':
      return true;
  }
}

type Method = (...args: never[]) => unknown;

/** The `ls` and `session` objects of a storage whose every method is `methodFor(op)` (for wrappers and proxies). */
export function namespacesOf(methodFor: (op: OpName) => (...args: unknown[]) => unknown): Record<OperationSpec['namespace'], Record<string, Method>> {
  const out: Record<OperationSpec['namespace'], Record<string, Method>> = { ls: {}, session: {} };
  for (const name of OP_NAMES) out[OPERATIONS[name].namespace][OPERATIONS[name].method] = methodFor(name);
  return out;
}
