import { expect } from 'chai';
import { join } from 'node:path';
import { loadSetupFile, setRoleAttributes } from '../../mock-idp/src/index.js';
import { ENGINES } from '../../mock-idp/src/scim/engines/index.js';
import { Tenant } from '../../mock-idp/src/tenant.js';
import { ROOT } from '../helpers/world.js';

/** What differs by vendor lives in that vendor's engine or profile, behind one hook each. */
describe('mock-idp vendor hooks', () => {
  it('each engine gives directory users ids of its vendor’s shape, and keeps an id the setup gives', () => {
    const shapes: Record<string, RegExp> = {
      okta: /^00u[A-Za-z0-9]{17}$/,
      onelogin: /^[1-9]\d{8}$/,
      entra: /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    };
    expect(Object.keys(ENGINES).sort()).to.deep.equal(Object.keys(shapes).sort());
    for (const [vendor, engine] of Object.entries(ENGINES)) {
      const ids = new Set(
        Array.from({ length: 20 }, () => engine.newUserId({ login: 'a@x.example', password: 'x' })),
      );
      expect(ids.size, vendor).to.equal(20);
      for (const id of ids) expect(id, vendor).to.match(shapes[vendor]!);
      expect(engine.newUserId({ login: 'a@x.example', password: 'x', profile: { id: 'given-1' } })).to.equal(
        'given-1',
      );
    }
    expect(
      ENGINES.entra!.newUserId({
        login: 'a@x.example',
        password: 'x',
        profile: { id: 'given-1', objectid: 'oid-1' },
      }),
    ).to.equal('oid-1');
  });

  for (const vendor of ['okta', 'onelogin', 'entra', 'google']) {
    it(`${vendor}: roles set through the vendor's profile are what its attribute statements send`, () => {
      const setup = loadSetupFile(join(ROOT, `fixtures/setups/${vendor}.yaml`));
      const user = {
        login: 'new.hire@acme.example',
        password: 'x',
        profile: { email: 'new.hire@acme.example' },
      };
      setRoleAttributes(setup, user, { workato_role: 'mktg_ops', workato_role_prod: 'NoAccess' });
      setup.users.push(user);
      const tenant = new Tenant(setup, () => 'http://127.0.0.1:1');
      const sent = Object.fromEntries(tenant.attributesFor(user).map((a) => [a.name, a.values]));
      expect(sent.workato_role, vendor).to.deep.equal(['mktg_ops']);
      expect(sent.workato_role_prod, vendor).to.deep.equal(['NoAccess']);
    });
  }
});
