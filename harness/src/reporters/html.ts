import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, extname, isAbsolute, resolve } from 'node:path';
import {
  NO_IDP,
  gradingLabel,
  idpLabel,
  notApplicableChecksText,
  type CaseResult,
  type CheckResult,
  type MailEvidence,
  type Report,
  type ScimExchange,
  type Status,
  type StepResult,
} from '../model.js';
import { ALL_IDPS } from '../scenario/types.js';
import { prettyXml } from './pretty-xml.js';
import type { Reporter } from './reporter.js';

export const DEFAULT_HTML_REPORT = 'reports/report.html';

const esc = (s: unknown) =>
  String(s ?? '').replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

const LABEL: Record<Status, string> = {
  passed: 'passed',
  failed: 'failed',
  error: 'error',
  skipped: 'skipped',
  'not-applicable': 'n/a',
};

/** A result's look: a pass graded on the page only is not the same green as one graded on state. */
type Look = Status | 'passed-page';
const lookOf = (r: CaseResult): Look =>
  r.status === 'passed' && r.grading !== 'state' ? 'passed-page' : r.status;
const LOOK_LABEL: Record<Look, string> = { ...LABEL, passed: 'passed', 'passed-page': 'page only' };

/** Severity order: a cell holding several results (drivers, variants) shows the worst. */
const SEVERITY: Look[] = ['error', 'failed', 'passed-page', 'passed', 'skipped', 'not-applicable'];
const worst = (rs: CaseResult[]): Look =>
  SEVERITY.find((s) => rs.some((r) => lookOf(r) === s)) ?? 'not-applicable';

const CHECK_GRADED: Record<string, string> = { page: 'on the page' };

/** Each check of a step with its own verdict: what graded it, or why it failed or did not apply. */
function checksHtml(checks: readonly CheckResult[]): string {
  return `<ul class="checks">${checks
    .map((c) => {
      const look = c.status === 'passed' && c.gradedBy === 'page' ? 'passed-page' : c.status;
      const graded = c.gradedBy
        ? ` <span class="k">${esc(CHECK_GRADED[c.gradedBy] ?? `on state through ${c.gradedBy}`)}</span>`
        : '';
      return `<li class="check" data-check="${esc(c.check)}" data-status="${esc(c.status)}"><span class="badge st-${look}">${LABEL[c.status]}</span> <code>${esc(c.check)}</code>${graded}${c.message ? ` · ${esc(c.message)}` : ''}${c.code ? ` <code>${esc(c.code)}</code>` : ''}</li>`;
    })
    .join('')}</ul>`;
}

const variantText = (r: CaseResult) =>
  [r.driver, ...Object.entries(r.variant).map(([k, v]) => `${k}=${v}`)].join(', ');

const pretty = (v: unknown) => esc(JSON.stringify(v, null, 2));

/** Reads a screenshot into a data: URI so that the report needs nothing beside itself. */
function dataUri(path: string, baseDir: string): string | undefined {
  const file = isAbsolute(path) ? path : resolve(baseDir, path);
  if (!existsSync(file)) return undefined;
  const type = extname(file).toLowerCase() === '.jpg' ? 'image/jpeg' : 'image/png';
  return `data:${type};base64,${readFileSync(file).toString('base64')}`;
}

const jsonBody = (b: unknown) =>
  b === undefined || b === '' ? '' : `<pre>${typeof b === 'string' ? esc(tryJson(b)) : pretty(b)}</pre>`;

/** A SCIM exchange as the transcript shows it: the request, then the answer (or why none came). */
function scimEntry(e: ScimExchange): string {
  const answer = e.error
    ? `no answer: ${esc(e.error)}`
    : `<b class="http-${esc(String(e.status).charAt(0))}xx">${esc(e.status)}</b>`;
  return (
    `<div class="scim"><div class="req"><b>${esc(e.method)}</b> ${esc(e.url)}</div>${jsonBody(e.requestBody)}` +
    `<div class="res">→ ${answer}</div>${jsonBody(e.responseBody)}</div>`
  );
}

function tryJson(s: string): string {
  try {
    return JSON.stringify(JSON.parse(s), null, 2);
  } catch {
    return s;
  }
}

function mailEntry(m: MailEvidence): string {
  const head = (
    [
      ['from', m.from],
      ['to', m.to.join(', ')],
      ['subject', m.subject],
      ['received', m.receivedAt],
    ] as const
  )
    .map(([k, v]) => `<div><span class="k">${k}</span> ${esc(v)}</div>`)
    .join('');
  return (
    `<div class="mail">${head}<pre>${esc(m.text)}</pre>` +
    (m.links.length ? `<ul>${m.links.map((l) => `<li>${esc(l)}</li>`).join('')}</ul>` : '') +
    `</div>`
  );
}

function stepHtml(s: StepResult, n: number, baseDir: string): string {
  const ev = s.evidence;
  const parts: string[] = [];
  if (s.checks?.length) parts.push(checksHtml(s.checks));
  if (s.message)
    parts.push(`<div class="msg">${esc(s.message)}${s.code ? ` <code>${esc(s.code)}</code>` : ''}</div>`);
  if (ev.http?.length) {
    parts.push(
      `<details><summary>HTTP (${ev.http.length})</summary><ol class="http">${ev.http
        .map(
          (h) =>
            `<li><b>${esc(h.method)}</b> ${esc(h.url)} → <b class="http-${String(h.status).charAt(0)}xx">${h.status}</b>${h.location ? ` <span class="k">Location</span> ${esc(h.location)}` : ''}</li>`,
        )
        .join('')}</ol></details>`,
    );
  }
  for (const [i, req] of (ev.samlRequests ?? []).entries()) {
    parts.push(
      `<details><summary>SAML request ${i + 1}</summary><pre class="xml">${esc(prettyXml(req))}</pre></details>`,
    );
  }
  if (ev.saml) {
    parts.push(
      `<details open class="saml"><summary>SAML Response (decoded, indented copy; ${ev.saml.length} bytes on the wire)</summary><pre class="xml">${esc(prettyXml(ev.saml))}</pre></details>`,
    );
  }
  if (ev.scim?.length) {
    parts.push(
      `<details open><summary>SCIM transcript (${ev.scim.length})</summary>${ev.scim.map(scimEntry).join('')}</details>`,
    );
  }
  if (ev.mail?.length) {
    parts.push(
      `<details open><summary>Mail (${ev.mail.length})</summary>${ev.mail.map(mailEntry).join('')}</details>`,
    );
  }
  if (ev.observed !== undefined) {
    parts.push(`<details><summary>Observed</summary><pre>${pretty(ev.observed)}</pre></details>`);
  }
  if (ev.screenshot) {
    const uri = dataUri(ev.screenshot, baseDir);
    parts.push(
      uri
        ? `<details open><summary>Screenshot</summary><img class="shot" alt="screenshot of step ${n}" src="${uri}"></details>`
        : `<div class="k">screenshot ${esc(ev.screenshot)} (file not found)</div>`,
    );
  }
  return (
    `<li class="step st-${s.status}"><div class="head"><span class="badge st-${s.status}">${LABEL[s.status]}</span> ` +
    `<span class="name">${n}. ${esc(s.name)}</span> <span class="dur">${s.durationMs} ms</span></div>${parts.join('')}</li>`
  );
}

/** Which observer read the SP's state for a result (CaseResult.observer), and what graded a pass. */
const observerText = (r: CaseResult) =>
  (r.status === 'passed'
    ? `passed ${gradingLabel(r)}`
    : r.observer && r.observer !== 'none'
      ? `state read through ${r.observer}`
      : 'no state read') + notApplicableChecksText(r);

function detailHtml(r: CaseResult, id: string, baseDir: string): string {
  return (
    `<section class="detail" id="${id}"><a class="close" href="#matrix">close ✕</a>` +
    `<h2><span class="badge st-${lookOf(r)}" data-grading="${esc(r.grading ?? '')}">${LOOK_LABEL[lookOf(r)]}</span> ${esc(r.case)} · ${esc(idpLabel(r.idp))} · ${esc(variantText(r))}</h2>` +
    (r.title ? `<p class="title">${esc(r.title)}</p>` : '') +
    `<p class="meta">${esc(r.scenario)} · ${r.durationMs} ms · ${esc(observerText(r))}</p>` +
    (r.message ? `<div class="msg">${esc(r.message)}</div>` : '') +
    (r.requirements.length
      ? `<details><summary>Requirements (${r.requirements.length})</summary><ul>${r.requirements.map((q) => `<li>${esc(q)}</li>`).join('')}</ul></details>`
      : '') +
    `<ol class="timeline">${r.steps.map((s, i) => stepHtml(s, i + 1, baseDir)).join('')}</ol></section>`
  );
}

const STYLE = `
body{font:14px/1.4 system-ui,-apple-system,Segoe UI,sans-serif;margin:0;color:#1d2530;background:#f6f7f9}
header{padding:16px 24px;background:#1d2530;color:#fff}header h1{margin:0 0 4px;font-size:20px}
.sum span{margin-right:14px}main{padding:16px 24px}
table.matrix{border-collapse:collapse;background:#fff;box-shadow:0 1px 2px #0002}
.matrix th,.matrix td{border:1px solid #dde1e6;padding:6px 10px;text-align:left}
.matrix th.idp{text-align:center;min-width:90px}.matrix td.cell{text-align:center;padding:0}
.matrix td.cell a{display:block;padding:6px 8px;color:inherit;text-decoration:none;font-weight:600}
.matrix td.cell a+a{border-top:1px solid #fff8}
.case-title{color:#5b6570;font-size:12px}.group td{background:#eef1f4;font-weight:700}
.st-passed{background:#2e9d5b;color:#fff}.st-failed{background:#d23c3c;color:#fff}
.st-error{background:#e08a00;color:#fff}.st-skipped{background:#b8bfc7;color:#222}
.st-not-applicable{background:#e3e6ea;color:#555}
.st-passed-page{background:#d4efdd;color:#1d5a34;box-shadow:inset 0 0 0 2px #2e9d5b}
.checks{list-style:none;padding:0;margin:4px 0}.check{margin:2px 0}.cell.empty{background:#fafbfc;color:#aaa}
.badge{display:inline-block;padding:1px 7px;border-radius:9px;font-size:12px;font-weight:700}
.detail{display:none;background:#fff;margin:16px 0;padding:12px 18px;box-shadow:0 1px 3px #0003}
.detail:target{display:block}.close{float:right}.meta,.title{color:#5b6570;margin:4px 0}
.timeline{list-style:none;padding:0}.step{border-left:4px solid #dde1e6;margin:8px 0;padding:4px 12px;background:#fff}
.step.st-passed{border-color:#2e9d5b}.step.st-passed-page{border-color:#8fd0a8}.step.st-failed{border-color:#d23c3c}.step.st-error{border-color:#e08a00}
.step{color:inherit}.step .head .name{font-weight:600}.dur,.k{color:#5b6570;font-size:12px}
pre{background:#f3f4f6;padding:8px;overflow:auto;max-height:480px;font:12px/1.35 ui-monospace,Menlo,Consolas,monospace;white-space:pre}
.msg{background:#fff4f0;border:1px solid #f2c4b5;padding:6px 8px;margin:6px 0;white-space:pre-wrap}
.shot{max-width:100%;border:1px solid #ccd}.http-2xx{color:#2e9d5b}.http-3xx{color:#3b6fd8}.http-4xx,.http-5xx{color:#d23c3c}
.scim,.mail{border:1px solid #e3e6ea;margin:6px 0;padding:6px}summary{cursor:pointer;margin:4px 0}
`;

/** One self-contained HTML file: the matrix of cases × IdPs, each cell opening its timeline. */
export function renderHtml(report: Report, opts: { baseDir?: string } = {}): string {
  const baseDir = opts.baseDir ?? process.cwd();
  // The four profiles, then any other IdP a report names, then the column of IdP-independent cases.
  const known: readonly string[] = [...ALL_IDPS, NO_IDP];
  const idps = [
    ...ALL_IDPS.filter((i) => report.results.some((r) => r.idp === i)),
    ...new Set(report.results.map((r) => r.idp).filter((i) => !known.includes(i))),
    ...(report.results.some((r) => r.idp === NO_IDP) ? [NO_IDP] : []),
  ];
  const cases = new Map<string, CaseResult[]>();
  for (const r of report.results) cases.set(r.case, [...(cases.get(r.case) ?? []), r]);
  const ids = new Map<CaseResult, string>();
  report.results.forEach((r, i) => ids.set(r, `r${i + 1}`));

  let rows = '';
  let group = '';
  for (const [c, rs] of cases) {
    const g = c.split('.')[0] ?? c;
    if (g !== group) rows += `<tr class="group"><td colspan="${idps.length + 1}">${esc(g)}</td></tr>`;
    group = g;
    rows += `<tr data-case="${esc(c)}"><td><div>${esc(c)}</div><div class="case-title">${esc(rs[0]!.title ?? '')}</div></td>`;
    for (const idp of idps) {
      const cell = rs.filter((r) => r.idp === idp);
      if (!cell.length) {
        rows += `<td class="cell empty">—</td>`;
        continue;
      }
      rows += `<td class="cell st-${worst(cell)}" data-idp="${esc(idp)}">${cell
        .map(
          (r) =>
            `<a class="st-${lookOf(r)}" href="#${ids.get(r)}" title="${esc(`${r.status} (${observerText(r)})${r.message ? `: ${r.message}` : ''}`)}">${LOOK_LABEL[lookOf(r)]}${cell.length > 1 ? ` <small>${esc(variantText(r))}</small>` : ''}</a>`,
        )
        .join('')}</td>`;
    }
    rows += `</tr>`;
  }
  const s = report.summary;
  return (
    `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">` +
    `<title>idp-harness report ${esc(report.startedAt)}</title><style>${STYLE}</style></head><body>` +
    `<header><h1>idp-harness conformance report</h1><div class="sum">` +
    `<span class="badge st-passed">${s.passedOnState} passed on state</span><span class="badge st-passed-page">${s.passedPageOnly} passed, page only</span><span class="badge st-failed">${s.failed} failed</span>` +
    `<span class="badge st-error">${s.errors} errors</span><span class="badge st-not-applicable">${s.notApplicable} not applicable</span>` +
    `<span class="badge st-skipped">${s.skipped} skipped</span>` +
    `<span>started ${esc(report.startedAt)} · ${(report.durationMs / 1000).toFixed(1)} s · ${report.results.length} case runs</span></div></header>` +
    `<main><table class="matrix" id="matrix"><thead><tr><th>case</th>${idps.map((i) => `<th class="idp" data-idp="${esc(i)}">${esc(idpLabel(i))}</th>`).join('')}</tr></thead>` +
    `<tbody>${rows}</tbody></table>` +
    report.results.map((r) => detailHtml(r, ids.get(r)!, baseDir)).join('') +
    `</main></body></html>\n`
  );
}

export class HtmlReporter implements Reporter {
  constructor(private readonly file: string = DEFAULT_HTML_REPORT) {}
  onEnd(report: Report): void {
    mkdirSync(dirname(this.file), { recursive: true });
    writeFileSync(this.file, renderHtml(report));
  }
}
