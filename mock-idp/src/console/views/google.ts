import { IdpError } from '../../errors.js';
import { esc } from '../../http/html.js';
import type { Tenant } from '../../tenant.js';
import { actionButton, consolePage, editForm, statusTag } from '../layout.js';
import type { ConsoleModel } from '../model.js';
import type { VendorConsole } from './vendor-console.js';

const PROFILE = [
  { key: 'First name', label: 'First name' },
  { key: 'Last name', label: 'Last name' },
  { key: 'Primary email', label: 'Primary email' },
];

function render(m: ConsoleModel): string {
  const rows = m.users
    .map(
      (u) => `<tr data-user="${esc(u.login)}"><td>${esc(u.name)}<div class="muted">${esc(u.login)}</div></td>
<td>${u.assigned ? statusTag('ON', 'on') : statusTag('OFF', 'off')}</td>
<td>${actionButton(m, u.assigned ? 'access-off' : 'access-on', u.assigned ? 'Turn OFF' : 'Turn ON', { user: u.login }, u.login)}
${editForm(m, u, PROFILE, (a) => `Workato › ${a}`, 'Save', 'The next SAML sign-in carries the new values.')}</td></tr>`,
    )
    .join('');
  return consolePage(
    m,
    { product: 'Google Admin', colour: '#1a73e8', nav: ['Apps', 'Web and mobile apps', m.appName] },
    `<section id="no-provisioning"><h2>User provisioning</h2><p data-no-scim>Automatic user provisioning is not available for custom SAML apps: Google Workspace sends no SCIM to ${esc(m.appName)}. Users reach the app by SAML sign-in only; turning access off stops their next sign-in but ends no session at the app.</p></section>
<section id="user-access"><h2>User access</h2><table><tr><th>User</th><th>Service status</th><th></th></tr>${rows}</table></section>`,
  );
}

const userOf = (t: Tenant, login: string | undefined) => {
  const u = t.user(login ?? '');
  if (!u) throw new IdpError('ERR_CONSOLE_NO_USER', login, 404);
  return u;
};

export const googleConsole: VendorConsole = {
  render,
  ops: {
    'access-on': (t, f) => {
      userOf(t, f.fields.user).assigned = true;
      return { done: `${f.fields.user} can sign in to the app`, label: 'Service status ON' };
    },
    'access-off': (t, f) => {
      userOf(t, f.fields.user).assigned = false;
      return { done: `${f.fields.user} can no longer sign in to the app`, label: 'Service status OFF' };
    },
    edit: (t, f) => {
      const u = userOf(t, f.fields.user);
      const p = u.profile ?? {};
      const schemas = (p.customSchemas as Record<string, Record<string, unknown>> | undefined) ?? {};
      u.profile = {
        ...p,
        ...f.profile,
        customSchemas: { ...schemas, Workato: { ...schemas.Workato, ...f.roles } },
      };
      return { done: `${f.fields.user} saved`, label: 'User information' };
    },
  },
};
