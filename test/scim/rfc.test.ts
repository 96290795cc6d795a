/* eslint-disable @typescript-eslint/no-explicit-any -- SCIM answers are read loosely */
import { expect } from 'chai';
import { admin } from '../helpers/world.js';
import { ROLE_URN, newUser, patch, startScimWorld, type ScimAnswer, type ScimWorld } from './helpers.js';

const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';
const LIST = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';

function expectError(r: ScimAnswer, status: number, scimType: string, code: string) {
  expect(r.status, r.text).to.equal(status);
  expect(r.body.schemas).to.deep.equal([ERROR]);
  expect(r.body.status).to.equal(String(status));
  expect(r.body.scimType).to.equal(scimType);
  expect(r.body.code).to.equal(code);
  expect(r.body.detail).to.be.a('string').with.length.greaterThan(0);
}

describe('scim.rfc: the reference SP SCIM 2.0 server (RFC 7643/7644)', function () {
  let w: ScimWorld;
  const q = (f: string) => `/Users?filter=${encodeURIComponent(f)}`;
  const members = async () => (await admin<any[]>(w.sp, 'GET', '/workspaces/acme/members')).body;

  beforeEach(async () => {
    w = await startScimWorld();
  });
  afterEach(async () => {
    await w.close();
  });

  describe('scim.rfc.auth: bearer token (RFC 7644 §2)', () => {
    it('refuses a missing, malformed, wrong or revoked token with 401 and the error schema', async () => {
      for (const authorization of ['', 'non-token', 'Bearer nope', `Basic ${w.token}`]) {
        const r = await w.scim('GET', '/Users', undefined, { authorization });
        expectError(r, 401, 'invalidToken', 'ERR_SCIM_UNAUTHORIZED');
        expect(r.headers.get('www-authenticate')).to.match(/^Bearer/);
      }
      expect((await w.scim('GET', '/Users')).status).to.equal(200);
      expect((await admin(w.sp, 'DELETE', `/workspaces/acme/scim-tokens/${w.tokenId}`)).status).to.equal(204);
      expectError(await w.scim('GET', '/Users'), 401, 'invalidToken', 'ERR_SCIM_UNAUTHORIZED');
    });

    it('selects the workspace by token: another workspace never sees these users', async () => {
      await w.scim('POST', '/Users', newUser('only.acme@x.example'));
      await admin(w.sp, 'POST', '/workspaces', { slug: 'other' });
      const t = await admin<{ token: string }>(w.sp, 'POST', '/workspaces/other/scim-tokens');
      const r = await w.scim('GET', '/Users', undefined, { authorization: `Bearer ${t.body.token}` });
      expect(r.body.totalResults).to.equal(0);
    });

    it('shows a token once and stores only its hash', async () => {
      const listed = await admin<any[]>(w.sp, 'GET', '/workspaces/acme/scim-tokens');
      expect(JSON.stringify(listed.body)).not.to.include(w.token);
      const stored = w.sp.db.prepare('SELECT token_hash FROM scim_tokens').all() as { token_hash: Buffer }[];
      expect(stored.map((s) => s.token_hash.toString('utf8'))).not.to.include(w.token);
    });
  });

  describe('scim.rfc.create: POST /Users (RFC 7644 §3.3)', () => {
    it('answers 201 with the resource, Location, meta and an ETag equal to meta.version', async () => {
      const r = await w.scim('POST', '/Users', {
        ...newUser('new.hire@x.example'),
        id: 'client-chosen',
        meta: { version: 'x' },
      });
      expect(r.status).to.equal(201);
      expect(r.body.id).to.be.a('string').and.not.equal('client-chosen');
      expect(r.headers.get('location')).to.equal(r.body.meta.location);
      expect(r.body.meta.resourceType).to.equal('User');
      expect(r.headers.get('etag')).to.equal(r.body.meta.version);
      expect(r.headers.get('content-type')).to.match(/^application\/scim\+json/);
      expect(r.body.active).to.equal(true);
    });

    it('refuses a duplicate userName whatever its case with 409 uniqueness, and writes nothing', async () => {
      expect((await w.scim('POST', '/Users', newUser('dup@x.example'))).status).to.equal(201);
      expectError(
        await w.scim('POST', '/Users', newUser('DUP@X.example')),
        409,
        'uniqueness',
        'ERR_SCIM_UNIQUENESS',
      );
      expect(await members()).to.have.length(1);
    });

    it('refuses a user without userName or email with 400 invalidValue', async () => {
      const { userName: _u, ...noName } = newUser('x@x.example');
      expectError(await w.scim('POST', '/Users', noName), 400, 'invalidValue', 'ERR_SCIM_INVALID_VALUE');
      expectError(
        await w.scim('POST', '/Users', { userName: 'no-email', schemas: [] }),
        400,
        'invalidValue',
        'ERR_SCIM_INVALID_VALUE',
      );
      expectError(
        await w.scim('POST', '/Users', { userName: 42 }),
        400,
        'invalidValue',
        'ERR_SCIM_INVALID_VALUE',
      );
      expect(await members()).to.have.length(0);
    });

    it('accepts the vendors\' value variants: "True" strings, capitalised names, a lone emails object, unknown attributes', async () => {
      const r = await w.scim('POST', '/Users', {
        UserName: 'variant@x.example',
        Active: 'True',
        emails: { Value: 'variant@x.example', Primary: 'true', type: 'work' },
        NAME: { GivenName: 'Var', familyname: 'Iant' },
        favouriteColour: 'green',
      });
      expect(r.status, r.text).to.equal(201);
      expect(r.body.userName).to.equal('variant@x.example');
      expect(r.body.active).to.equal(true);
      expect(r.body.emails).to.deep.equal([{ value: 'variant@x.example', primary: true, type: 'work' }]);
      expect(r.body.name).to.deep.equal({ givenName: 'Var', familyName: 'Iant' });
      expect(r.body).not.to.have.property('favouriteColour');
    });

    it('maps the WorkatoRole extension to roles per environment; <No access> is NoAccess; unknown roles are refused', async () => {
      const r = await w.scim(
        'POST',
        '/Users',
        newUser('roles@x.example', {
          [ROLE_URN]: {
            workato_role: 'mktg_ops',
            workato_role_test: 'Analyst',
            workato_role_prod: '<No access>',
          },
        }),
      );
      expect(r.status, r.text).to.equal(201);
      expect(r.body[ROLE_URN]).to.deep.equal({
        workato_role: 'mktg_ops',
        workato_role_test: 'Analyst',
        workato_role_prod: 'NoAccess',
      });
      expect((await members())[0].roles).to.deep.equal({
        DEV: 'mktg_ops',
        TEST: 'Analyst',
        PROD: 'NoAccess',
      });
      expectError(
        await w.scim(
          'POST',
          '/Users',
          newUser('bad.role@x.example', { [ROLE_URN]: { workato_role: 'admin' } }),
        ),
        400,
        'invalidValue',
        'ERR_SCIM_INVALID_VALUE',
      );
      expect(await members()).to.have.length(1);
    });

    it('matches an existing SAML member by userName instead of creating a second one', async () => {
      await admin(w.sp, 'POST', '/workspaces/acme/members', {
        email: 'saml.user@x.example',
        name: 'Saml User',
      });
      const found = await w.scim('GET', q('userName eq "SAML.USER@x.example"'));
      expect(found.body.totalResults).to.equal(1);
      expect(found.body.Resources[0].name.familyName).to.equal('User');
      expectError(
        await w.scim('POST', '/Users', newUser('saml.user@x.example')),
        409,
        'uniqueness',
        'ERR_SCIM_UNIQUENESS',
      );
      expect(await members()).to.have.length(1);
    });
  });

  describe('scim.rfc.query: GET /Users, filters and paging (RFC 7644 §3.4.2)', () => {
    beforeEach(async () => {
      for (const [i, u] of [
        'alice@a.example',
        'bob@b.example',
        'carol@a.example',
        'dave@d.example',
        'erin@a.example',
      ].entries())
        await w.scim(
          'POST',
          '/Users',
          newUser(u, {
            name: { givenName: u.split('@')[0], familyName: i % 2 ? 'Employee' : 'Contractor' },
            active: i !== 3,
          }),
        );
    });

    it('returns a ListResponse with totalResults, startIndex and itemsPerPage, paged by startIndex and count', async () => {
      const all = await w.scim('GET', '/Users');
      expect(all.body.schemas).to.deep.equal([LIST]);
      expect(all.body.totalResults).to.equal(5);
      const page = await w.scim('GET', '/Users?startIndex=2&count=2');
      expect(page.body).to.include({ totalResults: 5, startIndex: 2, itemsPerPage: 2 });
      expect(page.body.Resources.map((u: any) => u.userName)).to.deep.equal([
        'bob@b.example',
        'carol@a.example',
      ]);
      const none = await w.scim('GET', '/Users?count=0');
      expect(none.body).to.include({ totalResults: 5, itemsPerPage: 0 });
      expect((await w.scim('GET', '/Users?startIndex=-3&count=-1')).body).to.include({
        startIndex: 1,
        itemsPerPage: 0,
      });
    });

    const cases: [string, string[]][] = [
      ['userName eq "ALICE@A.EXAMPLE"', ['alice@a.example']],
      ['USERNAME Eq "bob@b.example"', ['bob@b.example']],
      ['userName sw "c"', ['carol@a.example']],
      ['userName ew "@a.example"', ['alice@a.example', 'carol@a.example', 'erin@a.example']],
      ['userName co "o"', ['bob@b.example', 'carol@a.example']],
      ['userName ne "alice@a.example" and userName ew "a.example"', ['carol@a.example', 'erin@a.example']],
      [
        'name.FamilyName eq "Employee" and (emails.Value co "@b." or userName sw "d")',
        ['bob@b.example', 'dave@d.example'],
      ],
      ['not (active eq true)', ['dave@d.example']],
      ['active eq false or userName eq "erin@a.example"', ['dave@d.example', 'erin@a.example']],
      ['emails[type eq "work" and value sw "e"]', ['erin@a.example']],
      ['title pr', []],
      [
        'meta.created gt "2000-01-01T00:00:00Z"',
        ['alice@a.example', 'bob@b.example', 'carol@a.example', 'dave@d.example', 'erin@a.example'],
      ],
      [
        `${ROLE_URN}:workato_role eq "Operator"`,
        ['alice@a.example', 'bob@b.example', 'carol@a.example', 'dave@d.example', 'erin@a.example'],
      ],
    ];
    for (const [filter, expected] of cases) {
      it(`filters ${filter}`, async () => {
        const r = await w.scim('GET', q(filter));
        expect(r.status, r.text).to.equal(200);
        expect(r.body.Resources.map((u: any) => u.userName).sort()).to.deep.equal(expected);
        expect(r.body.totalResults).to.equal(expected.length);
      });
    }

    it('answers a filter matching nothing with 200 and totalResults 0', async () => {
      const r = await w.scim('GET', q('userName eq "nobody@x.example"'));
      expect(r.status).to.equal(200);
      expect(r.body).to.include({ totalResults: 0 });
    });

    for (const bad of [
      'userName zz "a"',
      'userName eq',
      'name.familyName eq Employee',
      'active gt true',
      'shoeSize eq "42"',
      '(userName eq "a"',
    ]) {
      it(`refuses the filter ${bad} with 400 invalidFilter`, async () => {
        expectError(await w.scim('GET', q(bad)), 400, 'invalidFilter', 'ERR_SCIM_INVALID_FILTER');
      });
    }

    it('returns only the requested attributes, or all but the excluded ones; id always', async () => {
      const only = await w.scim(
        'GET',
        `${q('userName eq "alice@a.example"')}&attributes=userName,name.givenName`,
      );
      expect(only.body.Resources[0]).to.deep.equal({
        schemas: only.body.Resources[0].schemas,
        id: only.body.Resources[0].id,
        userName: 'alice@a.example',
        name: { givenName: 'alice' },
      });
      const without = await w.scim(
        'GET',
        `${q('userName eq "alice@a.example"')}&excludedAttributes=emails,name,id`,
      );
      expect(without.body.Resources[0]).to.have.property('id');
      expect(without.body.Resources[0]).not.to.have.any.keys('emails', 'name');
      const work = await w.scim(
        'GET',
        `/Users/${only.body.Resources[0].id}?attributes=emails[type eq "work"]`,
      );
      expect(work.body.emails).to.have.length(1);
    });

    it('supports POST /Users/.search', async () => {
      const r = await w.scim('POST', '/Users/.search', {
        schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'],
        filter: 'userName sw "a"',
        count: 10,
      });
      expect(r.body.Resources.map((u: any) => u.userName)).to.deep.equal(['alice@a.example']);
    });
  });

  describe('scim.rfc.patch: PATCH /Users/{id} (RFC 7644 §3.5.2)', () => {
    let id: string;
    beforeEach(async () => {
      id = (await w.scim('POST', '/Users', newUser('pat@x.example'))).body.id;
    });

    it('applies add, replace and remove with attribute paths and value filters', async () => {
      const r = await w.scim(
        'PATCH',
        `/Users/${id}`,
        patch(
          { op: 'add', path: 'nickName', value: 'Babs' },
          { op: 'replace', path: 'name.givenName', value: 'Patricia' },
          { op: 'add', path: 'emails', value: [{ value: 'home@x.example', type: 'home', primary: true }] },
          { op: 'replace', path: 'emails[type eq "work"].value', value: 'pat.work@x.example' },
          { op: 'remove', path: 'displayName' },
          {
            op: 'add',
            path: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department',
            value: 'Sales',
          },
        ),
      );
      expect(r.status, r.text).to.equal(200);
      expect(r.body.nickName).to.equal('Babs');
      expect(r.body.name.givenName).to.equal('Patricia');
      expect(r.body.emails).to.deep.equal([
        { primary: false, value: 'pat.work@x.example', type: 'work' },
        { value: 'home@x.example', type: 'home', primary: true },
      ]);
      expect(r.body['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User']).to.deep.equal({
        department: 'Sales',
      });
      expect(r.body.schemas).to.include('urn:ietf:params:scim:schemas:extension:enterprise:2.0:User');
    });

    it('accepts Entra\'s dialect: capitalised ops, "False" strings, path-less value objects with dotted and URN keys', async () => {
      let r = await w.scim('PATCH', `/Users/${id}`, patch({ op: 'Replace', path: 'active', value: 'False' }));
      expect(r.body.active).to.equal(false);
      expect((await members())[0].status).to.equal('deactivated');
      r = await w.scim(
        'PATCH',
        `/Users/${id}`,
        patch({
          op: 'replace',
          value: { active: true, 'name.familyName': 'Unua', [`${ROLE_URN}:workato_role`]: 'Admin' },
        }),
      );
      expect(r.status, r.text).to.equal(200);
      expect(r.body.active).to.equal(true);
      expect(r.body.name.familyName).to.equal('Unua');
      expect((await members())[0].roles.DEV).to.equal('Admin');
    });

    it("accepts Okta's path-less deactivation", async () => {
      const r = await w.scim('PATCH', `/Users/${id}`, patch({ op: 'replace', value: { active: false } }));
      expect(r.body.active).to.equal(false);
    });

    it('refuses bad operations with the right scimType and changes nothing (atomic)', async () => {
      const before = (await w.scim('GET', `/Users/${id}`)).body;
      expectError(
        await w.scim(
          'PATCH',
          `/Users/${id}`,
          patch({ op: 'replace', path: 'nickName', value: 'X' }, { op: 'remove' }),
        ),
        400,
        'noTarget',
        'ERR_SCIM_NO_TARGET',
      );
      expectError(
        await w.scim('PATCH', `/Users/${id}`, patch({ op: 'remove', path: 'userName' })),
        400,
        'mutability',
        'ERR_SCIM_MUTABILITY',
      );
      expectError(
        await w.scim('PATCH', `/Users/${id}`, patch({ op: 'replace', path: 'id', value: 'x' })),
        400,
        'mutability',
        'ERR_SCIM_MUTABILITY',
      );
      expectError(
        await w.scim(
          'PATCH',
          `/Users/${id}`,
          patch({ op: 'replace', path: 'emails[type eq "fax"].value', value: 'x' }),
        ),
        400,
        'noTarget',
        'ERR_SCIM_NO_TARGET',
      );
      expectError(
        await w.scim('PATCH', `/Users/${id}`, patch({ op: 'merge', path: 'nickName', value: 'x' })),
        400,
        'invalidSyntax',
        'ERR_SCIM_SYNTAX',
      );
      expectError(
        await w.scim('PATCH', `/Users/${id}`, { Operations: [{ op: 'add', path: 'nickName', value: 'x' }] }),
        400,
        'invalidSyntax',
        'ERR_SCIM_SYNTAX',
      );
      expectError(
        await w.scim('PATCH', `/Users/${id}`, patch({ op: 'add', path: 'shoeSize', value: 42 })),
        400,
        'invalidPath',
        'ERR_SCIM_INVALID_PATH',
      );
      expectError(
        await w.scim('PATCH', `/Users/${id}`, patch({ op: 'replace', path: 'active', value: 'maybe' })),
        400,
        'invalidValue',
        'ERR_SCIM_INVALID_VALUE',
      );
      expectError(
        await w.scim(
          'PATCH',
          `/Users/${id}`,
          patch({ op: 'replace', path: `${ROLE_URN}:workato_role`, value: 'Root' }),
        ),
        400,
        'invalidValue',
        'ERR_SCIM_INVALID_VALUE',
      );
      const after = (await w.scim('GET', `/Users/${id}`)).body;
      expect(after).to.deep.equal(before);
    });
  });

  describe('scim.rfc.put-delete-etag: PUT, DELETE and versions (RFC 7644 §3.5.1, §3.6, §3.14)', () => {
    it('replaces with PUT, refuses a stale If-Match with 412, honours If-None-Match with 304', async () => {
      const c = await w.scim('POST', '/Users', newUser('put@x.example'));
      const v1 = c.headers.get('etag')!;
      const r = await w.scim('PUT', `/Users/${c.body.id}`, newUser('put@x.example', { title: 'Boss' }), {
        'if-match': v1,
      });
      expect(r.status, r.text).to.equal(200);
      expect(r.body.title).to.equal('Boss');
      expect(r.headers.get('etag')).not.to.equal(v1);
      expectError(
        await w.scim('PUT', `/Users/${c.body.id}`, newUser('put@x.example'), { 'if-match': v1 }),
        412,
        'invalidVers',
        'ERR_SCIM_PRECONDITION',
      );
      expectError(
        await w.scim('DELETE', `/Users/${c.body.id}`, undefined, { 'if-match': v1 }),
        412,
        'invalidVers',
        'ERR_SCIM_PRECONDITION',
      );
      expect(
        (await w.scim('GET', `/Users/${c.body.id}`, undefined, { 'if-none-match': r.headers.get('etag')! }))
          .status,
      ).to.equal(304);
    });

    it('gives 412 to every stale concurrent writer and keeps one consistent result', async () => {
      const c = await w.scim('POST', '/Users', newUser('race@x.example'));
      const etag = c.headers.get('etag')!;
      const answers = await Promise.all(
        ['A', 'B', 'C', 'D', 'E'].map((t) =>
          w.scim('PATCH', `/Users/${c.body.id}`, patch({ op: 'replace', path: 'title', value: t }), {
            'if-match': etag,
          }),
        ),
      );
      const ok = answers.filter((a) => a.status === 200);
      expect(ok).to.have.length(1);
      expect(answers.filter((a) => a.status === 412)).to.have.length(4);
      expect((await w.scim('GET', `/Users/${c.body.id}`)).body.title).to.equal(ok[0]!.body.title);
    });

    it("refuses a PUT that takes another user's userName with 409", async () => {
      await w.scim('POST', '/Users', newUser('first@x.example'));
      const b = await w.scim('POST', '/Users', newUser('second@x.example'));
      expectError(
        await w.scim('PUT', `/Users/${b.body.id}`, newUser('FIRST@x.example')),
        409,
        'uniqueness',
        'ERR_SCIM_UNIQUENESS',
      );
    });

    it('deletes with 204; the user is then 404 and gone from queries; the userName can be used again with earlier roles', async () => {
      const c = await w.scim(
        'POST',
        '/Users',
        newUser('gone@x.example', { [ROLE_URN]: { workato_role: 'Admin' } }),
      );
      expect((await w.scim('DELETE', `/Users/${c.body.id}`)).status).to.equal(204);
      expectError(await w.scim('GET', `/Users/${c.body.id}`), 404, 'noTarget', 'ERR_SCIM_NOT_FOUND');
      expectError(
        await w.scim('PATCH', `/Users/${c.body.id}`, patch({ op: 'replace', path: 'title', value: 'x' })),
        404,
        'noTarget',
        'ERR_SCIM_NOT_FOUND',
      );
      expectError(await w.scim('DELETE', `/Users/${c.body.id}`), 404, 'noTarget', 'ERR_SCIM_NOT_FOUND');
      expect((await w.scim('GET', q('userName eq "gone@x.example"'))).body.totalResults).to.equal(0);
      expect((await members())[0].status).to.equal('deleted');
      const again = await w.scim('POST', '/Users', newUser('gone@x.example'));
      expect(again.status).to.equal(201);
      expect(again.body.id).not.to.equal(c.body.id);
      // Back with the earlier roles, and still to verify the address it was invited at (seeds 002–004).
      expect((await members())[0]).to.include({ status: 'invited' });
      expect((await members())[0].roles.DEV).to.equal('Admin');
    });
  });

  describe('scim.rfc.bad-input: nothing gives a 5xx or half-written data (RFC 7644 §3.12)', () => {
    it('malformed JSON → 400 invalidSyntax', async () => {
      expectError(
        await w.scim('POST', '/Users', '{"userName": "x@x.example",'),
        400,
        'invalidSyntax',
        'ERR_SCIM_MALFORMED_JSON',
      );
    });
    it('a wrong content type → 415', async () => {
      expectError(
        await w.scim('POST', '/Users', 'userName=x', { 'content-type': 'application/x-www-form-urlencoded' }),
        415,
        'invalidSyntax',
        'ERR_SCIM_CONTENT_TYPE',
      );
    });
    it('a body over the limit → 413', async () => {
      const huge = JSON.stringify(newUser('big@x.example', { title: 'x'.repeat(300 * 1024) }));
      expectError(await w.scim('POST', '/Users', huge), 413, 'tooLarge', 'ERR_SCIM_TOO_LARGE');
      expect(await members()).to.have.length(0);
    });
    it('a JSON array, string or null body → 400', async () => {
      for (const body of ['[]', '"x"', 'null'])
        expect((await w.scim('POST', '/Users', body)).status, body).to.equal(400);
    });
    it('an unknown endpoint → 404, a wrong method → 405, both with the error schema', async () => {
      expectError(await w.scim('GET', '/Widgets'), 404, 'noTarget', 'ERR_SCIM_NO_ROUTE');
      expectError(await w.scim('DELETE', '/Users'), 405, 'invalidSyntax', 'ERR_SCIM_METHOD');
      expectError(
        await w.scim('POST', '/ServiceProviderConfig', {}),
        405,
        'invalidSyntax',
        'ERR_SCIM_METHOD',
      );
    });
    it('a storm of hostile requests never answers 5xx', async () => {
      const bodies = [
        '{',
        '{"schemas":1}',
        '{"userName":{}}',
        '{"emails":"x","userName":"a@b.co"}',
        '{"userName":"a@b.co","name":[]}',
        '{"userName":"a@b.co","active":3}',
        '{"Operations":{}}',
      ];
      for (const b of bodies)
        for (const [m, p] of [
          ['POST', '/Users'],
          ['PUT', '/Users/x'],
          ['PATCH', '/Users/x'],
          ['POST', '/Groups'],
        ] as const) {
          const r = await w.scim(m, p, b);
          expect(r.status, `${m} ${p} ${b}: ${r.text}`).to.be.within(200, 499);
        }
    });
  });

  describe('scim.rfc.discovery: /ServiceProviderConfig, /Schemas, /ResourceTypes (RFC 7644 §4)', () => {
    it('describes the server', async () => {
      const spc = await w.scim('GET', '/ServiceProviderConfig');
      expect(spc.body.schemas).to.deep.equal(['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig']);
      expect(spc.body.patch.supported).to.equal(true);
      expect(spc.body.etag.supported).to.equal(true);
      expect(spc.body.filter).to.include({ supported: true });
      const schemas = await w.scim('GET', '/Schemas');
      expect(schemas.body.Resources.map((s: any) => s.id)).to.include.members([
        'urn:ietf:params:scim:schemas:core:2.0:User',
        ROLE_URN,
        GROUP,
      ]);
      expect(JSON.stringify(schemas.body)).to.include('User Account');
      expect(
        (await w.scim('GET', `/Schemas/${ROLE_URN}`)).body.attributes.map((a: any) => a.name),
      ).to.deep.equal(['workato_role', 'workato_role_test', 'workato_role_prod']);
      const types = await w.scim('GET', '/ResourceTypes');
      expect(types.body.Resources[0].endpoint).to.equal('/Users');
      expect(types.body.Resources[0].schemaExtensions.map((e: any) => e.schema)).to.include(ROLE_URN);
      expectError(
        await w.scim('GET', '/Schemas?filter=id%20pr'),
        403,
        'invalidFilter',
        'ERR_SCIM_DISCOVERY_FILTER',
      );
    });
  });

  describe('scim.rfc.groups: /Groups (RFC 7643 §4.2, RFC 7644 §3.5.2)', () => {
    it('creates, renames and changes members the ways Okta and Entra send them, and deletes', async () => {
      const a = (await w.scim('POST', '/Users', newUser('ga@x.example'))).body.id;
      const b = (await w.scim('POST', '/Users', newUser('gb@x.example'))).body.id;
      const g = await w.scim('POST', '/Groups', {
        schemas: [GROUP],
        displayName: 'Test SCIMv2',
        members: [],
      });
      expect(g.status).to.equal(201);
      expectError(
        await w.scim('POST', '/Groups', { schemas: [GROUP], displayName: 'test scimv2' }),
        409,
        'uniqueness',
        'ERR_SCIM_UNIQUENESS',
      );
      let r = await w.scim(
        'PATCH',
        `/Groups/${g.body.id}`,
        patch(
          { op: 'replace', value: { id: g.body.id, displayName: 'Renamed' } },
          { op: 'add', path: 'members', value: [{ value: a }, { value: b }] },
        ),
      );
      expect(r.status, r.text).to.equal(200);
      expect(r.body.displayName).to.equal('Renamed');
      expect(r.body.members.map((m: any) => m.value)).to.deep.equal([a, b]);
      r = await w.scim(
        'PATCH',
        `/Groups/${g.body.id}`,
        patch({ op: 'remove', path: `members[value eq "${a}"]` }),
      );
      expect(r.body.members.map((m: any) => m.value)).to.deep.equal([b]);
      r = await w.scim(
        'PATCH',
        `/Groups/${g.body.id}`,
        patch({ op: 'Remove', path: 'members', value: [{ value: b }] }),
      );
      expect(r.body).not.to.have.property('members');
      expectError(
        await w.scim(
          'PATCH',
          `/Groups/${g.body.id}`,
          patch({ op: 'add', path: 'members', value: [{ value: 'nobody' }] }),
        ),
        400,
        'invalidValue',
        'ERR_SCIM_INVALID_VALUE',
      );
      await w.scim(
        'PATCH',
        `/Groups/${g.body.id}`,
        patch({ op: 'add', path: 'members', value: [{ value: a }] }),
      );
      expect((await w.scim('GET', `/Users/${a}`)).body.groups.map((x: any) => x.display)).to.deep.equal([
        'Renamed',
      ]);
      const filtered = await w.scim(
        'GET',
        `/Groups?excludedAttributes=members&filter=${encodeURIComponent('displayName eq "renamed"')}`,
      );
      expect(filtered.body.totalResults).to.equal(1);
      expect(filtered.body.Resources[0]).not.to.have.property('members');
      expect((await w.scim('DELETE', `/Groups/${g.body.id}`)).status).to.equal(204);
      expectError(await w.scim('GET', `/Groups/${g.body.id}`), 404, 'noTarget', 'ERR_SCIM_NOT_FOUND');
    });
  });

  describe('scim.rfc.audit: provisioning semantics (seeds 002–004)', () => {
    it('audits every change as scim_auto_sync and sends the invitation through the mailer', async () => {
      const c = await w.scim('POST', '/Users', newUser('audited@x.example'));
      await w.scim(
        'PATCH',
        `/Users/${c.body.id}`,
        patch({ op: 'replace', path: `${ROLE_URN}:workato_role`, value: 'Analyst' }),
      );
      await w.scim('PATCH', `/Users/${c.body.id}`, patch({ op: 'replace', path: 'active', value: false }));
      await w.scim('PATCH', `/Users/${c.body.id}`, patch({ op: 'replace', path: 'active', value: true }));
      await w.scim('DELETE', `/Users/${c.body.id}`);
      const events = (await admin<any[]>(w.sp, 'GET', '/workspaces/acme/audit')).body.filter(
        (e) => e.source === 'scim_auto_sync',
      );
      expect(events.map((e) => e.action)).to.deep.equal([
        'member.created',
        'member.invited',
        'member.role_changed',
        'member.deactivated',
        'member.reactivated',
        'member.deleted',
      ]);
      const mail = (await admin<any[]>(w.sp, 'GET', '/workspaces/acme/mail')).body;
      expect(mail.map((m) => [m.kind, m.to])).to.deep.equal([['invitation', 'audited@x.example']]);
    });
  });
});
