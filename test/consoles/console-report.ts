import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { emptyEvidence, summarize, type CaseResult, type Report } from '../../harness/src/model.js';
import { renderHtml } from '../../harness/src/reporters/html.js';
import { ROOT } from '../helpers/world.js';

/**
 * The HTML report of the consoles' Chromium run, drawn by the harness's own HTML reporter: one
 * row per test and vendor, each step with its screenshot (every console, the SP, the traffic log).
 * Written to reports/consoles/report.html, or to the folder IDP_HARNESS_SCREENSHOTS names; every
 * test file of test/consoles adds to the same report, so the last one written holds the whole run.
 */
const DIR = process.env.IDP_HARNESS_SCREENSHOTS ?? join(ROOT, 'reports', 'consoles');
const started = new Date();
const results: CaseResult[] = [];
let current: (CaseResult & { t0: number }) | undefined;

export const consoleReportFile = join(DIR, 'report.html');

/** Starts the record of one test, for one vendor. */
export function beginCase(id: string, idp: string, title: string): void {
  current = {
    case: id,
    title,
    scenario: 'test/consoles',
    idp,
    driver: 'browser',
    variant: {},
    status: 'passed',
    durationMs: 0,
    requirements: [],
    steps: [],
    t0: Date.now(),
  };
}

/** Records a step that passed, with a full-page screenshot of the page it ended on. */
export async function shot(page: Page, step: string): Promise<void> {
  if (!current) throw new Error('beginCase first');
  const n = current.steps.length + 1;
  const file = join(DIR, `${current.case}-${current.idp}-${n}.png`.replace(/[^\w.-]+/g, '_'));
  mkdirSync(DIR, { recursive: true });
  const t0 = Date.now();
  await page.screenshot({ path: file, fullPage: true });
  current.steps.push({
    name: step,
    status: 'passed',
    durationMs: Date.now() - t0,
    evidence: { ...emptyEvidence(), screenshot: file },
  });
}

/** Ends the record with mocha's verdict on the test (from an afterEach hook). */
export function endCase(state: string | undefined, err?: Error): void {
  if (!current) return;
  const { t0, ...result } = current;
  current = undefined;
  result.durationMs = Date.now() - t0;
  if (state === 'failed') {
    result.status = 'failed';
    result.message = err?.message;
    result.steps.push({
      name: 'the rest of the test',
      status: 'failed',
      durationMs: 0,
      evidence: emptyEvidence(),
      message: err?.message,
    });
  } else if (state !== 'passed') result.status = 'skipped';
  results.push(result);
}

/** Writes the report of every test recorded so far; its path. */
export function writeConsoleReport(): string {
  const report: Report = {
    version: 1,
    startedAt: started.toISOString(),
    durationMs: Date.now() - started.getTime(),
    summary: summarize(results),
    results,
  };
  mkdirSync(DIR, { recursive: true });
  writeFileSync(consoleReportFile, renderHtml(report, { baseDir: DIR }));
  return consoleReportFile;
}
