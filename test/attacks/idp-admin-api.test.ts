import { expect } from 'chai';
import { CATALOGUE } from '../../mock-idp/src/attacks/index.js';
import { startWorld, type World } from '../helpers/world.js';
import { postValue } from './forge.js';

describe('mock-idp admin API: the attack catalogue', () => {
  let world: World;
  before(async () => {
    world = await startWorld();
  });
  after(() => world.close());

  const call = (method: string, path: string, body?: unknown, token: string | null = world.idp.adminToken) =>
    fetch(`${world.idp.url}/api/admin${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    });

  it('lists the catalogue with spec references and preconditions', async () => {
    const res = await call('GET', '/attacks');
    expect(res.status).to.equal(200);
    const list = (await res.json()) as { id: string; spec: string[]; needs: Record<string, boolean> }[];
    expect(list.map((m) => m.id)).to.deep.equal(CATALOGUE.map((m) => m.id));
    expect(list.find((m) => m.id === 'saml.reject.replay')!.needs).to.deep.equal({ consumedResponse: true });
  });

  it('needs the admin token to list or arm', async () => {
    expect((await call('GET', '/attacks', undefined, null)).status).to.equal(401);
    expect((await call('GET', '/attacks', undefined, 'wrong')).status).to.equal(401);
    const put = await call(
      'PUT',
      `/tenants/${world.tenant.name}/next-mutation`,
      { mutation: 'saml.reject.unsigned' },
      null,
    );
    expect(put.status).to.equal(401);
  });

  it('refuses an unknown mutation with 404 ERR_NO_MUTATION', async () => {
    const res = await call('PUT', `/tenants/${world.tenant.name}/next-mutation`, {
      mutation: 'saml.reject.nope',
    });
    expect(res.status).to.equal(404);
    expect(((await res.json()) as { error: { code: string } }).error.code).to.equal('ERR_NO_MUTATION');
  });

  it('arms one mutation: the next sign-in through the IdP login page delivers it, the one after is normal', async () => {
    const put = await call('PUT', `/tenants/${world.tenant.name}/next-mutation`, {
      mutation: 'saml.reject.expired',
    });
    expect(put.status).to.equal(200);
    const armed = await (await call('GET', `/tenants/${world.tenant.name}/next-mutation`)).json();
    expect(armed).to.deep.equal({ tenant: world.tenant.name, mutation: 'saml.reject.expired' });

    /** One SP-initiated sign-in through the IdP's real login form; returns the ACS outcome. */
    const signIn = async () => {
      const sso = await fetch(`${world.sp.url}/saml/acme/login`, { redirect: 'manual' });
      const page = await (await fetch(sso.headers.get('location')!)).text();
      const pending = /name="pending" value="([^"]+)"/.exec(page)![1]!;
      const answered = await fetch(`${world.idp.url}/${world.tenant.name}/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          pending,
          username: 'maria.garcia@acme.example',
          password: 'Okta-Test-1!',
        }),
      });
      const form = await answered.text();
      const value = /name="SAMLResponse" value="([^"]+)"/.exec(form)![1]!;
      return postValue(world, value);
    };
    expect(await signIn()).to.deep.equal({ status: 403, code: 'ERR_SAML_EXPIRED' });
    const after = await (await call('GET', `/tenants/${world.tenant.name}/next-mutation`)).json();
    expect(after).to.deep.equal({ tenant: world.tenant.name, mutation: null });
    expect((await signIn()).status).to.equal(303);
  });

  it('disarms with DELETE', async () => {
    await call('PUT', `/tenants/${world.tenant.name}/next-mutation`, { mutation: 'saml.reject.unsigned' });
    expect((await call('DELETE', `/tenants/${world.tenant.name}/next-mutation`)).status).to.equal(204);
    const after = await (await call('GET', `/tenants/${world.tenant.name}/next-mutation`)).json();
    expect(after).to.deep.equal({ tenant: world.tenant.name, mutation: null });
  });
});
