/** Errors the mock IdP reports for bad requests from an SP. Codes are stable. */
export const IDP_ERROR_CODES = {
  ERR_NO_TENANT: 'no such tenant',
  ERR_AUTHN_REQUEST_MISSING: 'the request carries no SAMLRequest',
  ERR_AUTHN_REQUEST_ENCODING: 'the SAMLRequest is not valid base64/DEFLATE',
  ERR_AUTHN_REQUEST_TOO_LARGE: 'the SAMLRequest is too large',
  ERR_AUTHN_REQUEST_DTD: 'the AuthnRequest carries a DTD',
  ERR_AUTHN_REQUEST_MALFORMED: 'the AuthnRequest is not a well-formed SAML 2.0 AuthnRequest',
  ERR_AUTHN_REQUEST_ISSUER: 'the AuthnRequest comes from an SP this app does not know',
  ERR_AUTHN_REQUEST_ACS: 'the AuthnRequest asks for an ACS URL this app does not allow',
  ERR_AUTHN_REQUEST_DESTINATION: 'the AuthnRequest was meant for another IdP endpoint',
  ERR_AUTHN_REQUEST_BINDING: 'the AuthnRequest asks for an unsupported response binding',
  ERR_LOGIN_EXPIRED: 'the sign-in attempt expired; start again from the application',
  ERR_BAD_CREDENTIALS: 'unknown user or wrong password',
  ERR_USER_NOT_ASSIGNED: 'the user is not assigned to this application',
  ERR_USER_DEPROVISIONED: 'the user is suspended, deactivated or deleted in the directory',
  ERR_BAD_SETUP: 'the tenant setup is invalid',
  ERR_BAD_CERTIFICATE: 'a certificate in the tenant setup cannot be read as an X.509 certificate',
  ERR_BAD_KEY: 'the signing key cannot be read or does not belong to the signing certificate',
  ERR_NO_MUTATION: 'no such mutation in the attack catalogue',
  ERR_MUTATION_PRECONDITION: 'the armed mutation needs something this tenant has not done yet',
  ERR_APP_NOT_CONFIGURED_FOR_USER: 'app_not_configured_for_user: service is not configured for this user',
  ERR_REQUEST_SIGNATURE:
    'the request is not signed, or its signature does not verify with the SP certificate',
  ERR_SLO_UNSUPPORTED: 'malformed_request: this identity provider has no SAML Single Logout',
  ERR_LOGOUT_REQUEST_MALFORMED:
    'the logout message is not a well-formed SAML 2.0 LogoutRequest or LogoutResponse',
  ERR_CONSOLE_SIGN_IN: 'the admin console needs the IdP admin token',
  ERR_CONSOLE_FORM: 'the form does not belong to this console session; open the console again',
  ERR_CONSOLE_NO_ACTION: 'this console has no such action',
  ERR_CONSOLE_NO_USER: 'no such user in the directory',
} as const;

export type IdpErrorCode = keyof typeof IDP_ERROR_CODES;

export class IdpError extends Error {
  readonly code: IdpErrorCode;
  readonly status: number;
  constructor(code: IdpErrorCode, detail?: string, status = 400) {
    super(detail ? `${IDP_ERROR_CODES[code]}: ${detail}` : IDP_ERROR_CODES[code]);
    this.name = 'IdpError';
    this.code = code;
    this.status = status;
  }
}
