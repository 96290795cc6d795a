import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CaseResult, Status } from '../../harness/src/model.js';
import { compare, fromResults, loadExpected, type Expected } from '../../targets/zoo/expected.js';

const result = (id: string, idp: string, status: Status, message?: string): CaseResult => ({
  case: id,
  scenario: `scenarios/${id}.yaml`,
  idp,
  driver: 'http',
  variant: {},
  status,
  durationMs: 1,
  requirements: [],
  steps: [],
  ...(message ? { message } : {}),
});

const FOUR = ['okta', 'onelogin', 'entra', 'google'];
const all = (id: string, status: Status, message?: string) =>
  FOUR.map((idp) => result(id, idp, status, message));

const expected: Expected = {
  sp: 'library-under-test',
  cases: {
    'jit.sp-initiated': { status: 'passed' },
    'saml.reject.replay': {
      status: 'failed',
      reason: 'keeps no record of consumed assertions (SAML Profiles 4.1.4.5)',
    },
    'auth.slo-idp-initiated': {
      status: { okta: 'passed', onelogin: 'passed', entra: 'passed', google: 'not-applicable' },
      reason: 'Google has no SAML Single Logout',
    },
    'scim.rfc.discovery': { status: { okta: 'not-applicable' }, reason: 'no SCIM server' },
  },
};

const matching = (): CaseResult[] => [
  ...all('jit.sp-initiated', 'passed'),
  ...all('saml.reject.replay', 'failed'),
  ...['okta', 'onelogin', 'entra'].map((i) => result('auth.slo-idp-initiated', i, 'passed')),
  result('auth.slo-idp-initiated', 'google', 'not-applicable'),
  result('scim.rfc.discovery', 'okta', 'not-applicable', 'no SCIM server'),
];

describe('zoo: verdicts compared with the expected results checked in', () => {
  it('a run that gives every expected verdict differs in nothing', () => {
    expect(compare(expected, matching(), FOUR)).to.deep.equal([]);
  });

  it('an SP that now refuses a replay (or now accepts what it refused) is a difference, with the harness message', () => {
    const run = matching().map((r) =>
      r.case === 'saml.reject.replay' && r.idp === 'entra' ? { ...r, status: 'passed' as Status } : r,
    );
    run[0] = { ...run[0]!, status: 'failed', message: 'the page does not show the user signed in' };
    expect(
      compare(expected, run, FOUR).map((d) => [d.case, d.idp, d.expected, d.actual, d.message]),
    ).to.deep.equal([
      ['jit.sp-initiated', 'okta', 'passed', 'failed', 'the page does not show the user signed in'],
      ['saml.reject.replay', 'entra', 'failed', 'passed', undefined],
    ]);
  });

  it('a case the run no longer has, and a new case the file does not know, are differences', () => {
    const run = matching().filter((r) => !(r.case === 'auth.slo-idp-initiated' && r.idp === 'okta'));
    run.push(result('saml.reject.new-attack', 'okta', 'passed'));
    expect(compare(expected, run, FOUR).map((d) => [d.case, d.idp, d.expected, d.actual])).to.deep.equal([
      ['auth.slo-idp-initiated', 'okta', 'passed', 'absent'],
      ['saml.reject.new-attack', 'okta', 'absent', 'passed'],
    ]);
  });

  it('an error is never an expected verdict by accident: it differs from passed, failed and not-applicable', () => {
    const run = matching().map((r) =>
      r.case === 'scim.rfc.discovery'
        ? { ...r, status: 'error' as Status, message: 'ERR_TARGET_UNREACHABLE' }
        : r,
    );
    expect(compare(expected, run, FOUR)).to.have.length(1);
  });

  it('rewriting the file from a run keeps the reasons already written and uses one verdict per profile only where they differ', () => {
    const run = matching().map((r) =>
      r.case === 'jit.sp-initiated' && r.idp === 'google'
        ? { ...r, status: 'failed' as Status, message: 'google: refused' }
        : r,
    );
    const next = fromResults('library-under-test', run, expected);
    expect(next.cases['saml.reject.replay']).to.deep.equal(expected.cases['saml.reject.replay']);
    expect(next.cases['scim.rfc.discovery']).to.deep.equal(expected.cases['scim.rfc.discovery']);
    expect(next.cases['jit.sp-initiated']).to.deep.equal({
      status: { okta: 'passed', onelogin: 'passed', entra: 'passed', google: 'failed' },
      reason: 'google: refused',
    });
    expect(compare(next, run, FOUR)).to.deep.equal([]);
  });

  it("rewriting takes a not-applicable case's reason from the run, so it never goes stale", () => {
    const run = matching().map((r) =>
      r.case === 'scim.rfc.discovery'
        ? { ...r, message: 'the case opens the SP page deepLink, not mapped' }
        : r,
    );
    const next = fromResults('library-under-test', run, expected);
    expect(next.cases['scim.rfc.discovery']!.reason).to.equal(
      'the case opens the SP page deepLink, not mapped',
    );
    expect(next.cases['saml.reject.replay']!.reason).to.equal(expected.cases['saml.reject.replay']!.reason);
  });

  describe('the expected file itself', () => {
    const dir = mkdtempSync(join(tmpdir(), 'zoo-expected-'));
    const write = (name: string, value: unknown) => {
      const file = join(dir, name);
      writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value));
      return file;
    };
    const code = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        return [(e as { code?: string }).code, (e as Error).message];
      }
      return ['no error', ''];
    };

    it('loads a well-formed file', () => {
      expect(loadExpected(write('good.json', expected)).cases).to.have.keys(Object.keys(expected.cases));
    });

    it('refuses a verdict other than passed without a reason, naming the case', () => {
      const [c, m] = code(() =>
        loadExpected(
          write('no-reason.json', { sp: 'x', cases: { 'saml.reject.replay': { status: 'failed' } } }),
        ),
      );
      expect(c).to.equal('ERR_ZOO_EXPECTED');
      expect(m).to.include('cases.saml.reject.replay.reason');
    });

    it('refuses an unknown verdict, an unknown IdP profile and a file that is not JSON', () => {
      expect(
        code(() => loadExpected(write('s.json', { sp: 'x', cases: { a: { status: 'ok' } } })))[0],
      ).to.equal('ERR_ZOO_EXPECTED');
      expect(
        code(() =>
          loadExpected(write('i.json', { sp: 'x', cases: { a: { status: { auth0: 'passed' } } } })),
        )[0],
      ).to.equal('ERR_ZOO_EXPECTED');
      expect(code(() => loadExpected(write('j.json', '{ "sp": ')))[0]).to.equal('ERR_ZOO_EXPECTED');
    });
  });
});
