/**
 * Judging past a known defect. Once a check has run into a defect of another rule (an input class that
 * throws or does not round-trip, an operation that is missing or hangs, missing keys that read as ""),
 * the check runs again avoiding that input or tolerating that one symptom, and judges its own rule.
 * The avoidance of the check in progress lives in an AsyncLocalStorage: the generators filter by it
 * (conformance/arbitraries.ts), the harness refuses a call it excludes and maps a tolerated result, and a
 * run that met an excluded call is discarded (fast-check's precondition), never failed.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { convertCall, formatOutput, quote, type Op, type RawCall } from '../spec/model.js';
import { OPERATIONS, OP_NAMES, type OpName } from '../spec/operations.js';
import { CheckFailure } from './check.js';

/** Input classes a run can avoid (`--avoid`, expectations' "avoid"); each names the strings it holds. */
export const INPUT_CLASSES = {
  'empty-key': { what: 'the key or session id ""', matches: (s: string, role: Role) => role === 'key' && s === '' },
  'empty-value': { what: 'the value ""', matches: (s: string, role: Role) => role === 'value' && s === '' },
  nul: { what: 'strings holding NUL (\\u0000)', matches: (s: string) => s.includes('\0') },
  'lone-surrogate': { what: 'strings holding a lone surrogate', matches: (s: string) => /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s) },
  'member-names': { what: 'prototype and Web Storage member names as keys', matches: (s: string, role: Role) => role === 'key' && MEMBER.has(s) },
  separator: { what: 'keys and ids holding ":" (a namespace separator)', matches: (s: string, role: Role) => role === 'key' && s.includes(':') },
  'json-values': { what: 'values that parse as JSON other than a string', matches: (s: string, role: Role) => role === 'value' && parsesAsNonString(s) },
  'long-strings': { what: 'strings longer than 1 000 code units', matches: (s: string) => s.length > 1000 },
  unusual: { what: 'strings other than letters, digits and _.:-', matches: (s: string) => !PLAIN.test(s) },
  // Keys a store changes on the way (diagnose.ts names the change from what ls.keys lists).
  'upper-case': { what: 'keys and ids holding upper-case letters', matches: (s: string, role: Role) => role === 'key' && s.toLowerCase() !== s },
  padded: { what: 'keys and ids with white space at either end', matches: (s: string, role: Role) => role === 'key' && s.trim() !== s },
  'not-nfc': { what: 'keys and ids that NFC normalization changes', matches: (s: string, role: Role) => role === 'key' && s.normalize('NFC') !== s },
} as const;
export type InputClass = keyof typeof INPUT_CLASSES;
export const isInputClass = (s: string): s is InputClass => Object.hasOwn(INPUT_CLASSES, s);

/** What a string is to an operation: a key or session id, or a value. */
type Role = 'key' | 'value';

// Kept here (not imported from arbitraries.ts, which imports this file).
const MEMBER = new Set(['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__', 'isPrototypeOf', 'length', 'key', 'getItem', 'setItem', 'removeItem', 'clear']);
const PLAIN = /^[A-Za-z0-9_.:-]+$/;

function parsesAsNonString(s: string): boolean {
  try {
    return typeof JSON.parse(s) !== 'string';
  } catch {
    return false;
  }
}

/** One thing a run leaves out: an input class, an operation, or a symptom it reads through. */
export type Avoid =
  | { kind: 'class'; name: InputClass }
  | { kind: 'op'; op: OpName }
  /** Missing entries of these namespaces read as `reads` (a string, or undefined): read as null, and that string is never written. */
  | { kind: 'missing'; namespaces: readonly ('ls' | 'session')[]; reads: string | undefined }
  /** ls.keys returns an iterable that is not an array: taken through Array.from. */
  | { kind: 'keys-iterable' }
  /** This removal throws when what it removes is not there (the store's own get says so): taken as the no-op it must be. */
  | { kind: 'throws-when-missing'; op: RemovalOp }
  /** ls.keys lists a key more than once (LS-KEYS-SET's defect): taken without the repeats, except in LS-KEYS-SET's own checks. */
  | { kind: 'keys-duplicates' }
  /** A freshly opened store holds what earlier stores wrote (one state for every open): emptied before each run. */
  | { kind: 'leftovers' };

/** Removals that must be a no-op when their key or pair is absent, and the rule a throw there breaks. */
export const REMOVALS = { 'ls.remove': { rule: 'LS-REMOVE-MISSING', probe: 'ls.get' }, 'session.delete': { rule: 'SES-DELETE', probe: 'session.get' } } as const satisfies Partial<Record<OpName, { rule: string; probe: OpName }>>;
export type RemovalOp = keyof typeof REMOVALS;
const isRemoval = (op: OpName): op is RemovalOp => Object.hasOwn(REMOVALS, op);

/** An avoidance and why: the requirement whose defect it steps around, or the option that asked for it. */
export interface AvoidItem {
  avoid: Avoid;
  because: string;
}

export function describeAvoid(a: Avoid): string {
  switch (a.kind) {
    case 'class':
      return INPUT_CLASSES[a.name].what;
    case 'op':
      return `calls of ${a.op}`;
    case 'missing':
      return `missing ${a.namespaces.join(' and ')} entries reading as ${a.reads === undefined ? 'undefined' : formatOutput(a.reads)} (taken as null${a.reads === undefined ? '' : `; the value ${quote(a.reads)} never written`})`;
    case 'keys-iterable':
      return 'ls.keys results that are not arrays (taken through Array.from)';
    case 'keys-duplicates':
      return 'keys listed more than once by ls.keys (taken once)';
    case 'leftovers':
      return 'what a freshly opened store already held (emptied first: ls.clear() and session.clear of every id written before)';
    case 'throws-when-missing':
      return `${a.op} throwing when its ${a.op === 'ls.remove' ? 'key' : 'pair'} is absent (taken as the no-op)`;
  }
}

/** "without the key "" (see API-NO-THROW)", one clause per avoidance. */
export function describeAvoidance(items: readonly AvoidItem[]): string {
  return items.map((i) => `${describeAvoid(i.avoid)} (${i.because.startsWith('--') || i.because.includes(' ') ? i.because : `see ${i.because}`})`).join('; ');
}

const sameAvoid = (a: Avoid, b: Avoid) => JSON.stringify(a) === JSON.stringify(b);

/** The avoidance of one check attempt: what it leaves out, and whether a run met it. */
export class Avoidance {
  /** Set when a call of the current run was refused; the run is discarded, not failed. */
  hit: AvoidItem | undefined;
  /** The last refusal of any run: what a check none of whose runs completed needed. */
  lastHit: AvoidItem | undefined;
  /** Runs discarded so far; past MAX_DISCARDS the property stops (its completed runs stand). */
  discarded = 0;
  /** The last harness incident (what a failure crediting an API-* rule ran into), for the next attempt. */
  incident: Incident | undefined;
  /** The earlier defect the diagnosis found, for the next attempt. */
  divergence: { requirement: string; op?: Op; tolerate?: Avoid } | undefined;

  constructor(
    readonly items: readonly AvoidItem[],
    /** The requirement of the check in progress: a symptom of its own rule is never tolerated. */
    readonly own?: string,
  ) {}

  has(a: Avoid): boolean {
    return this.items.some((i) => sameAvoid(i.avoid, a));
  }

  /** Whether a string in this role may be generated or sent. */
  allows(s: string, role: Role): boolean {
    for (const { avoid: a } of this.items) {
      if (a.kind === 'class' && INPUT_CLASSES[a.name].matches(s, role)) return false;
      if (a.kind === 'missing' && role === 'value' && a.reads === s) return false;
    }
    return true;
  }

  /** The avoidance a call falls under, if any. */
  refuses(op: OpName, args: readonly unknown[]): AvoidItem | undefined {
    for (const item of this.items) if (item.avoid.kind === 'op' && item.avoid.op === op) return item;
    let converted: Op | undefined;
    try {
      const r = convertCall({ op, args } as RawCall);
      if (r.ok) converted = r.op;
    } catch {
      return undefined;
    }
    if (!converted) return undefined;
    const strings = rolesOf(converted);
    for (const item of this.items) {
      const a = item.avoid;
      if (a.kind === 'class' && strings.some(([s, role]) => INPUT_CLASSES[a.name].matches(s, role))) return item;
      if (a.kind === 'missing' && strings.some(([s, role]) => role === 'value' && s === a.reads)) return item;
    }
    return undefined;
  }

  /** A result read through a tolerated symptom: a missing entry's stand-in becomes null, an iterable of keys an array. */
  reads(op: OpName, result: unknown): unknown {
    for (const { avoid: a } of this.items) {
      if (a.kind === 'missing' && OPERATIONS[op].result === 'value' && a.namespaces.includes(OPERATIONS[op].namespace) && result === a.reads && MISSING_RULE[OPERATIONS[op].namespace] !== this.own) return null;
      if (a.kind === 'keys-iterable' && op === 'ls.keys' && result !== null && typeof result === 'object' && !Array.isArray(result) && Symbol.iterator in (result as object)) return Array.from(result as Iterable<unknown>);
      if (a.kind === 'keys-duplicates' && op === 'ls.keys' && Array.isArray(result) && this.own !== 'LS-KEYS-SET') return [...new Set(result)];
    }
    return result;
  }

  /** The check's own rule, when this result is the missing-entry symptom (undefined) read through elsewhere but not in that rule's checks. */
  ownMissingSymptom(op: OpName, result: unknown): string | undefined {
    if (result !== undefined || OPERATIONS[op].result !== 'value') return undefined;
    const rule = MISSING_RULE[OPERATIONS[op].namespace];
    return rule === this.own && this.items.some((i) => i.avoid.kind === 'missing' && i.avoid.reads === undefined && i.avoid.namespaces.includes(OPERATIONS[op].namespace)) ? rule : undefined;
  }

  /** Whether a throw of this removal is read as the no-op (when the store says its key is absent): the tolerance, and whether it is this check's own rule. */
  toleratesThrow(op: OpName): { item: AvoidItem; own: boolean } | undefined {
    if (!isRemoval(op)) return undefined;
    const item = this.items.find((i) => i.avoid.kind === 'throws-when-missing' && i.avoid.op === op);
    return item && { item, own: REMOVALS[op].rule === this.own };
  }
}

/** The rule a missing entry read as a string breaks, per namespace: never read through in its own checks. */
const MISSING_RULE = { ls: 'LS-GET-MISSING', session: 'SES-GET-MISSING' } as const;

/** What the harness met: the call that threw, hung, was missing or returned the wrong type. */
export interface Incident {
  kind: 'threw' | 'timeout' | 'missing-method' | 'wrong-type';
  op: OpName;
  args: readonly unknown[];
  result?: unknown;
}

/** The strings of an operation with their roles. */
function rolesOf(o: Op): [string, Role][] {
  return OPERATIONS[o.op].args.map((n) => [(o as unknown as Record<string, string>)[n]!, n === 'value' ? 'value' : 'key'] as [string, Role]);
}

const store = new AsyncLocalStorage<Avoidance>();

/** Run `fn` (one check attempt) under an avoidance. */
export const withAvoidance = <T>(a: Avoidance, fn: () => Promise<T>): Promise<T> => store.run(a, fn);
export const currentAvoidance = (): Avoidance | undefined => store.getStore();

/** For the generators: whether a key or id (`role` "key") or a value may be drawn now. */
export const allowedNow = (role: Role) => (s: string) => store.getStore()?.allows(s, role) ?? true;
/** For the operation generators: whether this operation, with its strings, may be drawn now. */
export const opAllowedNow = (o: Op) => store.getStore()?.refuses(o.op, OPERATIONS[o.op].args.map((n) => (o as unknown as Record<string, string>)[n])) === undefined;

/** Whether the check in progress empties every freshly opened store first. */
export const sweepsLeftovers = (): boolean => currentAvoidance()?.has({ kind: 'leftovers' }) ?? false;

/** Whether the check in progress runs without this operation. */
export const avoidsOp = (op: OpName): boolean => currentAvoidance()?.items.some((i) => i.avoid.kind === 'op' && i.avoid.op === op) ?? false;

/** Runs discarded for an avoided call before a property stops (each discarded run opens a store). */
const MAX_DISCARDS = 200;

/** fast-check's precondition marker (fc.pre): a run that throws it is discarded, not failed. */
const PRECONDITION = Symbol.for('fast-check/PreconditionFailure');

/**
 * A check attempt that met an avoided call. Inside a property it discards the run (fast-check's
 * precondition footprint; past MAX_DISCARDS it stops the property); an example throwing it is not judged.
 * A CheckFailure so that checkExample passes it on unchanged.
 */
export class Avoided extends CheckFailure {
  readonly footprint = PRECONDITION;
  constructor(
    readonly item: AvoidItem,
    readonly interruptExecution = false,
  ) {
    super('', `every run needed ${describeAvoid(item.avoid)} (${item.because.includes(' ') ? item.because : `see ${item.because}`})`);
    this.name = 'Avoided';
  }
}

/** Refuse a call the current avoidance excludes (the harness calls this first). */
export function refuseAvoided(op: OpName, args: readonly unknown[]): void {
  const a = store.getStore();
  const item = a?.refuses(op, args);
  if (!a || !item) return;
  a.hit = a.lastHit = item;
  throw new Avoided(item, ++a.discarded >= MAX_DISCARDS);
}

/** Record what the harness met, for the next attempt's avoidance. */
export function noteIncident(i: Incident): void {
  const a = store.getStore();
  if (a) a.incident = i;
}

/** The current avoidance's reading of a result (tolerated symptoms), or the result as it is. */
export function readThrough(op: OpName, result: unknown): unknown {
  const a = store.getStore();
  return a ? a.reads(op, result) : result;
}

/**
 * Run one execution of a check (a property's run or an example's body): an error thrown after a call was
 * refused is the refusal (a check may have wrapped it in its own error), so the run is discarded.
 */
export async function discardingAvoided<T>(body: () => Promise<T>): Promise<T> {
  const a = store.getStore();
  if (a) a.hit = undefined;
  try {
    return await body();
  } catch (e) {
    if (a?.hit && !(e instanceof Avoided)) throw new Avoided(a.hit, a.discarded >= MAX_DISCARDS);
    throw e;
  }
}

/** After a property: no run completed because every one met an avoided call (or too many did), so nothing was judged. */
export function notJudgedIfAvoided(details: { numRuns: number; failed: boolean; interrupted: boolean; counterexample: unknown }): void {
  const a = store.getStore();
  if (!a || a.discarded === 0) return;
  const tooMany = details.failed && details.counterexample === null && !details.interrupted;
  if (details.numRuns === 0 || tooMany) throw new Avoided(a.lastHit ?? a.items[0]!);
}

/** The class of strings an operation's arguments fall in, narrowest first; null for plain strings. */
export function classOf(o: Op): InputClass | null {
  const strings = rolesOf(o);
  const order: InputClass[] = ['nul', 'lone-surrogate', 'member-names', 'empty-key', 'empty-value', 'long-strings', 'json-values', 'unusual'];
  return order.find((c) => strings.some(([s, role]) => INPUT_CLASSES[c].matches(s, role))) ?? null;
}

/** The name `--avoid` takes for an avoidance (and replay commands print). */
export function avoidName(a: Avoid): string {
  switch (a.kind) {
    case 'class':
      return a.name;
    case 'op':
      return `op:${a.op}`;
    case 'missing':
      return `missing-reads:${a.reads === undefined ? 'undefined' : JSON.stringify(a.reads)}`;
    case 'keys-iterable':
      return 'keys-iterable';
    case 'throws-when-missing':
      return `throws-when-missing:${a.op}`;
    case 'leftovers':
    case 'keys-duplicates':
      return a.kind;
  }
}

/** Parse `--avoid` / expectations' "avoid" entries: input class names, `op:<operation>`, `missing-reads:<JSON string or undefined>`, `keys-iterable`. */
export function parseAvoid(names: readonly string[], because: string): AvoidItem[] {
  return names.map((n): AvoidItem => {
    if (isInputClass(n)) return { avoid: { kind: 'class', name: n }, because };
    if (n === 'keys-iterable' || n === 'leftovers' || n === 'keys-duplicates') return { avoid: { kind: n }, because };
    const removal = n.startsWith('throws-when-missing:') ? n.slice('throws-when-missing:'.length) : undefined;
    if (removal !== undefined && isRemoval(removal as OpName)) return { avoid: { kind: 'throws-when-missing', op: removal as RemovalOp }, because };
    if (n.startsWith('missing-reads:')) {
      const text = n.slice('missing-reads:'.length);
      const reads = text === 'undefined' ? undefined : parseJsonString(text);
      if (reads !== null) return { avoid: { kind: 'missing', namespaces: ['ls', 'session'], reads }, because };
    }
    const op = n.startsWith('op:') ? n.slice(3) : n;
    if ((OP_NAMES as readonly string[]).includes(op)) return { avoid: { kind: 'op', op: op as OpName }, because };
    throw new RangeError(`unknown input class ${JSON.stringify(n)}: one of ${[...Object.keys(INPUT_CLASSES), ...OP_NAMES.map((o) => `op:${o}`), 'missing-reads:""', 'keys-iterable', 'keys-duplicates', 'leftovers', ...Object.keys(REMOVALS).map((o) => `throws-when-missing:${o}`)].join(', ')}`);
  });
}

function parseJsonString(text: string): string | null {
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === 'string' ? v : null;
  } catch {
    return null;
  }
}

/** The next attempt's avoidance after a failure of `requirement` that a check about another rule ran into. */
export function nextAvoid(a: Avoidance, requirement: string): Avoid | null {
  const d = a.divergence;
  if (d && d.requirement === requirement) {
    if (d.tolerate) return d.tolerate;
    if (!d.op) return null;
    // Blamed on the plain rule (conformance/diagnose.ts found plain strings fail too): the operation is what broke.
    if (d.requirement === 'LS-SET-GET' || d.requirement === 'SES-SET-GET') return { kind: 'op', op: d.op.op };
    // Keys that collide and hold ":": a namespaced store's separator is what to step around, not the values' class.
    if (d.requirement === 'STR-DISTINCT' && rolesOf(d.op).some(([s, role]) => role === 'key' && s.includes(':'))) return { kind: 'class', name: 'separator' };
    // The empty value's own rule: whatever else the operation held, "" as a value is what broke.
    const c = d.requirement === 'VAL-EMPTY-STRING' ? 'empty-value' : classOf(d.op);
    return c ? { kind: 'class', name: c } : { kind: 'op', op: d.op.op };
  }
  const i = a.incident;
  if (!i) return null;
  if (requirement === 'API-SHAPE' && i.kind === 'missing-method') return { kind: 'op', op: i.op };
  if (requirement === 'API-TIMELY' && i.kind === 'timeout') return { kind: 'op', op: i.op };
  if (requirement === 'API-NO-THROW' && i.kind === 'threw') {
    try {
      const r = convertCall({ op: i.op, args: i.args } as RawCall);
      const c = r.ok ? classOf(r.op) : null;
      if (c) return { kind: 'class', name: c };
      // A removal of plain strings that throws: first read the throw as the no-op (if its key is absent), then leave the operation out.
      const tolerate: Avoid | null = isRemoval(i.op) ? { kind: 'throws-when-missing', op: i.op } : null;
      // Plain strings that throw otherwise (every 50th write): the operation is what to step around.
      return tolerate && !a.has(tolerate) ? tolerate : { kind: 'op', op: i.op };
    } catch {
      return null;
    }
  }
  // A member name read back as the inherited member (requirementFor, property.ts): member names are what to step around.
  if (requirement === 'STR-PROTO-NAMES' && i.kind === 'wrong-type') return { kind: 'class', name: 'member-names' };
  if (requirement === 'API-RESULT-TYPE' && i.kind === 'wrong-type') {
    if (i.op === 'ls.keys' && i.result !== null && typeof i.result === 'object' && Symbol.iterator in (i.result as object)) return { kind: 'keys-iterable' };
    if (OPERATIONS[i.op].result === 'value' && i.result === undefined) return { kind: 'missing', namespaces: ['ls', 'session'], reads: undefined };
    if (OPERATIONS[i.op].result === 'value' && i.result !== null && typeof i.result !== 'string') return { kind: 'class', name: 'json-values' };
    return { kind: 'op', op: i.op };
  }
  return null;
}

/** Changes a store may make to keys, each with the class of keys it changes. */
const KEY_CHANGES: [InputClass, (s: string) => string][] = [['upper-case', (s) => s.toLowerCase()], ['padded', (s) => s.trim()], ['not-nfc', (s) => s.normalize('NFC')]];

/** The class of keys a store changes, when two different keys are the same after one known change (lower case, trim, NFC). */
export function keyChangeClass(a: string, b: string): InputClass | undefined {
  if (a === b) return undefined;
  return KEY_CHANGES.find(([, f]) => f(a) === f(b))?.[0];
}
