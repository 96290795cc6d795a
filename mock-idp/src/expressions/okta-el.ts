import { IdpError } from '../errors.js';

/**
 * A subset of the Okta Expression Language as used in SAML attribute statements:
 * `user.<attr>`, `appuser.<attr>`, string literals in single or double quotes, `+`
 * concatenation, `cond ? a : b`, `==`/`!=`, and the helpers `String.toLowerCase`,
 * `String.toUpperCase`, `String.substringBefore`, `String.substringAfter`, `String.join`
 * and `String.len`. A reference to an unset attribute evaluates to null, as in Okta.
 */
export type ElValue = string | string[] | null;
export interface ElScope {
  user: Record<string, unknown>;
  appuser: Record<string, unknown>;
}

type Token = { t: 'str'; v: string } | { t: 'id'; v: string } | { t: 'op'; v: string };

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '"' || c === "'") {
      let j = i + 1;
      let v = '';
      while (j < src.length && src[j] !== c) {
        if (src[j] === '\\' && j + 1 < src.length) j++;
        v += src[j];
        j++;
      }
      if (j >= src.length) throw new IdpError('ERR_BAD_SETUP', `unterminated string in expression: ${src}`);
      out.push({ t: 'str', v });
      i = j + 1;
    } else if (/[A-Za-z_$]/.test(c)) {
      const m = /^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*/.exec(src.slice(i))!;
      out.push({ t: 'id', v: m[0] });
      i += m[0].length;
    } else if (src.startsWith('==', i) || src.startsWith('!=', i)) {
      out.push({ t: 'op', v: src.slice(i, i + 2) });
      i += 2;
    } else if ('+(),?:'.includes(c)) {
      out.push({ t: 'op', v: c });
      i++;
    } else {
      throw new IdpError('ERR_BAD_SETUP', `unexpected "${c}" in expression: ${src}`);
    }
  }
  return out;
}

const asString = (v: ElValue): string | null => (v === null ? null : Array.isArray(v) ? v.join(',') : v);

const FUNCTIONS: Record<string, (args: ElValue[]) => ElValue> = {
  'String.toLowerCase': ([a]) => asString(a ?? null)?.toLowerCase() ?? null,
  'String.toUpperCase': ([a]) => asString(a ?? null)?.toUpperCase() ?? null,
  'String.substringBefore': ([a, b]) => {
    const s = asString(a ?? null);
    const sep = asString(b ?? null) ?? '';
    if (s === null) return null;
    const i = s.indexOf(sep);
    return i < 0 ? s : s.slice(0, i);
  },
  'String.substringAfter': ([a, b]) => {
    const s = asString(a ?? null);
    const sep = asString(b ?? null) ?? '';
    if (s === null) return null;
    const i = s.indexOf(sep);
    return i < 0 ? '' : s.slice(i + sep.length);
  },
  'String.join': ([sep, ...rest]) =>
    rest.flatMap((v) => (v === null ? [] : Array.isArray(v) ? v : [v])).join(asString(sep ?? null) ?? ''),
  'String.len': ([a]) => String(asString(a ?? null)?.length ?? 0),
};

function lookup(path: string, scope: ElScope): ElValue {
  const [root, ...rest] = path.split('.');
  if (root !== 'user' && root !== 'appuser') {
    throw new IdpError(
      'ERR_BAD_SETUP',
      `unknown reference ${path}: Okta expressions start with user. or appuser.`,
    );
  }
  let v: unknown = scope[root];
  for (const k of rest) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined;
  if (v === undefined || v === null || v === '') return null;
  if (Array.isArray(v)) return v.map(String);
  return String(v);
}

export function evaluateOktaExpression(src: string, scope: ElScope): ElValue {
  const tokens = tokenize(src);
  let pos = 0;
  const peek = () => tokens[pos];
  const expectOp = (v: string) => {
    const t = tokens[pos++];
    if (!t || t.t !== 'op' || t.v !== v)
      throw new IdpError('ERR_BAD_SETUP', `expected "${v}" in expression: ${src}`);
  };
  const primary = (): ElValue => {
    const t = tokens[pos++];
    if (!t) throw new IdpError('ERR_BAD_SETUP', `expression ends too early: ${src}`);
    if (t.t === 'str') return t.v;
    if (t.t === 'op' && t.v === '(') {
      const v = ternary();
      expectOp(')');
      return v;
    }
    if (t.t === 'id') {
      if (t.v === 'null') return null;
      const next = peek();
      if (next?.t === 'op' && next.v === '(') {
        const fn = FUNCTIONS[t.v];
        if (!fn) throw new IdpError('ERR_BAD_SETUP', `unknown function ${t.v} in expression: ${src}`);
        pos++;
        const args: ElValue[] = [];
        if (!(peek()?.t === 'op' && peek()?.v === ')')) {
          args.push(ternary());
          while (peek()?.t === 'op' && peek()?.v === ',') {
            pos++;
            args.push(ternary());
          }
        }
        expectOp(')');
        return fn(args);
      }
      return lookup(t.v, scope);
    }
    throw new IdpError('ERR_BAD_SETUP', `unexpected "${t.v}" in expression: ${src}`);
  };
  const concat = (): ElValue => {
    let v = primary();
    while (peek()?.t === 'op' && peek()?.v === '+') {
      pos++;
      const r = primary();
      v = (asString(v) ?? '') + (asString(r) ?? '');
    }
    return v;
  };
  const equality = (): ElValue => {
    const v = concat();
    const op = peek();
    if (op?.t === 'op' && (op.v === '==' || op.v === '!=')) {
      pos++;
      const r = concat();
      return String((asString(v) === asString(r)) === (op.v === '=='));
    }
    return v;
  };
  const ternary = (): ElValue => {
    const cond = equality();
    if (peek()?.t === 'op' && peek()?.v === '?') {
      pos++;
      const a = ternary();
      expectOp(':');
      const b = ternary();
      return cond !== null && cond !== 'false' && cond !== '' ? a : b;
    }
    return cond;
  };
  const value = ternary();
  if (pos !== tokens.length)
    throw new IdpError('ERR_BAD_SETUP', `unexpected trailing input in expression: ${src}`);
  return value;
}
