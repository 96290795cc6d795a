import { IdpError } from '../errors.js';

/**
 * Microsoft Entra ID claim sources, as written in an enterprise app's "Attributes & Claims":
 * - a user attribute: `user.<attr>` (`user.mail`, `user.userprincipalname`, `user.givenname`,
 *   `user.surname`, `user.displayname`, `user.objectid`, `user.department`, …), case-insensitive;
 * - a directory extension: `user.extension_<appid>_<attr>` (the app ID without dashes);
 * - the user's groups: `user.groups` (the "cloud-only group display names" source);
 * - a constant: a quoted string, `"Engineering"`;
 * - a transformation: `Join(a, "sep", b, …)`, `ExtractMailPrefix(a)`, `ToLowercase(a)`,
 *   `ToUppercase(a)`, each argument again a source or a transformation.
 * An unset attribute evaluates to null and the claim is left out, as Entra does.
 */
export interface EntraScope {
  user: Record<string, unknown>;
  groups: string[];
}
type Value = string | string[] | null;

function attribute(name: string, scope: EntraScope): Value {
  const key = name.toLowerCase();
  if (key === 'groups') return [...scope.groups];
  for (const [k, v] of Object.entries(scope.user)) {
    if (k.toLowerCase() !== key) continue;
    if (v === undefined || v === null || v === '') return null;
    return Array.isArray(v) ? v.map(String) : String(v);
  }
  return null;
}

const one = (v: Value): string | null => (v === null ? null : Array.isArray(v) ? (v[0] ?? null) : v);

const TRANSFORMS: Record<string, (args: Value[]) => Value> = {
  join: (args) => {
    if (args.length < 3) return null;
    const sep = one(args[1] ?? null) ?? '';
    const parts = [args[0], ...args.slice(2)].map((a) => one(a ?? null)).filter((p) => p !== null);
    return parts.length ? parts.join(sep) : null;
  },
  extractmailprefix: ([a]) => {
    const s = one(a ?? null);
    return s === null ? null : s.includes('@') ? s.slice(0, s.indexOf('@')) : s;
  },
  tolowercase: ([a]) => one(a ?? null)?.toLowerCase() ?? null,
  touppercase: ([a]) => one(a ?? null)?.toUpperCase() ?? null,
};

export function evaluateEntraClaim(src: string, scope: EntraScope): Value {
  let i = 0;
  const fail = (why: string): never => {
    throw new IdpError('ERR_BAD_SETUP', `${why} in Entra claim source: ${src}`);
  };
  const ws = () => {
    while (i < src.length && /\s/.test(src[i]!)) i++;
  };
  const term = (): Value => {
    ws();
    const q = src[i];
    if (q === '"' || q === "'") {
      const end = src.indexOf(q, i + 1);
      if (end < 0) fail('unterminated string');
      const s = src.slice(i + 1, end);
      i = end + 1;
      return s;
    }
    const m = /^[A-Za-z_][\w.]*/.exec(src.slice(i));
    if (!m) return fail(`unexpected "${src[i] ?? 'end'}"`);
    i += m[0].length;
    ws();
    if (src[i] === '(') {
      const fn = TRANSFORMS[m[0].toLowerCase()];
      if (!fn) fail(`unknown transformation ${m[0]}`);
      i++;
      const args: Value[] = [];
      ws();
      if (src[i] !== ')') {
        for (;;) {
          args.push(term());
          ws();
          if (src[i] === ',') i++;
          else break;
        }
      }
      if (src[i] !== ')') fail('expected ")"');
      i++;
      return fn!(args);
    }
    if (!m[0].toLowerCase().startsWith('user.')) fail(`unknown source ${m[0]} (sources start with user.)`);
    return attribute(m[0].slice(5), scope);
  };
  const v = term();
  ws();
  if (i !== src.length) fail('unexpected trailing input');
  return v;
}
