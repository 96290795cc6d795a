import type { Tenant } from '../../tenant.js';
import type { ConsoleModel } from '../model.js';

/** A console step: an engine action to run (its SCIM traffic goes out), or a setting changed in the console alone. */
export type ConsoleStep =
  { scim: string; params: Record<string, unknown>; label: string } | { done: string; label: string };

/** A form as posted: `profile.<key>` and `role.<attr>` fields are gathered into objects. */
export interface ConsoleForm {
  fields: Record<string, string>;
  profile: Record<string, string>;
  roles: Record<string, string>;
  /** The checked provisioning actions of a settings form (`action` checkboxes). */
  checked: ('create' | 'update' | 'deactivate')[];
  /** The ticked rows of a list form (`select` checkboxes), e.g. the users to convert. */
  selected: string[];
}

/** One vendor's console: its page, and the operations its buttons post. */
export interface VendorConsole {
  render(m: ConsoleModel): string;
  ops: Record<string, (tenant: Tenant, form: ConsoleForm) => ConsoleStep>;
}

export function readForm(body: Record<string, unknown>): ConsoleForm {
  const given = ([] as unknown[]).concat(body.action ?? []);
  const out: ConsoleForm = {
    fields: {},
    profile: {},
    roles: {},
    checked: (['create', 'update', 'deactivate'] as const).filter((a) => given.includes(a)),
    selected: ([] as unknown[]).concat(body.select ?? []).map(String),
  };
  for (const [k, v] of Object.entries(body)) {
    if (k === 'action' || k === 'select') continue;
    const value = Array.isArray(v) ? String(v[v.length - 1]) : String(v ?? '');
    if (k.startsWith('profile.')) out.profile[k.slice(8)] = value;
    else if (k.startsWith('role.')) out.roles[k.slice(5)] = value;
    else out.fields[k] = value;
  }
  return out;
}
