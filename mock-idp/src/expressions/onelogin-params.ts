import { IdpError } from '../errors.js';

/**
 * OneLogin app parameters, as an admin fills them in on the app's Parameters tab. A value is
 * one of:
 * - a user field: `email`, `username`, `firstname`, `lastname`, `name` (first and last),
 *   `department`, `title`, `company`, `phone`, `member_of`, `openid_name`, `roles`
 *   (the user's roles, one value each, as a multi-value parameter sends them);
 * - a custom user field: `custom_fields.<shortname>`;
 * - a value the admin set for this user on the app (parameter "configured by admin"):
 *   `appuser.<parameter>`;
 * - a macro: text with `{field}` placeholders naming any of the above, e.g.
 *   `{firstname} {lastname}`; text without placeholders is sent as written.
 * An unset field evaluates to the empty string, which OneLogin still sends (as an empty
 * AttributeValue).
 */
export interface OneLoginScope {
  /** The user's directory fields, by OneLogin field name; custom fields under `custom_fields`. */
  user: Record<string, unknown>;
  appuser: Record<string, unknown>;
  roles: string[];
}

const USER_FIELDS = new Set([
  'email',
  'username',
  'firstname',
  'lastname',
  'name',
  'department',
  'title',
  'company',
  'phone',
  'member_of',
  'openid_name',
  'roles',
]);

const text = (v: unknown): string =>
  v === undefined || v === null ? '' : Array.isArray(v) ? v.map(String).join(';') : String(v);

function field(ref: string, scope: OneLoginScope): string | string[] | undefined {
  if (ref === 'roles') return [...scope.roles];
  if (ref === 'name') {
    const full = [text(scope.user.firstname), text(scope.user.lastname)].filter(Boolean).join(' ');
    return text(scope.user.name) || full;
  }
  if (USER_FIELDS.has(ref)) return text(scope.user[ref]);
  const m = /^(custom_fields|appuser)\.([A-Za-z_][\w-]*)$/.exec(ref);
  if (!m) return undefined;
  if (m[1] === 'appuser') return text(scope.appuser[m[2]!]);
  const custom = scope.user.custom_fields;
  return text(custom && typeof custom === 'object' ? (custom as Record<string, unknown>)[m[2]!] : undefined);
}

export function evaluateOneLoginParameter(value: string, scope: OneLoginScope): string | string[] {
  const direct = field(value.trim(), scope);
  if (direct !== undefined) return direct;
  return value.replace(/\{([^{}]*)\}/g, (_all, ref: string) => {
    const v = field(ref.trim(), scope);
    if (v === undefined) {
      throw new IdpError('ERR_BAD_SETUP', `unknown OneLogin field {${ref}} in parameter value: ${value}`);
    }
    return text(v);
  });
}
