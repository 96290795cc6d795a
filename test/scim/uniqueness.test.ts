/* eslint-disable @typescript-eslint/no-explicit-any -- SCIM answers are read loosely */
import { expect } from 'chai';
import { admin } from '../helpers/world.js';
import { newUser, patch, startScimWorld, type ScimAnswer, type ScimWorld } from './helpers.js';

const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';

function expectTaken(r: ScimAnswer, attribute: 'userName' | 'emails') {
  expect(r.status, r.text).to.equal(409);
  expect(r.body.scimType).to.equal('uniqueness');
  expect(r.body.code).to.equal('ERR_SCIM_UNIQUENESS');
  expect(r.body.attribute).to.equal(attribute);
  expect(r.body.detail).to.be.a('string').and.include(attribute);
}

/** One person, two accounts: a userName and an address that several resources might name. */
const account = (userName: string, email: string) =>
  newUser(userName, { emails: [{ value: email, primary: true, type: 'work' }] });

describe('sp-under-test SCIM uniqueness: no answer changes a resource other than the one addressed', () => {
  let w: ScimWorld;
  const members = async () => (await admin<any[]>(w.sp, 'GET', '/workspaces/acme/members')).body;
  const audit = async () =>
    (await admin<{ action: string }[]>(w.sp, 'GET', '/workspaces/acme/audit')).body.map((e) => e.action);

  beforeEach(async () => {
    w = await startScimWorld();
  });
  afterEach(() => w.close());

  it('refuses a POST naming another resource’s email with 409 emails, and leaves that resource alone', async () => {
    const first = await w.scim('POST', '/Users', account('emp1', 'anna@example.com'));
    expect(first.status).to.equal(201);
    expectTaken(await w.scim('POST', '/Users', account('emp2', 'ANNA@example.com')), 'emails');
    const again = await w.scim('GET', `/Users/${first.body.id}`);
    expect(again.body.userName).to.equal('emp1');
    expect(again.headers.get('etag')).to.equal(first.headers.get('etag'));
    expect((await w.scim('GET', '/Users')).body.totalResults).to.equal(1);
    expect(await members()).to.have.length(1);
  });

  it('links a POST to a member that no SCIM client holds yet, once; a second claim is 409', async () => {
    await admin(w.sp, 'POST', '/workspaces/acme/members', { email: 'sso.user@x.example', name: 'Sso User' });
    const placeholder = (await w.scim('GET', '/Users')).body.Resources[0];
    const linked = await w.scim('POST', '/Users', account('sso.upn@corp.example', 'sso.user@x.example'));
    expect(linked.status, linked.text).to.equal(201);
    expect(linked.body.id).to.equal(placeholder.id);
    expect(linked.body.userName).to.equal('sso.upn@corp.example');
    expect(await audit()).to.include('member.linked');
    expectTaken(await w.scim('POST', '/Users', account('other.upn', 'sso.user@x.example')), 'emails');
    expect((await w.scim('GET', `/Users/${linked.body.id}`)).body.userName).to.equal('sso.upn@corp.example');
    expect(await members()).to.have.length(1);
  });

  it('refuses a PUT or PATCH that would take another resource’s userName or email, and changes nothing', async () => {
    const a = (await w.scim('POST', '/Users', account('emp1', 'anna@example.com'))).body;
    const b = (await w.scim('POST', '/Users', account('emp2', 'bea@example.com'))).body;
    expectTaken(await w.scim('PUT', `/Users/${b.id}`, account('EMP1', 'bea@example.com')), 'userName');
    expectTaken(await w.scim('PUT', `/Users/${b.id}`, account('emp2', 'anna@EXAMPLE.com')), 'emails');
    expectTaken(
      await w.scim(
        'PATCH',
        `/Users/${b.id}`,
        patch({ op: 'replace', path: 'emails', value: [{ value: 'anna@example.com', primary: true }] }),
      ),
      'emails',
    );
    expectTaken(
      await w.scim('PATCH', `/Users/${b.id}`, patch({ op: 'replace', path: 'userName', value: 'emp1' })),
      'userName',
    );
    for (const [before, after] of [
      [a, (await w.scim('GET', `/Users/${a.id}`)).body],
      [b, (await w.scim('GET', `/Users/${b.id}`)).body],
    ])
      expect(after).to.deep.equal(before);
  });

  it('keeps a member’s sign-in address taken after its resource names another one', async () => {
    const a = (await w.scim('POST', '/Users', account('emp1', 'anna@example.com'))).body;
    const moved = await w.scim('PUT', `/Users/${a.id}`, account('emp1', 'anna.new@example.com'));
    expect(moved.status, moved.text).to.equal(200);
    expectTaken(await w.scim('POST', '/Users', account('emp2', 'anna@example.com')), 'emails');
    expectTaken(await w.scim('POST', '/Users', account('emp3', 'anna.new@example.com')), 'emails');
    expect((await w.scim('DELETE', `/Users/${a.id}`)).status).to.equal(204);
    const back = await w.scim('POST', '/Users', account('emp2', 'anna@example.com'));
    expect(back.status, back.text).to.equal(201);
    expect(back.body.id).not.to.equal(a.id);
  });

  it('gives a group a new version when a member of it is deleted', async () => {
    const u = (await w.scim('POST', '/Users', account('emp1', 'anna@example.com'))).body;
    const g = await w.scim('POST', '/Groups', {
      schemas: [GROUP],
      displayName: 'Finance',
      members: [{ value: u.id }],
    });
    expect((await w.scim('DELETE', `/Users/${u.id}`)).status).to.equal(204);
    const after = await w.scim('GET', `/Groups/${g.body.id}`);
    expect(after.body.members ?? []).to.deep.equal([]);
    expect(after.headers.get('etag')).not.to.equal(g.headers.get('etag'));
  });
});
