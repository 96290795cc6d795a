import type { ResponseInput } from '../profiles/profile.js';
import { NS, all, child, assertionOf } from './dom.js';
import { ATTACKER, asDelivery, editThenSign, plain } from './helpers.js';
import type { Mutation } from './types.js';

const DAY = 24 * 60 * 60 * 1000;

/** A validly signed response built from a changed input: only the changed field is wrong. */
function rebuilt(
  name: string,
  title: string,
  spec: string[],
  conformingSp: string,
  change: (i: ResponseInput) => Partial<ResponseInput>,
): Mutation {
  return {
    id: `saml.reject.${name}`,
    title,
    spec,
    conformingSp,
    mutate: (ctx) => asDelivery(ctx.build((i) => plain({ ...i, ...change(i) }))),
  };
}

/** Validity windows and the addressing of the message: who it is from, for and to. */
export const CONDITION_MUTATIONS: Mutation[] = [
  rebuilt(
    'expired',
    'A validly signed response issued a day ago, its validity window long over',
    ['SAML Core 2.5.1.2 (NotOnOrAfter)', 'SAML Profiles 4.1.4.2 (SubjectConfirmationData NotOnOrAfter)'],
    'Refuses the assertion as expired, judged by its own clock with a small skew.',
    (i) => ({ now: new Date(i.now.getTime() - DAY) }),
  ),
  rebuilt(
    'not-yet-valid',
    'A validly signed response issued a day in the future',
    ['SAML Core 2.5.1.2 (NotBefore)'],
    'Refuses the assertion as not yet valid, judged by its own clock with a small skew.',
    (i) => ({ now: new Date(i.now.getTime() + DAY) }),
  ),
  {
    id: 'saml.reject.subject-confirmation-expired',
    title:
      "A response whose Conditions are current but whose bearer SubjectConfirmationData's NotOnOrAfter has passed",
    spec: ['SAML Profiles 4.1.4.2 (bearer SubjectConfirmationData NotOnOrAfter)', 'SAML Core 2.4.1.2'],
    conformingSp:
      'Refuses the assertion: the bearer confirmation window is over even though Conditions are not.',
    mutate: (ctx) =>
      editThenSign(ctx, (doc) => {
        const past = new Date(ctx.input.now.getTime() - 60 * 60 * 1000).toISOString();
        for (const d of all(assertionOf(doc), NS.SAML, 'SubjectConfirmationData'))
          d.setAttribute('NotOnOrAfter', past);
      }),
  },
  rebuilt(
    'audience-mismatch',
    'A validly signed response whose AudienceRestriction names another service provider',
    ['SAML Core 2.5.1.4 (AudienceRestriction)', 'SAML Profiles 4.1.4.2'],
    'Refuses the assertion: none of its audiences is this SP entity ID.',
    () => ({ audience: `https://${ATTACKER}/saml/metadata` }),
  ),
  {
    id: 'saml.reject.audience-extra-restriction',
    title: 'A response with a second AudienceRestriction that names only another service provider',
    spec: ['SAML Core 2.5.1.4 (every AudienceRestriction must be satisfied)'],
    conformingSp:
      'Refuses the assertion: the SP must be named in every AudienceRestriction, not only in one of them.',
    mutate: (ctx) =>
      editThenSign(ctx, (doc) => {
        const conditions = child(assertionOf(doc), NS.SAML, 'Conditions');
        const first = child(conditions, NS.SAML, 'AudienceRestriction');
        const extra = first.cloneNode(true) as Element;
        for (const a of all(extra, NS.SAML, 'Audience')) {
          while (a.firstChild) a.removeChild(a.firstChild);
          a.appendChild(doc.createTextNode(`https://${ATTACKER}/saml/metadata`));
        }
        conditions.insertBefore(extra, first.nextSibling);
      }),
  },
  rebuilt(
    'recipient-mismatch',
    'A validly signed response whose bearer SubjectConfirmationData names another ACS as Recipient',
    ['SAML Profiles 4.1.4.2 (Recipient must be the ACS the response arrived at)'],
    'Refuses the assertion: the bearer confirmation was meant for another endpoint.',
    () => ({ recipient: `https://${ATTACKER}/saml/acs` }),
  ),
  rebuilt(
    'destination-mismatch',
    'A validly signed response whose Destination is another ACS',
    ['SAML Bindings 3.5.5.2 (Destination must be the URL the message was received at)', 'SAML Core 3.2.2'],
    'Refuses the response: it was addressed to another endpoint and forwarded here.',
    () => ({ destination: `https://${ATTACKER}/saml/acs` }),
  ),
  rebuilt(
    'issuer-mismatch',
    'A response signed with the trusted key but naming another entity as Issuer',
    ['SAML Profiles 4.1.4.2 (the Issuer must be the IdP the SP trusts)', 'SAML Core 2.2.5'],
    'Refuses the response: the key alone does not make the issuer; the Issuer must be the configured IdP entity ID.',
    () => ({ issuer: `https://${ATTACKER}/idp` }),
  ),
];
