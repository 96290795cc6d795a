import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CaseResult, Status } from '../../harness/src/model.js';
import { cellsOf, formatMatrix, groupOf, matrixFromReports } from '../../targets/zoo/matrix.js';
import { summaryLine, tallyOf, type SpOutcome } from '../../targets/zoo/run.js';

const result = (id: string, idp: string, status: Status, observer?: CaseResult['observer']): CaseResult => ({
  case: id,
  scenario: `scenarios/${id}.yaml`,
  idp,
  driver: 'http',
  variant: {},
  status,
  durationMs: 1,
  requirements: [],
  steps: [],
  ...(observer ? { observer } : {}),
});

const RESULTS = [
  result('jit.sp-initiated', 'okta', 'passed', 'none'),
  result('jit.sp-initiated', 'entra', 'passed', 'scim'),
  result('jit.new-user', 'okta', 'not-applicable', 'none'),
  result('saml.reject.replay', 'okta', 'failed', 'none'),
  result('saml.reject.replay', 'entra', 'error'),
  result('scim.rfc.discovery', 'none', 'not-applicable'),
  result('auth.slo-sp-initiated', 'okta', 'passed'),
];

describe('zoo: the SP × case group matrix and the run summary', () => {
  it('puts each case in its group: the longest prefix, saml.reject before any shorter one', () => {
    expect(groupOf('saml.reject.xsw-evil-assertion-after-signed')).to.equal('saml.reject');
    expect(groupOf('scim.rfc.discovery')).to.equal('scim');
    expect(groupOf('multiws.switch-workspaces')).to.equal('multiws');
    expect(groupOf('jitter.nothing')).to.equal('other');
  });

  it('counts a pass on the SP state apart from a pass on its pages alone, and every other verdict', () => {
    expect(cellsOf(RESULTS)).to.deep.equal({
      jit: { passedState: 1, passedPage: 1, failed: 0, notApplicable: 1, error: 0 },
      'saml.reject': { passedState: 0, passedPage: 0, failed: 1, notApplicable: 0, error: 1 },
      scim: { passedState: 0, passedPage: 0, failed: 0, notApplicable: 1, error: 0 },
      auth: { passedState: 0, passedPage: 1, failed: 0, notApplicable: 0, error: 0 },
    });
  });

  it('renders one row per SP and a column per group any SP has', () => {
    const table = formatMatrix([
      { sp: 'samlify', results: RESULTS },
      { sp: 'node-saml', results: [result('jit.new-user', 'okta', 'failed', 'none')] },
    ]).split('\n');
    expect(table[0]).to.equal('| SP | jit | auth | scim | saml.reject |');
    expect(table[2]).to.equal(
      '| samlify | 2 passed (1 state / 1 page), 0 failed, 1 n/a | 1 passed (0 state / 1 page), 0 failed, 0 n/a | 0 passed (0 state / 0 page), 0 failed, 1 n/a | 0 passed (0 state / 0 page), 1 failed, 0 n/a, 1 error |',
    );
    expect(table[3]).to.equal('| node-saml | 0 passed (0 state / 0 page), 1 failed, 0 n/a | - | - | - |');
  });

  it('reads the reports a zoo run left, for the SPs that have one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'zoo-matrix-'));
    writeFileSync(
      join(dir, 'samlify.json'),
      JSON.stringify({ version: 1, target: 'samlify', results: RESULTS }),
    );
    const rows = matrixFromReports(dir).split('\n');
    expect(rows).to.have.length(3);
    expect(rows[2]).to.match(/^\| samlify \| 2 passed \(1 state \/ 1 page\)/);
  });

  it('counts each SP × IdP × case comparison, and an SP that could not run, for the CI summary', () => {
    const outcomes: SpOutcome[] = [
      {
        sp: 'samlify',
        results: RESULTS,
        differences: [
          { case: 'saml.reject.replay', idp: 'okta', expected: 'passed', actual: 'failed' },
          { case: 'jit.idp-initiated', idp: 'okta', expected: 'passed', actual: 'absent' },
        ],
      },
      { sp: 'simplesamlphp', results: [], differences: [], broken: 'needs /usr/sbin/apache2' },
    ];
    expect(tallyOf(outcomes)).to.deep.equal({ asExpected: 6, differ: 2, broken: 1 });
    expect(summaryLine(outcomes)).to.equal('zoo: 6 as expected, 2 differ, 1 could not run');
  });
});
