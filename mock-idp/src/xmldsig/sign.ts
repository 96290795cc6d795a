import { createHash, sign as rsaSign, type KeyObject } from 'node:crypto';
import { el, scopeAbove, scopeInside, toExcC14n, type XmlElement } from '../xml/element.js';
import { DSIG_NS, ENVELOPED, EXC_C14N, SIGNATURE_ALGORITHMS, type SignatureAlgorithm } from './algorithms.js';

export interface SigningKey {
  privateKey: KeyObject;
  /** The certificate's DER bytes, base64 encoded on one line. */
  certificateBase64: string;
  /** The certificate's subject, for vendors that send X509SubjectName. */
  subjectName: string;
}

export interface SignatureShape {
  algorithm: SignatureAlgorithm;
  /** `ds` gives `<ds:Signature xmlns:ds=…>`; `''` gives `<Signature xmlns=…>` (Entra). */
  prefix: string;
  /** InclusiveNamespaces PrefixList on the reference's c14n transform, if any. */
  inclusivePrefixes?: readonly string[];
  /** Wrap the base64 certificate (and signature value, if `wrapSignatureValue`) every N characters. */
  wrapAt?: number;
  wrapSignatureValue?: boolean;
  includeSubjectName?: boolean;
}

function wrap(b64: string, width: number | undefined): string {
  if (!width) return b64;
  const lines: string[] = [];
  for (let i = 0; i < b64.length; i += width) lines.push(b64.slice(i, i + width));
  return lines.join('\n');
}

/**
 * Signs `target` (an element of `root` carrying an `ID` attribute) with an enveloped
 * signature and inserts the `Signature` element as its child at `position`.
 *
 * The signature is made by construction: the element is written in canonical form straight
 * from the tree, digested, and the canonical SignedInfo is built and signed, with no XML
 * parsing on the way. Returns the inserted Signature element.
 */
export function signEnveloped(
  root: XmlElement,
  target: XmlElement,
  position: number,
  key: SigningKey,
  shape: SignatureShape,
): XmlElement {
  const id = target.attrs.find(([k]) => k === 'ID')?.[1];
  if (!id) throw new TypeError(`cannot sign <${target.name}>: it has no ID attribute`);
  const alg = SIGNATURE_ALGORITHMS[shape.algorithm];
  const q = (local: string) => (shape.prefix ? `${shape.prefix}:${local}` : local);

  const outerScope = scopeAbove(root, target);
  const canonical = toExcC14n(target, outerScope, shape.inclusivePrefixes ?? []);
  const digest = createHash(alg.hash).update(canonical).digest('base64');

  const c14nTransform = el(
    q('Transform'),
    [['Algorithm', EXC_C14N]],
    shape.inclusivePrefixes?.length
      ? [
          el('ec:InclusiveNamespaces', [
            ['xmlns:ec', EXC_C14N],
            ['PrefixList', shape.inclusivePrefixes.join(' ')],
          ]),
        ]
      : [],
  );
  const signedInfo = el(
    q('SignedInfo'),
    [],
    [
      el(q('CanonicalizationMethod'), [['Algorithm', EXC_C14N]]),
      el(q('SignatureMethod'), [['Algorithm', alg.signatureUri]]),
      el(
        q('Reference'),
        [['URI', '#' + id]],
        [
          el(q('Transforms'), [], [el(q('Transform'), [['Algorithm', ENVELOPED]]), c14nTransform]),
          el(q('DigestMethod'), [['Algorithm', alg.digestUri]]),
          el(q('DigestValue'), [], [digest]),
        ],
      ),
    ],
  );
  const signature = el(
    q('Signature'),
    [[shape.prefix ? `xmlns:${shape.prefix}` : 'xmlns', DSIG_NS]],
    [signedInfo],
  );

  const signatureScope = scopeInside(signature, scopeInside(target, outerScope));
  const signedInfoC14n = toExcC14n(signedInfo, signatureScope);
  const value = rsaSign(alg.hash, Buffer.from(signedInfoC14n), key.privateKey).toString('base64');

  const x509: XmlElement[] = [];
  if (shape.includeSubjectName) x509.push(el(q('X509SubjectName'), [], [key.subjectName]));
  x509.push(el(q('X509Certificate'), [], [wrap(key.certificateBase64, shape.wrapAt)]));
  signature.children.push(
    el(q('SignatureValue'), [], [shape.wrapSignatureValue ? wrap(value, shape.wrapAt) : value]),
    el(q('KeyInfo'), [], [el(q('X509Data'), [], x509)]),
  );
  target.children.splice(position, 0, signature);
  return signature;
}
