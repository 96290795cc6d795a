import { expect } from 'chai';
import fc from 'fast-check';
import { ScimError } from '../../sp-under-test/src/scim/errors.js';
import { matches, parseQueryFilter } from '../../sp-under-test/src/scim/filter.js';
import { applyPatch, readPatchBody } from '../../sp-under-test/src/scim/patch.js';
import { USER_KIND } from '../../sp-under-test/src/scim/schemas.js';
import { canonicalResource, type JsonObject } from '../../sp-under-test/src/scim/values.js';

/** Runs `f`; anything it throws must be a ScimError (a clear 4xx), never another failure (a 5xx). */
function onlyScimErrors(f: () => unknown): void {
  try {
    f();
  } catch (e) {
    if (!(e instanceof ScimError)) throw e;
    expect(e.status).to.be.within(400, 499);
  }
}

const user: JsonObject = {
  userName: 'fuzz@acme.example',
  name: { givenName: 'Fuzz', familyName: 'Test' },
  emails: [{ value: 'fuzz@acme.example', type: 'work', primary: true }],
  active: true,
  meta: { created: '2026-01-01T00:00:00Z' },
  'urn:ietf:params:scim:schemas:workato:1.0:WorkatoRole': { workato_role: 'Admin' },
};

const attr = fc.constantFrom(
  'userName',
  'name.familyName',
  'emails.value',
  'emails',
  'active',
  'meta.created',
  'title',
  'nope',
  'urn:ietf:params:scim:schemas:workato:1.0:WorkatoRole:workato_role',
);
const op = fc.constantFrom('eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le', 'pr', 'zz', 'EQ');
const value = fc.oneof(
  fc.string().map((s) => JSON.stringify(s)),
  fc.constantFrom('true', 'false', 'null', '42', 'bare'),
);
const clause = fc.tuple(attr, op, value).map(([a, o, v]) => (o === 'pr' ? `${a} pr` : `${a} ${o} ${v}`));
const filterText = fc.oneof(
  fc.string(),
  clause,
  fc
    .tuple(clause, fc.constantFrom(' and ', ' or ', ' and not '), clause)
    .map(([a, j, b]) => `(${a})${j}${b}`),
  fc.tuple(clause, clause).map(([a, b]) => `emails[${a.replace(/^emails\./, '')}] or not (${b})`),
);

describe('scim.rfc.fuzz: hostile filters, bodies and PATCH operations give SCIM errors, never a crash', function () {
  it('filters: parsed and matched, or refused with a ScimError', () => {
    fc.assert(
      fc.property(filterText, (text) => {
        onlyScimErrors(() => matches(USER_KIND, parseQueryFilter(text), user));
      }),
      { numRuns: 500 },
    );
  });

  it('resource bodies: canonicalised or refused with a ScimError', () => {
    fc.assert(
      fc.property(
        fc.jsonValue(),
        fc.dictionary(
          fc.constantFrom(
            'userName',
            'emails',
            'name',
            'active',
            'Emails',
            'urn:ietf:params:scim:schemas:workato:1.0:WorkatoRole',
            'meta',
            'groups',
          ),
          fc.jsonValue(),
        ),
        (junk, body) => {
          onlyScimErrors(() => canonicalResource(USER_KIND, body as JsonObject));
          onlyScimErrors(() => canonicalResource(USER_KIND, { junk } as JsonObject));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('PATCH operations: applied or refused with a ScimError, and the original is never changed', () => {
    const path = fc.oneof(
      fc.string(),
      attr,
      fc.constantFrom(
        'emails[type eq "work"].value',
        'emails[value co "x"]',
        'name',
        'urn:ietf:params:scim:schemas:workato:1.0:WorkatoRole',
        'id',
        'members[value eq "1"]',
      ),
    );
    const operation = fc.record(
      { op: fc.constantFrom('add', 'replace', 'remove', 'Replace', 'merge'), path, value: fc.jsonValue() },
      { requiredKeys: ['op'] },
    );
    const before = JSON.stringify(user);
    fc.assert(
      fc.property(fc.array(operation, { minLength: 1, maxLength: 4 }), (ops) => {
        onlyScimErrors(() =>
          applyPatch(
            USER_KIND,
            user,
            readPatchBody({ schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: ops }),
          ),
        );
        expect(JSON.stringify(user)).to.equal(before);
      }),
      { numRuns: 500 },
    );
  });
});
