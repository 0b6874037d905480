/**
 * SEQ-MODEL: fast-check model-based testing. Random interleavings of ls and session operations run
 * against the store and the pure model (spec/model.ts); every output is compared after every step.
 */
import fc from 'fast-check';
import { CheckFailure, type Check, type CheckContext } from '../check.js';
import { OperationTimeout, WrongResultType, type Harness } from '../harness.js';
import { opArb } from '../arbitraries.js';
import { explain, Mismatch, requirementFor, timeoutAwareProperty, withFresh } from '../property.js';
import { emptyState, formatOp, formatOutput, outputsEqual, step, type Op, type State } from '../../spec/model.js';

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
      throw new Mismatch(`${formatOp(this.o)} returned ${formatOutput(actual)}, the model says ${formatOutput(expected.output)} (see ${hint(this.o, expected.output, actual)})`);
    }
    m.state = expected.state;
  }
  toString(): string {
    return formatOp(this.o);
  }
}

const commandArb = opArb.map((o) => new OpCommand(o));

/** The commands that ran, one per line, and fast-check's replayPath for them. */
function describeCommands(cmds: Iterable<unknown>): { text: string; replayPath?: string } {
  const c = cmds as Iterable<{ hasRan?: boolean; toString(): string }> & { metadataForReplay?: () => string };
  const ran = [...c].filter((x) => x.hasRan !== false).map((x, i) => `${String(i + 1).padStart(3)}. ${x.toString()}`);
  const replayPath = /replayPath="([^"]*)"/.exec(c.metadataForReplay?.() ?? String(cmds))?.[1];
  return { text: ran.join('\n'), replayPath };
}

async function runModel(ctx: CheckContext, maxCommands: number): Promise<void> {
  const { seed, path, replayPath } = ctx.options;
  const property = timeoutAwareProperty(fc.commands([commandArb], { maxCommands, size: 'medium', replayPath }), (cmds) =>
    withFresh(ctx, (h) => fc.asyncModelRun(() => ({ model: { state: emptyState }, real: { h } }), cmds)),
  );
  const details = await fc.check(property, { seed, path, numRuns: ctx.options.runs, endOnFailure: path !== undefined });
  if (!details.failed) return;
  const shown = details.counterexample ? describeCommands(details.counterexample[0]) : { text: '(no counterexample)' };
  throw new CheckFailure(requirementFor(details.errorInstance, 'SEQ-MODEL'), explain(details.errorInstance), {
    counterexample: shown.text,
    seed: details.seed,
    path: details.counterexamplePath ?? undefined,
    replayPath: shown.replayPath,
    shrunk: requirementFor(details.errorInstance, 'SEQ-MODEL') === 'SEQ-MODEL',
  });
}

export const checks: Check[] = [
  {
    id: 'SEQ-MODEL/commands',
    requirement: 'SEQ-MODEL',
    title: 'random interleavings of every operation match the sequential model step by step',
    run: (ctx) => runModel(ctx, 60),
  },
];
