import { expect } from 'chai';
import { join } from 'node:path';
import { loadSetupFile, startIdp, type RunningIdp, type TenantSetup } from '../../mock-idp/src/index.js';
import {
  base64Of,
  certificateOfWholeLines,
  rsaKeyPair,
  selfSigned,
  type TestKeyPair,
} from '../helpers/certificates.js';
import { ROOT } from '../helpers/world.js';

interface Answer {
  status: number;
  body: { error?: { code: string }; warnings?: string[]; certificatePem?: string };
}

/** A tenant's own key and certificate, and the SP certificates it names, are read when it is configured. */
describe('mock-idp tenant setups with their own keys and certificates', () => {
  let idp: RunningIdp;
  let keys: TestKeyPair;
  const base = loadSetupFile(join(ROOT, 'fixtures/setups/okta.yaml'));
  before(() => {
    keys = rsaKeyPair();
  });
  beforeEach(async () => {
    idp = await startIdp();
  });
  afterEach(() => idp.close());

  async function put(
    over: Omit<Partial<TenantSetup>, 'app'> & { app?: Partial<TenantSetup['app']> },
  ): Promise<Answer> {
    const setup = { ...base, ...over, app: { ...base.app, ...over.app } };
    const res = await fetch(`${idp.url}/api/admin/tenants/${setup.tenant}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${idp.adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(setup),
    });
    return { status: res.status, body: (await res.json()) as Answer['body'] };
  }
  const own = (certificatePem: string, privateKeyPem = keys.privateKeyPem) => ({
    signingKey: { privateKeyPem, certificatePem },
  });

  it('refuses a signing certificate that cannot be decoded with 400 ERR_BAD_CERTIFICATE', async () => {
    const good = selfSigned(keys, { commonName: 'own idp', serialHex: '01' });
    for (const bad of ['not a certificate', base64Of(good).slice(0, -40)]) {
      const r = await put(own(bad));
      expect(r.status, bad).to.equal(400);
      expect(r.body.error?.code, bad).to.equal('ERR_BAD_CERTIFICATE');
    }
    expect(idp.tenants.has(base.tenant)).to.equal(false);
  });

  it('refuses a private key that cannot be read or belongs to another certificate with 400 ERR_BAD_KEY', async () => {
    const good = selfSigned(keys, { commonName: 'own idp', serialHex: '01' });
    const other = selfSigned(rsaKeyPair(), { commonName: 'someone else', serialHex: '02' });
    for (const [certificate, key] of [
      [other, keys.privateKeyPem],
      [good, '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n'],
    ] as const) {
      const r = await put(own(certificate, key));
      expect(r.status).to.equal(400);
      expect(r.body.error?.code).to.equal('ERR_BAD_KEY');
    }
  });

  it('refuses an SP signing or encryption certificate that cannot be decoded', async () => {
    const good = selfSigned(keys, { commonName: 'own idp', serialHex: '01' });
    const apps: Partial<TenantSetup['app']>[] = [
      { spCertificatePem: 'garbage' },
      { encryption: { algorithm: 'aes256-gcm', certificatePem: base64Of(good).slice(8) } },
    ];
    for (const app of apps) {
      const r = await put({ ...own(good), app });
      expect(r.status, JSON.stringify(app)).to.equal(400);
      expect(r.body.error?.code).to.equal('ERR_BAD_CERTIFICATE');
    }
  });

  it('warns about an expired signing certificate and still signs with it', async () => {
    const expired = selfSigned(keys, {
      commonName: 'old idp',
      serialHex: '03',
      notBefore: new Date(Date.now() - 3 * 365 * 24 * 3600 * 1000),
      notAfter: new Date(Date.now() - 24 * 3600 * 1000),
    });
    const r = await put(own(expired));
    expect(r.status).to.equal(200);
    expect(r.body.warnings).to.have.length(1);
    const fresh = await put(own(selfSigned(keys, { commonName: 'new idp', serialHex: '04' })));
    expect(fresh.body.warnings).to.deep.equal([]);
  });

  it('takes a certificate as bare base64 or with an empty line before its END line, and writes it out whole', async () => {
    const pem = certificateOfWholeLines(keys);
    const body = base64Of(pem);
    expect(body.length % 64).to.equal(0);
    const emptyLine = `-----BEGIN CERTIFICATE-----\n${body.replace(/(.{64})/g, '$1\n')}\n-----END CERTIFICATE-----\n`;
    for (const given of [body, emptyLine]) {
      const r = await put(own(given));
      expect(r.status, JSON.stringify(r.body)).to.equal(200);
      expect(r.body.certificatePem).not.to.match(/\n\n/);
      expect(base64Of(r.body.certificatePem!)).to.equal(body);
      const metadata = await (await fetch(`${idp.url}/${base.tenant}/metadata`)).text();
      expect(metadata).to.include(`<ds:X509Certificate>${body}</ds:X509Certificate>`);
    }
  });
});
