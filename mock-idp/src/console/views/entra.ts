import { esc } from '../../http/html.js';
import { scimStateOf } from '../../scim/state.js';
import { actionButton, consolePage, editForm, statusTag } from '../layout.js';
import type { ConsoleModel, ConsoleUser } from '../model.js';
import type { VendorConsole } from './vendor-console.js';

const PROFILE = [
  { key: 'givenname', label: 'First name' },
  { key: 'surname', label: 'Last name' },
  { key: 'mail', label: 'Email' },
];

function assignment(u: ConsoleUser): string {
  if (u.status === 'soft-deleted' || u.status === 'hard-deleted') return statusTag('Deleted', 'deleted');
  if (u.status === 'suspended') return statusTag('Sign-in blocked', 'suspended');
  return u.assigned ? statusTag('Assigned', 'assigned') : statusTag('Not assigned', 'unassigned');
}

function userRow(m: ConsoleModel, u: ConsoleUser): string {
  const b = (op: string, label: string) => actionButton(m, op, label, { user: u.login }, u.login);
  const live = u.status === 'active';
  return `<tr data-user="${esc(u.login)}"><td>${esc(u.name)}<div class="muted">${esc(u.login)}</div></td><td>User</td>
<td>${assignment(u)}</td><td>${u.scimId ? statusTag(u.pushedActive === false ? 'Disabled in app' : 'Provisioned', u.pushedActive === false ? 'disabled' : 'provisioned') : statusTag('Not provisioned', 'not-provisioned')}</td>
<td>${live && u.assigned ? b('remove', 'Remove') : ''}${live && !u.assigned ? b('assign', 'Assign') : ''}${live ? b('delete', 'Delete') : b('restore', 'Restore')}
${b('provision-on-demand', 'Provision on demand')}
${editForm(m, u, PROFILE, (a) => `extension_…_${a}`, 'Save', 'Entra sends the change with the next provisioning cycle (or Provision on demand).')}</td></tr>`;
}

function render(m: ConsoleModel): string {
  const s = m.scim;
  return consolePage(
    m,
    {
      product: 'Microsoft Entra admin center',
      colour: '#0f6cbd',
      nav: ['Enterprise applications', m.appName],
    },
    `<section id="users-and-groups"><h2>Users and groups</h2>
<table><tr><th>Display name</th><th>Object type</th><th>Assignment</th><th>Provisioning</th><th></th></tr>${m.users.map((u) => userRow(m, u)).join('')}</table>
<p class="muted">Changes here go out with the next provisioning cycle; Provision on demand sends one user now.</p></section>
<section id="provisioning"><h2>Provisioning</h2>
<p>Tenant URL <code>${esc(s?.baseUrl ?? 'not configured')}</code> · Provisioning Status: <b data-provisioning="${s?.stopped ? 'off' : 'on'}">${s?.stopped ? 'Off' : 'On'}</b></p>
<p>Current cycle status: ${esc(s?.cycles ?? 0)} cycles completed · next cycle ${s?.stopped ? 'when provisioning starts' : `at <time>${esc(s?.nextCycleAt ?? '')}</time>`}</p>
${actionButton(m, 'test-connection', 'Test Connection')}${actionButton(m, 'start', 'Start provisioning')}${actionButton(m, 'stop', 'Stop provisioning')}${actionButton(m, 'restart', 'Restart provisioning')}
${s?.failures.length ? `<h3>Provisioning logs</h3><ul>${s.failures.map((f) => `<li>${esc(f.at)} ${esc(f.job)}: ${esc(f.error)}</li>`).join('')}</ul>` : ''}</section>`,
  );
}

const nextCycle = { sync: 'next-cycle' };

export const entraConsole: VendorConsole = {
  render,
  ops: {
    'test-connection': () => ({ scim: 'test-connection', params: {}, label: 'Test Connection' }),
    assign: (_t, f) => ({ scim: 'assign', params: { user: f.fields.user, ...nextCycle }, label: 'Assign' }),
    remove: (_t, f) => ({
      scim: 'deactivate',
      params: { user: f.fields.user, how: 'unassign', ...nextCycle },
      label: 'Remove',
    }),
    delete: (_t, f) => ({
      scim: 'deactivate',
      params: { user: f.fields.user, how: 'delete', ...nextCycle },
      label: 'Delete',
    }),
    restore: (_t, f) => ({
      scim: 'reactivate',
      params: { user: f.fields.user, ...nextCycle },
      label: 'Restore',
    }),
    edit: (_t, f) => ({
      scim: 'update',
      params: { user: f.fields.user, profile: f.profile, roles: f.roles, ...nextCycle },
      label: 'Save',
    }),
    'provision-on-demand': (_t, f) => ({
      scim: 'provision-on-demand',
      params: { user: f.fields.user },
      label: 'Provision on demand',
    }),
    start: (t) => {
      scimStateOf(t).stopped = false;
      return { scim: 'import', params: {}, label: 'Start provisioning' };
    },
    stop: (t) => {
      scimStateOf(t).stopped = true;
      return { done: 'provisioning is off; no cycle runs until it is started', label: 'Stop provisioning' };
    },
    restart: (t) => {
      scimStateOf(t).stopped = false;
      return { scim: 'cycle', params: {}, label: 'Restart provisioning' };
    },
  },
};
