import { SCIM_DEFAULTS } from './defaults.js';
import {
  COMMON_ATTRIBUTES,
  GROUP_KIND,
  SCHEMAS,
  URN,
  USER_KIND,
  type AttrDef,
  type ResourceKind,
} from './schemas.js';
import type { JsonObject } from './values.js';

/** Discovery documents (RFC 7644 §4, RFC 7643 §5–7). */
export function serviceProviderConfig(location: string): JsonObject {
  return {
    schemas: [URN.serviceProviderConfig],
    documentationUri: 'https://datatracker.ietf.org/doc/html/rfc7644',
    patch: { supported: true },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: { supported: true, maxResults: SCIM_DEFAULTS.maxResults },
    changePassword: { supported: false },
    sort: { supported: false },
    etag: { supported: true },
    authenticationSchemes: [
      {
        type: 'oauthbearertoken',
        name: 'OAuth Bearer Token',
        description:
          'A SCIM token generated in the workspace settings, sent as Authorization: Bearer <token>',
        specUri: 'https://www.rfc-editor.org/info/rfc6750',
        primary: true,
      },
    ],
    meta: { resourceType: 'ServiceProviderConfig', location },
  };
}

function attrDoc(a: AttrDef): JsonObject {
  const out: JsonObject = {
    name: a.name,
    type: a.type,
    multiValued: a.multiValued ?? false,
    description: a.description ?? '',
    required: a.required ?? false,
    caseExact: a.caseExact ?? false,
    mutability: a.mutability ?? 'readWrite',
    returned: a.returned ?? 'default',
    uniqueness: a.uniqueness ?? 'none',
  };
  if (a.canonicalValues) out.canonicalValues = a.canonicalValues;
  if (a.type === 'reference') out.referenceTypes = ['external'];
  if (a.subAttributes) out.subAttributes = a.subAttributes.map(attrDoc);
  return out;
}

export function schemaDocs(base: string): JsonObject[] {
  return Object.values(SCHEMAS).map((s) => ({
    schemas: [URN.schema],
    id: s.id,
    name: s.name,
    description: s.description,
    attributes: (s.id === URN.user || s.id === URN.group
      ? [...COMMON_ATTRIBUTES.slice(1, 2), ...s.attributes]
      : s.attributes
    ).map(attrDoc),
    meta: { resourceType: 'Schema', location: `${base}/Schemas/${s.id}` },
  }));
}

function resourceTypeDoc(kind: ResourceKind, base: string): JsonObject {
  return {
    schemas: [URN.resourceType],
    id: kind.name,
    name: kind.name,
    endpoint: kind.endpoint,
    description: kind.name === 'User' ? 'User Account' : 'Group',
    schema: kind.core,
    schemaExtensions: kind.extensions.map((schema) => ({ schema, required: false })),
    meta: { resourceType: 'ResourceType', location: `${base}/ResourceTypes/${kind.name}` },
  };
}

export const resourceTypeDocs = (base: string): JsonObject[] =>
  [USER_KIND, GROUP_KIND].map((k) => resourceTypeDoc(k, base));
