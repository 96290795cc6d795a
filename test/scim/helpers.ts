/* eslint-disable @typescript-eslint/no-explicit-any -- SCIM answers are read loosely in tests */
import { startSp, type RunningSp } from '../../sp-under-test/src/index.js';
import { admin, spKeys } from '../helpers/world.js';

/** A reference SP with workspace `acme` (DEV, TEST, PROD; custom role mktg_ops) and a SCIM token. */
export interface ScimWorld {
  sp: RunningSp;
  base: string;
  token: string;
  tokenId: string;
  scim(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<ScimAnswer>;
  close(): Promise<void>;
}

export interface ScimAnswer {
  status: number;
  headers: Headers;
  body: Record<string, any>;
  text: string;
}

export async function startScimWorld(opts: { environments?: string[] } = {}): Promise<ScimWorld> {
  const sp = await startSp({ keyPair: spKeys() });
  await admin(sp, 'POST', '/workspaces', {
    slug: 'acme',
    environments: opts.environments ?? ['DEV', 'TEST', 'PROD'],
  });
  await admin(sp, 'POST', '/workspaces/acme/roles', { name: 'mktg_ops' });
  const t = await admin<{ id: string; token: string; baseUrl: string }>(
    sp,
    'POST',
    '/workspaces/acme/scim-tokens',
  );
  const base = t.body.baseUrl;
  const world: ScimWorld = {
    sp,
    base,
    token: t.body.token,
    tokenId: t.body.id,
    async scim(method, path, body, headers = {}) {
      const res = await fetch(base + path, {
        method,
        headers: {
          authorization: `Bearer ${world.token}`,
          accept: 'application/scim+json',
          ...(body !== undefined ? { 'content-type': 'application/scim+json' } : {}),
          ...headers,
        },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
      const text = await res.text();
      let parsed: Record<string, any> = {};
      try {
        parsed = text ? (JSON.parse(text) as Record<string, any>) : {};
      } catch {
        parsed = {};
      }
      return { status: res.status, headers: res.headers, body: parsed, text };
    },
    close: () => sp.close(),
  };
  return world;
}

export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const ROLE_URN = 'urn:ietf:params:scim:schemas:workato:1.0:WorkatoRole';
export const PATCH_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

export const newUser = (userName: string, extra: Record<string, unknown> = {}) => ({
  schemas: [USER_SCHEMA],
  userName,
  name: { givenName: 'Test', familyName: 'User' },
  emails: [{ primary: true, value: userName, type: 'work' }],
  displayName: 'Test User',
  active: true,
  ...extra,
});

export const patch = (...ops: unknown[]) => ({ schemas: [PATCH_SCHEMA], Operations: ops });
