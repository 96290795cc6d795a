import type { TenantSetup } from '../../../mock-idp/src/index.js';
import { declaredSloUrls } from './capabilities.js';
import { fetchSpMetadata } from './external-target.js';
import { chooseSloEndpoint, type SloUrls } from './sp-metadata.js';
import type { TargetFile } from './target-file.js';

/** What a tenant's app must name of the SP: its ACS, audience and, when known, SLO endpoint and signing certificate. */
export interface SpEndpoints {
  acsUrl?: string;
  audience?: string;
  sloUrls?: SloUrls;
  certificatePem?: string;
}

/**
 * The SP of a target file as one IdP tenant's app sees it: `{idp}` is the tenant's vendor,
 * `{workspace}` the file's workspace; what the file does not say is read from the SP's metadata.
 */
export async function spEndpointsFor(f: TargetFile, vendor: string): Promise<SpEndpoints> {
  const workspace = (f.sp.workspace ?? '').replaceAll('{idp}', vendor);
  const fill = (s: string) => s.replaceAll('{workspace}', workspace).replaceAll('{idp}', vendor);
  let acsUrl = f.sp.acsUrl && fill(f.sp.acsUrl);
  let audience = f.sp.entityId && fill(f.sp.entityId);
  const declared = declaredSloUrls(f.sp.sloUrl);
  let sloUrls: SloUrls | undefined =
    declared && Object.fromEntries(Object.entries(declared).map(([b, u]) => [b, fill(u)]));
  if (f.sp.metadataUrl && (!acsUrl || !audience || !sloUrls)) {
    const md = await fetchSpMetadata(f.name, fill(f.sp.metadataUrl));
    acsUrl ??= md.acsUrl;
    audience ??= md.entityId;
    sloUrls ??= md.sloUrls;
  }
  return {
    ...(acsUrl ? { acsUrl } : {}),
    ...(audience ? { audience } : {}),
    ...(sloUrls ? { sloUrls } : {}),
    ...(f.sp.signingCertificate ? { certificatePem: f.sp.signingCertificate } : {}),
  };
}

/** A tenant setup pointed at an SP: the app's SSO URL (the SP's ACS), audience, SLO endpoint and SP certificate. */
export function pointSetupAt(setup: TenantSetup, sp: SpEndpoints): TenantSetup {
  return {
    ...setup,
    app: {
      ...setup.app,
      ...(sp.acsUrl ? { ssoUrl: sp.acsUrl } : {}),
      ...(sp.audience ? { audience: sp.audience } : {}),
      ...chooseSloEndpoint(sp.sloUrls, setup.app.sloBinding),
      ...(sp.certificatePem ? { spCertificatePem: sp.certificatePem } : {}),
    },
  };
}
