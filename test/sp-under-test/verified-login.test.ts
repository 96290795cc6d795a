import { expect } from 'chai';
import { DOMParser } from '@xmldom/xmldom';
import { admin, errorCodeOf, postToAcs, startWorld, type World } from '../helpers/world.js';

const SAML = 'urn:oasis:names:tc:SAML:2.0:assertion';
const forged = (prefix: string) =>
  `<${prefix}:AttributeStatement xmlns:${prefix}="${SAML}"><${prefix}:Attribute Name="workato_role">` +
  `<${prefix}:AttributeValue>Admin</${prefix}:AttributeValue></${prefix}:Attribute></${prefix}:AttributeStatement>`;

/** Every value of `name` anywhere in the raw document, as a reader of the raw document would see them. */
function rawValues(xml: string, name: string): string[] {
  const doc = new DOMParser().parseFromString(xml, 'text/xml');
  const out: string[] = [];
  const attrs = doc.getElementsByTagNameNS(SAML, 'Attribute');
  for (let i = 0; i < attrs.length; i++) {
    const a = attrs.item(i)!;
    if (a.getAttribute('Name') !== name) continue;
    const values = a.getElementsByTagNameNS(SAML, 'AttributeValue');
    for (let j = 0; j < values.length; j++) out.push(values.item(j)!.textContent ?? '');
  }
  return out;
}

/**
 * The ACS acts only on the verified bytes: the sign-in JIT sees is built by the last ACS step
 * from the Assertion a trusted signature covers, whatever else the raw document carries.
 */
describe('sp-under-test ACS reads the sign-in from the verified bytes only', () => {
  let world: World;
  beforeEach(async () => {
    world = await startWorld();
  });
  afterEach(() => world.close());

  /** Maria's response with only the Assertion signed, then changed outside what the signature covers. */
  function response(outsideSigned: (xml: string) => string): string {
    const maria = world.tenant.user('maria.garcia@acme.example')!;
    const xml = world.tenant.respond(maria, undefined, world.acsUrl, new Date(), undefined, (input) => ({
      ...input,
      signing: { ...input.signing, response: false, assertion: true },
    })).xml;
    const changed = outsideSigned(xml);
    expect(changed).not.to.equal(xml);
    return changed;
  }

  const insideSignature = (xml: string) =>
    xml.replace('</ds:Signature>', `<ds:Object>${forged('saml2')}</ds:Object></ds:Signature>`);

  it('refuses assertion content in the unsigned Response beside the signed Assertion, so JIT never sees it', async () => {
    const xml = response((x) =>
      x.replace(
        /(<saml2p:Response\b[^>]*>\s*<saml2:Issuer\b[^>]*>[^<]*<\/saml2:Issuer>)/,
        `$1<saml2p:Extensions>${forged('x')}</saml2p:Extensions>`,
      ),
    );
    expect(rawValues(xml, 'workato_role')).to.include.members(['mktg_ops', 'Admin']);
    const res = await postToAcs(world, xml);
    expect([res.status, errorCodeOf(res.text)]).to.deep.equal([403, 'ERR_SAML_MALFORMED']);
    expect((await admin<unknown[]>(world.sp, 'GET', '/workspaces/acme/members')).body).to.deep.equal([]);
  });

  const variants: [string, (xml: string) => string][] = [
    [
      'an Attribute inside the Assertion’s own Signature (ds:Object, left out by the enveloped-signature transform)',
      insideSignature,
    ],
  ];

  for (const [what, change] of variants) {
    it(`JIT takes the signed role, not ${what}`, async () => {
      const xml = response(change);
      expect(rawValues(xml, 'workato_role')).to.include.members(['mktg_ops', 'Admin']);
      const res = await postToAcs(world, xml);
      expect(res.status, res.text).to.equal(303);
      const members = await admin<{ email: string; roles: Record<string, string> }[]>(
        world.sp,
        'GET',
        '/workspaces/acme/members',
      );
      expect(members.body).to.have.length(1);
      expect(members.body[0]!.roles.DEV).to.equal('mktg_ops');
    });
  }
});
