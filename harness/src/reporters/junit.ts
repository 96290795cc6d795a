import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { gradingLabel, idpLabel, notApplicableChecksText, type CaseResult, type Report } from '../model.js';
import type { Reporter } from './reporter.js';

const x = (s: unknown) =>
  String(s ?? '')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, '')
    .replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

function variantLabel(r: CaseResult): string {
  const v = Object.entries(r.variant).map(([k, val]) => `${k}=${val}`);
  return [idpLabel(r.idp), r.driver, ...v].join(', ');
}

/** A pass graded on the page only is named so, for CI test tabs that show only names and colours. */
export const PAGE_ONLY_SUFFIX = ' (page only)';

const pageOnly = (r: CaseResult) => r.status === 'passed' && r.grading !== 'state';

/**
 * One testcase per (case, idp, variant), one testsuite per case group, as CI systems read it.
 * A pass carries a `grading` property (`state` or `page-only`) and says in system-out what
 * graded it; a pass on the page only has the name suffix " (page only)".
 */
export function renderJunit(report: Report): string {
  const groups = new Map<string, CaseResult[]>();
  for (const r of report.results) {
    const g = r.case.split('.')[0] ?? r.case;
    groups.set(g, [...(groups.get(g) ?? []), r]);
  }
  const s = report.summary;
  let out = `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="idp-harness" tests="${report.results.length}" failures="${s.failed}" errors="${s.errors}" skipped="${s.skipped + s.notApplicable}" time="${(report.durationMs / 1000).toFixed(3)}">\n`;
  for (const [group, results] of groups) {
    const count = (st: string) => results.filter((r) => r.status === st).length;
    const time = results.reduce((a, r) => a + r.durationMs, 0) / 1000;
    out += `  <testsuite name="${x(group)}" tests="${results.length}" failures="${count('failed')}" errors="${count('error')}" skipped="${count('skipped') + count('not-applicable')}" time="${time.toFixed(3)}" timestamp="${x(report.startedAt)}">\n`;
    for (const r of results) {
      out += `    <testcase classname="${x(r.case)}" name="${x(`${r.case} [${variantLabel(r)}]${pageOnly(r) ? PAGE_ONLY_SUFFIX : ''}`)}" file="${x(r.scenario)}" time="${(r.durationMs / 1000).toFixed(3)}">\n`;
      const grading =
        r.status === 'passed'
          ? `<property name="grading" value="${pageOnly(r) ? 'page-only' : 'state'}"/>`
          : '';
      const checksNa = r.checks?.notApplicable
        ? `<property name="checks.notApplicable" value="${r.checks.notApplicable}"/>`
        : '';
      out += `      <properties>${r.requirements.map((q) => `<property name="requirement" value="${x(q)}"/>`).join('')}<property name="observer" value="${x(r.observer ?? 'none')}"/>${grading}${checksNa}</properties>\n`;
      if (r.status === 'passed')
        out += `      <system-out>${x(`passed ${gradingLabel(r)}${notApplicableChecksText(r)}`)}</system-out>\n`;
      if (r.status === 'failed')
        out += `      <failure message="${x(r.message)}" type="failed">${x(stepsText(r))}</failure>\n`;
      if (r.status === 'error')
        out += `      <error message="${x(r.message)}" type="error">${x(stepsText(r))}</error>\n`;
      if (r.status === 'skipped' || r.status === 'not-applicable')
        out += `      <skipped message="${x(`${r.status}: ${r.message ?? ''}`)}"/>\n`;
      out += `    </testcase>\n`;
    }
    out += `  </testsuite>\n`;
  }
  return out + `</testsuites>\n`;
}

function stepsText(r: CaseResult): string {
  return r.steps
    .map(
      (s) =>
        `[${s.status}] ${s.name}${s.message ? `: ${s.message}` : ''}` +
        (s.checks ?? [])
          .map((c) => `\n    ${c.check}: ${c.status}${c.message ? ` (${c.message})` : ''}`)
          .join(''),
    )
    .join('\n');
}

export class JunitReporter implements Reporter {
  constructor(private readonly file: string = 'reports/junit.xml') {}
  onEnd(report: Report): void {
    mkdirSync(dirname(this.file), { recursive: true });
    writeFileSync(this.file, renderJunit(report));
  }
}
