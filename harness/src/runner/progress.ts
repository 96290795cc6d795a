import { idpLabel, type CaseResult, type Report, type Status } from '../model.js';
import type { ConsoleOut } from '../reporters/console.js';
import { stdoutConsole } from '../reporters/console.js';
import type { BeginInfo, Reporter } from '../reporters/reporter.js';

/** How often the plain (CI) progress prints: every tenth of the run, and at least this often. */
export const PROGRESS_DEFAULTS = { plainEveryFraction: 0.1, plainEveryMs: 15_000 };

/**
 * Live progress. On a TTY: one line at the bottom, updated in place as runs end
 * (`[37/96] 35 passed · 1 failed · 1 error · 12.4 s · last: jit.defaults [okta]`).
 * In CI or through a pipe: a plain progress line every tenth of the run.
 */
export class ProgressReporter implements Reporter {
  private total = 0;
  private started = Date.now();
  private counts: Record<Status, number> = {
    passed: 0,
    failed: 0,
    error: 0,
    skipped: 0,
    'not-applicable': 0,
  };
  /** Passes graded on the page only, of counts.passed. */
  private pageOnly = 0;
  private lastPlainAt = 0;
  private lastPlainDone = 0;

  constructor(
    private readonly out: ConsoleOut = stdoutConsole(),
    private readonly now: () => number = Date.now,
  ) {}

  onBegin(info: BeginInfo): void {
    this.total = info.total;
    this.started = this.now();
    this.lastPlainAt = this.started;
    this.out.setStatus(`[0/${this.total}] starting…`);
  }

  onRunEnd(r: CaseResult, done: number, total: number): void {
    this.counts[r.status]++;
    if (r.status === 'passed' && r.grading !== 'state') this.pageOnly++;
    const c = this.counts;
    const secs = ((this.now() - this.started) / 1000).toFixed(1);
    const counts = [
      `${c.passed} passed${this.pageOnly ? ` (${this.pageOnly} page only)` : ''}`,
      c.failed ? `${c.failed} failed` : '',
      c.error ? `${c.error} error${c.error === 1 ? '' : 's'}` : '',
      c['not-applicable'] ? `${c['not-applicable']} n/a` : '',
    ]
      .filter(Boolean)
      .join(' · ');
    if (this.out.live) {
      this.out.setStatus(`[${done}/${total}] ${counts} · ${secs} s · last: ${r.case} [${idpLabel(r.idp)}]`);
      return;
    }
    const step = Math.max(1, Math.ceil(total * PROGRESS_DEFAULTS.plainEveryFraction));
    const due =
      done === total ||
      done - this.lastPlainDone >= step ||
      this.now() - this.lastPlainAt >= PROGRESS_DEFAULTS.plainEveryMs;
    if (!due) return;
    this.lastPlainDone = done;
    this.lastPlainAt = this.now();
    this.out.line(`progress: ${done}/${total} (${Math.round((done / total) * 100)}%) ${counts}, ${secs} s`);
  }

  onEnd(_report: Report): void {
    this.out.clearStatus();
  }
}
