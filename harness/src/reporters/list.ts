import {
  gradingLabel,
  idpLabel,
  notApplicableChecksText,
  passedText,
  type CaseResult,
  type Report,
  type Status,
} from '../model.js';
import { stdoutConsole } from './console.js';
import type { BeginInfo, Reporter } from './reporter.js';

const MARK: Record<Status, string> = {
  passed: '✓',
  failed: '✗',
  error: '!',
  skipped: '-',
  'not-applicable': '○',
};

/** One line per result, details of what went wrong, and the totals. */
export class ListReporter implements Reporter {
  constructor(private readonly out: (line: string) => void = (l) => stdoutConsole().line(l)) {}

  onBegin(info: BeginInfo): void {
    const extra = [
      info.workers && info.workers > 1 ? `${info.workers} workers` : '',
      info.shard ? `shard ${info.shard.current}/${info.shard.total}` : '',
    ].filter(Boolean);
    this.out(
      `Running ${info.total} case runs with the ${info.driver} driver against the ${info.target}${extra.length ? ` (${extra.join(', ')})` : ''}`,
    );
  }

  onResult(r: CaseResult): void {
    const label = `${MARK[r.status]} ${r.case} [${idpLabel(r.idp)}/${r.driver}]`;
    const state = r.observer && r.observer !== 'none' ? `, state read through ${r.observer}` : '';
    const how = r.status === 'passed' ? `, passed ${gradingLabel(r)}` : state;
    this.out(
      `  ${label} ${r.status === 'not-applicable' ? `not applicable: ${r.message ?? ''}` : `(${r.durationMs} ms${how}${notApplicableChecksText(r)})`}`,
    );
    if (r.status === 'failed' || r.status === 'error') {
      for (const s of r.steps.filter((x) => x.status === 'failed' || x.status === 'error')) {
        this.out(`      ${s.status === 'error' ? 'error' : 'failed'} at "${s.name}": ${s.message ?? ''}`);
        // The step's other checks, each with its own verdict, when it had more than one.
        if ((s.checks?.length ?? 0) > 1)
          for (const c of s.checks!)
            this.out(
              `        ${c.check}: ${c.status}${c.message && c.message !== s.message ? ` (${c.message})` : ''}`,
            );
      }
      this.out(`      scenario: ${r.scenario}`);
    }
  }

  onEnd(report: Report): void {
    const s = report.summary;
    this.out('');
    this.out(
      `${passedText(s)}, ${s.failed} failed, ${s.errors} errors, ${s.notApplicable} not applicable, ${s.skipped} skipped (${(report.durationMs / 1000).toFixed(1)} s)`,
    );
  }
}
