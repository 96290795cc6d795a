import { expect } from 'chai';
import type { CaseResult, Report, Status } from '../../harness/src/model.js';
import { ConsoleOut, isLiveTerminal } from '../../harness/src/reporters/console.js';
import { DotReporter } from '../../harness/src/reporters/dot.js';
import { createReporters } from '../../harness/src/reporters/index.js';
import { ProgressReporter } from '../../harness/src/runner/progress.js';
import { summarize } from '../../harness/src/model.js';

function result(status: Status, c = 'jit.new-user', idp = 'okta'): CaseResult {
  return {
    case: c,
    scenario: 'scenarios/jit/new-user.yaml',
    idp,
    driver: 'http',
    variant: {},
    status,
    durationMs: 5,
    requirements: [],
    ...(status === 'passed' ? { grading: 'state' as const, observer: 'reference-api' as const } : {}),
    steps:
      status === 'failed'
        ? [
            {
              name: 'check roles',
              status: 'failed',
              durationMs: 1,
              evidence: { http: [], scim: [], mail: [] },
              message: 'member roles differ',
            },
          ]
        : [],
  };
}

const sink = (isTTY: boolean) => {
  const chunks: string[] = [];
  return { chunks, stream: { isTTY, columns: 120, write: (s: string) => chunks.push(s) } };
};

const reportOf = (results: CaseResult[]): Report => ({
  version: 1,
  startedAt: new Date(0).toISOString(),
  durationMs: 1200,
  summary: summarize(results),
  results,
});

describe('harness: console reporters', () => {
  it('dot prints one character per result and then what went wrong', () => {
    const { chunks, stream } = sink(false);
    const dot = new DotReporter(new ConsoleOut(stream, false));
    const results = [
      result('passed'),
      result('failed', 'jit.defaults'),
      result('not-applicable'),
      result('error'),
    ];
    dot.onBegin({ total: 4, driver: 'http', target: 'embedded' });
    for (const r of results) dot.onResult(r);
    dot.onEnd(reportOf(results));
    const out = chunks.join('');
    expect(out).to.include('\n.F-E\n');
    expect(out).to.include('1) failed: jit.defaults [okta/http]');
    expect(out).to.include('at "check roles": member roles differ');
    expect(out).to.include(
      '1 passed (1 on state, 0 page only), 1 failed, 1 errors, 1 not applicable, 0 skipped',
    );
  });

  it('progress on a TTY updates one line in place and clears it at the end', () => {
    const { chunks, stream } = sink(true);
    let now = 0;
    const p = new ProgressReporter(new ConsoleOut(stream, true), () => now);
    p.onBegin({ total: 3, driver: 'http', target: 'embedded' });
    now = 1500;
    p.onRunEnd(result('passed'), 1, 3);
    p.onRunEnd(result('failed', 'jit.defaults', 'entra'), 2, 3);
    p.onEnd(reportOf([]));
    const out = chunks.join('');
    expect(out).to.include('\r\x1b[2K[1/3] 1 passed · 1.5 s · last: jit.new-user [okta]');
    expect(out).to.include('\r\x1b[2K[2/3] 1 passed · 1 failed · 1.5 s · last: jit.defaults [entra]');
    expect(out).not.to.include('\n');
    expect(out.endsWith('\r\x1b[2K')).to.equal(true);
  });

  it('progress in CI prints plain lines, every tenth of the run', () => {
    const { chunks, stream } = sink(false);
    const p = new ProgressReporter(new ConsoleOut(stream, false), () => 0);
    p.onBegin({ total: 20, driver: 'http', target: 'embedded' });
    for (let i = 1; i <= 20; i++) p.onRunEnd(result('passed'), i, 20);
    const lines = chunks.join('').trim().split('\n');
    expect(lines).to.have.length(10);
    expect(lines[0]).to.equal('progress: 2/20 (10%) 2 passed, 0.0 s');
    expect(lines.at(-1)).to.equal('progress: 20/20 (100%) 20 passed, 0.0 s');
    expect(chunks.join('')).not.to.include('\r');
  });

  it('keeps the status line below lines written by other reporters', () => {
    const { chunks, stream } = sink(true);
    const out = new ConsoleOut(stream, true);
    out.setStatus('[1/2]');
    out.line('  ✓ jit.new-user [okta/http]');
    expect(chunks.join('')).to.equal('\r\x1b[2K[1/2]\r\x1b[2K  ✓ jit.new-user [okta/http]\n[1/2]');
  });

  it('is live only on a TTY outside CI', () => {
    expect(isLiveTerminal({ isTTY: true }, {})).to.equal(true);
    expect(isLiveTerminal({ isTTY: true }, { CI: 'true' })).to.equal(false);
    expect(isLiveTerminal({ isTTY: true }, { CI: 'false' })).to.equal(true);
    expect(isLiveTerminal({ isTTY: false }, {})).to.equal(false);
  });

  it('knows dot and html, refuses unknown reporters with ERR_BAD_OPTION, and adds progress unless dot is used', () => {
    expect(
      createReporters(['list', 'html=x.html'], { progress: true }).map((r) => r.constructor.name),
    ).to.deep.equal(['ProgressReporter', 'ListReporter', 'HtmlReporter']);
    expect(createReporters(['dot'], { progress: true }).map((r) => r.constructor.name)).to.deep.equal([
      'DotReporter',
    ]);
    expect(() => createReporters(['tap']))
      .to.throw()
      .with.property('code', 'ERR_BAD_OPTION');
    expect(() => createReporters(['list=out.txt']))
      .to.throw()
      .with.property('code', 'ERR_BAD_OPTION');
  });
});
