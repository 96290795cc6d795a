/**
 * The resource schemas this server speaks (RFC 7643 §4, §8.7.1): core User, the enterprise
 * extension, Workato's role extension and core Group. The same definitions drive input
 * canonicalisation (case-insensitive names, type coercion, mutability), filtering and the
 * `/Schemas` endpoint.
 */
export const URN = {
  user: 'urn:ietf:params:scim:schemas:core:2.0:User',
  enterprise: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
  workatoRole: 'urn:ietf:params:scim:schemas:workato:1.0:WorkatoRole',
  group: 'urn:ietf:params:scim:schemas:core:2.0:Group',
  listResponse: 'urn:ietf:params:scim:api:messages:2.0:ListResponse',
  patchOp: 'urn:ietf:params:scim:api:messages:2.0:PatchOp',
  serviceProviderConfig: 'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig',
  resourceType: 'urn:ietf:params:scim:schemas:core:2.0:ResourceType',
  schema: 'urn:ietf:params:scim:schemas:core:2.0:Schema',
} as const;

export type AttrType = 'string' | 'boolean' | 'decimal' | 'integer' | 'dateTime' | 'reference' | 'complex';

export interface AttrDef {
  name: string;
  type: AttrType;
  multiValued?: boolean;
  required?: boolean;
  caseExact?: boolean;
  mutability?: 'readOnly' | 'readWrite' | 'immutable' | 'writeOnly';
  returned?: 'always' | 'never' | 'default' | 'request';
  uniqueness?: 'none' | 'server' | 'global';
  description?: string;
  subAttributes?: AttrDef[];
  canonicalValues?: string[];
}

export interface SchemaDef {
  id: string;
  name: string;
  description: string;
  attributes: AttrDef[];
}

const s = (name: string, extra: Partial<AttrDef> = {}): AttrDef => ({ name, type: 'string', ...extra });

/** Sub-attributes of the multi-valued "plural" attributes (RFC 7643 §2.4). */
const plural = (valueType: AttrType = 'string', types: string[] = ['work', 'home', 'other']): AttrDef[] => [
  { name: 'value', type: valueType },
  s('display'),
  s('type', { canonicalValues: types }),
  { name: 'primary', type: 'boolean' },
];

const USER_ATTRIBUTES: AttrDef[] = [
  s('userName', {
    required: true,
    uniqueness: 'server',
    description: 'Unique identifier for the user, case-insensitive.',
  }),
  {
    name: 'name',
    type: 'complex',
    subAttributes: [
      s('formatted'),
      s('familyName'),
      s('givenName'),
      s('middleName'),
      s('honorificPrefix'),
      s('honorificSuffix'),
    ],
  },
  s('displayName'),
  s('nickName'),
  s('profileUrl', { type: 'reference' }),
  s('title'),
  s('userType'),
  s('preferredLanguage'),
  s('locale'),
  s('timezone'),
  { name: 'active', type: 'boolean' },
  s('password', { mutability: 'writeOnly', returned: 'never' }),
  { name: 'emails', type: 'complex', multiValued: true, subAttributes: plural() },
  {
    name: 'phoneNumbers',
    type: 'complex',
    multiValued: true,
    subAttributes: plural('string', ['work', 'home', 'mobile', 'fax', 'pager', 'other']),
  },
  { name: 'ims', type: 'complex', multiValued: true, subAttributes: plural() },
  {
    name: 'photos',
    type: 'complex',
    multiValued: true,
    subAttributes: plural('reference', ['photo', 'thumbnail']),
  },
  {
    name: 'addresses',
    type: 'complex',
    multiValued: true,
    subAttributes: [
      s('formatted'),
      s('streetAddress'),
      s('locality'),
      s('region'),
      s('postalCode'),
      s('country'),
      s('type', { canonicalValues: ['work', 'home', 'other'] }),
      { name: 'primary', type: 'boolean' },
    ],
  },
  {
    name: 'groups',
    type: 'complex',
    multiValued: true,
    mutability: 'readOnly',
    subAttributes: [s('value'), s('$ref', { type: 'reference' }), s('display'), s('type')],
  },
  { name: 'entitlements', type: 'complex', multiValued: true, subAttributes: plural() },
  { name: 'roles', type: 'complex', multiValued: true, subAttributes: plural() },
  { name: 'x509Certificates', type: 'complex', multiValued: true, subAttributes: plural() },
];

const ENTERPRISE_ATTRIBUTES: AttrDef[] = [
  s('employeeNumber'),
  s('costCenter'),
  s('organization'),
  s('division'),
  s('department'),
  {
    name: 'manager',
    type: 'complex',
    subAttributes: [
      s('value'),
      s('$ref', { type: 'reference' }),
      s('displayName', { mutability: 'readOnly' }),
    ],
  },
];

/** Seeds 002–004: one role attribute per environment; `NoAccess` / `<No access>` remove access. */
const WORKATO_ROLE_ATTRIBUTES: AttrDef[] = [
  s('workato_role', { caseExact: true, description: 'Role in the first environment (DEV).' }),
  s('workato_role_test', { caseExact: true, description: 'Role in the TEST environment.' }),
  s('workato_role_prod', { caseExact: true, description: 'Role in the PROD environment.' }),
];

const GROUP_ATTRIBUTES: AttrDef[] = [
  s('displayName', { required: true, uniqueness: 'server' }),
  {
    name: 'members',
    type: 'complex',
    multiValued: true,
    subAttributes: [
      s('value', { mutability: 'immutable', caseExact: true }),
      s('$ref', { type: 'reference', mutability: 'immutable' }),
      s('display'),
      s('type', { canonicalValues: ['User', 'Group'], mutability: 'immutable' }),
    ],
  },
];

export const SCHEMAS: Record<string, SchemaDef> = {
  [URN.user]: { id: URN.user, name: 'User', description: 'User Account', attributes: USER_ATTRIBUTES },
  [URN.enterprise]: {
    id: URN.enterprise,
    name: 'EnterpriseUser',
    description: 'Enterprise User',
    attributes: ENTERPRISE_ATTRIBUTES,
  },
  [URN.workatoRole]: {
    id: URN.workatoRole,
    name: 'WorkatoRole',
    description: 'Workspace role per environment',
    attributes: WORKATO_ROLE_ATTRIBUTES,
  },
  [URN.group]: { id: URN.group, name: 'Group', description: 'Group', attributes: GROUP_ATTRIBUTES },
};

/** Attributes every resource has (RFC 7643 §3.1). */
export const COMMON_ATTRIBUTES: AttrDef[] = [
  s('id', { mutability: 'readOnly', returned: 'always', caseExact: true, uniqueness: 'server' }),
  s('externalId', { caseExact: true }),
  {
    name: 'meta',
    type: 'complex',
    mutability: 'readOnly',
    subAttributes: [
      s('resourceType', { mutability: 'readOnly', caseExact: true }),
      { name: 'created', type: 'dateTime', mutability: 'readOnly' },
      { name: 'lastModified', type: 'dateTime', mutability: 'readOnly' },
      s('location', { type: 'reference', mutability: 'readOnly' }),
      s('version', { mutability: 'readOnly', caseExact: true }),
    ],
  },
];

export interface ResourceKind {
  name: 'User' | 'Group';
  endpoint: '/Users' | '/Groups';
  core: string;
  extensions: string[];
}

export const USER_KIND: ResourceKind = {
  name: 'User',
  endpoint: '/Users',
  core: URN.user,
  extensions: [URN.enterprise, URN.workatoRole],
};
export const GROUP_KIND: ResourceKind = {
  name: 'Group',
  endpoint: '/Groups',
  core: URN.group,
  extensions: [],
};

/** Finds a definition by name, ignoring case (RFC 7643 §2.1). */
export function findAttr(defs: readonly AttrDef[], name: string): AttrDef | undefined {
  const l = name.toLowerCase();
  return defs.find((d) => d.name.toLowerCase() === l);
}

/** The schema URN among `kind`'s that `name` spells, ignoring case. */
export function findSchemaUrn(kind: ResourceKind, name: string): string | undefined {
  const l = name.toLowerCase();
  return [kind.core, ...kind.extensions].find((u) => u.toLowerCase() === l);
}

/** Attributes at the top level of a resource of this kind: common plus the core schema's. */
export function topLevelAttributes(kind: ResourceKind): AttrDef[] {
  return [...COMMON_ATTRIBUTES, ...(SCHEMAS[kind.core]?.attributes ?? [])];
}
