import type { TargetFile } from '../target-file.js';
import { MappedObserver } from './mapped-observer.js';
import type { Observer } from './observer.js';
import { ReferenceApiObserver } from './reference-api.js';
import { ScimObserver } from './scim-observer.js';

export type { GradedBy, Observable, Observer, ObserverKind } from './observer.js';

const tokenOf = (s: { token?: string; tokenEnv?: string } | undefined, env: NodeJS.ProcessEnv) =>
  s?.tokenEnv ? env[s.tokenEnv] : s?.token;

/**
 * The observer a target file declares, for one run: `fill` puts the run's workspace and IdP
 * into its URLs. Null without an observer section.
 */
export function observerFor(
  f: TargetFile,
  workspace: string,
  fill: (url: string) => string,
  env: NodeJS.ProcessEnv = process.env,
): Observer | null {
  const o = f.observer;
  if (!o) return null;
  switch (o.kind) {
    case 'scim': {
      const { kind: _k, baseUrl, token: _t, tokenEnv: _e, ...paths } = o;
      return new ScimObserver(
        fill(baseUrl ?? f.scim!.baseUrl),
        tokenOf(o.token !== undefined || o.tokenEnv ? o : f.scim, env) ?? '',
        paths,
      );
    }
    case 'mapping':
      return new MappedObserver(
        {
          ...(o.headers ? { headers: o.headers } : {}),
          members: { ...o.members, url: fill(o.members.url) },
          ...(o.sessions ? { sessions: { ...o.sessions, url: fill(o.sessions.url) } } : {}),
        },
        tokenOf(o, env),
      );
    default:
      return new ReferenceApiObserver(fill(o.baseUrl).replace(/\/$/, ''), tokenOf(o, env) ?? '', workspace);
  }
}
