import type { TargetFile } from '../env/target-file.js';
import { HarnessError } from '../errors.js';
import { httpExchange, whyNoAnswer } from '../http-exchange.js';
import type { IdpId } from '../scenario/types.js';

/** How long the whole reachability check may take before the target counts as unreachable. */
export const PREFLIGHT_TIMEOUT_MS = 5_000;

/** Every origin (scheme, host, port) the target file sends the harness to, for these IdP profiles. */
export function targetOrigins(f: TargetFile, idps: readonly IdpId[]): string[] {
  const urls: string[] = [f.sp.loginUrl];
  if (f.sp.metadataUrl) urls.push(f.sp.metadataUrl);
  if (f.sp.acsUrl) urls.push(f.sp.acsUrl);
  if (f.admin) urls.push(f.admin.baseUrl);
  if (f.scim) urls.push(f.scim.baseUrl);
  const o = f.observer;
  if (o?.kind === 'mapping') urls.push(o.members.url, ...(o.sessions ? [o.sessions.url] : []));
  else if (o?.baseUrl) urls.push(o.baseUrl);
  const out = new Set<string>();
  for (const idp of idps.length ? idps : (['okta'] as const))
    for (const u of urls) {
      try {
        out.add(new URL(u.replaceAll('{idp}', idp).replaceAll('{workspace}', 'w')).origin);
      } catch {
        /* not a URL: the target file's own check reports it */
      }
    }
  return [...out];
}

/** Null when the origin answers HTTP at all (any status), else why not. */
async function probe(origin: string, timeoutMs: number): Promise<string | null> {
  try {
    // Not followed: a front page may send a person on to the IdP, which is not listening yet.
    await httpExchange(origin + '/', { method: 'GET', timeoutMs, redirect: 'manual' });
    return null;
  } catch (e) {
    const why = whyNoAnswer(e);
    return why === 'TimeoutError' ? `no answer within ${timeoutMs / 1000} s` : why;
  }
}

/**
 * Checks before any case runs that every address of the target answers HTTP, so that an SP that
 * is down, or a wrong host or port, gives one clear ERR_TARGET_UNREACHABLE within seconds
 * instead of an error per case after each one's timeouts.
 */
export async function checkTargetReachable(
  f: TargetFile,
  idps: readonly IdpId[],
  timeoutMs = PREFLIGHT_TIMEOUT_MS,
): Promise<void> {
  const origins = targetOrigins(f, idps);
  const answers = await Promise.all(origins.map(async (o) => [o, await probe(o, timeoutMs)] as const));
  const down = answers.filter(([, why]) => why !== null);
  if (down.length)
    throw new HarnessError(
      'ERR_TARGET_UNREACHABLE',
      `the target "${f.name}" cannot be reached, so no case was run: ${down.map(([o, why]) => `${o} (${why})`).join(', ')}. Is the SP running, and are the URLs in the target file right?`,
    );
}
