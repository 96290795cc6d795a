import { constants, deflateRawSync } from 'node:zlib';
import { base64, parseXml, serialize } from './dom.js';
import { ASSERTION_ONLY, asDelivery, plain, victimLogoutRequest } from './helpers.js';
import { inExtensions } from './placement.js';
import type { CatalogueEntry } from './types.js';

/*
 * Denial of service with messages that fit the size an ACS accepts, or that a careless ACS
 * processes before it looks at their size. Graded on the SP answering, in time, with a
 * refusal; what happens to its state is beside the point.
 */

/** One MiB of spaces, DEFLATE-compressed as a non-final segment that can be repeated. */
const MIB = 1024 * 1024;
let spaceSegment: Buffer | undefined;
const segment = (): Buffer =>
  (spaceSegment ??= deflateRawSync(Buffer.alloc(MIB, 0x20), {
    level: 9,
    finishFlush: constants.Z_SYNC_FLUSH,
  }));

/** MiB of whitespace the deflate bomb expands to after the response. */
export const DEFLATE_BOMB_MIB = 160;
/**
 * MiB of whitespace the HTTP-Redirect deflate bomb expands to after the LogoutRequest. Each MiB
 * is about 1 KiB of DEFLATE data, 1.4 KiB of base64 in the URL: 8 of them make a URL of about
 * 12 KiB, the most that fits, with the signature, cookies and other headers, in the 16 KiB a
 * Node server (the reference SP) accepts for a request's line and headers.
 */
export const REDIRECT_BOMB_MIB = 8;
/** Total size of the huge message: four times a typical 256 KiB ACS limit. */
export const HUGE_MESSAGE_BYTES = MIB;
/** How deep the nested elements of the deep-nesting case go. */
export const NESTING_DEPTH = 32_000;

const DOS_SPEC = [
  'SAML Security Considerations 6.5 (denial of service by large or complex messages)',
  'SAML Bindings 3.5.4 (the POST binding carries the message base64-encoded, not compressed)',
];

export const RESOURCE_EXHAUSTION_MUTATIONS: CatalogueEntry[] = [
  {
    id: 'saml.reject.deflate-bomb',
    title: `A SAMLResponse that is base64 of DEFLATE data expanding to the signed response and ${DEFLATE_BOMB_MIB} MiB of whitespace`,
    spec: [...DOS_SPEC, 'SAML Bindings 3.4.4.1 (DEFLATE belongs to the Redirect binding)'],
    advisories: ['CVE-2025-25293'],
    conformingSp:
      'Refuses the message quickly: the POST binding is not compressed, and anything it ever inflates is bounded by the size limit after inflation, not before.',
    mutate(ctx) {
      const head = deflateRawSync(Buffer.from(ctx.build(plain), 'utf8'), {
        finishFlush: constants.Z_SYNC_FLUSH,
      });
      const parts = [
        head,
        ...Array.from({ length: DEFLATE_BOMB_MIB }, segment),
        deflateRawSync(Buffer.alloc(0)),
      ];
      return { samlResponse: Buffer.concat(parts).toString('base64') };
    },
  },
  {
    channel: 'logout',
    binding: 'redirect',
    id: 'saml.reject.deflate-bomb-redirect',
    title: `An IdP-initiated LogoutRequest over HTTP-Redirect whose SAMLRequest, about 12 KiB of base64 in the URL, inflates to the request and ${REDIRECT_BOMB_MIB} MiB of whitespace; the IdP signs the query`,
    spec: [
      'SAML Security Considerations 6.5 (denial of service by large or complex messages)',
      'SAML Bindings 3.4.4.1 (HTTP-Redirect: the message is DEFLATE-compressed, base64-encoded and URL-encoded into SAMLRequest)',
      'SAML Profiles 4.4 (Single Logout: the IdP sends a LogoutRequest to each session participant)',
    ],
    advisories: ['CVE-2025-25293', 'CVE-2026-2575'],
    conformingSp:
      "Refuses the logout message quickly with its memory bounded: it inflates at most the size it accepts for a message and stops there, whoever signed the query, and ends no one's session.",
    mutate(ctx) {
      const request = victimLogoutRequest(ctx);
      const head = deflateRawSync(Buffer.from(request, 'utf8'), { finishFlush: constants.Z_SYNC_FLUSH });
      return Buffer.concat([
        head,
        ...Array.from({ length: REDIRECT_BOMB_MIB }, segment),
        deflateRawSync(Buffer.alloc(0)),
      ]);
    },
  },
  {
    id: 'saml.reject.huge-message',
    title: `A validly signed response padded with whitespace to ${HUGE_MESSAGE_BYTES / MIB} MiB, four times the usual 256 KiB ACS size limit`,
    spec: DOS_SPEC,
    advisories: ['CVE-2025-54572'],
    conformingSp:
      'Refuses the message by its size before decoding, validating or parsing it, and answers at once.',
    mutate(ctx) {
      const xml = ctx.build(plain);
      const padded = xml + ' '.repeat(Math.max(0, HUGE_MESSAGE_BYTES - xml.length));
      return { samlResponse: base64(padded) };
    },
  },
  {
    id: 'saml.reject.deep-nesting',
    title: `A signed response whose samlp:Extensions nests ${NESTING_DEPTH} elements, within the ACS size limit`,
    spec: DOS_SPEC,
    conformingSp:
      'Refuses the message: it bounds how deep elements may nest before walking the document, so no recursion exhausts its stack.',
    mutate(ctx) {
      const doc = parseXml(ctx.build(ASSERTION_ONLY));
      const marker = doc.createComment('NESTING');
      inExtensions(doc, doc.documentElement, marker);
      const nested =
        '<n xmlns="urn:attacker:nesting">' + '<n>'.repeat(NESTING_DEPTH - 1) + '</n>'.repeat(NESTING_DEPTH);
      return asDelivery(serialize(doc).replace('<!--NESTING-->', nested));
    },
  },
];
