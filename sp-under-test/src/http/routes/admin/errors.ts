/**
 * Why the admin API refused a request. Every answer other than 2xx is
 * `{"error": {"code": "ERR_…", "message": …}}` with the status the code names; codes are stable,
 * and tests and tools read them.
 */
export const ADMIN_ERROR_CODES = {
  ERR_ADMIN_TOKEN: { status: 401, message: 'a valid admin bearer token is required' },
  ERR_BAD_REQUEST: { status: 400, message: 'the request is not valid' },
  ERR_UNKNOWN_ROLE: { status: 400, message: 'the role is not defined in the workspace' },
  ERR_BAD_METADATA: { status: 400, message: 'the IdP metadata cannot be read' },
  ERR_BAD_CERTIFICATE: { status: 400, message: 'a certificate cannot be read as X.509' },
  ERR_NO_WORKSPACE: { status: 404, message: 'no such workspace' },
  ERR_NO_MEMBER: { status: 404, message: 'no such member' },
  ERR_NO_SCIM_TOKEN: { status: 404, message: 'no such live SCIM token' },
  ERR_WORKSPACE_EXISTS: { status: 409, message: 'the workspace exists' },
  ERR_MEMBER_EXISTS: { status: 409, message: 'the person is already a member' },
  ERR_SAML_NOT_CONFIGURED: { status: 409, message: 'SAML is not configured for the workspace' },
} as const;

export type AdminErrorCode = keyof typeof ADMIN_ERROR_CODES;

export class AdminError extends Error {
  readonly status: number;
  constructor(
    readonly code: AdminErrorCode,
    detail?: string,
  ) {
    super(detail ?? ADMIN_ERROR_CODES[code].message);
    this.name = 'AdminError';
    this.status = ADMIN_ERROR_CODES[code].status;
  }

  toJSON() {
    return { error: { code: this.code, message: this.message } };
  }
}
