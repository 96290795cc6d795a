import { need, type AcsCheck, type AcsContext, type VerifiedLogin } from './context.js';
import { audience } from './audience.js';
import { conditionsTime } from './conditions-time.js';
import { decodeMessage } from './decode-message.js';
import { decryptAssertion } from './decrypt-assertion.js';
import { destination } from './destination.js';
import { inResponseTo } from './in-response-to.js';
import { issuer } from './issuer.js';
import { namespaceLookalikes } from './namespace-lookalikes.js';
import { nestingDepth } from './nesting-depth.js';
import { nameId } from './name-id.js';
import { parseDocument } from './parse-document.js';
import { replay } from './replay.js';
import { saml2jsAssert } from './saml2js-assert.js';
import { singleAssertion } from './single-assertion.js';
import { statusSuccess } from './status-success.js';
import { strayAssertionContent } from './stray-assertion-content.js';
import { subjectConfirmation } from './subject-confirmation.js';
import { textValues } from './text-values.js';
import { uniqueAttributes } from './unique-attributes.js';
import { verifiedLogin } from './verified-login.js';
import { verifySignature } from './verify-signature.js';

/**
 * The ACS pipeline, in the order it runs. Each step is one protocol rule; the first that
 * fails rejects the response with a typed SamlRejected error, before any account or
 * session is touched. The replay step is the only one that writes; after it, the last step
 * reads the sign-in from the verified bytes.
 */
export const ACS_CHECKS: readonly [string, AcsCheck][] = [
  ['decode-message', decodeMessage],
  ['nesting-depth', nestingDepth],
  ['parse-document', parseDocument],
  ['namespace-lookalikes', namespaceLookalikes],
  ['text-values', textValues],
  ['status-success', statusSuccess],
  ['single-assertion', singleAssertion],
  ['stray-assertion-content', strayAssertionContent],
  ['saml2js-assert', saml2jsAssert],
  ['decrypt-assertion', decryptAssertion],
  ['verify-signature', verifySignature],
  ['unique-attributes', uniqueAttributes],
  ['issuer', issuer],
  ['conditions-time', conditionsTime],
  ['audience', audience],
  ['subject-confirmation', subjectConfirmation],
  ['destination', destination],
  ['in-response-to', inResponseTo],
  ['name-id', nameId],
  ['replay', replay],
  ['verified-login', verifiedLogin],
];

/**
 * Runs every step in order, except those named in `disabled` (a deliberately vulnerable SP);
 * the result is the only thing the ACS route reads of the Response.
 */
export async function runAcsChecks(
  ctx: AcsContext,
  disabled: readonly string[] = [],
): Promise<VerifiedLogin> {
  for (const [name, check] of ACS_CHECKS) if (!disabled.includes(name)) await check(ctx);
  return need(ctx.login, 'login');
}
