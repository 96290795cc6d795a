import { deflateRawSync } from 'node:zlib';
import type { TenantSetup } from '../../../mock-idp/src/index.js';
import { MockIdp } from '../env/idp.js';
import { HarnessError } from '../errors.js';
import { samlForms } from './formats/forms.js';

const NCNAME = /^[A-Za-z_][\w.-]*$/;

/** A SAML Response the mock IdP wrote, and how the login that produced it was started. */
export interface Minted {
  xml: string;
  /** The AuthnRequest ID answered; a stand-in when the captured one is not an xs:ID. */
  inResponseTo?: string;
  /** Why the login could not replay the captured request exactly, when it could not. */
  note?: string;
}

/** An SP-initiated AuthnRequest as an SP with the setup's entity ID and ACS would send it (HTTP-Redirect). */
function authnRequest(id: string, setup: TenantSetup, ssoUrl: string): string {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  const xml =
    `<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion"` +
    ` ID="${esc(id)}" Version="2.0" IssueInstant="${new Date().toISOString()}" Destination="${esc(ssoUrl)}"` +
    ` AssertionConsumerServiceURL="${esc(setup.app.ssoUrl)}" ProtocolBinding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST">` +
    `<saml:Issuer>${esc(setup.app.audience)}</saml:Issuer></samlp:AuthnRequest>`;
  return deflateRawSync(Buffer.from(xml)).toString('base64');
}

async function page(url: string, init: RequestInit = {}): Promise<string> {
  const res = await fetch(url, { redirect: 'manual', ...init });
  const html = await res.text();
  if (res.status >= 400) {
    const code = /ERR_[A-Z_]+/.exec(html)?.[0] ?? `HTTP ${res.status}`;
    throw new HarnessError('ERR_IDP', `the mock IdP refused the login at ${url.split('?')[0]}: ${code}`);
  }
  return html;
}

const field = (html: string, name: string) =>
  samlForms(html)
    .flatMap((f) => f.fields)
    .find(([n]) => n === name)?.[1] ?? new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1];

/**
 * One in-process mock IdP for an import, reached over HTTP like any IdP. `mint` signs a user in
 * at a tenant made from a setup, as a browser would: SP-initiated, answering an AuthnRequest
 * with the captured request ID when there was one (IdP-initiated otherwise), and returns the
 * Response the IdP posts to the ACS.
 */
export class Minter {
  private constructor(private readonly idp: MockIdp) {}

  static async start(): Promise<Minter> {
    return new Minter(await MockIdp.start());
  }

  async mint(
    setup: TenantSetup,
    login: { user: string; password: string },
    inResponseTo: string | undefined,
  ): Promise<Minted> {
    const info = await this.idp.putTenant(setup);
    try {
      let note: string | undefined;
      let id = inResponseTo;
      if (id !== undefined && !NCNAME.test(id)) {
        note = `the captured InResponseTo "${id}" is not an xs:ID (NCName), so no conforming AuthnRequest can carry it; a stand-in request ID is answered`;
        id = `id-${Buffer.from(id).toString('hex').slice(0, 32)}`;
      }
      if (id !== undefined && !setup.app.audience) {
        note = 'the audience is blank in the setup, so no SP request can name it; the login is IdP-initiated';
        id = undefined;
      }
      const start = id
        ? `${info.ssoUrl}?SAMLRequest=${encodeURIComponent(authnRequest(id, setup, info.ssoUrl))}`
        : info.initUrl;
      const loginPage = await page(start);
      const pending = /name="pending" value="([^"]*)"/.exec(loginPage)?.[1];
      if (!pending) throw new HarnessError('ERR_IDP', 'the mock IdP showed no login form');
      const posted = await page(`${this.idp.url}/${setup.tenant}/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ pending, username: login.user, password: login.password }),
      });
      const b64 = field(posted, 'SAMLResponse');
      if (!b64) throw new HarnessError('ERR_IDP', 'the mock IdP answered the login without a SAMLResponse');
      return {
        xml: Buffer.from(b64, 'base64').toString('utf8'),
        ...(id ? { inResponseTo: id } : {}),
        ...(note ? { note } : {}),
      };
    } finally {
      await this.idp.removeTenant(setup.tenant);
    }
  }

  close(): Promise<void> {
    return this.idp.close();
  }
}
