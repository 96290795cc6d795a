import saml2 from 'saml2-js';
import { SamlRejected, type SamlErrorCode } from '../errors.js';
import type { AcsCheck, Saml2User } from './context.js';

function classify(message: string): SamlErrorCode {
  const m = message.toLowerCase();
  if (m.includes('signature')) return 'ERR_SAML_SIGNATURE_INVALID';
  if (m.includes('audience')) return 'ERR_SAML_AUDIENCE';
  if (m.includes('not success')) return 'ERR_SAML_STATUS';
  if (m.includes('expected 1 assertion')) return 'ERR_SAML_MULTIPLE_ASSERTIONS';
  return 'ERR_SAML_MALFORMED';
}

/**
 * SAML Core 5 and Profiles 4.1.4.3: the response is checked by saml2-js, the SP's SAML
 * library: a trusted signature over the assertion and the audience restriction. Timing is
 * checked by the SP's own clock in a later step.
 */
export const saml2jsAssert: AcsCheck = async (ctx) => {
  const sp = new saml2.ServiceProvider({
    entity_id: ctx.spEntityId,
    assert_endpoint: ctx.acsUrl,
    private_key: ctx.keyPair?.privateKeyPem ?? '',
    certificate: ctx.keyPair?.certificatePem ?? '',
    allow_unencrypted_assertion: true,
  });
  const idp = new saml2.IdentityProvider({
    sso_login_url: ctx.settings.ssoUrl,
    sso_logout_url: ctx.settings.sloUrl ?? ctx.settings.ssoUrl,
    certificates: ctx.settings.certificates,
  });
  const user = await new Promise<Saml2User>((resolve, reject) => {
    sp.post_assert(
      idp,
      // ignore_timing is a saml2-js option its type definitions do not list yet.
      {
        request_body: ctx.body as { SAMLResponse: string },
        allow_unencrypted_assertion: true,
        require_session_index: false,
        audience: ctx.spEntityId,
        ...{ ignore_timing: true },
      },
      (
        err: Error | null,
        response: {
          user: { name_id?: string; session_index?: string; attributes?: Record<string, string | string[]> };
        },
      ) => {
        if (err) return reject(new SamlRejected(classify(err.message), err.message));
        const attrs = response.user.attributes ?? {};
        resolve({
          ...response.user,
          attributes: Object.fromEntries(
            Object.entries(attrs).map(([k, v]) => [k, Array.isArray(v) ? v : [v]]),
          ),
        });
      },
    );
  });
  ctx.saml2User = user;
};
