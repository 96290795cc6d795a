import { idpLabel, passedText, type CaseResult, type Report, type Status } from '../model.js';
import type { ConsoleOut } from './console.js';
import { stdoutConsole } from './console.js';
import type { BeginInfo, Reporter } from './reporter.js';

export const DOT: Record<Status, string> = {
  passed: '.',
  failed: 'F',
  error: 'E',
  skipped: ',',
  'not-applicable': '-',
};

/** A pass graded on the page only: not the same mark as one graded on the SP's state. */
export const DOT_PAGE_ONLY = 'o';

const PER_LINE = 60;

/** One character per result (`.` passed on state, `o` passed on the page only, `F` failed, `E` error, `-` not applicable, `,` skipped), then what went wrong. */
export class DotReporter implements Reporter {
  private written = 0;
  private readonly bad: CaseResult[] = [];
  constructor(private readonly out: ConsoleOut = stdoutConsole()) {}

  onBegin(info: BeginInfo): void {
    this.out.line(`${info.total} case runs, ${info.driver} driver, ${info.target}`);
  }

  onResult(r: CaseResult): void {
    this.written++;
    const mark = r.status === 'passed' && r.grading !== 'state' ? DOT_PAGE_ONLY : DOT[r.status];
    this.out.write(mark + (this.written % PER_LINE === 0 ? '\n' : ''));
    if (r.status === 'failed' || r.status === 'error') this.bad.push(r);
  }

  onEnd(report: Report): void {
    if (this.written % PER_LINE !== 0) this.out.write('\n');
    for (const [i, r] of this.bad.entries()) {
      this.out.line('');
      this.out.line(
        `${i + 1}) ${r.status === 'error' ? 'error' : 'failed'}: ${r.case} [${idpLabel(r.idp)}/${r.driver}]`,
      );
      for (const s of r.steps.filter((x) => x.status === 'failed' || x.status === 'error'))
        this.out.line(`   at "${s.name}": ${s.message ?? ''}`);
      this.out.line(`   scenario: ${r.scenario}`);
    }
    const s = report.summary;
    this.out.line('');
    this.out.line(
      `${passedText(s)}, ${s.failed} failed, ${s.errors} errors, ${s.notApplicable} not applicable, ${s.skipped} skipped (${(report.durationMs / 1000).toFixed(1)} s)`,
    );
  }
}
