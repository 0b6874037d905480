/**
 * The string encoding between the titan-server driver and the app's actions: every JavaScript
 * string (lone surrogates, NUL, U+FFFF, the escape sequences themselves) survives both directions,
 * and results keep their types. The app side is the very file bundled into the server.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeResult, encodeString } from '../../adapters/titanpl-server/wire.js';
// @ts-expect-error plain JavaScript of the TitanPL app, no type declarations
import { dec, enc } from '../../adapters/titanpl-server/app/lib/wire.js';

const tricky = fc.string({ unit: fc.oneof(fc.constantFrom('\ud800', '\udfff', '\uffff', 'x', 'e', '0', '\u0000', '😀'), fc.string({ unit: 'binary', maxLength: 1 })), maxLength: 30 });

describe('titan-server wire encoding', () => {
  it('driver → action: decoded to the same string', () => {
    fc.assert(
      fc.property(tricky, (s) => {
        expect((dec as (x: unknown) => string)(JSON.parse(JSON.stringify(encodeString(s))))).toBe(s);
      }),
    );
  });

  it('action → driver: decoded to the same string, and only well-formed strings travel as themselves', () => {
    fc.assert(
      fc.property(tricky, (s) => {
        const wire = JSON.parse(JSON.stringify((enc as (x: unknown) => unknown)(s))) as Record<string, unknown>;
        expect(decodeResult(wire)).toBe(s);
        expect('s' in wire).toBe((s as string & { isWellFormed(): boolean }).isWellFormed());
      }),
    );
  });

  it('keeps the type of what the storage returned', () => {
    const roundTrip = (v: unknown) => decodeResult(JSON.parse(JSON.stringify((enc as (x: unknown) => unknown)(v))));
    expect(roundTrip(null)).toBeNull();
    expect(roundTrip(undefined)).toBeUndefined();
    expect(roundTrip('')).toBe('');
    expect(roundTrip(['a', '\ud800'])).toEqual(['a', '\ud800']);
    expect(roundTrip(3)).toBe(3);
    expect(roundTrip({})).toEqual({ returnedType: 'object', text: '[object Object]' });
  });
});
