/**
 * Errors that mean the harness, its input or the environment is at fault (exit code 2,
 * result status `error`), as opposed to a target that broke a rule (status `failed`).
 */
export const HARNESS_ERROR_CODES = {
  ERR_SCENARIO_YAML: 'a scenario file is not valid YAML',
  ERR_SCENARIO_INVALID:
    'a scenario file does not match scenarios/scenario.schema.json, or the case catalogue scenarios/catalogue.schema.json',
  ERR_SCENARIO_REFERENCE: 'a scenario refers to something that does not exist',
  ERR_NO_SCENARIOS: 'no scenario files were found',
  ERR_BAD_OPTION: 'a command-line option is invalid',
  ERR_NO_CASES: 'the options (--grep, --grep-invert, --idp, --shard) select no case run',
  ERR_NOTHING_GRADED:
    'the run graded nothing: every case run was not applicable, skipped or an error, so no check passed or failed',
  ERR_TARGET_UNREACHABLE: 'the target could not be reached',
  ERR_TARGET_PROTOCOL: 'the target answered with something the harness cannot interpret',
  ERR_STEP_TIMEOUT: 'a step did not finish within its timeout',
  ERR_RUN_TIMEOUT: 'a case run did not finish within the run timeout',
  ERR_WORKER_CRASHED: 'the worker process running a case exited before it reported a result',
  ERR_TARGET_FILE: 'a target file (--target) is invalid',
  ERR_TARGET_MAIL:
    "the SMTP address a target file gives for the SP's mail (mails.smtp) cannot be listened on",
  ERR_MERGE_REPORTS: 'shard reports cannot be merged',
  ERR_BROWSER_UNAVAILABLE: 'no Chromium is available for the browser driver',
  ERR_DRIVER_CLOSED: 'a step used the browser after its run had ended (it was abandoned at a timeout)',
  ERR_IDP: 'the mock IdP refused a request from the harness',
  ERR_ATTACK_NOT_DELIVERED:
    "an attack step's hostile message never reached the SP's ACS or SLO endpoint (a target whose loginUrl never sends anyone to the IdP …)",
  ERR_REPORTER: 'a reporter failed, so its output is missing or incomplete (the other reporters finished)',
  ERR_CAPTURE_FORMAT: 'the capture is not a SAML-tracer export, a HAR file or a SAML message',
  ERR_CAPTURE_MALFORMED: 'a SAML message in the capture is truncated or not well-formed XML',
  ERR_CAPTURE_NO_LOGIN: 'the capture holds no SAML login response',
  ERR_IDP_METADATA: 'the IdP metadata given to import cannot be read',
  ERR_VENDOR_UNKNOWN: 'the response does not look like any vendor profile',
  ERR_SERVE_PREPARE: 'serve --scenario could not prepare the state of the case',
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

/**
 * Ways a target can fail a check (result status `failed`): the target broke the rule, the
 * harness and its input are fine. The code of a failed step in every report.
 */
export const CHECK_FAILURE_CODES = {
  ERR_CHECK_PAGE_STATUS: 'the page answered with another HTTP status',
  ERR_CHECK_NOT_SIGNED_IN: 'the page does not show the expected person signed in',
  ERR_CHECK_SIGNED_IN: 'the page shows someone signed in where nobody should be',
  ERR_CHECK_PAGE_OUTCOME: 'the page does not show the expected outcome, or shows one it should not',
  ERR_CHECK_PAGE_TEXT: 'the page lacks a text it should show, or shows one it should not',
  ERR_CHECK_PAGE_ERROR_CODE: 'the page does not show the expected error code',
  ERR_CHECK_PAGE_PATH: 'the browser ended on another path',
  ERR_CHECK_PAGE_OFF_SITE: 'the person ended on another site than the SP',
  ERR_CHECK_MEMBER_MISSING: 'the SP has no such member',
  ERR_CHECK_MEMBER_PRESENT: 'the SP has a member it should not have',
  ERR_CHECK_MEMBER_STATE: "a member's name, status, roles, groups or sign-in method differ",
  ERR_CHECK_MEMBER_COUNT: 'the workspace has another number of members',
  ERR_CHECK_SESSION_COUNT: 'the SP holds another number of live sessions',
  ERR_CHECK_AUDIT_EVENT: 'the SP recorded no such audit event',
  ERR_CHECK_ASSETS: "the workspace's recipes and connections differ",
  ERR_CHECK_MAIL: 'the SP sent no such mail, another number of mails, or a mail without its code',
  ERR_CHECK_ATTACK_ACCEPTED: 'the SP signed someone in from a hostile SAML response',
  ERR_CHECK_ATTACK_STATE_CHANGED: 'a hostile SAML response created a member, changed one or opened a session',
  ERR_CHECK_ATTACK_REFUSAL: 'the SP refused a hostile SAML response without the expected refusal',
  ERR_CHECK_ATTACK_UNANSWERED:
    'the SP did not answer a hostile SAML response in time, or dropped the connection',
  ERR_CHECK_ATTACK_MEMORY:
    "the SP's memory grew beyond the bound of a denial-of-service case while it answered the hostile message",
  ERR_CHECK_IDP_REFUSED: 'the IdP refused a sign-in that should have gone through',
  ERR_CHECK_IDP_NOT_REFUSED: 'the IdP let through a sign-in it should have refused',
  ERR_CHECK_LOGOUT_REFUSED: 'the IdP or the SP refused a logout',
  ERR_CHECK_SWITCHER: 'the workspace switcher offers no link to the workspace',
  ERR_CHECK_SAML_MESSAGES: 'the SAML messages of a step are not the ones expected',
  ERR_CHECK_SCIM_ACCEPTED: 'the SP accepted a SCIM push it should have refused',
  ERR_CHECK_SCIM_REFUSED: 'the SP refused a SCIM push it should have accepted',
  ERR_CHECK_SCIM_NOT_SENT: 'the IdP sent no such SCIM request',
  ERR_CHECK_SCIM_SERVER_ERROR: "the SP's SCIM server answered with a 5xx",
  ERR_CHECK_SCIM_STATUS: "the SP's SCIM server answered with another HTTP status",
  ERR_CHECK_SCIM_ERROR_BODY:
    'a SCIM error lacks the Error schema, its status string or the expected scimType (RFC 7644 §3.12)',
  ERR_CHECK_SCIM_BODY: 'a SCIM answer lacks a value or holds another one',
  ERR_CHECK_SCIM_HEADER: 'a SCIM answer lacks a header or holds another value',
} as const;

export type CheckFailureCode = keyof typeof CHECK_FAILURE_CODES;

/** A check whose expectation the target did not meet. */
export class CheckFailed extends Error {
  constructor(
    readonly code: CheckFailureCode,
    message: string,
    readonly expected?: unknown,
    readonly actual?: unknown,
  ) {
    super(message);
    this.name = 'CheckFailed';
  }
}

/**
 * A check or step that cannot run against this target (it has no observer or admin API, no
 * SCIM endpoint …): the case is `not-applicable` with this reason, and never passes.
 */
export class NotApplicable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotApplicable';
  }
}

/** A HarnessError, also when another copy of the module made it (a second module loader, a plug-in target). */
export function isHarnessError(e: unknown): e is HarnessError {
  return (
    e instanceof HarnessError ||
    (e instanceof Error && e.name === 'HarnessError' && typeof (e as { code?: unknown }).code === 'string')
  );
}

/** The stable code of an error that is no check failure: its harness code, else ERR_INTERNAL. */
export function errorCode(e: unknown): string {
  return isHarnessError(e) ? e.code : 'ERR_INTERNAL';
}

/** "CODE: message" of an error that is no check failure, for reports. */
export function describeError(e: unknown): string {
  if (isHarnessError(e)) return `${e.code}: ${e.message}`;
  return `ERR_INTERNAL: ${(e as Error)?.stack?.split('\n').slice(0, 3).join(' | ') ?? String(e)}`;
}

/** A failed check's message with what was expected and what was found, for reports. */
export function describeFailure(e: CheckFailed): string {
  return (
    e.message +
    (e.expected !== undefined
      ? ` (expected ${JSON.stringify(e.expected)}, got ${JSON.stringify(e.actual)})`
      : '')
  );
}
