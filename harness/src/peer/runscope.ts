import { runInNewContext } from 'node:vm';
import { assert as chaiAssert } from 'chai';
import { httpExchange, type HttpAnswer } from '../http-exchange.js';

/**
 * An interpreter of Runscope (BlazeMeter API Monitoring) test exports: the format Okta
 * publishes its SCIM test suites in. It runs the steps as written — requests with `{{variable}}`
 * substitution, assertions, variable extraction, before/after scripts and pauses — and reports
 * each assertion's outcome. It never rewrites a check; an export it cannot interpret is an error.
 */
export interface RunscopeExport {
  name: string;
  description?: string;
  steps: RunscopeStep[];
}

interface RunscopeStep {
  step_type: string;
  skipped?: boolean;
  note?: string;
  method?: string;
  url?: string;
  headers?: Record<string, string | string[]>;
  body?: string;
  assertions?: { source: string; comparison: string; property?: string; value?: unknown }[];
  variables?: { source: string; name: string | null; property?: string }[];
  scripts?: string[];
  before_scripts?: string[];
  duration?: number;
}

export interface AssertionOutcome {
  source: string;
  comparison: string;
  property?: string;
  expected?: unknown;
  actual?: unknown;
  passed: boolean;
}

export interface StepOutcome {
  index: number;
  kind: 'request' | 'pause';
  note?: string;
  method?: string;
  url?: string;
  status?: number;
  durationMs: number;
  assertions: AssertionOutcome[];
  scriptErrors: string[];
  /** A step the export marks as skipped: it neither ran nor passed. */
  skipped?: boolean;
  error?: string;
  /** The step ran and met every assertion (false for a skipped step). */
  passed: boolean;
}

export interface SuiteOutcome {
  name: string;
  /** No step that ran failed. */
  passed: boolean;
  /** Steps that ran and passed, ran and failed, or were skipped as the export says. */
  counts: { passed: number; failed: number; skipped: number };
  steps: StepOutcome[];
}

export class PeerSuiteError extends Error {
  readonly code = 'ERR_PEER_SUITE_FORMAT';
}

export interface RunOptions {
  /** Initial variables (what Runscope's environment and initial script provide). */
  variables: Record<string, string>;
  /** What a pause step does; by default it sleeps for its duration. */
  pause?: (seconds: number) => Promise<void>;
  /** Per-request timeout. */
  timeoutMs?: number;
}

const TEMPLATE = /\{\{\s*([\w.-]+)\s*\}\}/g;

export function substitute(text: string, vars: Record<string, string>): string {
  return text.replace(TEMPLATE, (whole, name: string) => (name in vars ? vars[name]! : whole));
}

/** Reads `Resources[0].name.familyName` out of a JSON value. */
export function readProperty(value: unknown, path: string | undefined): unknown {
  if (!path) return value;
  let cur: unknown = value;
  for (const part of path.match(/[^.[\]]+/g) ?? []) {
    if (cur === null || cur === undefined) return undefined;
    cur = (cur as Record<string, unknown>)[/^\d+$/.test(part) && Array.isArray(cur) ? Number(part) : part];
  }
  return cur;
}

const asText = (v: unknown): string =>
  v === undefined || v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
const isEmpty = (v: unknown) =>
  v === undefined ||
  v === null ||
  v === '' ||
  (Array.isArray(v) && v.length === 0) ||
  (typeof v === 'object' && v !== null && Object.keys(v).length === 0);

/** Runscope's comparisons, each one rule. */
export const COMPARISONS: Record<string, (actual: unknown, expected: string) => boolean> = {
  equal: (a, e) => asText(a) === e,
  not_equal: (a, e) => asText(a) !== e,
  equal_number: (a, e) => a !== null && a !== '' && Number(a) === Number(e),
  not_empty: (a) => !isEmpty(a),
  empty: (a) => isEmpty(a),
  has_value: (a, e) => (Array.isArray(a) ? a.some((x) => asText(x) === e) : asText(a) === e),
  contains: (a, e) => (Array.isArray(a) ? a.some((x) => asText(x) === e) : asText(a).includes(e)),
  does_not_contain: (a, e) => (Array.isArray(a) ? !a.some((x) => asText(x) === e) : !asText(a).includes(e)),
  has_key: (a, e) => typeof a === 'object' && a !== null && e in a,
  is_a_number: (a) =>
    typeof a === 'number' || (typeof a === 'string' && a.trim() !== '' && !Number.isNaN(Number(a))),
  is_less_than: (a, e) => Number(a) < Number(e),
  is_less_than_or_equal: (a, e) => Number(a) <= Number(e),
  is_greater_than: (a, e) => Number(a) > Number(e),
  is_greater_than_or_equal: (a, e) => Number(a) >= Number(e),
  is_null: (a) => a === null,
};

function sourceValue(x: HttpAnswer, source: string, property?: string): unknown {
  switch (source) {
    case 'response_status':
      return x.status;
    case 'response_time':
      return x.timeMs;
    case 'response_json':
      return readProperty(x.json, property);
    case 'response_headers':
      return property ? x.headers[property.toLowerCase()] : x.headers;
    case 'response_text':
      return x.text;
    case 'response_size':
      return Buffer.byteLength(x.text);
    default:
      throw new PeerSuiteError(`unknown assertion source ${source}`);
  }
}

/** Runs a script as Runscope does: `response`, `request`, `variables`, `assert` (chai) and `log` in scope. */
function runScript(
  code: string,
  x: HttpAnswer | undefined,
  vars: Record<string, string>,
): string | undefined {
  if (!code.trim()) return undefined;
  const assertFn = Object.assign((v: unknown, msg?: string) => chaiAssert.ok(v, msg), chaiAssert);
  const variables = {
    get: (k: string) => vars[k],
    set: (k: string, v: unknown) => void (vars[k] = String(v)),
  };
  try {
    runInNewContext(
      code,
      {
        response: x && { status: x.status, body: x.text, headers: x.headers, response_time_ms: x.timeMs },
        variables,
        assert: assertFn,
        log: () => undefined,
        JSON,
        Array,
        Math,
        Number,
        String,
      },
      { timeout: 1000 },
    );
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

const headerValue = (v: string | string[]) => (Array.isArray(v) ? v.join(', ') : v);

export async function runRunscopeExport(doc: RunscopeExport, opts: RunOptions): Promise<SuiteOutcome> {
  if (!doc || !Array.isArray(doc.steps)) throw new PeerSuiteError('the export has no steps');
  const vars = { ...opts.variables };
  const pause = opts.pause ?? ((s: number) => new Promise<void>((r) => setTimeout(r, s * 1000)));
  const steps: StepOutcome[] = [];
  for (const [index, step] of doc.steps.entries()) {
    const t0 = Date.now();
    if (step.skipped) {
      steps.push({
        index,
        kind: step.step_type === 'pause' ? 'pause' : 'request',
        durationMs: 0,
        assertions: [],
        scriptErrors: [],
        skipped: true,
        passed: false,
      });
      continue;
    }
    if (step.step_type === 'pause') {
      await pause(Number(step.duration ?? 0));
      steps.push({
        index,
        kind: 'pause',
        durationMs: Date.now() - t0,
        assertions: [],
        scriptErrors: [],
        passed: true,
      });
      continue;
    }
    if (step.step_type !== 'request' || !step.method || !step.url)
      throw new PeerSuiteError(`step ${index + 1}: cannot interpret step type ${step.step_type}`);
    const scriptErrors: string[] = [];
    for (const s of step.before_scripts ?? []) {
      const err = runScript(s, undefined, vars);
      if (err) scriptErrors.push(`before script: ${err}`);
    }
    const url = substitute(step.url, vars);
    const headers = Object.fromEntries(
      Object.entries(step.headers ?? {}).map(([k, v]) => [k, substitute(headerValue(v), vars)]),
    );
    const body = step.body ? substitute(step.body, vars) : undefined;
    const outcome: StepOutcome = {
      index,
      kind: 'request',
      ...(step.note ? { note: substitute(step.note, vars) } : {}),
      method: step.method,
      url,
      durationMs: 0,
      assertions: [],
      scriptErrors,
      passed: false,
    };
    let x: HttpAnswer;
    try {
      x = await httpExchange(encodeURI(decodeURI(url)), {
        method: step.method,
        headers,
        body,
        timeoutMs: opts.timeoutMs ?? 30_000,
      });
    } catch (e) {
      outcome.error = `${step.method} ${url} failed: ${(e as { cause?: { code?: string } }).cause?.code ?? (e as Error).message}`;
      outcome.durationMs = Date.now() - t0;
      steps.push(outcome);
      continue;
    }
    outcome.status = x.status;
    for (const a of step.assertions ?? []) {
      const compare = COMPARISONS[a.comparison];
      if (!compare) throw new PeerSuiteError(`step ${index + 1}: unknown comparison ${a.comparison}`);
      const expected = a.value === null || a.value === undefined ? '' : substitute(String(a.value), vars);
      const actual = sourceValue(x, a.source, a.property);
      outcome.assertions.push({
        source: a.source,
        comparison: a.comparison,
        ...(a.property ? { property: a.property } : {}),
        ...(a.value !== null && a.value !== undefined ? { expected } : {}),
        actual,
        passed: compare(actual, expected),
      });
    }
    for (const v of step.variables ?? []) {
      if (!v.name) continue;
      const value = sourceValue(x, v.source, v.property);
      if (value !== undefined && value !== null) vars[v.name] = asText(value);
    }
    for (const s of step.scripts ?? []) {
      const err = runScript(s, x, vars);
      if (err) scriptErrors.push(err);
    }
    outcome.durationMs = Date.now() - t0;
    outcome.passed = outcome.assertions.every((a) => a.passed) && scriptErrors.length === 0;
    steps.push(outcome);
  }
  const counts = {
    passed: steps.filter((s) => s.passed).length,
    failed: steps.filter((s) => !s.passed && !s.skipped).length,
    skipped: steps.filter((s) => s.skipped).length,
  };
  return { name: doc.name, passed: counts.failed === 0, counts, steps };
}
