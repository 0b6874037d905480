/**
 * After the run, list what was skipped and why, so a green run on a machine without redis-server, strace or the
 * fetched TitanPL packages says what it did not check. The reason is in the name of the skipped suite or test
 * ("… (skipped: why)"), or is the note of a test skipped at run time.
 */
import { relative } from 'node:path';
import type { Reporter, TestCase, TestModule, TestSuite } from 'vitest/node';

function reasonOf(t: TestCase): string {
  for (let node: TestCase | TestSuite | TestModule = t; node.type !== 'module'; node = node.parent) {
    if (/\(skipped: /.test(node.name)) return node.name;
  }
  const r = t.result();
  return (r.state === 'skipped' ? r.note : undefined) ?? t.fullName;
}

/** Skips that are the behaviour under test: registerSuite reports checks of capabilities a store does not declare as skipped. */
const BY_DESIGN = /^not applicable: /;

export default class SkipReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const counts = new Map<string, number>();
    for (const m of modules) {
      for (const t of m.children.allTests()) {
        if (t.result().state !== 'skipped') continue;
        const label = `${relative(process.cwd(), m.moduleId)} › ${reasonOf(t)}`;
        counts.set(label, (counts.get(label) ?? 0) + 1);
      }
    }
    const list = (pick: (label: string) => boolean) => {
      const rows = [...counts].filter(([label]) => pick(label.slice(label.indexOf(' › ') + 3)));
      const total = rows.reduce((a, [, n]) => a + n, 0);
      return { total, text: rows.map(([label, n]) => `  ${label}${n > 1 ? ` — ${n} tests` : ''}`).join('\n') };
    };
    const machine = list((reason) => !BY_DESIGN.test(reason));
    const design = list((reason) => BY_DESIGN.test(reason));
    const out = [machine.total === 0 ? '\nNothing was skipped on this machine.' : `\nSkipped on this machine (${machine.total} tests):\n${machine.text}`];
    if (design.total > 0) out.push(`Not applicable to the store under test, reported as skipped by registerSuite as it should (${design.total} tests):\n${design.text}`);
    process.stdout.write(`${out.join('\n')}\n`);
  }
}
