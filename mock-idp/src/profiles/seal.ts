import { replaceWithEncrypted } from '../encryption/encrypt-assertion.js';
import type { XmlElement } from '../xml/element.js';
import { signEnveloped, type SignatureShape } from '../xmldsig/sign.js';
import type { ResponseInput } from './profile.js';

/**
 * Signs and encrypts a built Response in the order the specs require: the Assertion is
 * signed first (SAML Core 5.4), then encrypted into an EncryptedAssertion (6.2), then the
 * Response signature covers the result. Signatures go right after each element's Issuer.
 */
export function seal(
  response: XmlElement,
  assertion: XmlElement,
  input: ResponseInput,
  shape: { assertion: SignatureShape; response: SignatureShape },
): void {
  if (input.signing.assertion) signEnveloped(response, assertion, 1, input.key, shape.assertion);
  if (input.encryption) replaceWithEncrypted(response, assertion, input.encryption);
  if (input.signing.response) signEnveloped(response, response, 1, input.key, shape.response);
}

/** Attributes with at least one non-empty value, for vendors that leave empty ones out. */
export const nonEmpty = (attrs: ResponseInput['attributes']): ResponseInput['attributes'] =>
  attrs
    .map((a) => ({ name: a.name, values: a.values.filter((v) => v !== '') }))
    .filter((a) => a.values.length > 0);
