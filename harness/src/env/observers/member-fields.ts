import { compileJsonPath, type JsonPath } from '../json-path.js';
import type { ObservedMember } from './observer.js';

/** Where a member's parts are in one JSON record of the SP (JSONPaths relative to the record). */
export interface MemberFieldPaths {
  email: string;
  name?: string;
  status?: string;
  /** The SP's status values mapped to the harness's (`active`, `deactivated`, `deleted`); others are kept as they are. */
  statusValues?: Record<string, string>;
  /** A path to an object of role per environment, or a path per environment. */
  roles?: string | Record<string, string>;
  /** A path selecting the member's group names. */
  groups?: string;
  authMethod?: string;
}

/** Compiled MemberFieldPaths: reads ObservedMembers out of records. */
export class MemberFields {
  private readonly email: JsonPath;
  private readonly name?: JsonPath;
  private readonly status?: JsonPath;
  private readonly rolesObject?: JsonPath;
  private readonly rolesPerEnvironment?: Record<string, JsonPath>;
  private readonly groups?: JsonPath;
  private readonly authMethod?: JsonPath;

  constructor(readonly paths: MemberFieldPaths) {
    this.email = compileJsonPath(paths.email);
    if (paths.name) this.name = compileJsonPath(paths.name);
    if (paths.status) this.status = compileJsonPath(paths.status);
    if (typeof paths.roles === 'string') this.rolesObject = compileJsonPath(paths.roles);
    else if (paths.roles)
      this.rolesPerEnvironment = Object.fromEntries(
        Object.entries(paths.roles).map(([env, p]) => [env, compileJsonPath(p)]),
      );
    if (paths.groups) this.groups = compileJsonPath(paths.groups);
    if (paths.authMethod) this.authMethod = compileJsonPath(paths.authMethod);
  }

  has(part: 'name' | 'status' | 'roles' | 'groups' | 'authMethod'): boolean {
    if (part === 'roles') return this.paths.roles !== undefined;
    return this[part] !== undefined;
  }

  read(record: unknown): ObservedMember | undefined {
    const email = this.email.first(record);
    if (typeof email !== 'string' || email === '') return undefined;
    const rawStatus = this.status?.first(record);
    const status =
      rawStatus === undefined ? '' : (this.paths.statusValues?.[String(rawStatus)] ?? String(rawStatus));
    const member: ObservedMember = {
      email,
      name: stringOr(this.name?.first(record), ''),
      status,
      roles: this.readRoles(record),
    };
    if (this.groups) member.groups = this.groups.all(record).map((g) => String(g));
    if (this.authMethod) member.authMethod = stringOr(this.authMethod.first(record), '');
    return member;
  }

  private readRoles(record: unknown): Record<string, string> {
    if (this.rolesObject) {
      const o = this.rolesObject.first(record);
      if (!o || typeof o !== 'object' || Array.isArray(o)) return {};
      return Object.fromEntries(
        Object.entries(o as Record<string, unknown>)
          .filter(([, v]) => v !== null && v !== undefined && v !== '')
          .map(([k, v]) => [k, String(v)]),
      );
    }
    const out: Record<string, string> = {};
    for (const [env, p] of Object.entries(this.rolesPerEnvironment ?? {})) {
      const v = p.first(record);
      if (v !== null && v !== undefined && v !== '') out[env] = String(v);
    }
    return out;
  }
}

const stringOr = (v: unknown, fallback: string) => (v === undefined || v === null ? fallback : String(v));
