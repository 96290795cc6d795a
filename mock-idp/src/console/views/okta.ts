import { esc } from '../../http/html.js';
import { ROLE_ATTRIBUTES } from '../../scim/engines/engine.js';
import { scimStateOf } from '../../scim/state.js';
import { actionButton, consolePage, csrfField, editForm, statusTag } from '../layout.js';
import type { ConsoleModel, ConsoleUser } from '../model.js';
import type { VendorConsole } from './vendor-console.js';

const PROFILE = [
  { key: 'firstName', label: 'First name' },
  { key: 'lastName', label: 'Last name' },
  { key: 'email', label: 'Primary email' },
];

/** Okta's Assignments tab states a user's provisioning: provisioned, not yet, suspended or deactivated. */
function status(u: ConsoleUser): string {
  if (!u.assigned && u.status !== 'deactivated') return statusTag('Not assigned', 'unassigned');
  if (u.status === 'suspended') return statusTag('Suspended', 'suspended');
  if (u.status === 'deactivated') return statusTag('Deactivated', 'deactivated');
  return u.scimId ? statusTag('Provisioned', 'provisioned') : statusTag('Not provisioned', 'not-provisioned');
}

function person(m: ConsoleModel, u: ConsoleUser): string {
  const b = (op: string, label: string) => actionButton(m, op, label, { user: u.login }, u.login);
  const buttons =
    u.status === 'active' && u.assigned
      ? [
          b('provision-user', 'Provision User'),
          b('suspend', 'Suspend'),
          b('deactivate', 'Deactivate'),
          b('unassign', 'Remove'),
        ]
      : [
          b(
            'reactivate',
            u.status === 'active' ? 'Assign' : u.status === 'suspended' ? 'Unsuspend' : 'Activate',
          ),
        ];
  return `<tr data-user="${esc(u.login)}"><td>${esc(u.name)}<div class="muted">${esc(u.login)}</div></td><td data-scope="${u.scope}">${u.scope === 'GROUP' ? 'Group' : 'Individual'}</td>
<td>${esc(u.roles.workato_role || '—')}</td><td>${status(u)}</td><td>${buttons.join('')}
${editForm(m, u, PROFILE, (a) => `${a} (app user)`, 'Save', 'Okta sends the change to the app at once (Update User Attributes).')}</td></tr>`;
}

/** Assigning the app to a group, with the app attribute values its members get. */
function groupAssignForm(m: ConsoleModel, group: string, submit: string): string {
  const inputs = ROLE_ATTRIBUTES.map(
    (a) =>
      `<label>${esc(a)} <input name="role.${esc(a)}" value="${esc(m.groupValues[group]?.[a] ?? '')}"></label>`,
  ).join('');
  return `<form method="post" action="/${esc(m.tenant)}/admin/assign-group" class="edit"><input type="hidden" name="group" value="${esc(group)}">${csrfField(m)}${inputs}
<button type="submit" data-op="assign-group" data-group="${esc(group)}">${esc(submit)}</button></form>`;
}

/**
 * Assignments › Convert Assignments (seed 002): the individually assigned people who are in a group
 * assigned to the app, to tick and "Convert selected" from user to group management.
 */
function convertAssignments(m: ConsoleModel): string {
  const eligible = m.users.filter(
    (u) => u.assigned && u.scope === 'USER' && u.groups.some((g) => m.assignedGroups.includes(g)),
  );
  const rows = eligible
    .map(
      (u) =>
        `<tr><td><label><input type="checkbox" name="select" value="${esc(u.login)}"> ${esc(u.name)}</label><div class="muted">${esc(u.login)}</div></td><td>${esc(u.groups.filter((g) => m.assignedGroups.includes(g)).join(', '))}</td></tr>`,
    )
    .join('');
  const body = eligible.length
    ? `<form method="post" action="/${esc(m.tenant)}/admin/convert-assignments">${csrfField(m)}
<table><tr><th>Person</th><th>Assigned groups</th></tr>${rows}</table><button type="submit" data-op="convert-assignments">Convert selected</button></form>`
    : '<p class="muted">No individual assignment to convert: assign the app to a group the person belongs to first.</p>';
  return `<details id="convert-assignments"><summary data-op="open-convert-assignments">Convert Assignments</summary>
<h4>Select assignments to convert</h4>${body}</details>`;
}

function render(m: ConsoleModel): string {
  const acts = m.scim?.options.actions ?? ['create', 'update', 'deactivate'];
  const box = (a: string, label: string) =>
    `<label><input type="checkbox" name="action" value="${a}"${acts.includes(a as never) ? ' checked' : ''}> ${label}</label> `;
  return consolePage(
    m,
    { product: 'okta', colour: '#00297a', nav: ['Applications', 'Applications', m.appName] },
    `<section id="provisioning"><h2>Provisioning</h2>
<p>SCIM connector base URL <code>${esc(m.scim?.baseUrl ?? 'not configured')}</code> · Authentication Mode: HTTP Header</p>
${actionButton(m, 'test-connection', 'Test Connector Configuration')}
<h3>To App</h3><form method="post" action="/${esc(m.tenant)}/admin/to-app">${csrfField(m)}
${box('create', 'Create Users')}${box('update', 'Update User Attributes')}${box('deactivate', 'Deactivate Users')}
<button type="submit" data-op="to-app">Save</button></form>
${actionButton(m, 'reapply-mappings', 'Reapply Mappings')}<span class="muted"> sends every assigned user's attributes again</span>
<h3>To Okta</h3>${actionButton(m, 'import', 'Import Now')}</section>
<section id="assignments"><h2>Assignments</h2><h3>People</h3>
<table><tr><th>Person</th><th>Type</th><th>workato_role</th><th>Status</th><th></th></tr>${m.users.map((u) => person(m, u)).join('')}</table>
<h3>Groups</h3><table><tr><th>Group</th><th>Members</th><th>Priority</th><th></th></tr>${m.groups
      .map((g) => {
        const priority = m.assignedGroups.indexOf(g) + 1;
        return `<tr data-group="${esc(g)}"><td>${esc(g)}</td><td>${m.users.filter((u) => u.groups.includes(g)).length}</td><td>${priority || '—'}</td><td>${groupAssignForm(m, g, priority ? 'Save' : 'Assign')}</td></tr>`;
      })
      .join('')}</table>${convertAssignments(m)}</section>
<section id="push-groups"><h2>Push Groups</h2><table><tr><th>Group in Okta</th><th></th></tr>${m.groups
      .map(
        (g) =>
          `<tr><td>${esc(g)}</td><td>${actionButton(m, 'push-group', 'Push Now', { group: g })}</td></tr>`,
      )
      .join('')}</table></section>`,
  );
}

export const oktaConsole: VendorConsole = {
  render,
  ops: {
    'test-connection': () => ({ scim: 'test-connection', params: {}, label: 'Test Connector Configuration' }),
    import: () => ({ scim: 'import', params: {}, label: 'Import Now' }),
    'reapply-mappings': () => ({ scim: 'push', params: {}, label: 'Reapply Mappings' }),
    'provision-user': (_t, f) => ({
      scim: 'assign',
      params: { user: f.fields.user },
      label: 'Provision User',
    }),
    suspend: (_t, f) => ({
      scim: 'deactivate',
      params: { user: f.fields.user, how: 'suspend' },
      label: 'Suspend',
    }),
    deactivate: (_t, f) => ({
      scim: 'deactivate',
      params: { user: f.fields.user, how: 'deactivate' },
      label: 'Deactivate',
    }),
    unassign: (_t, f) => ({
      scim: 'deactivate',
      params: { user: f.fields.user, how: 'unassign' },
      label: 'Remove assignment',
    }),
    reactivate: (_t, f) => ({ scim: 'reactivate', params: { user: f.fields.user }, label: 'Activate' }),
    edit: (_t, f) => ({
      scim: 'update',
      params: { user: f.fields.user, profile: f.profile, roles: f.roles },
      label: 'Edit user',
    }),
    'assign-group': (_t, f) => ({
      scim: 'assign-group',
      params: {
        group: f.fields.group,
        appUser: Object.fromEntries(Object.entries(f.roles).filter(([, v]) => v !== '')),
      },
      label: 'Assign group',
    }),
    'convert-assignments': (_t, f) => ({
      scim: 'convert-assignments',
      params: { users: f.selected },
      label: 'Convert Assignments',
    }),
    'push-group': (_t, f) => ({ scim: 'group-push', params: { group: f.fields.group }, label: 'Push Now' }),
    'to-app': (t, f) => {
      scimStateOf(t).options.actions = f.checked;
      return { done: `To App: ${f.checked.join(', ') || 'nothing'} enabled`, label: 'To App' };
    },
  },
};
