import { expect } from 'chai';
import { createSign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { CheckFailed } from '../../harness/src/errors.js';
import type { RunContext } from '../../harness/src/steps/context.js';
import { envelopedSignatureValid, querySignatureValid } from '../../harness/src/steps/message-signature.js';
import { checkSamlMessages } from '../../harness/src/steps/saml-messages.js';
import { signingKeyFromPem } from '../../mock-idp/src/keys.js';
import { logoutRequest } from '../../mock-idp/src/saml/logout.js';
import { toWire } from '../../mock-idp/src/xml/element.js';
import { signEnveloped } from '../../mock-idp/src/xmldsig/sign.js';
import { runCases, WithoutCertificate } from '../vulnerable-sps/run-cases.js';
import { ROOT } from '../helpers/world.js';

const key = (name: string) => ({
  privateKeyPem: readFileSync(join(ROOT, `fixtures/keys/${name}.key.pem`), 'utf8'),
  certificatePem: readFileSync(join(ROOT, `fixtures/keys/${name}.cert.pem`), 'utf8'),
});
const SP = key('sp');
const OTHER = key('untrusted');
const RSA_SHA256 = 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256';

/** An HTTP-Redirect query signed as SAML Bindings 3.4.4.1 says, with `privateKeyPem`. */
function signedQuery(privateKeyPem: string, relayState = 'x/y z'): string {
  const xml = '<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_a1"/>';
  const parts = [
    `SAMLRequest=${encodeURIComponent(deflateRawSync(Buffer.from(xml)).toString('base64'))}`,
    `RelayState=${encodeURIComponent(relayState)}`,
    `SigAlg=${encodeURIComponent(RSA_SHA256)}`,
  ].join('&');
  const signature = createSign('RSA-SHA256').update(parts).sign(privateKeyPem, 'base64');
  return `${parts}&Signature=${encodeURIComponent(signature)}`;
}

/** A LogoutRequest with an enveloped signature by `pair`. */
function signedLogoutRequest(pair: { privateKeyPem: string; certificatePem: string }): string {
  const message = logoutRequest({
    issuer: 'http://sp.example/metadata',
    destination: 'http://idp.example/slo',
    nameId: 'maria.garcia@acme.example',
    nameIdFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified',
    sessionIndex: undefined,
    now: new Date(),
  });
  signEnveloped(message, message, 1, signingKeyFromPem(pair), { algorithm: 'rsa-sha256', prefix: 'ds' });
  return toWire(message);
}

describe('harness: samlMessages.signed verifies the signature with the declared certificate', function () {
  this.timeout(120_000);

  describe('HTTP-Redirect query signatures (SAML Bindings 3.4.4.1)', () => {
    it('verify over the query exactly as sent, with the signer’s certificate only', () => {
      const query = signedQuery(SP.privateKeyPem);
      expect(querySignatureValid(query, SP.certificatePem)).to.equal(true);
      expect(querySignatureValid(query, OTHER.certificatePem)).to.equal(false);
      expect(querySignatureValid(signedQuery(OTHER.privateKeyPem), SP.certificatePem)).to.equal(false);
    });

    it('fail when a signed parameter was changed, or the signature or SigAlg is missing', () => {
      const query = signedQuery(SP.privateKeyPem);
      expect(querySignatureValid(query.replace('RelayState=x', 'RelayState=w'), SP.certificatePem)).to.equal(
        false,
      );
      expect(querySignatureValid(query.replace(/&Signature=.*/, ''), SP.certificatePem)).to.equal(false);
      expect(querySignatureValid(query.replace(/&SigAlg=[^&]*/, ''), SP.certificatePem)).to.equal(false);
    });
  });

  describe('HTTP-POST enveloped signatures', () => {
    it('verify with the signer’s certificate, and not with another', () => {
      const xml = signedLogoutRequest(SP);
      expect(envelopedSignatureValid(xml, SP.certificatePem)).to.equal(true);
      expect(envelopedSignatureValid(xml, OTHER.certificatePem)).to.equal(false);
      expect(envelopedSignatureValid(signedLogoutRequest(OTHER), SP.certificatePem)).to.equal(false);
    });

    it('fail when the signed message was changed', () => {
      const xml = signedLogoutRequest(SP).replace('maria.garcia@', 'mallory.admin@');
      expect(envelopedSignatureValid(xml, SP.certificatePem)).to.equal(false);
    });
  });

  describe('in a scenario: a signed AuthnRequest is expected', () => {
    const file = join(ROOT, 'scenarios/auth/signed-authn-requests.yaml');

    it('passes when the SP signs with the certificate it declares', async () => {
      const report = await runCases([file]);
      expect(report.results[0]!.status, report.results[0]!.message).to.equal('passed');
    });

    it('fails a step whose SP message is signed by a key other than the declared one', async () => {
      // The mock IdP checks AuthnRequests with the declared certificate too, so the wrong key is
      // shown on the harness's own check: a step whose traffic holds a LogoutRequest of the SP.
      const step = (xml: string) =>
        ({
          target: { spEntityId: 'http://sp.example/metadata', signingCertificatePem: SP.certificatePem },
          tenant: { entityId: 'http://idp.example', certificatePem: OTHER.certificatePem },
          observed: {},
          driver: {
            drainTraffic: () => ({
              http: [],
              samlResponses: [],
              samlRequests: [xml],
              samlMessages: [
                { param: 'SAMLRequest', binding: 'post', endpoint: 'http://idp.example/slo', xml },
              ],
            }),
          },
        }) as unknown as RunContext;
      const expected = [{ type: 'LogoutRequest', from: 'sp', signed: true }] as const;
      await checkSamlMessages(step(signedLogoutRequest(SP)), expected);
      const failure = await checkSamlMessages(step(signedLogoutRequest(OTHER)), expected).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(failure).to.be.instanceOf(CheckFailed);
      expect((failure as CheckFailed).code).to.equal('ERR_CHECK_SAML_MESSAGES');
      expect((failure as CheckFailed).message).to.match(/signature invalid/);
    });

    it('is not applicable, with the reason, when the target declares no signing certificate', async () => {
      const report = await runCases([file], new WithoutCertificate());
      const r = report.results[0]!;
      expect(r.status, r.message).to.equal('not-applicable');
      expect(r.message).to.match(/declares no signing certificate/);
    });
  });
});
