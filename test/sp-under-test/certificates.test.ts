import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { deflateRawSync } from 'node:zlib';
import { expect } from 'chai';
import fc from 'fast-check';
import type { TenantSetup } from '../../mock-idp/src/index.js';
import { logoutRequest } from '../../mock-idp/src/saml/logout.js';
import { signedRedirectQuery } from '../../mock-idp/src/saml/message-signature.js';
import type { Tenant } from '../../mock-idp/src/tenant.js';
import { toWire } from '../../mock-idp/src/xml/element.js';
import { signEnveloped } from '../../mock-idp/src/xmldsig/sign.js';
import { certificatePem } from '../../sp-under-test/src/saml/certificates.js';
import {
  base64Of,
  certificateOfWholeLines,
  rsaKeyPair,
  selfSigned,
  type TestKeyPair,
} from '../helpers/certificates.js';
import { admin, errorCodeOf, postToAcs, startWorld, type World } from '../helpers/world.js';

type Route = 'certificates' | 'metadataXml' | 'metadataUrl';
type Shape = 'pem' | 'base64' | 'crlf' | 'wrapped-76';

/** The certificate as an administrator might paste it. */
function shaped(pem: string, shape: Shape): string {
  const b64 = base64Of(pem);
  switch (shape) {
    case 'pem':
      return pem;
    case 'base64':
      return b64;
    case 'crlf':
      return pem.replace(/\n/g, '\r\n');
    case 'wrapped-76':
      return `-----BEGIN CERTIFICATE-----\n${b64.replace(/(.{76})/g, '$1\n')}\n-----END CERTIFICATE-----\n`;
  }
}

interface ErrorBody {
  error: { code: string };
}

/**
 * IdP certificates are read when they are configured (certificates[], metadata XML, metadata
 * URL) and then verify every signature they should: a login, and a logout message over both
 * bindings. A certificate whose base64 body is whole 64-character lines used to be written
 * out with an empty line before its END line, which OpenSSL cannot decode.
 */
describe('sp-under-test IdP certificates: read at configuration, usable at every sign-in', function () {
  let world: World;
  let tenants = 0;
  beforeEach(async () => {
    world = await startWorld({ environments: ['DEV'] });
  });
  afterEach(() => world.close());

  /** A tenant of the mock IdP signing with `keys` and `pem`, put through its admin API. */
  async function tenantWith(keys: TestKeyPair, pem: string): Promise<Tenant> {
    const name = `okta-cert-${++tenants}`;
    const setup: TenantSetup = {
      ...world.tenant.setup,
      tenant: name,
      signingKey: { privateKeyPem: keys.privateKeyPem, certificatePem: pem },
      app: { ...world.tenant.setup.app, sloUrl: `${world.sp.url}/saml/acme/slo` },
    };
    const res = await fetch(`${world.idp.url}/api/admin/tenants/${name}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${world.idp.adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(setup),
    });
    expect(res.status, await res.clone().text()).to.equal(200);
    return world.idp.tenants.get(name)!;
  }

  async function configure(tenant: Tenant, route: Route, certificate: string) {
    const body =
      route === 'certificates'
        ? {
            entityId: tenant.entityId,
            ssoUrl: tenant.ssoUrl,
            sloUrl: tenant.sloUrl,
            certificates: [certificate],
          }
        : route === 'metadataXml'
          ? { metadataXml: tenant.metadataXml() }
          : { metadataUrl: `${world.idp.url}/${tenant.name}/metadata` };
    return admin<{ warnings: { code: string }[] } & ErrorBody>(world.sp, 'PUT', '/workspaces/acme/saml', {
      ...body,
      jit: true,
    });
  }

  const login = (tenant: Tenant) =>
    postToAcs(
      world,
      tenant.respond(tenant.user('maria.garcia@acme.example')!, undefined, world.acsUrl, new Date()).xml,
    );

  /** An IdP-initiated LogoutRequest signed by the tenant, over the Redirect or the POST binding. */
  async function idpLogout(tenant: Tenant, binding: 'redirect' | 'post'): Promise<number> {
    const message = logoutRequest({
      issuer: tenant.entityId,
      destination: `${world.sp.url}/saml/acme/slo`,
      nameId: 'maria.garcia@acme.example',
      nameIdFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified',
      sessionIndex: undefined,
      now: new Date(),
    });
    if (binding === 'redirect') {
      const deflated = deflateRawSync(Buffer.from(toWire(message))).toString('base64');
      const query = signedRedirectQuery(
        'SAMLRequest',
        deflated,
        undefined,
        tenant.key.privateKey,
        'rsa-sha256',
      );
      return (await fetch(`${world.sp.url}/saml/acme/slo?${query}`, { redirect: 'manual' })).status;
    }
    signEnveloped(message, message, 1, tenant.key, { algorithm: 'rsa-sha256', prefix: 'ds' });
    const res = await fetch(`${world.sp.url}/saml/acme/slo`, {
      method: 'POST',
      redirect: 'manual',
      body: new URLSearchParams({ SAMLRequest: Buffer.from(toWire(message)).toString('base64') }),
    });
    return res.status;
  }

  it('writes PEM with no empty line, whatever the body length (RFC 7468 §2)', () => {
    for (const length of [60, 63, 64, 65, 127, 128, 1024]) {
      const pem = certificatePem('A'.repeat(length));
      expect(pem, String(length)).not.to.match(/\n\n/);
      expect(
        pem
          .split('\n')
          .slice(1, -2)
          .every((l) => l.length <= 64 && l.length > 0),
      ).to.equal(true);
    }
  });

  it('signs in with a certificate whose base64 body is whole 64-character lines', async () => {
    const keys = rsaKeyPair();
    const pem = certificateOfWholeLines(keys);
    expect(base64Of(pem).length % 64).to.equal(0);
    const tenant = await tenantWith(keys, pem);
    expect((await configure(tenant, 'certificates', base64Of(pem))).status).to.equal(200);
    const res = await login(tenant);
    expect(errorCodeOf(res.text) ?? 'signed in').to.equal('signed in');
    expect(res.status).to.equal(303);
    expect(await idpLogout(tenant, 'redirect')).to.equal(302);
    expect(await idpLogout(tenant, 'post')).to.equal(302);
  });

  it('refuses an undecodable certificate with 400 ERR_BAD_CERTIFICATE by every route, keeping the settings', async () => {
    const pem = world.tenant.certificatePem;
    const broken = [
      'not a certificate',
      base64Of(pem).slice(0, -40),
      `-----BEGIN CERTIFICATE-----\n${Buffer.from('hello').toString('base64')}\n-----END CERTIFICATE-----`,
    ];
    for (const bad of broken) {
      const res = await admin<ErrorBody>(world.sp, 'PUT', '/workspaces/acme/saml', {
        entityId: world.tenant.entityId,
        ssoUrl: world.tenant.ssoUrl,
        certificates: [pem, bad],
      });
      expect(res.status, bad).to.equal(400);
      expect(res.body.error.code, bad).to.equal('ERR_BAD_CERTIFICATE');
    }
    const badMetadata = world.tenant.metadataXml().replace(base64Of(pem), base64Of(pem).slice(0, -40));
    const byXml = await admin<ErrorBody>(world.sp, 'PUT', '/workspaces/acme/saml', {
      metadataXml: badMetadata,
    });
    expect(byXml.status).to.equal(400);
    expect(byXml.body.error.code).to.equal('ERR_BAD_CERTIFICATE');
    const server: Server = createServer((_req, res) => res.end(badMetadata));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/metadata`;
      const byUrl = await admin<ErrorBody>(world.sp, 'PUT', '/workspaces/acme/saml', { metadataUrl: url });
      expect(byUrl.status).to.equal(400);
      expect(byUrl.body.error.code).to.equal('ERR_BAD_CERTIFICATE');
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
    expect((await login(world.tenant)).status).to.equal(303);
  });

  it('warns about an expired certificate, and keeps it', async () => {
    const keys = rsaKeyPair();
    const expired = selfSigned(keys, {
      commonName: 'expired idp',
      serialHex: '0a',
      notBefore: new Date(Date.now() - 3 * 365 * 24 * 3600 * 1000),
      notAfter: new Date(Date.now() - 24 * 3600 * 1000),
    });
    const tenant = await tenantWith(keys, expired);
    const res = await configure(tenant, 'certificates', expired);
    expect(res.status).to.equal(200);
    expect(res.body.warnings.map((w) => w.code)).to.deep.equal(['WARN_CERTIFICATE_EXPIRED']);
    expect((await configure(world.tenant, 'metadataXml', '')).body.warnings).to.deep.equal([]);
  });

  it('accepts generated certificates of any subject and serial length by every route, and they verify logins and logouts', async function () {
    const keys = rsaKeyPair();
    const lengths: number[] = [];
    const spec = fc.record({
      /** Undefined: the shortest name that makes the body whole 64-character lines. */
      commonName: fc.option(
        fc.string({ unit: fc.constantFrom('a', 'B', '7', ' ', '-', 'é'), minLength: 1, maxLength: 60 }),
        { nil: undefined, freq: 5 },
      ),
      organisation: fc.option(
        fc.string({ unit: fc.constantFrom('x', 'Y', '.'), minLength: 1, maxLength: 40 }),
        {
          nil: undefined,
        },
      ),
      serialHex: fc
        .uint8Array({ minLength: 1, maxLength: 20 })
        .map(
          (b) =>
            ((b[0]! & 0x7f) | 0x01).toString(16).padStart(2, '0') + Buffer.from(b.slice(1)).toString('hex'),
        ),
      route: fc.constantFrom<Route>('certificates', 'metadataXml', 'metadataUrl'),
      shape: fc.constantFrom<Shape>('pem', 'base64', 'crlf', 'wrapped-76'),
      binding: fc.constantFrom<'redirect' | 'post'>('redirect', 'post'),
      freshKey: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(spec, async (s) => {
        const pair = s.freshKey ? rsaKeyPair() : keys;
        const pem =
          s.commonName === undefined
            ? certificateOfWholeLines(pair, s.serialHex)
            : selfSigned(pair, {
                commonName: s.commonName,
                organisation: s.organisation,
                serialHex: s.serialHex,
              });
        lengths.push(base64Of(pem).length);
        const tenant = await tenantWith(pair, shaped(pem, s.shape));
        const configured = await configure(tenant, s.route, shaped(pem, s.shape));
        expect(configured.status, JSON.stringify(configured.body)).to.equal(200);
        const res = await login(tenant);
        expect(errorCodeOf(res.text) ?? 'signed in').to.equal('signed in');
        expect(await idpLogout(tenant, s.binding)).to.equal(302);
      }),
      {
        numRuns: 10,
        examples: [
          [
            {
              commonName: undefined,
              organisation: undefined,
              serialHex: '7f',
              route: 'certificates',
              shape: 'base64',
              binding: 'redirect',
              freshKey: false,
            },
          ],
          [
            {
              commonName: undefined,
              organisation: undefined,
              serialHex: '7f',
              route: 'metadataUrl',
              shape: 'pem',
              binding: 'post',
              freshKey: false,
            },
          ],
        ],
      },
    );
    expect(
      lengths.some((n) => n % 64 === 0),
      `base64 lengths ${lengths.join(', ')}`,
    ).to.equal(true);
  });
});
