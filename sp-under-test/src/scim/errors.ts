/**
 * SCIM protocol errors (RFC 7644 §3.12). Every error the SCIM server answers carries the
 * Error schema, `status` as a string, a `scimType` and a `detail`; `code` is this SP's stable
 * identifier for the rule that was broken (tests assert it).
 */
export const SCIM_ERROR_CODES = {
  ERR_SCIM_UNAUTHORIZED: {
    status: 401,
    scimType: 'invalidToken',
    detail: 'a valid SCIM bearer token is required',
  },
  ERR_SCIM_NOT_FOUND: { status: 404, scimType: 'noTarget', detail: 'no such resource' },
  ERR_SCIM_NO_ROUTE: { status: 404, scimType: 'noTarget', detail: 'no such endpoint' },
  ERR_SCIM_METHOD: {
    status: 405,
    scimType: 'invalidSyntax',
    detail: 'this endpoint does not support the method',
  },
  ERR_SCIM_CONTENT_TYPE: {
    status: 415,
    scimType: 'invalidSyntax',
    detail: 'the body must be application/scim+json or application/json',
  },
  ERR_SCIM_TOO_LARGE: {
    status: 413,
    scimType: 'tooLarge',
    detail: 'the request body is larger than allowed',
  },
  ERR_SCIM_MALFORMED_JSON: { status: 400, scimType: 'invalidSyntax', detail: 'the body is not valid JSON' },
  ERR_SCIM_SYNTAX: {
    status: 400,
    scimType: 'invalidSyntax',
    detail: 'the request is not a valid SCIM message',
  },
  ERR_SCIM_INVALID_FILTER: { status: 400, scimType: 'invalidFilter', detail: 'the filter is not valid' },
  ERR_SCIM_INVALID_PATH: { status: 400, scimType: 'invalidPath', detail: 'the path is not valid' },
  ERR_SCIM_NO_TARGET: { status: 400, scimType: 'noTarget', detail: 'the path matches nothing' },
  ERR_SCIM_INVALID_VALUE: {
    status: 400,
    scimType: 'invalidValue',
    detail: 'a value is missing or of the wrong type',
  },
  ERR_SCIM_MUTABILITY: { status: 400, scimType: 'mutability', detail: 'the attribute cannot be changed' },
  ERR_SCIM_UNIQUENESS: { status: 409, scimType: 'uniqueness', detail: 'the value is already taken' },
  ERR_SCIM_PRECONDITION: {
    status: 412,
    scimType: 'invalidVers',
    detail: 'the resource changed since the version given in If-Match',
  },
  ERR_SCIM_DISCOVERY_FILTER: {
    status: 403,
    scimType: 'invalidFilter',
    detail: 'discovery endpoints do not support filtering',
  },
} as const;

export type ScimErrorCode = keyof typeof SCIM_ERROR_CODES;

export const SCIM_ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';

export class ScimError extends Error {
  readonly code: ScimErrorCode;
  readonly status: number;
  readonly scimType: string;
  /** The attribute whose value broke the rule, when one did (a uniqueness conflict names it). */
  readonly attribute: string | undefined;
  constructor(code: ScimErrorCode, detail?: string, attribute?: string) {
    const d = SCIM_ERROR_CODES[code];
    super(detail ? `${d.detail}: ${detail}` : d.detail);
    this.name = 'ScimError';
    this.code = code;
    this.status = d.status;
    this.scimType = d.scimType;
    this.attribute = attribute;
  }

  toJSON(): Record<string, unknown> {
    return {
      schemas: [SCIM_ERROR_SCHEMA],
      status: String(this.status),
      scimType: this.scimType,
      detail: this.message,
      code: this.code,
      ...(this.attribute ? { attribute: this.attribute } : {}),
    };
  }
}
