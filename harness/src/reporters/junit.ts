import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { idpLabel, type CaseResult, type Report } from '../model.js';
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

/** One testcase per (case, idp, variant), one testsuite per case group, as CI systems read it. */
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
      out += `    <testcase classname="${x(r.case)}" name="${x(`${r.case} [${variantLabel(r)}]`)}" file="${x(r.scenario)}" time="${(r.durationMs / 1000).toFixed(3)}">\n`;
      out += `      <properties>${r.requirements.map((q) => `<property name="requirement" value="${x(q)}"/>`).join('')}<property name="observer" value="${x(r.observer ?? 'none')}"/></properties>\n`;
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
  return r.steps.map((s) => `[${s.status}] ${s.name}${s.message ? `: ${s.message}` : ''}`).join('\n');
}

export class JunitReporter implements Reporter {
  constructor(private readonly file: string = 'reports/junit.xml') {}
  onEnd(report: Report): void {
    mkdirSync(dirname(this.file), { recursive: true });
    writeFileSync(this.file, renderJunit(report));
  }
}
