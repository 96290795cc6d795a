import type { IdpId } from '../scenario/types.js';

/** A directory-side home for a captured value, and the console expression that reads it. */
export interface Source {
  /** The attribute-statement value, in the vendor console's syntax. */
  expression: string;
  /** Puts the captured value(s) where the expression reads them in the user's setup entry. */
  put(user: UserDraft, value: string | string[]): void;
}

export interface UserDraft {
  login: string;
  profile: Record<string, unknown>;
  appUser?: Record<string, unknown>;
  groups?: string[];
}

/**
 * How each vendor's console names things: the Issuer it writes for a tenant (to read the
 * orgId back), where the user's e-mail and login live, and a directory field to hold a value
 * whose real source the capture cannot tell.
 */
export interface VendorSyntax {
  /** The orgId a `profile.issuer(orgId)` Issuer was made from, or undefined for another shape. */
  orgIdOf(issuer: string): string | undefined;
  issuerForm: string;
  email: Source;
  /** The NameID source for a value that is not the e-mail (a username). */
  login: Source;
  /** A directory field of this name (see fieldNameFor) holding the captured value: a placeholder source. */
  field(name: string): Source;
  /** Several values: the vendor's group-membership source, when it has a plain one. */
  groups?: Source;
  /** Field names the sources above use, which an attribute's own field must not take. */
  reserved: string[];
}

const set = (o: Record<string, unknown>, k: string, v: string | string[]) => {
  o[k] = v;
};
const underCategory = (user: UserDraft, category: string, field: string, v: string | string[]) => {
  const custom = (user.profile.customSchemas ??= {}) as Record<string, Record<string, unknown>>;
  (custom[category] ??= {})[field] = v;
};

/** A directory field name made from an attribute name: the last URI segment, word characters only. */
export function fieldNameFor(attribute: string): string {
  const last = attribute.split(/[/#]/).filter(Boolean).pop() ?? attribute;
  const clean = last.replace(/[^A-Za-z0-9_]+/g, '_').replace(/^_+|_+$/g, '');
  return /^[A-Za-z]/.test(clean) ? clean : `attr_${clean || 'value'}`;
}

export const VENDOR_SYNTAX: Record<IdpId, VendorSyntax> = {
  okta: {
    orgIdOf: (i) => /^http:\/\/www\.okta\.com\/([A-Za-z0-9]+)$/.exec(i)?.[1],
    issuerForm: 'http://www.okta.com/<app id>',
    email: { expression: 'user.email', put: (u, v) => set(u.profile, 'email', v) },
    login: { expression: 'user.login', put: (u, v) => set(u.profile, 'login', v) },
    field: (name) => ({ expression: `user.${name}`, put: (u, v) => set(u.profile, name, v) }),
    reserved: ['login', 'email'],
  },
  onelogin: {
    orgIdOf: (i) => /^https:\/\/app\.onelogin\.com\/saml\/metadata\/([^/]+)$/.exec(i)?.[1],
    issuerForm: 'https://app.onelogin.com/saml/metadata/<app id>',
    email: { expression: 'email', put: (u, v) => set(u.profile, 'email', v) },
    login: { expression: 'username', put: (u, v) => set(u.profile, 'username', v) },
    field: (name) => ({
      expression: `custom_fields.${name}`,
      put: (u, v) => set((u.profile.custom_fields ??= {}) as Record<string, unknown>, name, v),
    }),
    groups: { expression: 'roles', put: (u, v) => (u.groups = [v].flat()) },
    reserved: [],
  },
  entra: {
    orgIdOf: (i) => /^https:\/\/sts\.windows\.net\/([^/]+)\/$/.exec(i)?.[1],
    issuerForm: 'https://sts.windows.net/<tenant id>/',
    email: { expression: 'user.mail', put: (u, v) => set(u.profile, 'mail', v) },
    login: {
      expression: 'user.userprincipalname',
      put: (u, v) => set(u.profile, 'userprincipalname', v),
    },
    field: (name) => ({
      expression: `user.${name.toLowerCase()}`,
      put: (u, v) => set(u.profile, name.toLowerCase(), v),
    }),
    groups: { expression: 'user.groups', put: (u, v) => (u.groups = [v].flat()) },
    reserved: [
      'mail',
      'userprincipalname',
      'objectid',
      'displayname',
      'givenname',
      'surname',
      'groups',
      'nameid',
    ],
  },
  google: {
    orgIdOf: (i) => /^https:\/\/accounts\.google\.com\/o\/saml2\?idpid=([A-Za-z0-9]*)$/.exec(i)?.[1],
    issuerForm: 'https://accounts.google.com/o/saml2?idpid=<idp id>',
    email: {
      expression: 'Basic Information.Primary email',
      put: (u, v) => set(u.profile, 'Primary email', v),
    },
    login: {
      expression: 'Basic Information.Primary email',
      put: (u, v) => set(u.profile, 'Primary email', v),
    },
    field: (name) => ({
      expression: `Imported.${name}`,
      put: (u, v) => underCategory(u, 'Imported', name, v),
    }),
    reserved: [],
  },
};
