import { ATTRIBUTE_POLLUTION_MUTATIONS } from './attribute-pollution.js';
import { CONDITION_MUTATIONS } from './conditions.js';
import { CONTENT_MUTATIONS } from './content.js';
import { ENCODING_MUTATIONS } from './encoding.js';
import { MARKUP_MUTATIONS } from './markup.js';
import { PARSER_DIFFERENTIAL_MUTATIONS } from './parser-differential.js';
import { RESOURCE_EXHAUSTION_MUTATIONS } from './resource-exhaustion.js';
import { SEQUENCE_MUTATIONS } from './sequence.js';
import { SIGNATURE_INTERNALS_MUTATIONS } from './signature-internals.js';
import { SIGNATURE_MUTATIONS } from './signature.js';
import { TRUST_MUTATIONS } from './trust.js';
import { LOGOUT_WRAPPING_MUTATIONS } from './logout-wrapping.js';
import type { CatalogueEntry } from './types.js';
import { VERIFIED_NOT_CONSUMED_MUTATIONS } from './verified-not-consumed.js';
import { WRAPPING_MUTATIONS } from './wrapping.js';

/**
 * The attack catalogue: every named mutation of an otherwise valid vendor response. Each
 * says which rule it tests and what a conforming SP does; README.md in this folder lists
 * them. IDs are stable conformance case IDs.
 */
export const CATALOGUE: readonly CatalogueEntry[] = [
  ...SIGNATURE_MUTATIONS,
  ...WRAPPING_MUTATIONS,
  ...CONDITION_MUTATIONS,
  ...SEQUENCE_MUTATIONS,
  ...MARKUP_MUTATIONS,
  ...CONTENT_MUTATIONS,
  ...ENCODING_MUTATIONS,
  ...SIGNATURE_INTERNALS_MUTATIONS,
  ...VERIFIED_NOT_CONSUMED_MUTATIONS,
  ...PARSER_DIFFERENTIAL_MUTATIONS,
  ...ATTRIBUTE_POLLUTION_MUTATIONS,
  ...RESOURCE_EXHAUSTION_MUTATIONS,
  ...TRUST_MUTATIONS,
  ...LOGOUT_WRAPPING_MUTATIONS,
];

const BY_ID = new Map(CATALOGUE.map((m) => [m.id, m]));

export function findMutation(id: string): CatalogueEntry | undefined {
  return BY_ID.get(id);
}

/** The catalogue as the admin API lists it. */
export function describeCatalogue(): {
  id: string;
  title: string;
  spec: readonly string[];
  advisories: readonly string[];
  /** acs: the response to a sign-in; logout: an IdP-initiated LogoutRequest (armed with a victim). */
  channel: 'acs' | 'logout';
  /** A logout entry: the binding its LogoutRequest travels over. */
  binding?: 'post' | 'redirect';
  conformingSp: string;
  /** An SP may also sign the user in from the signed assertion alone, with its signed values (Mutation.signedAssertionKept). */
  signedAssertionKept: boolean;
  /** An SP may sign in the person the whole signed text of a value names (Mutation.wholeSignedTextAllowed). */
  wholeSignedTextAllowed: boolean;
  needs: Record<string, boolean | string>;
}[] {
  return CATALOGUE.map((m) => ({
    id: m.id,
    title: m.title,
    spec: m.spec,
    advisories: m.advisories ?? [],
    channel: m.channel ?? 'acs',
    ...(m.channel === 'logout' ? { binding: m.binding ?? 'post' } : {}),
    conformingSp: m.conformingSp,
    signedAssertionKept: m.channel !== 'logout' && m.signedAssertionKept === true,
    wholeSignedTextAllowed: m.wholeSignedTextAllowed === true,
    needs: { ...m.needs },
  }));
}
