import type { TargetCapabilities } from '../env/capabilities.js';
import type { Observable } from '../env/observers/observer.js';
import type { Expectations, Scenario } from '../scenario/types.js';

/** What a target offers, in a few lines, for `list --target`. */
export function describeCapabilities(name: string, caps: TargetCapabilities): string[] {
  const slo =
    caps.slo === 'metadata'
      ? "read from the SP's metadata at each run"
      : [caps.slo.redirect && 'HTTP-Redirect', caps.slo.post && 'HTTP-POST'].filter(Boolean).join(', ') ||
        'none';
  const settings = caps.settings
    ? Object.entries(caps.settings)
        .map(([k, v]) => `${k}: ${JSON.stringify(v)}`)
        .join(', ') || 'none declared'
    : 'set per run through the admin API';
  return [
    `Target ${name}`,
    `  observer: ${caps.observer ?? 'none (state checks are not applicable)'}`,
    `  admin API: ${caps.admin ? 'yes' : 'no (pre-configured)'}; settings: ${settings}`,
    `  pages: ${[...caps.pages].join(', ')}`,
    `  Single Logout: ${slo}${caps.logoutUrl ? '; SP-initiated logout URL' : ''}; signing certificate: ${caps.signingCertificate ? 'yes' : 'no'}`,
    `  SCIM: ${caps.scim ? 'yes' : 'no'}; mail: ${caps.mail ? 'caught' : 'not caught'}`,
  ];
}

const STATE_CHECKS: Partial<Record<keyof Expectations, Observable | 'members'>> = {
  member: 'members',
  noMember: 'members',
  members: 'members',
  sessions: 'sessions',
  audit: 'audit',
};

/**
 * The checks of a case that will run but cannot be graded against this target (its observer
 * cannot see them, or the harness cannot catch the SP's mail): each will be not applicable.
 */
export function ungradedChecks(s: Scenario, caps: TargetCapabilities): string[] {
  const out = new Map<string, string>();
  for (const step of s.steps) {
    for (const key of Object.keys(step.expect ?? {}) as (keyof Expectations)[]) {
      const part = STATE_CHECKS[key];
      if (part) {
        const why = !caps.observer
          ? 'no observer'
          : part === 'members'
            ? undefined
            : caps.observerCannotSee?.(part);
        if (why) out.set(key, why);
      }
      if (key === 'mails' && !caps.mail) out.set(key, 'mail not caught');
      if (key === 'assets' && !caps.admin) out.set(key, 'no admin API');
    }
  }
  return [...out].map(([k, why]) => `${k} (${why})`);
}
