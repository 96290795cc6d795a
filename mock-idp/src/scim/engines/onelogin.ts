import { randomBytes } from 'node:crypto';
import type { SetupUser } from '../../setup.js';
import type { TenantScim } from '../state.js';
import {
  CORE_USER,
  EngineError,
  WORKATO_ROLE,
  ROLE_ATTRIBUTES,
  applyEdits,
  expectStatus,
  findUser,
  givenUserId,
  str,
  userParam,
  usersParam,
  type ProvisioningEngine,
} from './engine.js';

/**
 * OneLogin's "SCIM Provisioner with SAML (SCIM v2 Core)", per developers.onelogin.com and
 * seed 003: bodies come from the SCIM JSON template with the WorkatoRole block the seed adds
 * (`{$user.custom_fields.workato_role}` … — empty custom fields are sent as ""), `emails` is
 * the template's single object, users are looked up by `userName eq`, created with POST and
 * updated with a full PUT (also for `active`), and deletion follows "When users are deleted":
 * Suspend (the seed's choice, a PUT with `active: false`) or Delete.
 */
export function oneloginUser(u: SetupUser, active: boolean): Record<string, unknown> {
  const p = u.profile ?? {};
  const custom = (p.custom_fields as Record<string, unknown> | undefined) ?? {};
  const email = str(p.email) ?? u.login;
  return {
    schemas: [CORE_USER, WORKATO_ROLE],
    userName: email,
    name: { givenName: str(p.firstname) ?? '', familyName: str(p.lastname) ?? '' },
    emails: { value: email, primary: true, type: 'work' },
    active,
    [WORKATO_ROLE]: Object.fromEntries(
      ROLE_ATTRIBUTES.map((a) => [a, typeof custom[a] === 'string' ? custom[a] : '']),
    ),
  };
}

async function sync(t: TenantScim, u: SetupUser): Promise<unknown> {
  const link = t.link(u);
  const active = u.assigned !== false && link.status === 'active';
  if (!link.scimId) {
    const found = await findUser(t, str(u.profile?.email) ?? u.login);
    if (found) link.scimId = String(found.id);
    else if (!active) return { unchanged: u.login };
    else if (!t.enabled('create')) return { skipped: u.login, reason: 'create is off' };
    else {
      const r = expectStatus(
        await t.client.request('POST', '/Users', oneloginUser(u, true)),
        [201],
        'create user',
      );
      link.scimId = String(r.body?.id);
      link.pushedActive = true;
      return { created: u.login, id: link.scimId };
    }
  }
  if (!t.enabled(active ? 'update' : 'deactivate')) return { skipped: u.login, reason: 'the action is off' };
  if (!active && t.options.oneloginDeleteAction === 'delete' && link.status === 'soft-deleted') {
    expectStatus(await t.client.request('DELETE', `/Users/${link.scimId}`), [204, 404], 'delete user');
    delete link.scimId;
    return { deleted: u.login };
  }
  expectStatus(
    await t.client.request('PUT', `/Users/${link.scimId}`, { ...oneloginUser(u, active), id: link.scimId }),
    [200],
    'update user',
  );
  link.pushedActive = active;
  return { updated: u.login, active };
}

export const oneloginEngine: ProvisioningEngine = {
  vendor: 'onelogin',
  newUserId: (u) => givenUserId(u) ?? String(100000000 + (randomBytes(4).readUInt32BE(0) % 900000000)),
  managementApi: (tenant, t, baseUrl) => ({
    apiUrl: `${baseUrl}/${tenant.name}/api/2`,
    apiToken: t.apiToken,
  }),
  actions: {
    async 'test-connection'(t) {
      const r = await t.client.request('GET', '/Users?count=1');
      return {
        ok: r.status === 200,
        message: r.status === 200 ? 'API connection enabled' : `the SP answered ${r.status}`,
      };
    },
    /** Users → Apply to all → Reapply Mappings: a bulk sync that brings existing members under SCIM. */
    async 'reapply-mappings'(t) {
      const users = t.users().filter((u) => u.assigned !== false || t.link(u).scimId);
      return Promise.all(users.map((u) => sync(t, u)));
    },
    async import(t) {
      return oneloginEngine.actions['reapply-mappings']!(t, {});
    },
    async push(t, p) {
      return Promise.all(usersParam(t, p).map((u) => sync(t, u)));
    },
    async assign(t, p) {
      const u = userParam(t, p);
      applyEdits(t, u, p);
      u.assigned = true;
      return sync(t, u);
    },
    async update(t, p) {
      const u = userParam(t, p);
      applyEdits(t, u, p);
      return sync(t, u);
    },
    async deactivate(t, p) {
      const u = userParam(t, p);
      const how = str(p.how) ?? 'deactivate';
      const link = t.link(u);
      if (how === 'unassign') u.assigned = false;
      else if (how === 'deactivate' || how === 'suspend') link.status = 'suspended';
      else if (how === 'delete') link.status = 'soft-deleted';
      else if (how === 'hard-delete') {
        // OneLogin deletes the user in the app only when "When users are deleted" is Delete.
        if (t.options.oneloginDeleteAction !== 'delete')
          throw new EngineError(
            'ERR_SCIM_UNSUPPORTED',
            'OneLogin deletes users in the app only with "When users are deleted…" set to Delete (oneloginDeleteAction: delete)',
          );
        link.status = 'soft-deleted';
      } else
        throw new EngineError(
          'ERR_SCIM_BAD_PARAMS',
          'how is suspend, deactivate, unassign, delete or hard-delete',
        );
      return sync(t, u);
    },
    async reactivate(t, p) {
      const u = userParam(t, p);
      const link = t.link(u);
      // After a delete (with "When users are deleted" set to Delete) the person comes back as a
      // new OneLogin user: the custom fields the template sends are empty unless set again.
      if (link.status === 'soft-deleted' && !link.scimId) {
        const custom = { ...((u.profile?.custom_fields as Record<string, unknown> | undefined) ?? {}) };
        for (const a of ROLE_ATTRIBUTES) delete custom[a];
        u.profile = { ...u.profile, custom_fields: custom };
      }
      applyEdits(t, u, p);
      link.status = 'active';
      u.assigned = true;
      return sync(t, u);
    },
  },
};
