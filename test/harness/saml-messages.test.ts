import { expect } from 'chai';
import { deflateRawSync } from 'node:zlib';
import type { CapturedSamlMessage } from '../../harness/src/drivers/driver.js';
import { captureSaml } from '../../harness/src/drivers/saml-capture.js';
import { CheckFailed } from '../../harness/src/errors.js';
import {
  checkSamlMessageList,
  summarizeSamlMessage,
  type SamlMessageSummary,
} from '../../harness/src/steps/saml-messages.js';

const SP = 'http://sp.example/saml/acme/metadata';
const IDP = 'http://www.okta.com/exk1';
const entities = { sp: SP, idp: IDP };

const logoutRequest = (opts: { issuer: string; signed?: boolean; sessionIndex?: boolean }) =>
  `<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_lr1" Version="2.0" IssueInstant="2026-01-01T00:00:00Z">` +
  `<saml:Issuer>${opts.issuer}</saml:Issuer>` +
  (opts.signed
    ? '<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo/></ds:Signature>'
    : '') +
  `<saml:NameID>maria.garcia@acme.example</saml:NameID>` +
  (opts.sessionIndex ? '<samlp:SessionIndex>_s1</samlp:SessionIndex>' : '') +
  `</samlp:LogoutRequest>`;

const logoutResponse = (issuer: string, inResponseTo: string, status = 'Success') =>
  `<samlp:LogoutResponse xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_lp1" InResponseTo="${inResponseTo}" Version="2.0" IssueInstant="2026-01-01T00:00:00Z">` +
  `<saml:Issuer>${issuer}</saml:Issuer><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:${status}"/></samlp:Status></samlp:LogoutResponse>`;

const redirectParam = (xml: string) =>
  encodeURIComponent(deflateRawSync(Buffer.from(xml)).toString('base64'));

function traffic() {
  return {
    samlRequests: [] as string[],
    samlResponses: [] as string[],
    samlMessages: undefined as CapturedSamlMessage[] | undefined,
  };
}

describe('harness: SAML messages in a step', () => {
  describe('captureSaml', () => {
    it('keeps redirect-binding messages with their endpoint and whether the query was signed', () => {
      const into = traffic();
      const req = logoutRequest({ issuer: SP, sessionIndex: true });
      captureSaml(
        `http://idp.example/okta-1/slo?SAMLRequest=${redirectParam(req)}&RelayState=x&SigAlg=rsa&Signature=abc`,
        undefined,
        into,
      );
      captureSaml(
        `http://sp.example/saml/acme/slo?SAMLResponse=${redirectParam(logoutResponse(IDP, '_lr1'))}`,
        undefined,
        into,
      );
      expect(into.samlRequests).to.deep.equal([req]);
      expect(into.samlResponses).to.have.length(1);
      expect(into.samlMessages!.map((m) => [m.param, m.binding, m.endpoint, m.querySigned])).to.deep.equal([
        ['SAMLRequest', 'redirect', 'http://idp.example/okta-1/slo', true],
        ['SAMLResponse', 'redirect', 'http://sp.example/saml/acme/slo', false],
      ]);
    });

    it('keeps POST-binding messages from the form body, without a query signature flag', () => {
      const into = traffic();
      const req = logoutRequest({ issuer: IDP, signed: true });
      captureSaml(
        'http://sp.example/saml/acme/slo',
        new URLSearchParams({ SAMLRequest: Buffer.from(req).toString('base64') }),
        into,
      );
      expect(into.samlMessages).to.deep.equal([
        { param: 'SAMLRequest', binding: 'post', endpoint: 'http://sp.example/saml/acme/slo', xml: req },
      ]);
    });
  });

  describe('summarizeSamlMessage', () => {
    const post = (xml: string): CapturedSamlMessage => ({
      param: 'SAMLRequest',
      binding: 'post',
      endpoint: 'http://x/slo',
      xml,
    });

    it('reads type, issuer side, ID, NameID, SessionIndex and an enveloped signature', () => {
      const s = summarizeSamlMessage(
        post(logoutRequest({ issuer: IDP, signed: true, sessionIndex: true })),
        entities,
      );
      expect(s).to.include({
        type: 'LogoutRequest',
        from: 'idp',
        signed: true,
        id: '_lr1',
        nameId: 'maria.garcia@acme.example',
        sessionIndex: '_s1',
      });
      const unsigned = summarizeSamlMessage(post(logoutRequest({ issuer: 'http://stranger' })), entities);
      expect(unsigned).to.include({ from: 'unknown', signed: false });
      expect(unsigned.sessionIndex).to.equal(undefined);
    });

    it('takes a redirect message as signed only when its query was', () => {
      const xml = logoutRequest({ issuer: SP, signed: true });
      const m = { ...post(xml), binding: 'redirect' as const, querySigned: false };
      expect(summarizeSamlMessage(m, entities).signed).to.equal(false);
      expect(summarizeSamlMessage({ ...m, querySigned: true }, entities).signed).to.equal(true);
    });

    it('reads the status and InResponseTo of a response; keeps what does not parse as unparseable', () => {
      const s = summarizeSamlMessage(post(logoutResponse(SP, '_lr1', 'Requester')), entities);
      expect(s).to.include({
        type: 'LogoutResponse',
        from: 'sp',
        inResponseTo: '_lr1',
        status: 'urn:oasis:names:tc:SAML:2.0:status:Requester',
      });
      expect(summarizeSamlMessage(post('not xml <'), entities).type).to.equal('unparseable');
      expect(summarizeSamlMessage(post('<x xmlns="urn:other"/>'), entities).type).to.equal('unparseable');
    });
  });

  describe('checkSamlMessageList', () => {
    const seen: SamlMessageSummary[] = [
      {
        type: 'LogoutRequest',
        from: 'sp',
        binding: 'redirect',
        endpoint: 'i',
        signed: true,
        id: '_a',
        sessionIndex: '_s',
        nameId: 'Maria@acme.example',
      },
      {
        type: 'LogoutResponse',
        from: 'idp',
        binding: 'post',
        endpoint: 's',
        signed: true,
        inResponseTo: '_a',
        status: 'urn:oasis:names:tc:SAML:2.0:status:Success',
      },
    ];
    const fails = (expected: Parameters<typeof checkSamlMessageList>[1]) => {
      try {
        checkSamlMessageList(seen, expected);
      } catch (e) {
        expect(e).to.be.instanceOf(CheckFailed);
        return (e as Error).message;
      }
      throw new Error('the check passed');
    };

    it('passes when every expected message crossed, in order, with every listed property', () => {
      checkSamlMessageList(seen, [
        {
          type: 'LogoutRequest',
          from: 'sp',
          binding: 'redirect',
          signed: true,
          sessionIndex: true,
          nameId: 'maria@acme.example',
        },
        { type: 'LogoutResponse', from: 'idp', status: 'Success', answersPrevious: true },
        { type: 'AuthnRequest', absent: true },
      ]);
      checkSamlMessageList(seen, [
        { type: 'LogoutResponse', status: 'urn:oasis:names:tc:SAML:2.0:status:Success' },
      ]);
    });

    it('fails on a missing message, a wrong property, the wrong order or a message that must be absent', () => {
      expect(fails([{ type: 'AuthnRequest' }])).to.match(
        /no AuthnRequest crossed.*seen: LogoutRequest from sp signed over redirect/,
      );
      expect(fails([{ type: 'LogoutRequest', from: 'idp' }])).to.match(/no LogoutRequest from the IdP/);
      expect(fails([{ type: 'LogoutRequest', signed: false }])).to.match(/unsigned/);
      expect(fails([{ type: 'LogoutResponse', status: 'Requester' }])).to.match(/status Requester/);
      expect(fails([{ type: 'LogoutResponse' }, { type: 'LogoutRequest' }])).to.match(
        /after the previous expected message/,
      );
      expect(fails([{ type: 'LogoutRequest', answersPrevious: true }])).to.match(
        /answering an earlier request/,
      );
      expect(fails([{ type: 'LogoutResponse', absent: true }])).to.match(
        /LogoutResponse crossed in this step \(message 2\)/,
      );
    });
  });
});
