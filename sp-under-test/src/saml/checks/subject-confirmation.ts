import { SamlRejected } from '../errors.js';
import { NS, childElements, firstChild } from '../xml.js';
import { need, type AcsCheck } from './context.js';

const BEARER = 'urn:oasis:names:tc:SAML:2.0:cm:bearer';

/**
 * SAML Profiles 4.1.4.2: a bearer SubjectConfirmation whose Recipient is this ACS and
 * whose NotOnOrAfter has not passed. Its InResponseTo is what the next check matches.
 */
export const subjectConfirmation: AcsCheck = (ctx) => {
  const subject = firstChild(need(ctx.verified, 'verified').assertion, NS.SAML, 'Subject');
  if (!subject) throw new SamlRejected('ERR_SAML_MALFORMED', 'the assertion has no Subject');
  const bearer = childElements(subject, NS.SAML, 'SubjectConfirmation').filter(
    (c) => c.getAttribute('Method') === BEARER,
  );
  const data = bearer.map((b) => firstChild(b, NS.SAML, 'SubjectConfirmationData')).find(Boolean);
  if (!data) throw new SamlRejected('ERR_SAML_RECIPIENT', 'no bearer SubjectConfirmationData');
  const recipient = data.getAttribute('Recipient');
  if (recipient !== ctx.acsUrl) throw new SamlRejected('ERR_SAML_RECIPIENT', recipient ?? 'no Recipient');
  const notOnOrAfter = data.getAttribute('NotOnOrAfter');
  if (!notOnOrAfter || Date.parse(notOnOrAfter) + ctx.clockSkewMs <= ctx.now.getTime()) {
    throw new SamlRejected(
      'ERR_SAML_EXPIRED',
      `SubjectConfirmationData NotOnOrAfter ${notOnOrAfter ?? 'missing'}`,
    );
  }
  const inResponseTo = data.getAttribute('InResponseTo');
  if (inResponseTo) ctx.inResponseTo = inResponseTo;
};
