import { expect } from 'chai';
import Database from 'better-sqlite3';
import { newUser, patch, startScimWorld, type ScimWorld } from '../scim/helpers.js';

const WRITERS = 12;
const UPDATES_EACH = 5;

describe('SCIM under concurrency: If-Match serialises writers, one userName is created once', function () {
  this.timeout(30_000);
  let w: ScimWorld;
  before(async () => {
    w = await startScimWorld();
  });
  after(() => w.close());

  it(`${WRITERS} concurrent read-modify-write writers: stale ones get 412 and retry, no update is lost, the final ETag matches`, async () => {
    const created = await w.scim('POST', '/Users', newUser('contended@acme.example', { title: '' }));
    expect(created.status).to.equal(201);
    const id = created.body.id as string;
    let stale = 0;
    let lastEtag = '';
    const writer = async (n: number) => {
      for (let k = 0; k < UPDATES_EACH; k++) {
        for (;;) {
          const current = await w.scim('GET', `/Users/${id}`);
          const etag = current.headers.get('etag')!;
          const title = `${current.body.title ?? ''}|w${n}.${k}`;
          const res = await w.scim(
            'PATCH',
            `/Users/${id}`,
            patch({ op: 'replace', path: 'title', value: title }),
            {
              'if-match': etag,
            },
          );
          if (res.status === 412) {
            expect(res.body.schemas).to.deep.equal(['urn:ietf:params:scim:api:messages:2.0:Error']);
            stale++;
            continue;
          }
          expect(res.status, res.text).to.equal(200);
          lastEtag = res.headers.get('etag')!;
          break;
        }
      }
    };
    await Promise.all(Array.from({ length: WRITERS }, (_, n) => writer(n)));

    const final = await w.scim('GET', `/Users/${id}`);
    const applied = String(final.body.title).split('|').filter(Boolean);
    const wanted = Array.from({ length: WRITERS }, (_, n) =>
      Array.from({ length: UPDATES_EACH }, (_, k) => `w${n}.${k}`),
    ).flat();
    expect([...applied].sort(), 'every update exactly once').to.deep.equal([...wanted].sort());
    expect(stale, 'writers that lost a race were told so').to.be.greaterThan(0);
    expect(final.headers.get('etag')).to.equal(lastEtag);
    expect(final.headers.get('etag')).to.equal(`W/"${final.body.meta.version.replace(/^W\/"|"$/g, '')}"`);
    const again = await w.scim('GET', `/Users/${id}`, undefined, { 'if-none-match': lastEtag });
    expect(again.status).to.equal(304);
  });

  it('concurrent creates of one userName (in any case) give exactly one 201 and 409 uniqueness to the rest', async () => {
    const names = Array.from({ length: 20 }, (_, i) =>
      i % 2 ? 'Same.Person@Acme.example' : 'same.person@acme.example',
    );
    const answers = await Promise.all(names.map((n) => w.scim('POST', '/Users', newUser(n))));
    expect(answers.filter((a) => a.status === 201)).to.have.length(1);
    const refused = answers.filter((a) => a.status !== 201);
    expect(refused.map((a) => a.status)).to.deep.equal(Array(19).fill(409));
    for (const a of refused) expect(a.body.scimType).to.equal('uniqueness');
    const db = new Database(w.sp.dbFile, { readonly: true });
    try {
      const rows = db
        .prepare("SELECT count(*) AS c FROM scim_users WHERE lower(user_name) = 'same.person@acme.example'")
        .get() as { c: number };
      expect(rows.c).to.equal(1);
      const users = db
        .prepare("SELECT count(*) AS c FROM users WHERE email = 'same.person@acme.example'")
        .get() as {
        c: number;
      };
      expect(users.c).to.equal(1);
    } finally {
      db.close();
    }
  });
});
