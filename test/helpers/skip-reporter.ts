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
    const groups = new Map<string, { file: string; reason: string; n: number }>();
    for (const m of modules) {
      for (const t of m.children.allTests()) {
        if (t.result().state !== 'skipped') continue;
        const file = relative(process.cwd(), m.moduleId);
        const reason = reasonOf(t);
        const g = groups.get(`${file}\0${reason}`);
        if (g) g.n++;
        else groups.set(`${file}\0${reason}`, { file, reason, n: 1 });
      }
    }
    const list = (byDesign: boolean) => {
      const rows = [...groups.values()].filter((g) => BY_DESIGN.test(g.reason) === byDesign);
      const total = rows.reduce((a, g) => a + g.n, 0);
      return { total, text: rows.map((g) => `  ${g.file} › ${g.reason}${g.n > 1 ? ` — ${g.n} tests` : ''}`).join('\n') };
    };
    const machine = list(false);
    const design = list(true);
    const out = [machine.total === 0 ? '\nNothing was skipped on this machine.' : `\nSkipped on this machine (${machine.total} tests):\n${machine.text}`];
    if (design.total > 0) out.push(`Not applicable to the store under test, reported as skipped by registerSuite as it should (${design.total} tests):\n${design.text}`);
    process.stdout.write(`${out.join('\n')}\n`);
  }
}
