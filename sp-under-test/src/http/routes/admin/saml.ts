import express, { type Router } from 'express';
import { parseIdpMetadata, type IdpMetadata } from '../../../metadata.js';
import { CertificateUnreadable, readCertificates } from '../../../saml/certificates.js';
import { SamlRejected } from '../../../saml/errors.js';
import { audit } from '../../../store/audit.js';
import {
  ENFORCE_SAML_FOR,
  getSamlSettings,
  putSamlSettings,
  type EnforceSamlFor,
  type SamlSettings,
} from '../../../store/workspaces.js';
import { acsUrl, spEntityId, type SpContext } from '../../context.js';
import { AdminError } from './errors.js';
import { bodyReader, workspaceOf } from './validate.js';

interface SamlBody {
  metadataXml?: string;
  metadataUrl?: string;
  entityId?: string;
  ssoUrl?: string;
  sloUrl?: string;
  certificates?: string[];
  jit?: boolean;
  jitEnvironments?: string[] | null;
  allowIdpInitiated?: boolean;
  groupSync?: boolean;
  enforceSamlFor?: EnforceSamlFor;
  allowSha1?: boolean | null;
  signAuthnRequests?: boolean;
}

/** The IdP by metadata (inline or at a URL, seed 001), or by entity ID, SSO URL and certificates. */
const readSaml = bodyReader<SamlBody>({
  type: 'object',
  anyOf: [
    { required: ['metadataXml'] },
    { required: ['metadataUrl'] },
    { required: ['entityId', 'ssoUrl', 'certificates'] },
  ],
  properties: {
    metadataXml: { type: 'string' },
    metadataUrl: { type: 'string', pattern: '^https?://' },
    entityId: { type: 'string' },
    ssoUrl: { type: 'string' },
    sloUrl: { type: 'string' },
    certificates: { type: 'array', minItems: 1, items: { type: 'string' } },
    jit: { type: 'boolean' },
    jitEnvironments: { type: ['array', 'null'], items: { type: 'string' } },
    allowIdpInitiated: { type: 'boolean' },
    groupSync: { type: 'boolean' },
    enforceSamlFor: { enum: [...ENFORCE_SAML_FOR] },
    allowSha1: { type: ['boolean', 'null'] },
    signAuthnRequests: { type: 'boolean' },
  },
});

/** Reads IdP metadata from a URL (seed 001 "Provide your metadata URL"), refusing what is not plainly metadata. */
async function fetchMetadata(url: string): Promise<string> {
  try {
    const res = await fetch(new URL(url), { signal: AbortSignal.timeout(10_000), redirect: 'follow' });
    const text = await res.text();
    if (!res.ok) throw new Error(`answered ${res.status}`);
    if (text.length > 1024 * 1024) throw new Error('the document is larger than 1 MB');
    return text;
  } catch (e) {
    throw new AdminError('ERR_BAD_METADATA', `metadata at ${url} could not be read: ${(e as Error).message}`);
  }
}

async function idpOf(b: SamlBody): Promise<IdpMetadata> {
  const xml = b.metadataXml ?? (b.metadataUrl !== undefined ? await fetchMetadata(b.metadataUrl) : undefined);
  if (xml === undefined)
    return {
      entityId: b.entityId!,
      ssoUrl: b.ssoUrl!,
      sloUrl: b.sloUrl ?? null,
      certificates: b.certificates!,
    };
  try {
    return parseIdpMetadata(xml);
  } catch (e) {
    if (e instanceof SamlRejected) throw new AdminError('ERR_BAD_METADATA', e.message);
    throw e;
  }
}

/** The workspace's SAML SSO settings: the IdP it trusts, JIT provisioning and SSO policy. */
export function samlSettingsRoutes(ctx: SpContext): Router {
  const r = express.Router();
  const sp = (slug: string) => ({ entityId: spEntityId(ctx, slug), acsUrl: acsUrl(ctx, slug) });

  r.get('/workspaces/:ws/saml', (req, res) => {
    const ws = workspaceOf(ctx, req);
    res.json({ ...getSamlSettings(ctx.db, ws.id), sp: sp(ws.slug) });
  });

  r.put('/workspaces/:ws/saml', async (req, res) => {
    const ws = workspaceOf(ctx, req);
    const b = readSaml(req);
    const idp = await idpOf(b);
    let read: ReturnType<typeof readCertificates>;
    try {
      read = readCertificates(idp.certificates, ctx.clock.now());
    } catch (e) {
      if (e instanceof CertificateUnreadable) throw new AdminError('ERR_BAD_CERTIFICATE', e.message);
      throw e;
    }
    const jitEnvironments = b.jitEnvironments ?? null;
    if (jitEnvironments?.some((e) => !ws.environments.includes(e)))
      throw new AdminError('ERR_BAD_REQUEST', `jitEnvironments must be among ${ws.environments.join(', ')}`);
    const previous = getSamlSettings(ctx.db, ws.id);
    const settings: SamlSettings = {
      enforceSamlFor: b.enforceSamlFor ?? previous?.enforceSamlFor ?? ctx.config.enforceSamlFor,
      groupSync: b.groupSync ?? previous?.groupSync ?? false,
      allowSha1: b.allowSha1 === undefined ? (previous?.allowSha1 ?? null) : b.allowSha1,
      signAuthnRequests: b.signAuthnRequests ?? previous?.signAuthnRequests ?? false,
      idpEntityId: idp.entityId,
      ssoUrl: idp.ssoUrl,
      sloUrl: idp.sloUrl,
      certificates: read.bodies,
      jit: b.jit ?? true,
      jitEnvironments,
      allowIdpInitiated: b.allowIdpInitiated ?? true,
    };
    const now = ctx.clock.now();
    putSamlSettings(ctx.db, ws.id, settings, now);
    audit(
      ctx.db,
      ws.id,
      'admin',
      'saml.configured',
      idp.entityId,
      {
        jit: settings.jit,
        groupSync: settings.groupSync,
        enforceSamlFor: settings.enforceSamlFor,
        warnings: read.warnings.map((w) => w.code),
      },
      now,
    );
    res.json({ ...settings, sp: sp(ws.slug), warnings: read.warnings });
  });

  return r;
}
