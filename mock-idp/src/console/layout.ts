import { esc } from '../http/html.js';
import type { ConsoleModel } from './model.js';

/** One console action: a small form posting to `/<tenant>/admin/<op>` with the anti-forgery token. */
export function actionButton(
  m: ConsoleModel,
  op: string,
  label: string,
  fields: Record<string, string> = {},
  user?: string,
): string {
  const hidden = Object.entries(fields)
    .map(([k, v]) => `<input type="hidden" name="${esc(k)}" value="${esc(v)}">`)
    .join('');
  return `<form method="post" action="/${esc(m.tenant)}/admin/${esc(op)}" class="inline">${hidden}${csrfField(m)}<button type="submit" data-op="${esc(op)}"${user ? ` data-user="${esc(user)}"` : ''}>${esc(label)}</button></form>`;
}

export const csrfField = (m: ConsoleModel) => `<input type="hidden" name="csrf" value="${esc(m.csrf)}">`;

/** A user's profile and app attributes as an editable form. */
export function editForm(
  m: ConsoleModel,
  user: ConsoleModel['users'][number],
  fields: { key: string; label: string }[],
  roleLabel: (attr: string) => string,
  submit: string,
  note: string,
): string {
  const inputs = [
    ...fields.map(
      (f) =>
        `<label>${esc(f.label)} <input name="profile.${esc(f.key)}" value="${esc(user.profile[f.key] ?? '')}"></label>`,
    ),
    ...Object.entries(user.roles).map(
      ([a, v]) => `<label>${esc(roleLabel(a))} <input name="role.${esc(a)}" value="${esc(v)}"></label>`,
    ),
  ].join('');
  return `<details><summary>Edit</summary><form method="post" action="/${esc(m.tenant)}/admin/edit" class="edit">
<input type="hidden" name="user" value="${esc(user.login)}">${csrfField(m)}${inputs}
<button type="submit" data-op="edit" data-user="${esc(user.login)}">${esc(submit)}</button><p class="muted">${esc(note)}</p></form></details>`;
}

function flashBox(m: ConsoleModel): string {
  const f = m.flash;
  if (!f) return '';
  const wire = f.exchanges.length
    ? `<ul class="wire">${f.exchanges.map((x) => `<li><code>${esc(x.method)} ${esc(x.path)}</code> → ${esc(x.status)}</li>`).join('')}</ul>`
    : '<p class="muted">No SCIM request was sent.</p>';
  return `<div class="flash ${f.ok ? 'ok' : 'fail'}" role="status" data-flash="${esc(f.action)}"><b>${esc(f.action)}</b>: ${esc(f.message)}${wire}</div>`;
}

/** The console page: the vendor's header and navigation, the last action's outcome, then the sections. */
export function consolePage(
  m: ConsoleModel,
  brand: { product: string; colour: string; nav: string[] },
  sections: string,
): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(brand.product)} — ${esc(m.appName)} (mock console)</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:0;background:#f5f6f8;color:#1d2530}
header{background:${brand.colour};color:#fff;padding:10px 24px;display:flex;gap:18px;align-items:baseline}
header b{font-size:1.1rem}header span{opacity:.85}header code{background:#fff3;color:inherit}main{padding:12px 24px;max-width:1100px}
section{background:#fff;box-shadow:0 1px 2px #0002;padding:8px 16px 12px;margin:12px 0}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #e3e6ea;padding:5px 8px;text-align:left;vertical-align:top}
form.inline{display:inline}button{margin:1px 2px;padding:3px 9px;cursor:pointer}
form.edit label{display:inline-block;margin:3px 8px 3px 0}form.edit input{width:11rem}
.flash{padding:8px 12px;margin:10px 0;border-left:4px solid}.ok{background:#eaf7ee;border-color:#2e7d32}.fail{background:#fdecea;border-color:#c62828}
.muted{color:#5b6570}.tag{display:inline-block;padding:0 6px;border-radius:8px;background:#eef1f4;font-size:.85rem}
.wire{margin:4px 0 0}code{background:#eef1f4;padding:0 3px}
</style></head><body data-console="${esc(m.vendor)}">
<header><b>${esc(brand.product)}</b><span>${brand.nav.map(esc).join(' › ')}</span><span>tenant <code>${esc(m.tenant)}</code> (mock)</span></header>
<main>${flashBox(m)}${sections}</main></body></html>`;
}

export const statusTag = (label: string, attr: string) =>
  `<span class="tag" data-status="${esc(attr)}">${esc(label)}</span>`;
