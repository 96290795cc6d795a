import { expect } from 'chai';
import fc from 'fast-check';
import { deflateRawSync } from 'node:zlib';
import { HarnessError } from '../../harness/src/errors.js';
import { chooseLoginResponse } from '../../harness/src/import/choose-response.js';
import { readCapture } from '../../harness/src/import/read-capture.js';
import { fixture, harnessError } from './helpers.js';

const oneloginXml = () =>
  Buffer.from(fixture('onelogin-response.b64').replace(/\s+/g, ''), 'base64').toString('utf8');

describe('import: reading captures', () => {
  describe('formats', () => {
    it('reads a HAR file, finding the response in the IdP page when the browser left the POST body out', () => {
      const c = readCapture(fixture('okta-login.har'));
      expect(c.found).to.match(/^a HAR file of 4 requests to app\.example\.com, example\.okta\.com$/);
      expect(c.messages.map((m) => [m.type, m.binding, m.param])).to.deep.equal([
        ['AuthnRequest', 'redirect', 'SAMLRequest'],
        ['Response', 'post', 'SAMLResponse'],
      ]);
      expect(c.messages[1]!.origin).to.match(
        /^HAR entry 3: a form in the page of .* posting to https:\/\/app\.example\.com\/saml\/acs$/,
      );
      expect(c.messages[1]!.at).to.match(/^\d{4}-\d\d-\d\dT/);
    });

    it('reads a HAR POST body, and keeps one copy of a response the page also carried', () => {
      const har = JSON.parse(fixture('okta-login.har'));
      const page = har.log.entries[2].response.content.text as string;
      const b64 = /name="SAMLResponse" value="([^"]+)"/.exec(page)![1]!;
      har.log.entries[3].request.postData = {
        mimeType: 'application/x-www-form-urlencoded',
        text: new URLSearchParams({ SAMLResponse: b64, RelayState: '/home' }).toString(),
      };
      const c = readCapture(JSON.stringify(har));
      expect(c.messages.map((m) => m.origin)).to.deep.equal([
        c.messages[0]!.origin,
        'HAR entry 4: POST https://app.example.com/saml/acs',
      ]);
    });

    it('reads a SAML-tracer export and picks the successful login among the messages', () => {
      const c = readCapture(fixture('entra-login.saml-tracer.json'));
      expect(c.found).to.equal(
        'a SAML-tracer export of 3 requests to app.example.org, login.microsoftonline.com',
      );
      const { chosen, others } = chooseLoginResponse(c);
      expect(chosen.message.n).to.equal(3);
      expect(chosen.line).to.match(
        /^3\. Response, from https:\/\/sts\.windows\.net\/.*status Success, 1 Assertion/,
      );
      expect(others.map((o) => o.line)).to.satisfy(
        (l: string[]) =>
          /status Requester\/RequestDenied, no assertion/.test(l[0]!) && /^2\. AuthnRequest/.test(l[1]!),
      );
    });

    it("falls back to the tracer's decoded copy when the export filtered the parameter values", () => {
      const t = JSON.parse(fixture('entra-login.saml-tracer.json'));
      t.requests[2].post = [['SAMLResponse', '5f2b7c0e9d1a4b3c8e6f0a1b2c3d4e5f']];
      const c = readCapture(JSON.stringify(t));
      expect(c.messages[2]!.origin).to.include("the tracer's decoded copy");
      expect(c.messages[2]!.xml).to.equal(t.requests[2].saml);
    });

    it('reads base64 with line breaks, a URL-encoded form body, a URL, an HTML page and the decoded XML', () => {
      const xml = oneloginXml();
      const b64 = Buffer.from(xml).toString('base64');
      const cases: [string, string][] = [
        [fixture('onelogin-response.b64'), 'a base64 message'],
        [encodeURIComponent(b64), 'a URL-encoded base64 message'],
        [fixture('google-post-body.txt'), 'a form body with a SAML message'],
        [
          `https://sp.example/acs?SAMLResponse=${encodeURIComponent(deflateRawSync(xml).toString('base64'))}`,
          'a URL with a SAML message in its query',
        ],
        [
          `<!DOCTYPE html><html><body><form method="post" action="https://sp.example/acs"><input type="hidden" name="SAMLResponse" value="${b64}"></form></body></html>`,
          'an HTML page with 1 form carrying SAML',
        ],
        [xml, 'an XML document'],
      ];
      for (const [text, found] of cases) {
        const c = readCapture(text);
        expect(c.found, found).to.equal(found);
        expect(chooseLoginResponse(c).chosen.message.type).to.equal('Response');
      }
      expect(readCapture(xml).messages[0]!.xml).to.equal(xml);
    });
  });

  describe('errors say what was found', () => {
    const cases: [string, () => string, string, RegExp][] = [
      ['an empty file', () => '  \n', 'ERR_CAPTURE_FORMAT', /empty/],
      [
        'plain text',
        () => 'Hello, here is the login that fails',
        'ERR_CAPTURE_FORMAT',
        /begins "Hello, here/,
      ],
      [
        'JSON of another kind',
        () => '{"name": "x", "items": []}',
        'ERR_CAPTURE_FORMAT',
        /top-level keys: name, items/,
      ],
      [
        'a cut-short JSON export',
        () => fixture('entra-login.saml-tracer.json').slice(0, 900),
        'ERR_CAPTURE_MALFORMED',
        /does not parse/,
      ],
      [
        'a cut-short base64 response',
        () => fixture('truncated-response.b64'),
        'ERR_CAPTURE_MALFORMED',
        /ends inside .*\(open: <samlp:Response> > <saml:Assertion>.*cut short/,
      ],
      [
        'base64 of something else',
        () => Buffer.from('%PDF-1.7 not a SAML message at all').toString('base64'),
        'ERR_CAPTURE_MALFORMED',
        /neither XML nor DEFLATE/,
      ],
      [
        'a DOCTYPE',
        () =>
          '<!DOCTYPE r [<!ENTITY x "y">]><samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"/>',
        'ERR_CAPTURE_MALFORMED',
        /DOCTYPE/,
      ],
      ['mismatched tags', () => '<a><b></a></b>', 'ERR_CAPTURE_MALFORMED', /<\/a> does not close <b>/],
      [
        'XML that is not SAML',
        () => '<note><to>you</to></note>',
        'ERR_CAPTURE_NO_LOGIN',
        /1\. not SAML: <note>/,
      ],
      [
        'IdP metadata instead of a capture',
        () => '<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="x"/>',
        'ERR_CAPTURE_NO_LOGIN',
        /give it with --metadata/,
      ],
      [
        'a HAR without SAML',
        () =>
          JSON.stringify({
            log: { entries: [{ request: { method: 'GET', url: 'https://shop.example/' } }] },
          }),
        'ERR_CAPTURE_NO_LOGIN',
        /a HAR file of 1 request to shop\.example with no SAML message/,
      ],
      [
        'only a failed login',
        () => {
          const t = JSON.parse(fixture('entra-login.saml-tracer.json'));
          t.requests.splice(1);
          return JSON.stringify(t);
        },
        'ERR_CAPTURE_NO_LOGIN',
        /none of them a successful login Response.*\n {2}1\. Response.*status Requester\/RequestDenied/s,
      ],
      [
        'an HTML page without a SAML form',
        () => '<!DOCTYPE html><html><body>Sorry</body></html>',
        'ERR_CAPTURE_NO_LOGIN',
        /HTML page with 0 forms/,
      ],
    ];
    for (const [what, text, code, message] of cases) {
      it(what, async () => {
        const e = await harnessError(() => chooseLoginResponse(readCapture(text())));
        expect(e.code).to.equal(code);
        expect(e.message).to.match(message);
      });
    }

    it('--message must name a login response', async () => {
      const c = readCapture(fixture('entra-login.saml-tracer.json'));
      expect((await harnessError(() => chooseLoginResponse(c, 2))).code).to.equal('ERR_BAD_OPTION');
      expect((await harnessError(() => chooseLoginResponse(c, 9))).code).to.equal('ERR_BAD_OPTION');
      expect(chooseLoginResponse(c, 3).chosen.message.n).to.equal(3);
    });
  });

  describe('properties', () => {
    const codes = ['ERR_CAPTURE_FORMAT', 'ERR_CAPTURE_MALFORMED', 'ERR_CAPTURE_NO_LOGIN'];

    /** Every prefix of `text` from `min` to `max` characters is refused as malformed. */
    const cutsAreMalformed = (text: string, min: number, max: number) =>
      fc.assert(
        fc.property(fc.integer({ min, max }), (cut) => {
          try {
            readCapture(text.slice(0, cut));
          } catch (e) {
            return e instanceof HarnessError && e.code === 'ERR_CAPTURE_MALFORMED';
          }
          return false;
        }),
        { numRuns: 200 },
      );

    it('a base64 response cut anywhere (short of its padding) is malformed, never half-read', () => {
      const b64 = fixture('onelogin-response.b64').replace(/\s+/g, '');
      cutsAreMalformed(b64, 16, b64.length - 4);
    });

    it('the decoded XML cut anywhere is malformed', () => {
      const xml = oneloginXml();
      cutsAreMalformed(xml, 1, xml.length - 1);
    });

    it('any text gives a capture or one of the capture error codes, never another error', () => {
      fc.assert(
        fc.property(
          fc.oneof(
            fc.string(),
            fc.base64String(),
            fc.json(),
            fc.string().map((s) => `<${s}>`),
          ),
          (text) => {
            try {
              chooseLoginResponse(readCapture(text));
              return true;
            } catch (e) {
              return e instanceof HarnessError && codes.includes(e.code);
            }
          },
        ),
        { numRuns: 500 },
      );
    });
  });
});
