import { consumeAssertion, consumeAuthnRequest } from '../../store/saml-state.js';
import { SamlRejected } from '../errors.js';
import { need, type AcsCheck } from './context.js';

/** SAML Profiles 4.1.4.5: a bearer assertion is used once; its ID is kept until it expires. */
export const replay: AcsCheck = (ctx) => {
  const id = ctx.assertionId;
  if (!id) throw new SamlRejected('ERR_SAML_MALFORMED', 'the assertion has no ID');
  const expiresAt = ctx.assertionExpiresAt ?? new Date(ctx.now.getTime() + 24 * 3600 * 1000);
  const fresh = ctx.db.transaction(() => {
    if (!consumeAssertion(ctx.db, id, ctx.workspace.id, expiresAt, ctx.now)) return false;
    if (ctx.inResponseTo) consumeAuthnRequest(ctx.db, ctx.inResponseTo, ctx.now);
    return true;
  })();
  need(ctx.verified, 'verified');
  if (!fresh) throw new SamlRejected('ERR_SAML_REPLAY', id);
};
