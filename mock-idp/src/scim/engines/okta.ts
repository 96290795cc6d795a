import { randomBytes } from 'node:crypto';
import type { SetupUser } from '../../setup.js';
import { filterQuery } from '../client.js';
import { SCIM_CLIENT_DEFAULTS } from '../defaults.js';
import type { TenantScim } from '../state.js';
import {
  CORE_GROUP,
  CORE_USER,
  EngineError,
  PATCH_OP,
  WORKATO_ROLE,
  applyEdits,
  expectStatus,
  findUser,
  givenUserId,
  placeholderPassword,
  roleValues,
  str,
  userParam,
  usersParam,
  type Params,
  type ProvisioningEngine,
} from './engine.js';
import { assignGroupToApp, individuallyAssigned, takeGroupValues } from './okta-assignments.js';

/**
 * Okta's SCIM 2.0 client (User-Agent `Okta SCIM Client 1.0.0`), per developer.okta.com's
 * SCIM 2.0 reference and seed 002: the connection test reads two users and the groups, a new
 * assignment is matched by `userName eq` (count=100) and created otherwise, profile updates
 * are GET then PUT of the full user, deprovisioning (suspend, deactivate, unassign) is a
 * path-less PATCH `{"active": false}`, unsuspending is the same PATCH with `true` alone,
 * deleting a user sends nothing, group push creates the
 * group and PATCHes its members with the rename op Okta repeats on every membership update.
 * Assigning the app to a group gives its values to members with no individual assignment;
 * Convert Assignments turns individual assignments into group ones and pushes the group's values
 * (see okta-assignments.ts).
 */
export function oktaUser(u: SetupUser, link: { vendorId: string }, active: boolean): Record<string, unknown> {
  const p = u.profile ?? {};
  const a = u.appUser ?? {};
  const given = str(a.givenName) ?? str(p.firstName) ?? '';
  const family = str(a.familyName) ?? str(p.lastName) ?? '';
  const email = str(a.email) ?? str(p.email) ?? u.login;
  const roles = roleValues(a);
  return {
    schemas: [CORE_USER, ...(Object.keys(roles).length ? [WORKATO_ROLE] : [])],
    userName: str(a.userName) ?? u.login,
    name: { givenName: given, familyName: family },
    emails: [{ primary: true, value: email, type: str(a.emailType) ?? 'work' }],
    displayName: [given, family].filter(Boolean).join(' ') || u.login,
    locale: 'en-US',
    externalId: link.vendorId,
    groups: [],
    password: placeholderPassword(),
    active,
    ...(Object.keys(roles).length ? { [WORKATO_ROLE]: roles } : {}),
  };
}

const activePatch = (active: boolean) => ({
  schemas: [PATCH_OP],
  Operations: [{ op: 'replace', value: { active } }],
});

/** Assignment (or a re-assignment): match by userName, create when absent, else bring the user up to date. */
export async function provision(t: TenantScim, u: SetupUser): Promise<Record<string, unknown>> {
  const link = t.link(u);
  let id = link.scimId;
  if (!id) {
    const found = await findUser(t, u.login, `&startIndex=1&count=${SCIM_CLIENT_DEFAULTS.oktaPageSize}`);
    if (!found) {
      if (!t.enabled('create')) return { skipped: u.login, reason: 'Create Users is off' };
      const r = expectStatus(
        await t.client.request('POST', '/Users', oktaUser(u, link, true)),
        [201],
        'create user',
      );
      if (!r.body || typeof r.body.id !== 'string')
        throw new EngineError('ERR_SCIM_REFUSED', 'Create new user returned empty user', 422);
      link.scimId = r.body.id;
      link.pushedActive = true;
      return { created: u.login, id: link.scimId };
    }
    id = link.scimId = String(found.id);
    link.pushedActive = found.active === true;
  }
  if (!link.pushedActive) {
    expectStatus(
      await t.client.request('PATCH', `/Users/${id}`, activePatch(true)),
      [200, 204],
      'reactivate',
    );
    link.pushedActive = true;
  }
  await pushProfile(t, u);
  return { matched: u.login, id };
}

export async function pushProfile(t: TenantScim, u: SetupUser): Promise<void> {
  const link = t.link(u);
  if (!link.scimId || !t.enabled('update')) return;
  expectStatus(await t.client.request('GET', `/Users/${link.scimId}`), [200], 'read user');
  const body: Record<string, unknown> = {
    ...oktaUser(u, link, link.pushedActive !== false),
    id: link.scimId,
  };
  if (t.options.oktaUpdate === 'patch') {
    const { schemas: _s, id: _i, password: _p, groups: _g, ...value } = body;
    expectStatus(
      await t.client.request('PATCH', `/Users/${link.scimId}`, {
        schemas: [PATCH_OP],
        Operations: [{ op: 'replace', value }],
      }),
      [200, 204],
      'update user',
    );
  } else expectStatus(await t.client.request('PUT', `/Users/${link.scimId}`, body), [200], 'update user');
}

export async function deprovision(t: TenantScim, u: SetupUser): Promise<unknown> {
  const link = t.link(u);
  if (!link.scimId || link.pushedActive === false) return { unchanged: u.login };
  if (!t.enabled('deactivate')) return { skipped: u.login, reason: 'Deactivate Users is off' };
  expectStatus(
    await t.client.request('PATCH', `/Users/${link.scimId}`, activePatch(false)),
    [200, 204],
    'deactivate',
  );
  link.pushedActive = false;
  return { deactivated: u.login };
}

async function groupPush(t: TenantScim, p: Params): Promise<unknown> {
  const name = str(p.group);
  if (!name) throw new EngineError('ERR_SCIM_BAD_PARAMS', 'give the group to push');
  const members = t.users().filter((u) => u.assigned !== false && (u.groups ?? []).includes(name));
  await Promise.all(members.map((u) => provision(t, u)));
  let id = t.groups.get(name);
  if (!id) {
    const r = expectStatus(
      await t.client.request('GET', `/Groups?${filterQuery('displayName', name)}&startIndex=1&count=100`),
      [200],
      'group lookup',
    );
    const hit = ((r.body?.Resources as { id: string }[] | undefined) ?? [])[0];
    if (hit) id = hit.id;
    else {
      const c = expectStatus(
        await t.client.request('POST', '/Groups', { schemas: [CORE_GROUP], displayName: name, members: [] }),
        [201],
        'create group',
      );
      id = String(c.body?.id);
    }
    t.groups.set(name, id);
  }
  const value = members.map((u) => ({ value: t.link(u).scimId!, display: u.login }));
  expectStatus(
    await t.client.request('PATCH', `/Groups/${id}`, {
      schemas: [PATCH_OP],
      Operations: [
        { op: 'replace', value: { id, displayName: name } },
        { op: 'replace', path: 'members', value },
      ],
    }),
    [200, 204],
    'group membership',
  );
  return { group: name, id, members: members.map((u) => u.login) };
}

export const oktaEngine: ProvisioningEngine = {
  vendor: 'okta',
  newUserId: (u) =>
    givenUserId(u) ?? `00u${randomBytes(13).toString('base64url').replace(/[-_]/g, 'x').slice(0, 17)}`,
  managementApi: (tenant, t, baseUrl) => ({
    orgUrl: `${baseUrl}/${tenant.name}`,
    appId: tenant.setup.orgId ?? tenant.name,
    apiToken: t.apiToken,
  }),
  actions: {
    async 'test-connection'(t) {
      const users = await t.client.request('GET', '/Users?startIndex=1&count=2');
      const groups = await t.client.request('GET', '/Groups?startIndex=1&count=100');
      const ok = users.status === 200 && groups.status === 200;
      return {
        ok,
        message: ok
          ? 'Connector configured successfully'
          : `the SP answered ${users.status} / ${groups.status}`,
      };
    },
    async import(t) {
      const matched: string[] = [];
      const unmatched: string[] = [];
      let startIndex = 1;
      for (;;) {
        const r = expectStatus(
          await t.client.request(
            'GET',
            `/Users?startIndex=${startIndex}&count=${SCIM_CLIENT_DEFAULTS.oktaPageSize}`,
          ),
          [200],
          'import',
        );
        const page = (r.body?.Resources as Record<string, unknown>[] | undefined) ?? [];
        for (const res of page) {
          const u = t.user(String(res.userName));
          if (u) {
            const l = t.link(u);
            l.scimId = String(res.id);
            l.pushedActive = res.active === true;
            matched.push(u.login);
          } else unmatched.push(String(res.userName));
        }
        const total = Number(r.body?.totalResults ?? 0);
        startIndex += page.length;
        if (page.length === 0 || startIndex > total) break;
      }
      return { matched, unmatched };
    },
    async push(t, p) {
      // Users are provisioned in parallel; the client's semaphore bounds the requests in flight.
      return Promise.all(usersParam(t, p).map((u) => provision(t, u)));
    },
    async assign(t, p) {
      const u = userParam(t, p);
      applyEdits(t, u, p);
      u.assigned = true;
      t.link(u).scope = 'USER';
      return provision(t, u);
    },
    async update(t, p) {
      const u = userParam(t, p);
      applyEdits(t, u, p);
      await pushProfile(t, u);
      return { updated: u.login };
    },
    async deactivate(t, p) {
      const u = userParam(t, p);
      const how = str(p.how) ?? 'deactivate';
      const link = t.link(u);
      if (how === 'suspend') link.status = 'suspended';
      else if (how === 'deactivate' || how === 'delete') {
        link.status = 'deactivated';
        u.assigned = false;
      } else if (how === 'unassign') u.assigned = false;
      else throw new EngineError('ERR_SCIM_BAD_PARAMS', 'how is suspend, deactivate, unassign or delete');
      const r = await deprovision(t, u);
      // Deleting a (deactivated) user in Okta sends nothing more to the app.
      if (how === 'delete') t.tenant.setup.users.splice(t.tenant.setup.users.indexOf(u), 1);
      return r;
    },
    async reactivate(t, p) {
      const u = userParam(t, p);
      const link = t.link(u);
      const wasSuspended = link.status === 'suspended' && u.assigned !== false;
      link.status = 'active';
      u.assigned = true;
      // Unsuspending keeps the app assignment: Okta sends the path-less PATCH {"active": true}
      // and nothing else — no profile, so no role values (SCIM 2.0 reference, "Update a specific
      // User (PATCH)"). A re-assignment after deactivation or unassignment pushes the app user.
      if (!wasSuspended || !link.scimId || link.pushedActive !== false) return provision(t, u);
      expectStatus(
        await t.client.request('PATCH', `/Users/${link.scimId}`, activePatch(true)),
        [200, 204],
        'reactivate',
      );
      link.pushedActive = true;
      return { reactivated: u.login, id: link.scimId };
    },
    'group-push': groupPush,
    async 'assign-group'(t, p) {
      const name = str(p.group);
      if (!name) throw new EngineError('ERR_SCIM_BAD_PARAMS', 'give the group to assign');
      assignGroupToApp(t, name, (p.appUser as Record<string, unknown> | undefined) ?? {});
      const provisioned = [];
      const kept: string[] = [];
      for (const u of t.users().filter((x) => (x.groups ?? []).includes(name))) {
        // An individual assignment keeps its own values until it is converted.
        if (individuallyAssigned(t, u)) kept.push(u.login);
        else {
          takeGroupValues(t, u);
          provisioned.push(await provision(t, u));
        }
      }
      return {
        group: name,
        provisioned,
        kept,
        message: `${name} assigned: ${provisioned.length} provisioned with the group's values${kept.length ? `, ${kept.length} individually assigned kept their own (Convert Assignments to change that)` : ''}`,
      };
    },
    async 'convert-assignments'(t, p) {
      const chosen = p.users === undefined ? [userParam(t, p)] : usersParam(t, p);
      if (chosen.length === 0)
        throw new EngineError('ERR_SCIM_BAD_PARAMS', 'select the assignments to convert');
      const converted: { user: string; group: string }[] = [];
      for (const u of chosen) {
        if (!individuallyAssigned(t, u))
          throw new EngineError(
            'ERR_SCIM_BAD_PARAMS',
            `${u.login} has no individual assignment to convert`,
            409,
          );
        converted.push({ user: u.login, group: takeGroupValues(t, u) });
        await pushProfile(t, u);
      }
      return {
        converted,
        message: `Successfully converted ${converted.length} assignment${converted.length === 1 ? '' : 's'}`,
      };
    },
  },
};
