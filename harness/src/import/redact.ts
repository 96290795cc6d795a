import type { CapturedAttribute, CapturedLogin } from './captured-login.js';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Attribute names that carry who the user is (names, addresses, identifiers, contact details). */
const PERSONAL_NAME =
  /mail|name|given|surname|^sn$|first|last|display|upn|user|login|uid|phone|mobile|address|street|employee|object|birth|manager|nickname|initials|^id$|identifier|person|title|photo/i;

/**
 * Replaces personal values with fake ones of the same shape, consistently: one real value
 * always becomes the same fake, wherever it occurs (the NameID and an e-mail attribute, a
 * tenant ID in the Issuer and in a claim). Fakes are numbered in order of first sight, so
 * re-importing the same capture gives the same file, and nothing of the real value is kept.
 */
export class Redactor {
  private readonly fakes = new Map<string, string>();
  private readonly counts = new Map<string, number>();

  get replaced(): number {
    return this.fakes.size;
  }

  private next(kind: string): number {
    const n = (this.counts.get(kind) ?? 0) + 1;
    this.counts.set(kind, n);
    return n;
  }

  private remember(real: string, make: () => string): string {
    if (!real) return real;
    const known = this.fakes.get(real);
    if (known !== undefined) return known;
    const fake = make();
    this.fakes.set(real, fake);
    return fake;
  }

  /** A person's value: an e-mail, a UUID, a number, a token or free text, each faked in kind. */
  value(real: string): string {
    return this.remember(real, () => {
      if (EMAIL.test(real)) return `person${this.next('email')}@example.com`;
      if (UUID.test(real)) return `00000000-0000-4000-8000-${String(this.next('uuid')).padStart(12, '0')}`;
      if (/^\d+$/.test(real)) return String(this.next('digits')).padStart(real.length, '9');
      if (/^[A-Za-z0-9]+$/.test(real)) return this.token(real);
      return `redacted-${this.next('text')}`;
    });
  }

  /** An identifier of the same length made of letters and digits, so its shape stays the same. */
  token(real: string): string {
    return this.remember(real, () => {
      const n = String(this.next('token'));
      return (
        'redacted'.repeat(Math.ceil(real.length / 8)).slice(0, Math.max(0, real.length - n.length)) + n
      ).slice(-real.length);
    });
  }

  /** A URL or host name with its host replaced; the scheme, port and path stay. */
  host(real: string): string {
    return this.remember(real, () => {
      try {
        const u = new URL(real);
        if (!u.hostname) return real;
        u.hostname = this.hostName(u.hostname);
        return u.toString().replace(/\/$/, real.endsWith('/') ? '/' : '');
      } catch {
        return /^[a-z0-9.-]+\.[a-z]{2,}$/i.test(real) ? this.hostName(real) : real;
      }
    });
  }

  private hostName(h: string): string {
    if (h === 'localhost' || /^[\d.]+$/.test(h)) return h;
    return this.remember(`host:${h}`, () => `sp${this.next('host')}.example`);
  }
}

/** Which attribute values --redact replaces: personal ones by value shape or by name, and those named. */
export function isPersonal(attr: CapturedAttribute, alsoNamed: ReadonlySet<string>): boolean {
  return (
    alsoNamed.has(attr.name) ||
    PERSONAL_NAME.test(
      attr.name
        .split(/[/#:.]/)
        .filter(Boolean)
        .pop() ?? attr.name,
    ) ||
    attr.values.some((v) => EMAIL.test(v) || UUID.test(v))
  );
}

/**
 * The captured login with personal values replaced: the NameID, personal attribute values, the
 * IdP's tenant identifier (in the Issuer and wherever it recurs) and the SP's host names. Values
 * that only configure (roles, groups, flags) are kept, because a reproduction depends on them,
 * and listed in `kept` for review.
 */
export function redactLogin(
  c: CapturedLogin,
  orgId: string | undefined,
  r: Redactor,
  alsoNamed: ReadonlySet<string> = new Set(),
): { login: CapturedLogin; kept: string[] } {
  const issuer = (s: string | undefined) => {
    if (!s) return s;
    if (orgId && s.includes(orgId)) return s.split(orgId).join(r.value(orgId));
    return r.host(s);
  };
  const kept: string[] = [];
  const a = c.assertion;
  const nameId = a?.nameId?.value;
  const assertion = a && {
    ...a,
    issuer: issuer(a.issuer),
    ...(a.nameId ? { nameId: { ...a.nameId, value: r.value(a.nameId.value) } } : {}),
    audiences: a.audiences.map((x) => r.host(x)),
    ...(a.recipient ? { recipient: r.host(a.recipient) } : {}),
    attributes: a.attributes.map((at) => {
      const personal =
        isPersonal(at, alsoNamed) ||
        at.values.some((v) => v === nameId || v === c.issuer || (orgId !== undefined && v.includes(orgId)));
      if (!personal) {
        if (at.values.length) kept.push(`${at.name} = ${at.values.join(', ')}`);
        return at;
      }
      return { ...at, values: at.values.map((v) => (v === c.issuer ? (issuer(v) ?? v) : r.value(v))) };
    }),
  };
  return {
    login: {
      ...c,
      issuer: issuer(c.issuer),
      ...(c.destination ? { destination: r.host(c.destination) } : {}),
      ...(assertion ? { assertion } : {}),
      signatures: c.signatures.map(({ certificatePem: _dropped, ...s }) => s),
    },
    kept,
  };
}
