import { HarnessError } from '../errors.js';
import { ProgressReporter } from '../runner/progress.js';
import { DotReporter } from './dot.js';
import { HtmlReporter } from './html.js';
import { JsonReporter } from './json.js';
import { JunitReporter } from './junit.js';
import { ListReporter } from './list.js';
import type { Reporter } from './reporter.js';

/** Reporter plug-ins by name; `name=path` gives a file reporter its output path. */
export const REPORTERS: Record<string, (path: string | undefined) => Reporter> = {
  list: () => new ListReporter(),
  dot: () => new DotReporter(),
  json: (p) => new JsonReporter(p),
  junit: (p) => new JunitReporter(p),
  html: (p) => new HtmlReporter(p),
};

/** Console reporters that print per result; the others write a file at the end. */
const CONSOLE = new Set(['list', 'dot']);

export function reporterName(spec: string): string {
  const i = spec.indexOf('=');
  return i < 0 ? spec : spec.slice(0, i);
}

/**
 * Builds the reporters of `--reporter` specs. With `progress`, a progress display is added
 * (a live line on a TTY, plain lines in CI) unless the dot reporter, itself a progress
 * display, is in use.
 */
export function createReporters(specs: readonly string[], opts: { progress?: boolean } = {}): Reporter[] {
  const reporters = specs.map((spec) => {
    const name = reporterName(spec);
    const path = spec.slice(name.length + 1);
    const make = REPORTERS[name];
    if (!make)
      throw new HarnessError(
        'ERR_BAD_OPTION',
        `unknown reporter "${name}" (known: ${Object.keys(REPORTERS).join(', ')})`,
      );
    if (CONSOLE.has(name) && path)
      throw new HarnessError(
        'ERR_BAD_OPTION',
        `the ${name} reporter prints to the console and takes no path`,
      );
    return make(path || undefined);
  });
  // First, so that its status line is cleared before the others print their summaries.
  if (opts.progress && !specs.some((s) => reporterName(s) === 'dot'))
    reporters.unshift(new ProgressReporter());
  return reporters;
}
