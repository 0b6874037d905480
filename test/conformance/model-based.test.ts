// SEQ-MODEL's counterexample is read from fast-check's public rendering of the commands.
import { describe, expect, it } from 'vitest';
import { describeCommands } from '../../conformance/properties/model-based.js';

describe('describeCommands', () => {
  it('splits commands at commas outside strings and parentheses, and reads the replayPath', () => {
    const rendered = 'ls.set("a,b", "x…" (5000 chars)),ls.get("\\"),ls.get(\\""),session.clear("") /*replayPath="fG8:F"*/';
    const d = describeCommands({ toString: () => rendered });
    expect(d.text).toBe(['  1. ls.set("a,b", "x…" (5000 chars))', '  2. ls.get("\\"),ls.get(\\"")', '  3. session.clear("")'].join('\n'));
    expect(d.replayPath).toBe('fG8:F');
  });

  it('without replay metadata there is no replayPath', () => {
    expect(describeCommands({ toString: () => 'ls.keys()' })).toEqual({ text: '  1. ls.keys()', replayPath: undefined });
  });
});
