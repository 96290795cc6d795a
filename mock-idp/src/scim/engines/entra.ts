import { createHash, randomUUID } from 'node:crypto';
import type { SetupUser } from '../../setup.js';
import type { Tenant } from '../../tenant.js';
import type { TenantScim } from '../state.js';
import {
  CORE_USER,
  ENTERPRISE_USER,
  EngineError,
  PATCH_OP,
  WORKATO_ROLE,
  applyEdits,
  expectStatus,
  findUser,
  givenUserId,
  str,
  userParam,
  type Params,
  type ProvisioningEngine,
} from './engine.js';

/**
 * Microsoft Entra ID's provisioning service (learn.microsoft.com "Tutorial: develop and plan
 * provisioning for a SCIM endpoint", known issues, seed 004). It works in cycles — every 40
 * minutes, on the engine's movable clock — and on demand for one user. Test Connection looks
 * up a random GUID; matching is `userName eq` with no paging; creation lists the core and
 * enterprise schemas but not the custom extension; updates are PATCH only, with capitalised
 * ops and `"False"`/`"True"` strings for `active` (lower-case ops, booleans and path-less
 * value objects under `aadOptscim062020`); unassignment, soft delete and blocked sign-in
 * disable the user; only a hard delete sends DELETE.
 */
function extensionRoles(u: SetupUser): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(u.profile ?? {})) {
    const m = /^extension_[0-9a-f]{32}_(workato_role(?:_test|_prod)?)$/i.exec(k);
    if (m && typeof v === 'string' && v !== '') out[m[1]!] = v;
  }
  return out;
}

/** The attributes Entra's default mapping sends, as flat SCIM paths (null values are skipped). */
function mapped(u: SetupUser): Record<string, string> {
  const p = u.profile ?? {};
  const upn = str(p.userprincipalname) ?? u.login;
  const out: Record<string, string | undefined> = {
    userName: upn,
    externalId: upn.split('@')[0],
    displayName: str(p.displayname),
    'name.givenName': str(p.givenname),
    'name.familyName': str(p.surname),
    'emails[type eq "work"].value': str(p.mail) ?? u.login,
    [`${ENTERPRISE_USER}:department`]: str(p.department),
  };
  for (const [a, v] of Object.entries(extensionRoles(u))) out[`${WORKATO_ROLE}:${a}`] = v;
  return Object.fromEntries(Object.entries(out).filter(([, v]) => v !== undefined)) as Record<string, string>;
}

function createBody(u: SetupUser): Record<string, unknown> {
  const m = mapped(u);
  const roles = extensionRoles(u);
  return {
    schemas: [CORE_USER, ENTERPRISE_USER],
    externalId: m.externalId,
    userName: m.userName,
    active: true,
    ...(m.displayName ? { displayName: m.displayName } : {}),
    emails: [{ primary: true, type: 'work', value: m['emails[type eq "work"].value'] }],
    meta: { resourceType: 'User' },
    name: {
      ...(m.displayName ? { formatted: m.displayName } : {}),
      ...(m['name.familyName'] ? { familyName: m['name.familyName'] } : {}),
      ...(m['name.givenName'] ? { givenName: m['name.givenName'] } : {}),
    },
    ...(m[`${ENTERPRISE_USER}:department`]
      ? { [ENTERPRISE_USER]: { department: m[`${ENTERPRISE_USER}:department`] } }
      : {}),
    ...(Object.keys(roles).length ? { [WORKATO_ROLE]: roles } : {}),
    roles: [],
  };
}

/** What the SP currently has at a flat path, read from its SCIM resource. */
function current(res: Record<string, unknown>, path: string): unknown {
  if (path === 'emails[type eq "work"].value') {
    const e = (res.emails as { type?: string; value?: string }[] | undefined) ?? [];
    return e.find((x) => x.type === 'work')?.value;
  }
  const urn = [WORKATO_ROLE, ENTERPRISE_USER].find((x) => path.startsWith(x + ':'));
  if (urn) return (res[urn] as Record<string, unknown> | undefined)?.[path.slice(urn.length + 1)];
  const [a, b] = path.split('.');
  const v = res[a!];
  return b ? (v as Record<string, unknown> | undefined)?.[b] : v;
}

function patchFor(t: TenantScim, ops: { path: string; value: unknown }[]): Record<string, unknown> {
  const modern = t.options.aadOptscim062020 === true;
  if (!modern)
    return {
      schemas: [PATCH_OP],
      Operations: ops.map((o) => ({ op: 'Replace', path: o.path, value: o.value })),
    };
  const filtered = ops.filter((o) => o.path.includes('['));
  const plain = ops.filter((o) => !o.path.includes('['));
  return {
    schemas: [PATCH_OP],
    Operations: [
      ...(plain.length
        ? [{ op: 'replace', value: Object.fromEntries(plain.map((o) => [o.path, o.value])) }]
        : []),
      ...filtered.map((o) => ({ op: 'replace', path: o.path, value: o.value })),
    ],
  };
}

const activeValue = (t: TenantScim, active: boolean) =>
  t.options.aadOptscim062020 ? active : active ? 'True' : 'False';

const inScope = (t: TenantScim, u: SetupUser) => u.assigned !== false && t.link(u).status === 'active';

/** Brings one user in line with the directory; what a cycle or "Provision on demand" does per user. */
async function provisionOne(t: TenantScim, u: SetupUser): Promise<unknown> {
  const link = t.link(u);
  if (link.status === 'hard-deleted') {
    if (!link.scimId) return { skipped: u.login };
    expectStatus(await t.client.request('DELETE', `/Users/${link.scimId}`), [204, 404], 'delete user');
    delete link.scimId;
    return { deleted: u.login };
  }
  const want = mapped(u);
  const found = link.scimId
    ? (await t.client.request('GET', `/Users/${link.scimId}`)).body
    : await findUser(t, want.userName!);
  const exists = found && typeof found.id === 'string';
  if (!inScope(t, u)) {
    if (!exists) return { skipped: u.login };
    link.scimId = String(found.id);
    if (found.active === false) return { unchanged: u.login };
    if (!t.enabled('deactivate')) return { skipped: u.login, reason: 'Delete is not a target object action' };
    expectStatus(
      await t.client.request(
        'PATCH',
        `/Users/${link.scimId}`,
        patchFor(t, [{ path: 'active', value: activeValue(t, false) }]),
      ),
      [200, 204],
      'disable user',
    );
    link.pushedActive = false;
    return { disabled: u.login };
  }
  if (!exists) {
    if (!t.enabled('create')) return { skipped: u.login, reason: 'Create is not a target object action' };
    const r = expectStatus(await t.client.request('POST', '/Users', createBody(u)), [201], 'create user');
    link.scimId = String(r.body?.id);
    link.pushedActive = true;
    return { created: u.login, id: link.scimId };
  }
  link.scimId = String(found.id);
  const ops = Object.entries(want)
    .filter(([path, v]) => path !== 'externalId' && current(found, path) !== v)
    .map(([path, value]) => ({ path, value: value as unknown }));
  if (found.active === false) ops.push({ path: 'active', value: activeValue(t, true) });
  if (!ops.length) return { unchanged: u.login };
  if (!t.enabled('update')) return { skipped: u.login, reason: 'Update is not a target object action' };
  expectStatus(
    await t.client.request('PATCH', `/Users/${link.scimId}`, patchFor(t, ops)),
    [200, 204],
    'update user',
  );
  link.pushedActive = true;
  return { updated: u.login, paths: ops.map((o) => o.path) };
}

/** One provisioning cycle over every user the app has ever seen or should see; failures wait for the next cycle. */
async function cycle(t: TenantScim): Promise<unknown> {
  t.cycles++;
  t.nextCycleAt = t.now() + t.cycleMs();
  const due = t.users().filter((u) => inScope(t, u) || t.link(u).scimId);
  const results = await Promise.all(
    due.map((u) =>
      provisionOne(t, u).catch((e: unknown) => ({ failed: u.login, error: (e as Error).message })),
    ),
  );
  return { cycle: t.cycles, results };
}

/**
 * After a directory change the admin either provisions the user on demand (seed 004: "Run a
 * provisioning cycle on demand") — the default — or, with `sync: "next-cycle"`, waits.
 */
async function afterChange(t: TenantScim, u: SetupUser, p: Params): Promise<unknown> {
  if (p.sync === 'next-cycle') return { changed: u.login, pending: 'next cycle' };
  return provisionOne(t, u);
}

function directoryChange(t: TenantScim, p: Params): SetupUser {
  const u = userParam(t, p);
  applyEdits(t, u, p);
  return u;
}

/** A GUID derived from `seed`, stable across runs (Entra object and app ids). */
export const stableGuid = (seed: string) => {
  const h = createHash('sha256').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

/** The app's client id, as its extension attribute names spell it (dashes removed). */
export function entraAppId(tenant: Tenant): string {
  for (const st of tenant.setup.app.attributeStatements ?? []) {
    const m = /extension_([0-9a-f]{32})_/i.exec(st.value);
    if (m) {
      const h = m[1]!.toLowerCase();
      return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
    }
  }
  return stableGuid(`${tenant.name}/appId`);
}

export const entraObjectId = (tenant: Tenant) => stableGuid(`${tenant.name}/application`);

export const entraEngine: ProvisioningEngine = {
  vendor: 'entra',
  newUserId: (u) =>
    (typeof u.profile?.objectid === 'string' ? u.profile.objectid : undefined) ??
    givenUserId(u) ??
    randomUUID(),
  managementApi: (tenant, t, baseUrl) => ({
    graphUrl: `${baseUrl}/${tenant.name}/v1.0`,
    applicationId: entraObjectId(tenant),
    appId: entraAppId(tenant),
    apiToken: t.apiToken,
  }),
  actions: {
    async 'test-connection'(t) {
      const r = await t.client.request(
        'GET',
        `/Users?filter=${encodeURIComponent(`userName eq "${randomUUID()}"`)}`,
      );
      const ok = r.status === 200 && Number(r.body?.totalResults) === 0;
      return {
        ok,
        message: ok
          ? 'The supplied credentials are authorized to enable provisioning'
          : `the SP answered ${r.status}`,
      };
    },
    cycle: (t) => cycle(t),
    /** "Stop provisioning, Start provisioning": an initial cycle now. */
    async import(t) {
      return cycle(t);
    },
    async 'provision-on-demand'(t, p) {
      return provisionOne(t, userParam(t, p));
    },
    /** Moves the engine's clock; every cycle that falls due runs. */
    async clock(t, p) {
      const ms = Number(p.advanceMs);
      if (!Number.isFinite(ms) || ms < 0)
        throw new EngineError('ERR_SCIM_BAD_PARAMS', 'advanceMs must be a positive number');
      t.clockOffsetMs += ms;
      const ran = [];
      while (t.now() >= t.nextCycleAt) ran.push(await cycle(t));
      return {
        now: new Date(t.now()).toISOString(),
        nextCycleAt: new Date(t.nextCycleAt).toISOString(),
        cycles: ran,
      };
    },
    async assign(t, p) {
      const u = directoryChange(t, p);
      u.assigned = true;
      return afterChange(t, u, p);
    },
    async update(t, p) {
      return afterChange(t, directoryChange(t, p), p);
    },
    async deactivate(t, p) {
      const u = userParam(t, p);
      const how = str(p.how) ?? 'unassign';
      const link = t.link(u);
      if (how === 'unassign') u.assigned = false;
      else if (how === 'delete' || how === 'soft-delete') link.status = 'soft-deleted';
      else if (how === 'block' || how === 'suspend' || how === 'deactivate') link.status = 'suspended';
      else if (how === 'hard-delete') link.status = 'hard-deleted';
      else throw new EngineError('ERR_SCIM_BAD_PARAMS', 'how is unassign, delete, block or hard-delete');
      return afterChange(t, u, p);
    },
    async reactivate(t, p) {
      const u = userParam(t, p);
      const link = t.link(u);
      // A soft-deleted user is restored as it was. A hard-deleted one is gone: the person comes
      // back as a new directory object with the same UPN and no extension attributes until an
      // admin sets them again (seed 004 Step 1).
      if (link.status === 'hard-deleted')
        u.profile = Object.fromEntries(
          Object.entries(u.profile ?? {}).filter(([k]) => !/^extension_[0-9a-f]{32}_/i.test(k)),
        );
      applyEdits(t, u, p);
      link.status = 'active';
      u.assigned = true;
      return afterChange(t, u, p);
    },
    async push(t, p) {
      const users =
        p.users === undefined ? t.users() : (p.users as string[]).map((l) => userParam(t, { user: l }));
      return Promise.all(users.map((u) => provisionOne(t, u)));
    },
  },
};
