import { HarnessError } from '../errors.js';
import { JsonReporter } from './json.js';
import { JunitReporter } from './junit.js';
import { ListReporter } from './list.js';
import type { Reporter } from './reporter.js';

/** Reporter plug-ins by name; `name=path` gives a file reporter its output path. */
export const REPORTERS: Record<string, (path: string | undefined) => Reporter> = {
  list: () => new ListReporter(),
  json: (p) => new JsonReporter(p),
  junit: (p) => new JunitReporter(p),
};

export function createReporters(specs: readonly string[]): Reporter[] {
  return specs.map((spec) => {
    const i = spec.indexOf('=');
    const name = i < 0 ? spec : spec.slice(0, i);
    const path = i < 0 ? undefined : spec.slice(i + 1);
    const make = REPORTERS[name];
    if (!make)
      throw new HarnessError(
        'ERR_BAD_OPTION',
        `unknown reporter "${name}" (known: ${Object.keys(REPORTERS).join(', ')})`,
      );
    return make(path || undefined);
  });
}
