import saml2 from 'saml2-js';
import {
  DS,
  SAML,
  anySignedAssertionThenFirst,
  byId,
  elements,
  kids,
  libraryVerifies,
  parse,
  read,
} from '../attacks/naive-verifiers.js';
import { saml2Reader, type ResponseReader } from '../helpers/foreign-sp.js';

/*
 * Ways for Ledgerly (test/helpers/foreign-sp.ts) to read a SAMLResponse at its ACS: three with
 * the flaw a saml.reject case exists for, and one that is conforming without refusing (it
 * consumes only what the IdP signed). Each vulnerable one must fail its case, in page-only mode
 * and with an observer; see vulnerable-sps.test.ts.
 */

const xmlOf = (body: Record<string, unknown>) =>
  Buffer.from(String(body.SAMLResponse ?? ''), 'base64').toString('utf8');

/**
 * XSW (CVE-2025-47949): any valid signature on any assertion makes "the" assertion, the
 * Response's first, trusted. This SP knows people by their NameID.
 */
export const acceptsXsw: ResponseReader = async (body, t) => {
  const v = anySignedAssertionThenFirst(xmlOf(body), t.idpCertificatePem);
  return { nameId: v.nameId, attributes: withoutEmail(v.attributes) };
};

const withoutEmail = (attributes: Record<string, string>) =>
  Object.fromEntries(Object.entries(attributes).filter(([k]) => k !== 'workato_email'));

/** The PEM of the first certificate the message's KeyInfo carries. */
function keyInfoCertificate(xml: string): string {
  const body = (elements(parse(xml), DS, 'X509Certificate')[0]?.textContent ?? '').replace(/\s+/g, '');
  return `-----BEGIN CERTIFICATE-----\n${body.replace(/(.{64})/g, '$1\n')}\n-----END CERTIFICATE-----\n`;
}

/** Verifies the signature with the certificate the message carries in KeyInfo, not the IdP's configured one. */
export const trustsKeyInfo: ResponseReader = (body, t) => {
  const carried = keyInfoCertificate(xmlOf(body));
  const idp = t.idp as unknown as { sso_login_url: string; sso_logout_url: string };
  const trusting = new saml2.IdentityProvider({
    sso_login_url: idp.sso_login_url,
    sso_logout_url: idp.sso_logout_url,
    certificates: [carried],
  });
  return saml2Reader(body, { ...t, idp: trusting });
};

/** Takes any audience: the assertion may have been meant for another SP. */
export const ignoresAudience: ResponseReader = (body, t) =>
  new Promise((resolve, reject) =>
    t.sp.post_assert(
      t.idp,
      { request_body: body, allow_unencrypted_assertion: true, audience: /.*/ },
      (err: Error | null, r: saml2.SAMLAssertResponse) =>
        err ? reject(err) : resolve({ nameId: r.user.name_id, attributes: r.user.attributes ?? {} }),
    ),
  );

/**
 * Conforming without refusing: it reads only an assertion a valid IdP signature names (or the
 * one inside a signed Response), whatever else the message carries beside it. Times and
 * audience are not its subject here.
 */
export const signedOnly: ResponseReader = async (body, t) => {
  const xml = xmlOf(body);
  const doc = parse(xml);
  for (const signature of elements(doc, DS, 'Signature')) {
    if (!libraryVerifies(xml, signature, t.idpCertificatePem)) continue;
    const uri = kids(kids(signature, DS, 'SignedInfo')[0]!, DS, 'Reference')[0]?.getAttribute('URI') ?? '';
    const signed = byId(doc, uri.replace(/^#/, ''));
    const assertion =
      signed?.localName === 'Assertion' ? signed : signed && kids(signed, SAML, 'Assertion')[0];
    if (assertion) return read(assertion);
  }
  throw new Error('nothing the IdP signed holds an assertion');
};
