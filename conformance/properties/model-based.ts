/**
 * SEQ-MODEL: fast-check model-based testing. Random interleavings of ls and session operations run
 * against the store and the pure model (spec/model.ts); every output is compared after every step.
 */
import fc from 'fast-check';
import type { Check, CheckContext } from '../check.js';
import { OperationTimeout, WrongResultType, type Harness } from '../harness.js';
import { hostileOpArb } from '../arbitraries.js';
import { checkProperty, explain, Mismatch, withFresh } from '../property.js';
import { emptyState, formatOp, formatOutput, formatMismatch, outputsEqual, step, type Op, type State } from '../../spec/model.js';

interface ModelBox {
  state: State;
}
interface RealBox {
  h: Harness;
}

/** Which single-rule requirement a divergence most likely breaks: a hint for the reader. */
function hint(o: Op, expected: unknown, actual: unknown): string {
  if (actual === undefined && expected === null) return 'LS-GET-MISSING / API-RESULT-TYPE';
  if (expected === null) return o.op === 'ls.get' ? 'LS-GET-MISSING, LS-REMOVE or LS-CLEAR' : 'SES-GET-MISSING, SES-DELETE, SES-CLEAR or SES-ISOLATION';
  if (o.op === 'ls.keys') return 'LS-KEYS-SET';
  if (actual === null && expected === '') return 'VAL-EMPTY-STRING';
  return o.op.startsWith('ls.') ? 'LS-SET-GET or STR-DISTINCT' : 'SES-SET-GET or SES-ISOLATION';
}

class OpCommand implements fc.AsyncCommand<ModelBox, RealBox> {
  constructor(readonly o: Op) {}
  check(): boolean {
    return true;
  }
  async run(m: ModelBox, r: RealBox): Promise<void> {
    const expected = step(m.state, this.o);
    let actual: unknown;
    try {
      actual = await r.h.apply(this.o);
    } catch (e) {
      if (e instanceof OperationTimeout || e instanceof WrongResultType) throw e; // credited to API-TIMELY / API-RESULT-TYPE
      throw new Mismatch(`${formatOp(this.o)}: ${explain(e)}`);
    }
    if (!outputsEqual(expected.output, actual)) {
      throw new Mismatch(`${formatOp(this.o)} ${formatMismatch(actual, expected.output)} (see ${hint(this.o, expected.output, actual)})`);
    }
    m.state = expected.state;
  }
  toString(): string {
    return formatOp(this.o);
  }
}

const commandArb = hostileOpArb.map((o) => new OpCommand(o));

/**
 * Split fast-check's public rendering of commands (the commands that ran joined by ",", then the
 * replay metadata in a block comment) into the commands that ran and the replayPath. Commands render as formatOp, so a comma outside strings and
 * parentheses separates two of them.
 */
export function describeCommands(cmds: unknown): { text: string; replayPath?: string } {
  const rendered = String(cmds);
  const meta = / \/\*(.*)\*\/$/s.exec(rendered);
  const replayPath = meta ? /replayPath="([^"]*)"/.exec(meta[1]!)?.[1] : undefined;
  const body = meta ? rendered.slice(0, meta.index) : rendered;
  const ran: string[] = [];
  let depth = 0;
  let inString = false;
  let start = 0;
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
    else if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (ch === ',' && depth === 0) {
      ran.push(body.slice(start, i));
      start = i + 1;
    }
  }
  if (body.length > 0) ran.push(body.slice(start));
  return { text: ran.map((c, i) => `${String(i + 1).padStart(3)}. ${c}`).join('\n'), replayPath };
}

async function runModel(ctx: CheckContext, maxCommands: number): Promise<void> {
  const { replayPath } = ctx.options;
  await checkProperty(
    ctx,
    'SEQ-MODEL',
    fc.commands([commandArb], { maxCommands, size: 'medium', replayPath }),
    (cmds) => withFresh(ctx, (h) => fc.asyncModelRun(() => ({ model: { state: emptyState }, real: { h } }), cmds)),
    { show: (cmds) => describeCommands(cmds).text, replayPath: (cmds) => describeCommands(cmds).replayPath },
  );
}

export const checks: Check[] = [
  {
    id: 'SEQ-MODEL/commands',
    requirement: 'SEQ-MODEL',
    title: 'random interleavings of every operation match the sequential model step by step',
    run: (ctx) => runModel(ctx, 60),
  },
];
