import { findAuthnRequest } from '../../store/saml-state.js';
import { SamlRejected } from '../errors.js';
import { need, type AcsCheck } from './context.js';

/**
 * SAML Profiles 4.1.4.2/4.1.5: a solicited response must answer an outstanding, unused
 * AuthnRequest of this workspace; an unsolicited one is accepted only where IdP-initiated
 * login is allowed.
 */
export const inResponseTo: AcsCheck = (ctx) => {
  const root = need(ctx.doc, 'doc').documentElement;
  const outer = root.getAttribute('InResponseTo') || undefined;
  const inner = ctx.inResponseTo;
  if (outer && inner && outer !== inner) {
    throw new SamlRejected('ERR_SAML_IN_RESPONSE_TO', 'Response and SubjectConfirmationData disagree');
  }
  const id = inner ?? outer;
  if (!id) {
    if (!ctx.settings.allowIdpInitiated) throw new SamlRejected('ERR_SAML_UNSOLICITED');
    return;
  }
  const request = findAuthnRequest(ctx.db, id, ctx.workspace.id);
  if (!request) throw new SamlRejected('ERR_SAML_IN_RESPONSE_TO', id);
  if (request.consumedAt) throw new SamlRejected('ERR_SAML_REPLAY', `request ${id} was already answered`);
  if (Date.parse(request.createdAt) + ctx.requestMaxAgeMs < ctx.now.getTime()) {
    throw new SamlRejected('ERR_SAML_IN_RESPONSE_TO', `request ${id} is too old`);
  }
  ctx.inResponseTo = id;
};
