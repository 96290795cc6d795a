/**
 * Errors that mean the harness, its input or the environment is at fault (exit code 2,
 * result status `error`), as opposed to a target that broke a rule (status `failed`).
 */
export const HARNESS_ERROR_CODES = {
  ERR_SCENARIO_YAML: 'a scenario file is not valid YAML',
  ERR_SCENARIO_INVALID: 'a scenario file does not match scenarios/scenario.schema.json',
  ERR_SCENARIO_REFERENCE: 'a scenario refers to something that does not exist',
  ERR_NO_SCENARIOS: 'no scenario files were found',
  ERR_BAD_OPTION: 'a command-line option is invalid',
  ERR_TARGET_UNREACHABLE: 'the target could not be reached',
  ERR_TARGET_PROTOCOL: 'the target answered with something the harness cannot interpret',
  ERR_STEP_TIMEOUT: 'a step did not finish within its timeout',
  ERR_RUN_TIMEOUT: 'a case run did not finish within the run timeout',
  ERR_WORKER_CRASHED: 'the worker process running a case exited before it reported a result',
  ERR_TARGET_FILE: 'a target file (--target) is invalid',
  ERR_MERGE_REPORTS: 'shard reports cannot be merged',
  ERR_BROWSER_UNAVAILABLE: 'no Chromium is available for the browser driver',
  ERR_DRIVER_CLOSED: 'a step used the browser after its run had ended (it was abandoned at a timeout)',
  ERR_IDP: 'the mock IdP refused a request from the harness',
  ERR_INTERNAL: 'the harness itself failed',
} as const;

export type HarnessErrorCode = keyof typeof HARNESS_ERROR_CODES;

export class HarnessError extends Error {
  readonly code: HarnessErrorCode;
  constructor(code: HarnessErrorCode, message?: string, options?: { cause?: unknown }) {
    super(message ?? HARNESS_ERROR_CODES[code], options);
    this.name = 'HarnessError';
    this.code = code;
  }
}

/** A located problem in an input file: the file, 1-based line and column, and the key path. */
export interface InputProblem {
  file: string;
  line: number;
  column: number;
  path: string;
  message: string;
}

export class InputError extends HarnessError {
  constructor(
    code: 'ERR_SCENARIO_YAML' | 'ERR_SCENARIO_INVALID' | 'ERR_SCENARIO_REFERENCE' | 'ERR_TARGET_FILE',
    readonly problems: InputProblem[],
  ) {
    super(code, problems.map((p) => `${p.file}:${p.line}:${p.column} ${p.path}: ${p.message}`).join('\n'));
  }
}

/** A check whose expectation the target did not meet. */
export class CheckFailed extends Error {
  constructor(
    message: string,
    readonly expected?: unknown,
    readonly actual?: unknown,
  ) {
    super(message);
    this.name = 'CheckFailed';
  }
}
