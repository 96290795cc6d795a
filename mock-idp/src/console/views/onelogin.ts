import { esc } from '../../http/html.js';
import { scimStateOf } from '../../scim/state.js';
import { actionButton, consolePage, csrfField, editForm, statusTag } from '../layout.js';
import type { ConsoleModel, ConsoleUser } from '../model.js';
import type { VendorConsole } from './vendor-console.js';

const PROFILE = [
  { key: 'firstname', label: 'First name' },
  { key: 'lastname', label: 'Last name' },
  { key: 'email', label: 'Email' },
];

/** The app's Users tab shows each user's Provisioning State. */
function provisioningState(u: ConsoleUser): string {
  if (!u.scimId) return u.assigned ? statusTag('Pending', 'not-provisioned') : statusTag('—', 'unassigned');
  if (u.status === 'soft-deleted') return statusTag('Deleted', 'deleted');
  if (!u.assigned || u.status !== 'active') return statusTag('Suspended', 'suspended');
  return statusTag('Provisioned', 'provisioned');
}

function userRow(m: ConsoleModel, u: ConsoleUser): string {
  const b = (op: string, label: string) => actionButton(m, op, label, { user: u.login }, u.login);
  const active = u.status === 'active';
  return `<tr data-user="${esc(u.login)}"><td>${esc(u.name)}<div class="muted">${esc(u.login)}</div></td>
<td>${active ? statusTag('Active', 'active') : statusTag('Inactive', 'inactive')}</td>
<td>${u.assigned ? `${esc(m.appName)} ${b('remove-app', 'Delete')}` : b('add-app', `Add ${m.appName}`)}</td>
<td>${provisioningState(u)}</td>
<td>${active ? b('deactivate', 'Set Inactive') : b('activate', 'Set Active')}${active ? b('delete', 'More Actions › Delete') : ''}
${editForm(m, u, PROFILE, (a) => `Custom field ${a}`, 'Save User', 'OneLogin pushes the change to the app at once.')}</td></tr>`;
}

function render(m: ConsoleModel): string {
  const o = m.scim?.options ?? {};
  const enabled = (o.actions ?? ['create', 'update', 'deactivate']).length > 0;
  const del = o.oneloginDeleteAction ?? 'suspend';
  const opt = (v: string, label: string) =>
    `<option value="${v}"${del === v ? ' selected' : ''}>${label}</option>`;
  return consolePage(
    m,
    { product: 'onelogin', colour: '#1c1f2a', nav: ['Applications', m.appName] },
    `<section id="configuration"><h2>Configuration</h2><p>SCIM Base URL <code>${esc(m.scim?.baseUrl ?? 'not configured')}</code> · SCIM Bearer Token ••••</p>
${actionButton(m, 'test-connection', 'API Connection: Enable')}</section>
<section id="provisioning"><h2>Provisioning</h2><form method="post" action="/${esc(m.tenant)}/admin/provisioning">${csrfField(m)}
<label><input type="checkbox" name="action" value="create"${enabled ? ' checked' : ''}> Enable provisioning</label>
<input type="hidden" name="action" value="update"><input type="hidden" name="action" value="deactivate">
<p><label>When users are deleted in OneLogin, or the user's app access is removed, perform the below action
<select name="deleteAction">${opt('suspend', 'Suspend')}${opt('delete', 'Delete')}</select></label></p>
<button type="submit" data-op="provisioning">Save</button></form></section>
<section id="users"><h2>Users</h2>${actionButton(m, 'reapply-mappings', 'Apply to all › Reapply Mappings')}
<table><tr><th>User</th><th>Status</th><th>Applications</th><th>Provisioning State</th><th></th></tr>${m.users.map((u) => userRow(m, u)).join('')}</table></section>`,
  );
}

export const oneloginConsole: VendorConsole = {
  render,
  ops: {
    'test-connection': () => ({ scim: 'test-connection', params: {}, label: 'API Connection' }),
    'reapply-mappings': () => ({ scim: 'reapply-mappings', params: {}, label: 'Reapply Mappings' }),
    'add-app': (_t, f) => ({ scim: 'assign', params: { user: f.fields.user }, label: 'Add app' }),
    'remove-app': (_t, f) => ({
      scim: 'deactivate',
      params: { user: f.fields.user, how: 'unassign' },
      label: 'Remove app access',
    }),
    deactivate: (_t, f) => ({
      scim: 'deactivate',
      params: { user: f.fields.user, how: 'deactivate' },
      label: 'Set Inactive',
    }),
    delete: (_t, f) => ({
      scim: 'deactivate',
      params: { user: f.fields.user, how: 'delete' },
      label: 'Delete',
    }),
    activate: (_t, f) => ({ scim: 'reactivate', params: { user: f.fields.user }, label: 'Set Active' }),
    edit: (_t, f) => ({
      scim: 'update',
      params: { user: f.fields.user, profile: f.profile, roles: f.roles },
      label: 'Save User',
    }),
    provisioning: (t, f) => {
      const s = scimStateOf(t);
      const on = f.checked.includes('create');
      s.options.actions = on ? ['create', 'update', 'deactivate'] : [];
      s.options.oneloginDeleteAction = f.fields.deleteAction === 'delete' ? 'delete' : 'suspend';
      return {
        done: `provisioning ${on ? 'enabled' : 'disabled'}; deleted users: ${s.options.oneloginDeleteAction}`,
        label: 'Provisioning',
      };
    },
  },
};
