import express, { type Router } from 'express';
import type { Db } from '../../../db/open.js';
import { hashPassword } from '../../../passwords.js';
import { SYSTEM_ROLES } from '../../../roles.js';
import { audit } from '../../../store/audit.js';
import { groupsOfMember, listGroups, replaceMemberGroups } from '../../../store/groups.js';
import {
  addMember,
  createUser,
  findMemberByEmail,
  findUserByEmail,
  listMembers,
  setMemberAuthMethod,
  setMemberRoles,
  setMemberStatus,
  setUserPasswordHash,
  type Member,
} from '../../../store/members.js';
import { liveSessions } from '../../../store/sessions.js';
import { customRoleNames, defaultRoles, type Workspace } from '../../../store/workspaces.js';
import type { SpContext } from '../../context.js';
import { AdminError } from './errors.js';
import { EMAIL_PATTERN, bodyReader, workspaceOf } from './validate.js';

type AuthMethod = 'saml' | 'password';

const PASSWORD = { type: 'string', minLength: 8 };
const GROUPS = { type: 'array', items: { type: 'string' } };
const AUTH_METHOD = { enum: ['saml', 'password'] };

const readNewMember = bodyReader<{
  email: string;
  name?: string;
  roles?: Record<string, unknown>;
  groups?: string[];
  password?: string;
  authMethod?: AuthMethod;
}>({
  type: 'object',
  required: ['email'],
  properties: {
    email: { type: 'string', pattern: EMAIL_PATTERN },
    name: { type: 'string' },
    roles: { type: 'object' },
    groups: GROUPS,
    password: PASSWORD,
    authMethod: AUTH_METHOD,
  },
});

const readMemberChange = bodyReader<{
  roles?: Record<string, unknown>;
  status?: 'active' | 'suspended' | 'deactivated';
  authMethod?: AuthMethod;
  groups?: string[];
  password?: string;
}>({
  type: 'object',
  properties: {
    roles: { type: 'object' },
    status: { enum: ['active', 'suspended', 'deactivated'] },
    authMethod: AUTH_METHOD,
    groups: GROUPS,
    password: PASSWORD,
  },
});

/** A member as every members endpoint answers it. */
function memberView(db: Db, m: Member) {
  return {
    email: m.email,
    name: m.name,
    status: m.status,
    roles: m.roles,
    groups: groupsOfMember(db, m.memberId),
    authMethod: m.authMethod,
    source: m.source,
    createdAt: m.createdAt,
  };
}

/** A role per environment, each role known to the workspace (names are case-sensitive). */
function roleMap(ctx: SpContext, ws: Workspace, v: Record<string, unknown>): Record<string, string> {
  const known = new Set<string>([...SYSTEM_ROLES, ...customRoleNames(ctx.db, ws.id)]);
  for (const [env, role] of Object.entries(v)) {
    if (!ws.environments.includes(env))
      throw new AdminError(
        'ERR_BAD_REQUEST',
        `environment ${env} is not among ${ws.environments.join(', ')}`,
      );
    if (typeof role !== 'string' || !known.has(role))
      throw new AdminError('ERR_UNKNOWN_ROLE', `role ${String(role)} is not defined in ${ws.slug}`);
  }
  return v as Record<string, string>;
}

/** Members with their roles per environment, groups and status; the workspace's groups and live sessions. */
export function memberRoutes(ctx: SpContext): Router {
  const r = express.Router();
  const memberOf = (ws: Workspace, email: string) => {
    const m = findMemberByEmail(ctx.db, ws.id, email);
    if (!m) throw new AdminError('ERR_NO_MEMBER', `no member ${email} in ${ws.slug}`);
    return m;
  };

  r.get('/workspaces/:ws/members', (req, res) => {
    const ws = workspaceOf(ctx, req);
    res.json(listMembers(ctx.db, ws.id).map((m) => memberView(ctx.db, m)));
  });

  r.post('/workspaces/:ws/members', (req, res) => {
    const ws = workspaceOf(ctx, req);
    const b = readNewMember(req);
    const roles = b.roles ? roleMap(ctx, ws, b.roles) : defaultRoles(ctx.db, ws);
    const groups = b.groups ?? [];
    const authMethod = b.authMethod ?? (b.password ? 'password' : 'saml');
    if (findMemberByEmail(ctx.db, ws.id, b.email))
      throw new AdminError('ERR_MEMBER_EXISTS', `${b.email} is already a member of ${ws.slug}`);
    const now = ctx.clock.now();
    ctx.db.transaction(() => {
      const user = findUserByEmail(ctx.db, b.email);
      const name = b.name?.trim() || b.email.split('@')[0]!;
      const userId = user?.id ?? createUser(ctx.db, b.email, name, now);
      if (b.password !== undefined) setUserPasswordHash(ctx.db, userId, hashPassword(b.password));
      const memberId = addMember(ctx.db, ws.id, userId, roles, 'admin', now, authMethod);
      replaceMemberGroups(ctx.db, ws.id, memberId, groups, 'admin', now);
      audit(ctx.db, ws.id, 'admin', 'member.created', b.email, { roles, groups, authMethod }, now);
    })();
    res.status(201).json(memberView(ctx.db, memberOf(ws, b.email)));
  });

  r.patch('/workspaces/:ws/members/:email', (req, res) => {
    const ws = workspaceOf(ctx, req);
    const m = memberOf(ws, String(req.params.email));
    const b = readMemberChange(req);
    const roles = b.roles === undefined ? undefined : roleMap(ctx, ws, b.roles);
    const now = ctx.clock.now();
    ctx.db.transaction(() => {
      if (b.password !== undefined) setUserPasswordHash(ctx.db, m.userId, hashPassword(b.password));
      if (roles) setMemberRoles(ctx.db, m.memberId, roles);
      if (b.status) setMemberStatus(ctx.db, m.memberId, b.status);
      if (b.authMethod) setMemberAuthMethod(ctx.db, m.memberId, b.authMethod);
      if (b.groups) replaceMemberGroups(ctx.db, ws.id, m.memberId, b.groups, 'admin', now);
      audit(
        ctx.db,
        ws.id,
        'admin',
        'member.updated',
        m.email,
        {
          roles,
          status: b.status,
          authMethod: b.authMethod,
          groups: b.groups,
          passwordChanged: b.password !== undefined,
        },
        now,
      );
    })();
    res.json(memberView(ctx.db, memberOf(ws, m.email)));
  });

  r.get('/workspaces/:ws/groups', (req, res) => {
    res.json(listGroups(ctx.db, workspaceOf(ctx, req).id));
  });

  r.get('/workspaces/:ws/sessions', (req, res) => {
    const ws = workspaceOf(ctx, req);
    res.json(
      liveSessions(ctx.db, ws.id, ctx.clock.now()).map((s) => ({
        email: s.email,
        authMethod: s.authMethod,
        createdAt: s.createdAt,
        expiresAt: s.expiresAt,
      })),
    );
  });

  return r;
}
