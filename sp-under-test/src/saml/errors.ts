/** Why the ACS refused a SAML message. Codes are stable; tests and the audit log use them. */
export const SAML_ERROR_CODES = {
  ERR_SAML_MISSING: 'the request carries no SAMLResponse',
  ERR_SAML_TOO_LARGE: 'the SAMLResponse is larger than the ACS accepts',
  ERR_SAML_TOO_COMPLEX: 'the document nests elements deeper than the ACS accepts',
  ERR_SAML_ENCODING: 'the SAMLResponse is not valid base64 of an XML document',
  ERR_SAML_DTD_FORBIDDEN: 'the document carries a DTD or entity declaration',
  ERR_SAML_MALFORMED: 'the document is not well-formed SAML',
  ERR_SAML_NAMESPACE: 'an element is named like a SAML or XML-DSig element but is in another namespace',
  ERR_SAML_STATUS: 'the IdP answered with a non-success status',
  ERR_SAML_SIGNATURE_INVALID: 'no valid signature by a trusted IdP certificate covers the assertion',
  ERR_SAML_WEAK_ALGORITHM: 'the signature uses an algorithm the SP does not accept',
  ERR_SAML_MULTIPLE_ASSERTIONS: 'the response carries more than one assertion',
  ERR_SAML_ATTRIBUTES: 'two attributes of the assertion share a Name',
  ERR_SAML_ISSUER: 'the assertion was issued by another entity than the configured IdP',
  ERR_SAML_EXPIRED: 'the assertion is no longer valid',
  ERR_SAML_NOT_YET_VALID: 'the assertion is not valid yet',
  ERR_SAML_AUDIENCE: 'the assertion is meant for another audience',
  ERR_SAML_RECIPIENT: 'the subject confirmation names another recipient',
  ERR_SAML_DESTINATION: 'the response was sent to another destination',
  ERR_SAML_IN_RESPONSE_TO: 'the response answers no request this SP made',
  ERR_SAML_UNSOLICITED: 'unsolicited responses are not allowed for this workspace',
  ERR_SAML_REPLAY: 'the assertion was already used',
  ERR_SAML_NAMEID: 'the NameID is missing or split by markup',
  ERR_SAML_NOT_CONFIGURED: 'SAML is not configured for this workspace',
  ERR_SAML_DECRYPTION: 'the EncryptedAssertion could not be decrypted with the SP key',
} as const;

export type SamlErrorCode = keyof typeof SAML_ERROR_CODES;

export class SamlRejected extends Error {
  readonly code: SamlErrorCode;
  readonly detail: string | undefined;
  constructor(code: SamlErrorCode, detail?: string) {
    super(detail ? `${SAML_ERROR_CODES[code]}: ${detail}` : SAML_ERROR_CODES[code]);
    this.name = 'SamlRejected';
    this.code = code;
    this.detail = detail;
  }
}
