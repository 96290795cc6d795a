import type { Db } from './db/open.js';
import { NO_ACCESS } from './roles.js';
import type { AssetKind } from './store/assets.js';
import { customRoles } from './store/workspaces.js';

/**
 * What a role lets a member do in an environment. Seed 000 "Why customize JIT provisioning":
 * "Outside of the Workato system roles (Admin, Analyst, and Operator), you can configure custom
 * roles with specific access to folders, or permissions to edit connections and recipes."
 *
 * The system roles differ in what they may change: Admin everything, including the workspace's
 * members; Analyst builds (edits recipes and connections) in every folder; Operator runs what
 * others built (sees every recipe and connection, edits none); NoAccess closes the environment.
 * A custom role sees only the folders it lists, and views or edits recipes and connections as
 * its permissions say.
 */
export type AccessLevel = 'none' | 'view' | 'edit';
export const ACCESS_LEVELS: readonly AccessLevel[] = ['none', 'view', 'edit'];

export interface Rights {
  /** `all`, or the folders the role may open (by name, case-sensitive). */
  folders: 'all' | readonly string[];
  recipes: AccessLevel;
  connections: AccessLevel;
  /** Sees and manages the workspace's members. */
  members: boolean;
}

const NONE: Rights = { folders: [], recipes: 'none', connections: 'none', members: false };

export const SYSTEM_RIGHTS: Readonly<Record<string, Rights>> = {
  Admin: { folders: 'all', recipes: 'edit', connections: 'edit', members: true },
  Analyst: { folders: 'all', recipes: 'edit', connections: 'edit', members: false },
  Operator: { folders: 'all', recipes: 'view', connections: 'view', members: false },
  [NO_ACCESS]: NONE,
};

/** The folder of assets saved outside any folder. */
export const HOME_FOLDER = 'Home';

/** The rights of a role in a workspace; an unknown role has none. */
export function rightsOf(db: Db, workspaceId: number, role: string | undefined): Rights {
  if (role === undefined) return NONE;
  const system = SYSTEM_RIGHTS[role];
  if (system) return system;
  const custom = customRoles(db, workspaceId).find((r) => r.name === role);
  if (!custom) return NONE;
  const p = custom.permissions;
  const level = (v: unknown): AccessLevel =>
    ACCESS_LEVELS.includes(v as AccessLevel) ? (v as AccessLevel) : 'none';
  return {
    folders: Array.isArray(p.folders) ? p.folders.filter((f): f is string => typeof f === 'string') : [],
    recipes: level(p.recipes),
    connections: level(p.connections),
    members: false,
  };
}

export const PERMISSION_ERROR_CODES = {
  ERR_FOLDER_NOT_ALLOWED: "this member's role has no access to the folder",
  ERR_ROLE_CANNOT_VIEW: "this member's role may not open this kind of asset",
  ERR_ROLE_CANNOT_EDIT: "this member's role may not change this kind of asset",
} as const;
export type PermissionErrorCode = keyof typeof PERMISSION_ERROR_CODES;

export const folderOf = (folder: string | null) => folder ?? HOME_FOLDER;

export function mayOpenFolder(rights: Rights, folder: string | null): boolean {
  return rights.folders === 'all' || rights.folders.includes(folderOf(folder));
}

/** Why `rights` may not view or edit an asset of `kind` in `folder`; null when they may. */
export function assetRefusal(
  rights: Rights,
  kind: AssetKind,
  folder: string | null,
  wanted: 'view' | 'edit',
): PermissionErrorCode | null {
  if (!mayOpenFolder(rights, folder)) return 'ERR_FOLDER_NOT_ALLOWED';
  const level = kind === 'recipe' ? rights.recipes : rights.connections;
  if (level === 'none') return 'ERR_ROLE_CANNOT_VIEW';
  if (wanted === 'edit' && level !== 'edit') return 'ERR_ROLE_CANNOT_EDIT';
  return null;
}
