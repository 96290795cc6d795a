import { NS, childElements, firstChild, pureText } from '../xml.js';
import { need, type AcsCheck, type VerifiedLogin } from './context.js';

/**
 * SAML Core 2.7.2–2.7.3: the sign-in the SP acts on, read only from the verified Assertion (the
 * bytes a trusted signature covers), never from the raw document: the NameID the name-id step
 * read, each Attribute's values (AttributeStatement > Attribute > AttributeValue; a later
 * Attribute of the same Name replaces an earlier one) and the AuthnStatement's SessionIndex.
 */
export const verifiedLogin: AcsCheck = (ctx) => {
  const assertion = need(ctx.verified, 'verified').assertion;
  const attributes: Record<string, string[]> = {};
  for (const statement of childElements(assertion, NS.SAML, 'AttributeStatement'))
    for (const attribute of childElements(statement, NS.SAML, 'Attribute')) {
      const name = attribute.getAttribute('Name');
      if (!name) continue;
      attributes[name] = childElements(attribute, NS.SAML, 'AttributeValue').map((v) => pureText(v) ?? '');
    }
  const authn = firstChild(assertion, NS.SAML, 'AuthnStatement');
  const login: VerifiedLogin = {
    nameId: need(ctx.nameId, 'nameId'),
    nameIdFormat: ctx.nameIdFormat,
    attributes,
    sessionIndex: authn?.getAttribute('SessionIndex') || undefined,
    assertionId: ctx.assertionId,
  };
  ctx.login = login;
};
