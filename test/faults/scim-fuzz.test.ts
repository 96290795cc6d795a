/* eslint-disable @typescript-eslint/no-explicit-any -- SCIM answers are read loosely in tests */
import { expect } from 'chai';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { startScimWorld, ROLE_URN, PATCH_SCHEMA, USER_SCHEMA, type ScimWorld } from '../scim/helpers.js';

const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';
const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
/** At least this many requests are fuzzed; the run stops early only past the time limit, which fails the test. */
const REQUESTS = 5_000;
const TIME_LIMIT_MS = 60_000;

/** A small pool of names, so creates collide, renames clash and filters hit. */
const userName = fc.constantFrom(
  'ann@acme.example',
  'Ann@Acme.example',
  'bob@acme.example',
  'cy@acme.example',
  'dee@x.example',
  '',
  ' ',
);
const scalar = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.boolean(),
  fc.integer(),
  fc.constant(null),
  fc.constantFrom('True', 'False', 'Admin', 'mktg_ops', '<No access>', 'Operator'),
);
const anyJson = fc.jsonValue({ maxDepth: 2 });

const userBody = fc.record(
  {
    schemas: fc.oneof(fc.constant([USER_SCHEMA, ROLE_URN]), fc.constant([USER_SCHEMA]), anyJson),
    userName: fc.oneof(userName, scalar),
    name: fc.oneof(fc.record({ givenName: scalar, familyName: scalar }), scalar),
    emails: fc.oneof(
      fc.array(
        fc.record({ value: fc.oneof(userName, scalar), primary: fc.boolean(), type: fc.constant('work') }),
        {
          maxLength: 2,
        },
      ),
      scalar,
    ),
    active: scalar,
    externalId: scalar,
    [ROLE_URN]: fc.record(
      { workato_role: scalar, workato_role_test: scalar, workato_role_prod: scalar },
      { requiredKeys: [] },
    ),
    title: scalar,
    nonsense: anyJson,
  },
  { requiredKeys: [] },
);

/** A user as a vendor would send it, with values varied; creates collide on the small name pool. */
const pool = fc.integer({ min: 0, max: 60 }).map((i) => `user${i}@acme.example`);
const role = fc.constantFrom('Admin', 'Operator', 'Analyst', 'mktg_ops', '<No access>');
const validUser = fc.record({
  schemas: fc.constant([USER_SCHEMA, ROLE_URN]),
  userName: fc.oneof(
    pool,
    pool.map((u) => u.toUpperCase()),
  ),
  name: fc.record({ givenName: fc.constantFrom('Ann', 'Bob'), familyName: fc.constantFrom('Lee', 'Ng') }),
  emails: pool.map((u) => [{ value: u, primary: true, type: 'work' }]),
  active: fc.oneof(fc.boolean(), fc.constantFrom('True', 'False')),
  [ROLE_URN]: fc.record({ workato_role: role, workato_role_prod: role }, { requiredKeys: [] }),
});
const validOp = fc.oneof(
  fc.record({ op: fc.constantFrom('replace', 'Replace'), path: fc.constant('active'), value: fc.boolean() }),
  fc.record({ op: fc.constant('replace'), path: fc.constant('title'), value: fc.string({ maxLength: 10 }) }),
  fc.record({ op: fc.constant('replace'), path: fc.constant('userName'), value: pool }),
  fc.record({ op: fc.constant('replace'), path: fc.constant(`${ROLE_URN}:workato_role`), value: role }),
  fc.record({
    op: fc.constant('add'),
    path: fc.constant('name.givenName'),
    value: fc.constantFrom('Cy', 'Dee'),
  }),
);
const validPatch = fc.record({
  schemas: fc.constant([PATCH_SCHEMA]),
  Operations: fc.array(validOp, { minLength: 1, maxLength: 3 }),
});

const path = fc.constantFrom(
  'userName',
  'active',
  'title',
  'name.givenName',
  'emails',
  'emails[type eq "work"].value',
  'emails[value co "@"]',
  `${ROLE_URN}:workato_role`,
  'members',
  'displayName',
  'meta.created',
  'id',
  'nope.nothing',
  '[broken',
);
const operation = fc.record(
  {
    op: fc.constantFrom('add', 'replace', 'remove', 'Add', 'Replace', 'Remove', 'copy', ''),
    path,
    value: fc.oneof(
      scalar,
      userBody,
      fc.array(fc.record({ value: fc.string({ maxLength: 8 }) }), { maxLength: 2 }),
    ),
  },
  { requiredKeys: ['op'] },
);
const patchBody = fc.oneof(
  fc.record({ schemas: fc.constant([PATCH_SCHEMA]), Operations: fc.array(operation, { maxLength: 3 }) }),
  fc.record({ Operations: fc.oneof(anyJson, fc.array(operation, { maxLength: 2 })) }, { requiredKeys: [] }),
);
const filter = fc.oneof(
  fc
    .tuple(
      fc.constantFrom('userName', 'emails.value', 'active', 'name.familyName', 'externalId', 'x'),
      fc.constantFrom('eq', 'co', 'sw', 'pr', 'gt', 'zz'),
      userName,
    )
    .map(([a, o, v]) => (o === 'pr' ? `${a} pr` : `${a} ${o} "${v}"`)),
  fc.string({ maxLength: 20 }),
);
const contentType = fc.constantFrom(
  'application/scim+json',
  'application/json',
  'text/plain',
  'application/scim+json; charset=utf-8',
);

/** Which existing resource a request names: a live one, a deleted one, or one that never existed. */
const pick = fc.record({ index: fc.nat(), kind: fc.constantFrom('live', 'live', 'live', 'unknown') });

const request = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('create' as const),
      body: fc.oneof(validUser, validUser, userBody),
      contentType: fc.oneof(fc.constant('application/scim+json'), contentType),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('patch' as const),
      target: pick,
      body: fc.oneof(validPatch, validPatch, patchBody),
      ifMatch: fc.constantFrom('none', 'current', 'stale', 'garbage'),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('put' as const),
      target: pick,
      body: fc.oneof(validUser, userBody),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete' as const), target: pick }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('list' as const),
      filter,
      startIndex: fc.integer({ min: -2, max: 5 }),
      count: fc.integer({ min: -1, max: 5 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('get' as const),
      target: pick,
      attributes: fc.constantFrom('', 'userName', 'emails.value,active', 'nope'),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('group' as const),
      name: fc.constantFrom('Eng', 'Ops', ''),
      members: fc.array(pick, { maxLength: 3 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('raw' as const),
      method: fc.constantFrom('POST', 'PATCH', 'PUT'),
      text: fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom('{', '[]', 'null', '"x"', '{"schemas":')),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('token' as const),
      token: fc.constantFrom('', 'Bearer', 'Bearer wrong', 'Basic abc'),
    }),
  },
);
type Req = typeof request extends fc.Arbitrary<infer T> ? T : never;

describe('SCIM under a property-based fuzzer: no 5xx, every 4xx in the SCIM error schema, database invariants hold', function () {
  this.timeout(TIME_LIMIT_MS + 30_000);
  let w: ScimWorld;
  before(async () => {
    w = await startScimWorld();
  });
  after(() => w.close());

  it(`answers ${REQUESTS} schema-aware random requests, then the database is consistent with what was answered`, async () => {
    const live = new Map<string, string>(); // SCIM id -> ETag
    const gone: string[] = [];
    const groups: string[] = [];
    const tally = { sent: 0, answered201: 0, created: 0, deleted: 0, byStatus: {} as Record<number, number> };
    const ids = () => [...live.keys()];
    const resolve = (p: { index: number; kind: string }) => {
      if (p.kind === 'unknown' || live.size === 0)
        return p.index % 2 && gone.length ? gone[p.index % gone.length]! : `nope-${p.index}`;
      return ids()[p.index % live.size]!;
    };

    const send = async (r: Req) => {
      switch (r.kind) {
        case 'create':
          return w.scim('POST', '/Users', r.body, { 'content-type': r.contentType });
        case 'patch': {
          const id = resolve(r.target);
          const etag = live.get(id);
          const ifMatch =
            r.ifMatch === 'current'
              ? etag
              : r.ifMatch === 'stale'
                ? 'W/"0"'
                : r.ifMatch === 'garbage'
                  ? 'xyz'
                  : undefined;
          return w.scim('PATCH', `/Users/${id}`, r.body, ifMatch ? { 'if-match': ifMatch } : {});
        }
        case 'put':
          return w.scim('PUT', `/Users/${resolve(r.target)}`, r.body);
        case 'delete':
          return w.scim('DELETE', `/Users/${resolve(r.target)}`);
        case 'list':
          return w.scim(
            'GET',
            `/Users?filter=${encodeURIComponent(r.filter)}&startIndex=${r.startIndex}&count=${r.count}`,
          );
        case 'get':
          return w.scim(
            'GET',
            `/Users/${resolve(r.target)}${r.attributes ? `?attributes=${r.attributes}` : ''}`,
          );
        case 'group': {
          const members = r.members.map((m) => ({ value: resolve(m) }));
          const res = await w.scim('POST', '/Groups', {
            schemas: [GROUP_SCHEMA],
            displayName: r.name,
            members,
          });
          if (res.status === 201) groups.push(res.body.id);
          return res;
        }
        case 'raw':
          return w.scim(
            r.method,
            r.method === 'POST' ? '/Users' : `/Users/${resolve({ index: 0, kind: 'live' })}`,
            r.text,
          );
        case 'token': {
          const res = await fetch(`${w.base}/Users`, { headers: r.token ? { authorization: r.token } : {} });
          const text = await res.text();
          return { status: res.status, headers: res.headers, body: JSON.parse(text || '{}'), text };
        }
      }
    };

    const started = Date.now();
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const res = await send(r as Req);
        tally.sent++;
        tally.byStatus[res.status] = (tally.byStatus[res.status] ?? 0) + 1;
        expect(res.status, `${r.kind}: ${res.text.slice(0, 200)}`).to.be.below(500);
        if (res.status >= 400) {
          expect(res.body.schemas, `${r.kind} ${res.status}: ${res.text.slice(0, 200)}`).to.deep.equal([
            ERROR_SCHEMA,
          ]);
          expect(String(res.body.status)).to.equal(String(res.status));
        }
        const isUser = r.kind === 'create' || r.kind === 'raw' || r.kind === 'patch' || r.kind === 'put';
        if (isUser && (res.status === 200 || res.status === 201) && res.body.id) {
          // A 201 may also re-provision a user that was deactivated: same resource, not a new one.
          if (res.status === 201) tally.answered201++;
          if (res.status === 201 && !live.has(res.body.id)) tally.created++;
          live.set(res.body.id, res.headers.get('etag') ?? '');
        }
        if (r.kind === 'delete' && res.status === 204) {
          const id = resolve(r.target);
          live.delete(id);
          gone.push(id);
          tally.deleted++;
        }
      }),
      { numRuns: REQUESTS, interruptAfterTimeLimit: TIME_LIMIT_MS, markInterruptAsFailure: true, seed: 7 },
    );
    expect(tally.sent).to.be.at.least(REQUESTS);
    console.log(
      `      fuzzed ${tally.sent} requests in ${Date.now() - started} ms:`,
      JSON.stringify(tally.byStatus),
    );

    // The SP answered what it stored: the live users it lists are exactly the ones we were told exist.
    const listed = await w.scim('GET', '/Users?count=1000');
    expect(listed.status).to.equal(200);
    expect(listed.body.totalResults).to.equal(tally.created - tally.deleted);
    expect(new Set(listed.body.Resources.map((u: any) => u.id))).to.deep.equal(new Set(live.keys()));

    const db = new Database(w.sp.dbFile, { readonly: true });
    try {
      expect(db.pragma('foreign_key_check'), 'orphan rows').to.deep.equal([]);
      expect(db.pragma('integrity_check', { simple: true })).to.equal('ok');
      const dupes = db
        .prepare(
          'SELECT workspace_id, lower(user_name) AS n, count(*) AS c FROM scim_users GROUP BY 1, 2 HAVING c > 1',
        )
        .all();
      expect(dupes, 'duplicate userNames').to.deep.equal([]);
      const orphanMembers = db
        .prepare(
          `SELECT count(*) AS c FROM scim_group_members gm
           LEFT JOIN scim_users u ON u.member_id = gm.member_id LEFT JOIN scim_groups g ON g.id = gm.group_id
           WHERE u.member_id IS NULL OR g.id IS NULL`,
        )
        .get() as { c: number };
      expect(orphanMembers.c, 'orphan group memberships').to.equal(0);
      const audited = (actions: string[]) =>
        (
          db
            .prepare(
              `SELECT count(*) AS c FROM audit_events WHERE source = 'scim_auto_sync' AND action IN (${actions.map(() => '?').join(',')})`,
            )
            .get(...actions) as { c: number }
        ).c;
      expect(
        audited(['member.created', 'member.linked', 'member.reprovisioned']),
        'audited creates',
      ).to.equal(tally.answered201);
      expect(audited(['member.deleted']), 'audited deletes').to.equal(tally.deleted);
    } finally {
      db.close();
    }
  });
});
