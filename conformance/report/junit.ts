/**
 * JUnit XML: one <testcase> per check, classname = requirement ID. Expected failures are reported
 * as <skipped> with the reason (not green, not red); unexpected passes as failures. A check that could not judge
 * its requirement (a defect of another rule in the way) is a failure of type "not-judged" when the gate fails on it,
 * and <skipped> saying "not judged" when the expectations file lists it; the suite's properties name them all.
 */
import { describePersistence } from '../../spec/persistence.js';
import type { Verdict } from '../gate.js';
import { replayCommand, type ReplayTarget } from './replay.js';

/** XML 1.0 cannot hold NUL, most C0 controls or lone surrogates: show them as \uXXXX text. */
export function xmlText(s: string): string {
  return s
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

export function renderJunit(v: Verdict, target: ReplayTarget): string {
  const cases: string[] = [];
  let tests = 0;
  let failures = 0;
  let skipped = 0;
  for (const req of v.requirements) {
    for (const c of req.checks) {
      tests++;
      const head = `    <testcase classname="${xmlText(req.id)}" name="${xmlText(c.id)}" time="${(c.durationMs / 1000).toFixed(3)}"`;
      if (c.status === 'not-judged' && req.status === 'not-judged') {
        failures++;
        cases.push(`${head}>\n      <failure message="${xmlText(`${req.id} not judged: ${c.reason ?? ''}`)}" type="not-judged"/>\n    </testcase>`);
      } else if (c.status === 'not-judged') {
        skipped++;
        cases.push(`${head}>\n      <skipped message="${xmlText(`${c.reason ?? 'not judged'}${req.status === 'expected-not-judged' ? ` (listed in ${v.expectationsFile})` : ''}`)}"/>\n    </testcase>`);
      } else if (c.status === 'skipped') {
        skipped++;
        cases.push(`${head}>\n      <skipped message="${xmlText(c.reason ?? 'skipped')}"/>\n    </testcase>`);
      } else if (c.status === 'failed' && req.status === 'expected-failure') {
        skipped++;
        cases.push(`${head}>\n      <skipped message="${xmlText(`expected failure (${v.expectationsFile}): ${req.expectation?.reason ?? ''} — ${c.message ?? ''}`)}"/>\n    </testcase>`);
      } else if (c.status === 'failed') {
        failures++;
        const body = [c.message, c.counterexample && `counterexample:\n${c.counterexample}`, c.seed !== undefined && `seed ${c.seed} path ${c.path ?? ''}`, replayCommand(c, target) && `replay: ${replayCommand(c, target)}`]
          .filter(Boolean)
          .join('\n');
        cases.push(`${head}>\n      <failure message="${xmlText(`${req.id}: ${c.message ?? ''}`.split('\n')[0]!)}" type="${xmlText(req.id)}">${xmlText(body)}</failure>\n    </testcase>`);
      } else if (req.status === 'unexpected-pass') {
        failures++;
        cases.push(`${head}>\n      <failure message="${xmlText(`${req.id} passes but is listed as an expected failure in ${v.expectationsFile}`)}" type="unexpected-pass"/>\n    </testcase>`);
      } else {
        cases.push(`${head}/>`);
      }
    }
  }
  const name = xmlText(v.implementation.name);
  const notJudged = v.requirements.filter((r) => r.status === 'not-judged' || r.status === 'expected-not-judged').map((r) => r.id).join(',');
  const time = (v.durationMs / 1000).toFixed(3);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="titan-storage" tests="${tests}" failures="${failures}" errors="0" skipped="${skipped}" time="${time}">`,
    `  <testsuite name="${name}" tests="${tests}" failures="${failures}" errors="0" skipped="${skipped}" time="${time}">`,
    `    <properties>\n      <property name="seed" value="${v.options.seed}"/>\n      <property name="runs" value="${v.options.runs}"/>\n      <property name="persistence" value="${describePersistence(v.implementation.capabilities.persistence)}"/>\n      <property name="sharing" value="${v.implementation.capabilities.sharing}"/>\n      <property name="notJudged" value="${xmlText(notJudged)}"/>\n    </properties>`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
