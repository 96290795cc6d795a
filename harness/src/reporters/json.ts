import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Report } from '../model.js';
import type { Reporter } from './reporter.js';

export const DEFAULT_JSON_REPORT = 'reports/report.json';

/** Writes the canonical result model (src/model.ts) as JSON. */
export class JsonReporter implements Reporter {
  constructor(private readonly file: string = DEFAULT_JSON_REPORT) {}
  onEnd(report: Report): void {
    mkdirSync(dirname(this.file), { recursive: true });
    writeFileSync(this.file, JSON.stringify(report, null, 2) + '\n');
  }
}
