import type { MetadataKey } from '../setup.js';
import { asDelivery, plain, UNSIGNED } from './helpers.js';
import type { Mutation } from './types.js';

/*
 * Trust that fails open: the SP was configured from IdP metadata that lists no usable signing
 * certificate (none, one for encryption only, an expired one) or one without a `use`, and an SP
 * that then skips verification, or verifies with the wrong key, accepts a response anyone could
 * write. Each entry needs the tenant's metadata shaped that way before the SP imports it
 * (setup `app.metadataKey`, scenario `given.idp.metadataKey`).
 */

const TRUST_SPEC = [
  'SAML Metadata 2.4.1.1 (KeyDescriptor: use says what a key is for; without it, both)',
  'SAML Core 5.4 (signature processing: only keys the relying party trusts for signing)',
  'SAML Profiles 4.1.3.5 (POST binding: the assertion must be signed)',
];

function trusting(
  name: string,
  metadataKey: MetadataKey,
  title: string,
  conformingSp: string,
  advisories?: readonly string[],
  signed = false,
): Mutation {
  return {
    id: `saml.reject.${name}`,
    title,
    spec: TRUST_SPEC,
    ...(advisories ? { advisories } : {}),
    conformingSp,
    needs: { metadataKey },
    mutate: (ctx) => asDelivery(ctx.build(signed ? plain : UNSIGNED)),
  };
}

export const TRUST_MUTATIONS: Mutation[] = [
  trusting(
    'trust-no-signing-key',
    'none',
    'An unsigned response, sent to an SP configured from IdP metadata that lists no certificate at all',
    'Refuses the configuration, or every response: with no certificate to verify with, nothing verifies; it never treats a missing certificate as "no check".',
    ['CVE-2026-89042'],
  ),
  trusting(
    'trust-key-without-use',
    'no-use',
    'An unsigned response, sent to an SP configured from IdP metadata whose KeyDescriptor has no use attribute',
    'Refuses the response: a key without use is a signing key too, so signatures are still required and checked with it.',
    ['CVE-2026-16443'],
  ),
  trusting(
    'trust-encryption-only-key',
    'encryption-only',
    'A response signed with the IdP key, sent to an SP configured from metadata that lists that key for encryption only',
    'Refuses the configuration, or the response: a key published for encryption is not trusted for signatures, and without a signing key nothing verifies.',
    undefined,
    true,
  ),
  trusting(
    'trust-expired-certificate',
    'expired',
    'An unsigned response, sent to an SP configured from IdP metadata whose certificate has expired',
    'Refuses the response: an expired certificate never turns signature checking off, whatever the SP decides about expiry.',
  ),
];
