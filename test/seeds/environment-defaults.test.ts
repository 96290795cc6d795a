import { expect } from 'chai';
import { join } from 'node:path';
import { startSp, type RunningSp } from '../../sp-under-test/src/index.js';
import { FlawedTarget, runScenarios, summary } from '../helpers/flawed-sp.js';
import { ROOT, admin } from '../helpers/world.js';
import { oneDefaultRole } from './flaws.js';

const scenario = join(ROOT, 'scenarios/jit/environment-defaults.yaml');

describe("seed rules: each environment's default role (seed 001)", function () {
  this.timeout(120_000);

  it('the reference SP passes; an SP with one default for every environment fails', async () => {
    const good = await runScenarios([scenario], ['entra']);
    expect(good.results[0]!.status, summary(good)).to.equal('passed');
    const bad = await runScenarios(
      [scenario],
      ['entra'],
      new FlawedTarget([oneDefaultRole], { observer: false }),
    );
    expect(bad.results[0]!.status, summary(bad)).to.equal('failed');
    expect(bad.results[0]!.message).to.match(/as an Analyst in DEV he edits the recipe/);
  });

  describe('the admin API and the paths that create members', () => {
    let sp: RunningSp;
    before(async () => {
      sp = await startSp();
      await admin(sp, 'POST', '/workspaces', { slug: 'acme', environments: ['DEV', 'TEST', 'PROD'] });
    });
    after(() => sp.close());

    it('refuses an unknown environment or role with ERR_BAD_REQUEST and changes nothing', async () => {
      for (const roles of [{ STAGE: 'Analyst' }, { PROD: 'noaccess' }]) {
        const r = await admin<{ error: { code: string } }>(sp, 'PUT', '/workspaces/acme/default-roles', {
          roles,
        });
        expect(r.status).to.equal(400);
        expect(r.body.error.code).to.equal('ERR_BAD_REQUEST');
      }
      const ws = await admin<{ defaultRoles: Record<string, string> }>(sp, 'GET', '/workspaces/acme');
      expect(ws.body.defaultRoles).to.deep.equal({ DEV: 'Operator', TEST: 'Operator', PROD: 'Operator' });
    });

    it('gives the defaults to members an admin creates and to SCIM users sent without roles', async () => {
      const put = await admin(sp, 'PUT', '/workspaces/acme/default-roles', { roles: { PROD: 'NoAccess' } });
      expect(put.status).to.equal(200);
      await admin(sp, 'POST', '/workspaces/acme/members', { email: 'dana@acme.example' });
      const token = await admin<{ token: string; baseUrl: string }>(
        sp,
        'POST',
        '/workspaces/acme/scim-tokens',
      );
      const created = await fetch(`${token.body.baseUrl}/Users`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token.body.token}`, 'content-type': 'application/scim+json' },
        body: JSON.stringify({ userName: 'sam@acme.example', active: true }),
      });
      expect(created.status).to.equal(201);
      const members = await admin<{ email: string; roles: Record<string, string> }[]>(
        sp,
        'GET',
        '/workspaces/acme/members',
      );
      for (const email of ['dana@acme.example', 'sam@acme.example'])
        expect(members.body.find((m) => m.email === email)?.roles).to.deep.equal({
          DEV: 'Operator',
          TEST: 'Operator',
          PROD: 'NoAccess',
        });
    });
  });
});
