/**
 * Argument conversion, once (VAL-COERCE, VAL-REJECT, VAL-REJECT-ATOMIC): ECMAScript ToString, as a
 * template literal `${x}` does (not `String(x)`, which turns a Symbol into "Symbol(x)"): a Symbol, an
 * object with no primitive conversion or one whose toString throws is rejected with a TypeError
 * before anything changes. TitanPL's JS wrapper does this in front of its native store; `withConversion`
 * does it in front of a string-only core, so a store is written for strings only.
 */
import type { MaybePromise, Storage } from './contract.js';
import { ARG_LABELS, OPERATIONS, namespacesOf } from './operations.js';

/** The model of conversion: the string a raw argument becomes, or why it is rejected. */
export function coerce(x: unknown): { ok: true; value: string } | { ok: false; reason: string } {
  if (typeof x === 'symbol') return { ok: false, reason: 'a Symbol cannot be converted to a string' };
  try {
    return { ok: true, value: `${x as string}` };
  } catch (e) {
    return { ok: false, reason: `ToString threw: ${e instanceof Error ? e.message : String(e)}` };
  }
}

/**
 * Convert one argument as ToString does, or throw a TypeError naming `what`. VAL-REJECT would also
 * let an error thrown by the argument's own toString propagate; the reference wraps it so the message
 * says which argument failed.
 */
export function toStorageString(x: unknown, what: string): string {
  if (typeof x === 'string') return x;
  if (typeof x === 'symbol') throw new TypeError(`${what} must be convertible to a string, got a Symbol`);
  try {
    return `${x as string}`;
  } catch (e) {
    throw new TypeError(`${what} could not be converted to a string: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** A store's core: the storage API over strings only. */
export interface StringStorage {
  ls: {
    get(key: string): MaybePromise<string | null>;
    set(key: string, value: string): MaybePromise<void>;
    remove(key: string): MaybePromise<void>;
    clear(): MaybePromise<void>;
    keys(): MaybePromise<string[]>;
  };
  session: {
    get(sessionId: string, key: string): MaybePromise<string | null>;
    set(sessionId: string, key: string, value: string): MaybePromise<void>;
    delete(sessionId: string, key: string): MaybePromise<void>;
    clear(sessionId: string): MaybePromise<void>;
  };
  close?(): MaybePromise<void>;
}

type AnyMethod = (...args: string[]) => unknown;

/**
 * The public storage over a string-only core: every argument is converted first, all of them
 * before the core is called, so a rejected call changes nothing. Conversion errors are thrown
 * synchronously, as TitanPL's wrapper throws them. Other members of the core (close, …) pass through.
 */
export function withConversion<S extends StringStorage>(core: S): Storage & Omit<S, 'ls' | 'session'> {
  const { ls, session } = namespacesOf((op) => {
    const { namespace, method, args } = OPERATIONS[op];
    const target = core[namespace] as unknown as Record<string, AnyMethod>;
    const [a, b, c] = args.map((n) => ARG_LABELS[n]);
    // Fixed arities keep the wrapper cheap on the hot path (the benchmark measures stores through it).
    switch (args.length) {
      case 0:
        return () => target[method]!();
      case 1:
        return (x) => target[method]!(toStorageString(x, a!));
      case 2:
        return (x, y) => {
          const sx = toStorageString(x, a!);
          return target[method]!(sx, toStorageString(y, b!));
        };
      default:
        return (x, y, z) => {
          const sx = toStorageString(x, a!);
          const sy = toStorageString(y, b!);
          return target[method]!(sx, sy, toStorageString(z, c!));
        };
    }
  });
  return { ...core, ls, session } as unknown as Storage & Omit<S, 'ls' | 'session'>;
}
