import { expect } from 'chai';
import {
  CATALOGUE,
  armMutation,
  deliverLogoutRequest,
  deliverResponse,
} from '../../mock-idp/src/attacks/index.js';
import { errorCodeOf, startWorld, type World } from '../helpers/world.js';
import { MARIA, postValue, signInWith, spState, strictPolicy } from './forge.js';

/** The refusal code the reference SP gives each catalogue entry. */
const EXPECTED: Record<string, string> = {
  unsigned: 'ERR_SAML_SIGNATURE_INVALID',
  'signature-stripped-response': 'ERR_SAML_SIGNATURE_INVALID',
  'signature-stripped-assertion': 'ERR_SAML_SIGNATURE_INVALID',
  'signature-stripped-both': 'ERR_SAML_SIGNATURE_INVALID',
  'untrusted-key': 'ERR_SAML_SIGNATURE_INVALID',
  'xsw-evil-assertion-before-signed': 'ERR_SAML_MULTIPLE_ASSERTIONS',
  'xsw-evil-assertion-after-signed': 'ERR_SAML_MULTIPLE_ASSERTIONS',
  'xsw-signed-assertion-inside-evil': 'ERR_SAML_MULTIPLE_ASSERTIONS',
  'xsw-evil-assertion-keeps-signature': 'ERR_SAML_MULTIPLE_ASSERTIONS',
  'xsw-signed-assertion-in-evil-signature': 'ERR_SAML_MULTIPLE_ASSERTIONS',
  'xsw-signed-assertion-in-object': 'ERR_SAML_MULTIPLE_ASSERTIONS',
  'xsw-signed-assertion-in-extensions': 'ERR_SAML_MULTIPLE_ASSERTIONS',
  'xsw-duplicate-assertion-id': 'ERR_SAML_MULTIPLE_ASSERTIONS',
  'xsw-response-in-signature-object': 'ERR_SAML_MULTIPLE_ASSERTIONS',
  'xsw-response-before-signature': 'ERR_SAML_MULTIPLE_ASSERTIONS',
  'xsw-response-in-extensions': 'ERR_SAML_MULTIPLE_ASSERTIONS',
  expired: 'ERR_SAML_EXPIRED',
  'not-yet-valid': 'ERR_SAML_NOT_YET_VALID',
  'subject-confirmation-expired': 'ERR_SAML_EXPIRED',
  'audience-mismatch': 'ERR_SAML_AUDIENCE',
  'audience-extra-restriction': 'ERR_SAML_AUDIENCE',
  'recipient-mismatch': 'ERR_SAML_RECIPIENT',
  'destination-mismatch': 'ERR_SAML_DESTINATION',
  'issuer-mismatch': 'ERR_SAML_ISSUER',
  replay: 'ERR_SAML_REPLAY',
  'in-response-to-mismatch': 'ERR_SAML_IN_RESPONSE_TO',
  unsolicited: 'ERR_SAML_UNSOLICITED',
  'nameid-comment': 'ERR_SAML_NAMEID',
  'nameid-processing-instruction': 'ERR_SAML_NAMEID',
  dtd: 'ERR_SAML_DTD_FORBIDDEN',
  'entity-expansion': 'ERR_SAML_DTD_FORBIDDEN',
  xxe: 'ERR_SAML_DTD_FORBIDDEN',
  'status-not-success': 'ERR_SAML_STATUS',
  'tampered-attribute': 'ERR_SAML_SIGNATURE_INVALID',
  'tampered-nameid': 'ERR_SAML_SIGNATURE_INVALID',
  'two-assertions': 'ERR_SAML_MULTIPLE_ASSERTIONS',
  'weak-algorithm-sha1': 'ERR_SAML_WEAK_ALGORITHM',
  oversized: 'ERR_SAML_TOO_LARGE',
  'malformed-base64': 'ERR_SAML_ENCODING',
  'malformed-deflate': 'ERR_SAML_ENCODING',
  'digest-value-in-extensions': 'ERR_SAML_SIGNATURE_INVALID',
  'signature-scope-by-position': 'ERR_SAML_MULTIPLE_ASSERTIONS',
  'multiple-signed-info': 'ERR_SAML_MULTIPLE_ASSERTIONS',
  'digest-value-comment': 'ERR_SAML_SIGNATURE_INVALID',
  'void-canonicalization': 'ERR_SAML_SIGNATURE_INVALID',
  'assertion-in-advice': 'ERR_SAML_MULTIPLE_ASSERTIONS',
  'attribute-value-comment': 'ERR_SAML_MALFORMED',
  'plaintext-beside-encrypted': 'ERR_SAML_MULTIPLE_ASSERTIONS',
  'donor-signed-metadata': 'ERR_SAML_SIGNATURE_INVALID',
  'donor-signed-logout-response': 'ERR_SAML_MALFORMED',
  'encrypted-assertion-unsigned': 'ERR_SAML_SIGNATURE_INVALID',
  'doctype-differential': 'ERR_SAML_DTD_FORBIDDEN',
  'namespace-prefix-redeclared': 'ERR_SAML_NAMESPACE',
  'namespace-default-changed': 'ERR_SAML_NAMESPACE',
  'entity-hidden-assertion': 'ERR_SAML_DTD_FORBIDDEN',
  'attribute-outside-signed': 'ERR_SAML_MALFORMED',
  'attribute-duplicate-name-format': 'ERR_SAML_ATTRIBUTES',
  'deflate-bomb': 'ERR_SAML_ENCODING',
  'huge-message': 'ERR_SAML_TOO_LARGE',
  'deep-nesting': 'ERR_SAML_TOO_COMPLEX',
  'trust-no-signing-key': 'ERR_SAML_NOT_CONFIGURED',
  'trust-key-without-use': 'ERR_SAML_SIGNATURE_INVALID',
  'trust-encryption-only-key': 'ERR_SAML_NOT_CONFIGURED',
  'trust-expired-certificate': 'ERR_SAML_SIGNATURE_INVALID',
  'logout-request-wrapped': 'ERR_SAML_SIGNATURE_INVALID',
  'deflate-bomb-redirect': 'ERR_SAML_TOO_LARGE',
};

/** Refusals that are not 403: a form over the size limit is refused as 413 Content Too Large. */
const STATUS: Record<string, number> = { 'huge-message': 413 };

const short = (id: string) => id.slice('saml.reject.'.length);

describe('attack catalogue against the reference SP: every mutation is refused with its code, nothing changes', () => {
  it('knows the expected refusal of every catalogue entry', () => {
    expect(CATALOGUE.map((m) => short(m.id)).sort()).to.deep.equal(Object.keys(EXPECTED).sort());
  });

  for (const vendor of ['okta', 'onelogin', 'entra', 'google']) {
    describe(`${vendor} profile`, () => {
      let world: World;
      before(async () => {
        world = await startWorld({ vendor, spCertificate: true });
        await strictPolicy(world);
      });
      after(() => world.close());

      for (const m of CATALOGUE.filter(
        (x) => x.channel !== 'logout' && !x.needs?.consumedResponse && !x.needs?.metadataKey,
      )) {
        it(`${short(m.id)} → ${EXPECTED[short(m.id)]}, no account, no session`, async () => {
          if (m.needs?.sha1Refused) await strictPolicy(world, true);
          const res = await signInWith(world, m.id);
          if (m.needs?.sha1Refused) await strictPolicy(world, false);
          expect(res.status).to.equal(STATUS[short(m.id)] ?? 403);
          expect(res.code).to.equal(EXPECTED[short(m.id)]);
          expect(await spState(world)).to.deep.equal({ members: [], sessions: [] });
        });
      }

      it('the same sign-in without a mutation succeeds (control), and then a replay of it is refused', async () => {
        const ok = await signInWith(world);
        expect(ok.status).to.equal(303);
        const before = await spState(world);
        expect(before.members.map((m) => m.email)).to.deep.equal([MARIA]);
        expect(before.sessions).to.have.length(1);
        const replay = await signInWith(world, 'saml.reject.replay');
        expect(replay).to.deep.equal({ status: 403, code: 'ERR_SAML_REPLAY' });
        expect(await spState(world)).to.deep.equal(before);
      });
    });
  }

  describe('trust that fails open: the SP configured from metadata without a usable signing key trusts nothing', () => {
    for (const vendor of ['okta', 'onelogin', 'entra', 'google']) {
      for (const m of CATALOGUE.filter((x) => x.needs?.metadataKey)) {
        it(`${vendor}: ${short(m.id)} → ${EXPECTED[short(m.id)]}, no account, no session`, async () => {
          const world = await startWorld({ vendor, metadataKey: m.needs!.metadataKey! });
          try {
            armMutation(world.tenant, m.id);
            const value = deliverResponse(
              world.tenant,
              world.tenant.user(MARIA)!,
              undefined,
              world.acsUrl,
              new Date(),
            );
            const res = await postValue(world, value);
            expect(res.code).to.equal(EXPECTED[short(m.id)]);
            expect(res.status).to.equal(res.code === 'ERR_SAML_NOT_CONFIGURED' ? 409 : 403);
            expect(await spState(world)).to.deep.equal({ members: [], sessions: [] });
          } finally {
            await world.close();
          }
        });
      }
    }
  });

  describe("XSW on logout messages: the wrapped LogoutRequest ends no one's session", () => {
    for (const vendor of ['okta', 'onelogin', 'entra']) {
      it(`${vendor}: logout-request-wrapped → ${EXPECTED['logout-request-wrapped']}, the victim stays signed in`, async () => {
        const world = await startWorld({ vendor });
        try {
          await strictPolicy(world);
          expect((await signInWith(world)).status).to.equal(303);
          const before = await spState(world);
          expect(before.sessions).to.deep.equal([{ email: MARIA }]);
          world.tenant.setup.app.sloUrl = `${world.sp.url}/saml/acme/slo`;
          armMutation(world.tenant, 'saml.reject.logout-request-wrapped', { victim: MARIA });
          const hostile = deliverLogoutRequest(world.tenant, 'dev.builder@acme.example', new Date());
          if (hostile?.binding !== 'post') throw new Error('the wrapped LogoutRequest is posted');
          const res = await fetch(world.tenant.setup.app.sloUrl, {
            method: 'POST',
            redirect: 'manual',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: new URLSearchParams({ SAMLRequest: Buffer.from(hostile.xml).toString('base64') }),
          });
          expect(res.status).to.equal(403);
          expect(errorCodeOf(await res.text())).to.equal(EXPECTED['logout-request-wrapped']);
          expect(await spState(world)).to.deep.equal(before);
        } finally {
          await world.close();
        }
      });
    }
  });
});
