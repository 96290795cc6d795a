import { HarnessError } from '../errors.js';
import type { CaseResult, Report } from '../model.js';
import type { BeginInfo, Reporter } from './reporter.js';

type Hook = keyof Reporter;

/**
 * One reporter that passes each hook on to several, in their order, one after the other. A
 * reporter that throws is set aside (it gets no further hooks) so the others still see the
 * whole run; `onEnd` then throws ERR_REPORTER naming each one that failed and why.
 */
export class ReporterMultiplexer implements Reporter {
  private readonly failures = new Map<Reporter, { hook: Hook; error: unknown }>();

  constructor(private readonly reporters: readonly Reporter[]) {}

  onBegin(info: BeginInfo): Promise<void> {
    return this.each('onBegin', (r) => r.onBegin?.(info));
  }

  onResult(result: CaseResult): Promise<void> {
    return this.each('onResult', (r) => r.onResult?.(result));
  }

  onRunEnd(result: CaseResult, done: number, total: number): Promise<void> {
    return this.each('onRunEnd', (r) => r.onRunEnd?.(result, done, total));
  }

  async onEnd(report: Report): Promise<void> {
    await this.each('onEnd', (r) => r.onEnd?.(report));
    if (this.failures.size === 0) return;
    const lines = [...this.failures].map(
      ([r, f]) =>
        `${r.constructor.name} failed in ${f.hook}: ${(f.error as Error)?.message ?? String(f.error)}`,
    );
    throw new HarnessError('ERR_REPORTER', lines.join('; '), {
      cause: [...this.failures.values()][0]!.error,
    });
  }

  private async each(hook: Hook, call: (r: Reporter) => void | Promise<void>): Promise<void> {
    for (const r of this.reporters) {
      if (this.failures.has(r)) continue;
      try {
        await call(r);
      } catch (error) {
        this.failures.set(r, { hook, error });
      }
    }
  }
}
