/* eslint-disable @typescript-eslint/no-explicit-any -- API answers are read loosely */
import { join } from 'node:path';
import { expect } from 'chai';
import { startIdp, type RunningIdp } from '../../mock-idp/src/index.js';
import { loadSetupFile } from '../../mock-idp/src/setup.js';
import { Tenant } from '../../mock-idp/src/tenant.js';
import { ROOT, admin } from '../helpers/world.js';
import { startScimWorld, type ScimWorld } from './helpers.js';

async function connect(idp: RunningIdp, w: ScimWorld, vendor: string) {
  const setup = loadSetupFile(join(ROOT, `fixtures/setups/${vendor}.yaml`));
  idp.tenants.set(setup.tenant, new Tenant(setup, () => idp.url));
  const res = await fetch(`${idp.url}/api/admin/tenants/${setup.tenant}/scim`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${idp.adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ baseUrl: w.base, token: w.token }),
  });
  const conf = (await res.json()) as any;
  const api = async (method: string, url: string, body?: unknown) => {
    const r = await fetch(url, {
      method,
      headers: {
        authorization: `${vendor === 'okta' ? 'SSWS' : 'Bearer'} ${conf.managementApi.apiToken}`,
        'content-type': 'application/json',
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await r.text();
    return { status: r.status, body: (text ? JSON.parse(text) : undefined) as any };
  };
  const settle = () =>
    fetch(`${idp.url}/api/admin/tenants/${setup.tenant}/scim/settle`, {
      method: 'POST',
      headers: { authorization: `Bearer ${idp.adminToken}`, 'content-type': 'application/json' },
      body: '{}',
    });
  return { conf, api, settle };
}

describe('vendor management APIs on mock-idp, followed as the seeds walk through them', function () {
  let w: ScimWorld;
  let idp: RunningIdp;
  beforeEach(async () => {
    w = await startScimWorld();
    idp = await startIdp();
  });
  afterEach(async () => {
    await idp.close();
    await w.close();
  });
  const roles = async (email: string) =>
    (await admin<any[]>(w.sp, 'GET', '/workspaces/acme/members')).body.find((m) => m.email === email)?.roles;

  it('Microsoft Graph (seed 004): applications, extensionProperties, users $select, PATCH, provision on demand', async () => {
    const { conf, api } = await connect(idp, w, 'entra');
    const graph = conf.managementApi.graphUrl as string;
    const apps = await api('GET', `${graph}/applications`);
    const app = apps.body.value[0];
    expect(app.id).not.to.equal(app.appId);
    expect(
      (
        await api('POST', `${graph}/applications/${app.appId}/extensionProperties`, {
          name: 'workato_role',
          dataType: 'string',
          targetObjects: ['User'],
        })
      ).status,
    ).to.equal(404);
    const names: Record<string, string> = {};
    for (const n of ['workato_role', 'workato_role_prod', 'workato_role_test']) {
      const r = await api('POST', `${graph}/applications/${app.id}/extensionProperties`, {
        name: n,
        dataType: 'string',
        targetObjects: ['User'],
      });
      expect(r.status).to.equal(201);
      expect(r.body.name).to.equal(`extension_${app.appId.replace(/-/g, '')}_${n}`);
      names[n] = r.body.name;
    }
    const users = await api('GET', `${graph}/users`);
    const maria = users.body.value.find((u: any) => u.userPrincipalName === 'maria.garcia@acme.example');
    const patched = await api('PATCH', `${graph}/users/${maria.id}`, {
      [names.workato_role!]: 'Admin',
      [names.workato_role_prod!]: 'Operator',
      [names.workato_role_test!]: 'Analyst',
    });
    expect(patched.status).to.equal(204);
    const read = await api('GET', `${graph}/users/${maria.id}?$select=${names.workato_role}`);
    expect(read.body).to.deep.equal({
      '@odata.context': `https://graph.microsoft.com/v1.0/$metadata#users(${names.workato_role})/$entity`,
      [names.workato_role!]: 'Admin',
    });
    expect((await api('PATCH', `${graph}/users/${maria.id}`, { extension_nope_x: 'y' })).status).to.equal(
      400,
    );
    const pod = await api(
      'POST',
      `${graph}/servicePrincipals/${app.id}/synchronization/jobs/scim/provisionOnDemand`,
      {
        parameters: [{ subjects: [{ objectId: maria.id, objectTypeName: 'User' }], ruleId: 'default' }],
      },
    );
    expect(pod.status, JSON.stringify(pod.body)).to.equal(200);
    expect(await roles('maria.garcia@acme.example')).to.deep.equal({
      DEV: 'Admin',
      TEST: 'Analyst',
      PROD: 'Operator',
    });
    expect((await fetch(`${graph}/users`)).status).to.equal(401);
  });

  it('OneLogin API (seed 003): custom user fields and a user update pushed to the app', async () => {
    const { conf, api, settle } = await connect(idp, w, 'onelogin');
    const base = conf.managementApi.apiUrl as string;
    expect((await api('GET', `${base}/users/custom_attributes`)).body).to.include.members([
      'workato_role',
      'workato_role_test',
      'workato_role_prod',
    ]);
    const [maria] = (await api('GET', `${base}/users?email=maria.garcia@acme.example`)).body;
    const r = await api('PUT', `${base}/users/${maria.id}`, {
      custom_attributes: { workato_role: 'Analyst' },
    });
    expect(r.status).to.equal(200);
    expect(r.body.custom_attributes.workato_role).to.equal('Analyst');
    await settle();
    expect((await roles('maria.garcia@acme.example'))?.DEV).to.equal('Analyst');
    expect(
      (await api('PUT', `${base}/users/${maria.id}`, { custom_attributes: { shoe_size: '42' } })).status,
    ).to.equal(422);
  });
  it('Okta API (seed 002): a group assignment leaves an individual assignment alone until its scope is converted to GROUP', async () => {
    const { conf, api, settle } = await connect(idp, w, 'okta');
    const apps = `${conf.managementApi.orgUrl as string}/api/v1/apps/${conf.managementApi.appId as string}`;
    const maria = 'maria.garcia@acme.example';
    expect((await api('POST', `${apps}/users`, { id: maria, scope: 'USER' })).body.scope).to.equal('USER');
    await settle();
    expect((await roles(maria))?.DEV).to.equal('mktg_ops');
    const assigned = await api('PUT', `${apps}/groups/Marketing`, { profile: { workato_role: 'Admin' } });
    expect(assigned.status).to.equal(200);
    await settle();
    expect((await roles(maria))?.DEV, 'the individual value wins before conversion').to.equal('mktg_ops');
    expect((await api('POST', `${apps}/users/alex.admin@acme.example`, { scope: 'GROUP' })).status).to.equal(
      400,
    );
    const converted = await api('POST', `${apps}/users/${maria}`, { scope: 'GROUP' });
    expect(converted.body.scope).to.equal('GROUP');
    await settle();
    expect((await roles(maria))?.DEV).to.equal('Admin');
    expect((await api('PUT', `${apps}/groups/Nobody`, { profile: {} })).status).to.equal(404);
  });
});
