import type { RunningIdp } from '../../../mock-idp/src/index.js';
import type { RunningSp } from '../../../sp-under-test/src/index.js';
import type { MailCatcher } from '../env/mail-catcher.js';
import { GUIDES, type GuideLink } from './guides.js';
import { LIVE_SCRIPT } from './live.js';
import type { ScimLog } from './scim-log.js';

/** One vendor's corner of the demo: its IdP tenant and the SP workspace that trusts it. */
export interface Demo {
  vendor: string;
  workspace: string;
  tenant: string;
  scimToken: string;
  users: string[];
  /** `connected`, or why the tenant has no SCIM connection (Google provisions no custom apps). */
  scim?: string;
}

export interface ServeContext {
  url: string;
  sp: RunningSp;
  idp: RunningIdp;
  mail: MailCatcher;
  demos: Demo[];
  scimLog: ScimLog;
  /** `serve --scenario`: the guided demo prepared, and what the preparation did. */
  prepared?: { case: string; note: string };
}

const esc = (s: unknown) =>
  String(s ?? '').replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

const json = (v: unknown) => `<pre>${esc(JSON.stringify(v, null, 2))}</pre>`;

function layout(title: string, body: string, live = false): string {
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${esc(title)} · idp-harness serve</title>
<style>body{font:14px/1.45 system-ui,sans-serif;margin:0;color:#1d2530;background:#f6f7f9}
header{background:#1d2530;color:#fff;padding:12px 24px}header a{color:#9cc4ff}main{padding:16px 24px}
table{border-collapse:collapse;background:#fff;margin:8px 0}td,th{border:1px solid #dde1e6;padding:5px 9px;text-align:left;vertical-align:top}
pre{background:#f3f4f6;padding:6px;overflow:auto;max-height:320px;margin:4px 0}code{background:#eef1f4;padding:0 3px}
form.inline{display:inline}.card{background:#fff;box-shadow:0 1px 2px #0002;padding:10px 16px;margin:10px 0}.muted{color:#5b6570}</style></head>
<body><header><b>idp-harness serve</b> · <a href="/">start</a> · <a href="/mail">mailbox</a> · <a href="/scim-log">SCIM traffic</a></header>
<main><h1>${esc(title)}</h1>${body}</main>${live ? LIVE_SCRIPT : ''}</body></html>`;
}

const CONSOLE_NAMES: Record<string, string> = {
  okta: 'Okta Admin Console',
  onelogin: 'OneLogin administration',
  entra: 'Microsoft Entra admin center',
  google: 'Google Admin console',
};

/** Opens the tenant's console: the form hands the IdP admin token over once, and the IdP sets its console cookie. */
const consoleForm = (c: ServeContext, d: Demo, label: string, attrs: string) =>
  `<form class="inline" method="post" action="${esc(`${c.idp.url}/console/session`)}"><input type="hidden" name="token" value="${esc(c.idp.adminToken)}"><input type="hidden" name="next" value="${esc(`/${d.tenant}/admin`)}"><button type="submit" ${attrs}>${esc(label)}</button></form>`;

const consoleLink = (c: ServeContext, d: Demo) =>
  `<li>${consoleForm(c, d, `Open the ${CONSOLE_NAMES[d.vendor] ?? d.vendor}`, `data-link="console" data-vendor="${esc(d.vendor)}"`)}
(the mock tenant's console: assignments, provisioning, deactivation)</li>`;

function guideLink(c: ServeContext, d: Demo, l: GuideLink): string {
  if (l.to === 'console') return consoleForm(c, d, l.label, 'data-guide-link="console"');
  const href =
    l.to === 'sp'
      ? `${c.sp.url}${l.path || `/w/${d.workspace}`}`
      : l.to === 'sp-admin'
        ? `/sp/${d.workspace}`
        : l.to === 'mail'
          ? '/mail'
          : '/scim-log';
  return `<a data-guide-link="${esc(l.to)}" href="${esc(href)}" target="_blank">${esc(l.label)}</a>`;
}

/** The guided demos: short walkthroughs of catalogue cases, each step with the link it needs. */
function guides(c: ServeContext): string {
  const demo = (v: string) => c.demos.find((d) => d.vendor === v) ?? c.demos[0]!;
  return GUIDES.map((g) => {
    const d = demo(g.vendor);
    const prepared = c.prepared?.case === g.case;
    const steps = g
      .steps(demo)
      .map((s) => `<li>${esc(s.text)}${s.link ? ` ${guideLink(c, d, s.link)}` : ''}</li>`)
      .join('');
    return `<details class="card" data-guide="${esc(g.case)}"${prepared ? ' open' : ''}><summary><b>${esc(g.title)}</b> <code>${esc(g.case)}</code> · ${esc(d.vendor)}</summary>
${prepared ? `<p data-prepared>Prepared: ${esc(c.prepared!.note)}</p>` : `<p class="muted">Start from this state with <code>idp-harness serve --scenario ${esc(g.case)}</code>.</p>`}<ol>${steps}</ol></details>`;
  }).join('');
}

export function startPage(c: ServeContext): string {
  const cards = c.demos
    .map(
      (d) => `<div class="card" data-vendor="${esc(d.vendor)}"><h2>${esc(d.vendor)}</h2>
<ul>
<li><a data-link="idp-login" href="${esc(`${c.idp.url}/${d.tenant}/init`)}">Sign in at the ${esc(d.vendor)} IdP</a> (IdP-initiated: the user picker and password page)</li>
<li><a data-link="sp-login" href="${esc(`${c.sp.url}/w/${d.workspace}`)}">Open workspace <code>${esc(d.workspace)}</code> at the SP</a> (SP-initiated)</li>
${consoleLink(c, d)}
<li><a data-link="sp-admin" href="/sp/${esc(d.workspace)}">SP admin view of <code>${esc(d.workspace)}</code></a>: members, roles, sessions, audit</li>
<li>IdP metadata: <a href="${esc(`${c.idp.url}/${d.tenant}/metadata`)}">${esc(`${c.idp.url}/${d.tenant}/metadata`)}</a>;
SP metadata: <a href="${esc(`${c.sp.url}/saml/${d.workspace}/metadata`)}">${esc(`${c.sp.url}/saml/${d.workspace}/metadata`)}</a></li>
<li>SCIM: ${d.scim === 'connected' ? `the tenant provisions through <code>${esc(c.url)}/scim-proxy/v2</code> (logged)` : esc(d.scim ?? 'not connected')};
SP token <code>${esc(d.scimToken)}</code></li>
</ul><p class="muted">Users (password in fixtures/setups/${esc(d.vendor)}.yaml): ${d.users.map((u) => `<code>${esc(u)}</code>`).join(' ')}</p></div>`,
    )
    .join('');
  return layout(
    'Mock IdPs, the reference SP and a mailbox',
    `<table><tr><th>mock IdP</th><td><a href="${esc(c.idp.url)}">${esc(c.idp.url)}</a> (admin token <code>${esc(c.idp.adminToken)}</code>)</td></tr>
<tr><th>reference SP</th><td><a href="${esc(c.sp.url)}">${esc(c.sp.url)}</a> (admin token <code>${esc(c.sp.adminToken)}</code>)</td></tr>
<tr><th>SMTP mail catcher</th><td><code>smtp://${esc(c.mail.host)}:${c.mail.port}</code> · <a data-link="mailbox" href="/mail">mailbox</a> (${c.mail.all().length} messages)</td></tr>
<tr><th>SCIM traffic</th><td><a data-link="scim-log" href="/scim-log">SCIM traffic log</a> (${c.scimLog.entries.length} exchanges)</td></tr></table>
<h2>Guided demos</h2>${guides(c)}<h2>The IdPs and their workspaces</h2>${cards}`,
  );
}

export function mailboxPage(c: ServeContext): string {
  const list = [...c.mail.all()]
    .reverse()
    .map(
      (m) => `<div class="card mail"><b>${esc(m.subject)}</b> <span class="muted">${esc(m.receivedAt)}</span>
<div>from ${esc(m.from)} to ${esc(m.to.join(', '))}</div><pre>${esc(m.text)}</pre>
${m.links.length ? `<ul>${m.links.map((l) => `<li><a href="${esc(l)}">${esc(l)}</a></li>`).join('')}</ul>` : ''}</div>`,
    )
    .join('');
  return layout(
    'Mailbox',
    list || '<p class="muted">No mail yet. The SP sends verification and invitation mail here.</p>',
  );
}

export function scimLogPage(c: ServeContext): string {
  const rows = [...c.scimLog.entries]
    .reverse()
    .map(
      (
        e,
      ) => `<tr><td>${e.seq}</td><td>${esc(e.at)}</td><td><b>${esc(e.method)}</b> ${esc(e.url)}</td><td>${e.status}</td>
<td>${e.requestBody === undefined ? '' : json(e.requestBody)}</td><td>${e.responseBody === undefined ? '' : json(e.responseBody)}</td></tr>`,
    )
    .join('');
  return layout(
    'SCIM traffic',
    rows
      ? `<table><tr><th>#</th><th>at</th><th>request</th><th>status</th><th>request body</th><th>response body</th></tr>${rows}</table>`
      : `<p class="muted">No SCIM traffic yet. Tenants with SCIM send through <code>${esc(c.url)}/scim-proxy/v2</code>; use a tenant's admin console (from the start page), the IdP admin API (<code>POST ${esc(c.idp.url)}/api/admin/tenants/&lt;tenant&gt;/scim/&lt;action&gt;</code>) or point any SCIM client there. This page updates as traffic goes through.</p>`,
    true,
  );
}

export function spAdminPage(
  _c: ServeContext,
  ws: string,
  state: { members: unknown[]; sessions: unknown[]; audit: unknown[] },
): string {
  const members = state.members as {
    email: string;
    name: string;
    status: string;
    roles: Record<string, string>;
  }[];
  return layout(
    `Workspace ${ws}`,
    `<h2>Members (${members.length})</h2><table><tr><th>email</th><th>name</th><th>status</th><th>roles</th></tr>${members
      .map(
        (m) =>
          `<tr data-member="${esc(m.email)}"><td>${esc(m.email)}</td><td>${esc(m.name)}</td><td>${esc(m.status)}</td><td>${esc(
            Object.entries(m.roles ?? {})
              .map(([e, r]) => `${e}: ${r}`)
              .join(', '),
          )}</td></tr>`,
      )
      .join('')}</table>
<h2>Live sessions (${state.sessions.length})</h2>${json(state.sessions)}
<h2>Audit log (${state.audit.length})</h2>${json(state.audit.slice(-50))}`,
    true,
  );
}
