import { MAIL_KIND_NAMES, type MailKind } from './mail-kinds.js';
import { observerFor } from './observers/index.js';
import type { Observable, ObserverKind } from './observers/observer.js';
import { PAGE_NAMES, type PageName } from './pages.js';
import type { TargetFile, TargetSettings } from './target-file.js';

/** What a target offers, known before any run: the runner decides from it which cases apply. */
export interface TargetCapabilities {
  /** An admin API sets each run up (workspace, SAML settings, members, roles, clock, assets). */
  admin: boolean;
  /** Further workspaces can be created for a run (given.workspaces). */
  workspaces: boolean;
  /** How a pre-configured SP is set up; undefined when every setting can be applied per run. */
  settings?: TargetSettings;
  pages: ReadonlySet<PageName>;
  /** Single Logout endpoints per binding, or `metadata` when they are read from the SP's metadata at each run. */
  slo: { redirect: boolean; post: boolean } | 'metadata';
  logoutUrl: boolean;
  signingCertificate: boolean;
  /** The harness catches the mail the SP sends. */
  mail: boolean;
  /** The kinds of mail it recognises (env/mail-kinds.ts). */
  mailKinds: ReadonlySet<MailKind>;
  /** The harness can reach the SP's SCIM server (declared, or a token from the admin API). */
  scim: boolean;
  observer: ObserverKind | null;
  /** Why the observer cannot show a part of the state; undefined when it can. */
  observerCannotSee?: (what: Observable) => string | undefined;
}

export const EMBEDDED_CAPABILITIES: TargetCapabilities = {
  admin: true,
  workspaces: true,
  pages: new Set(PAGE_NAMES),
  slo: { redirect: true, post: true },
  logoutUrl: true,
  signingCertificate: true,
  mail: true,
  mailKinds: new Set(MAIL_KIND_NAMES),
  scim: true,
  observer: 'reference-api',
};

/** Normalises `sp.sloUrl`: one URL serves both bindings. */
export const declaredSloUrls = (
  slo: TargetFile['sp']['sloUrl'],
): { redirect?: string; post?: string } | undefined =>
  slo === undefined ? undefined : typeof slo === 'string' ? { redirect: slo, post: slo } : slo;

export function capabilitiesOf(f: TargetFile): TargetCapabilities {
  const slo = declaredSloUrls(f.sp.sloUrl);
  // Built only to ask what it can see: it reads nothing until a run calls it.
  const observer = observerFor(f, f.sp.workspace ?? '', (s) => s, {});
  return {
    admin: Boolean(f.admin),
    workspaces: false,
    ...(f.admin ? {} : { settings: f.sp.settings ?? {} }),
    pages: new Set<PageName>(['home', ...(Object.keys(f.sp.pages ?? {}) as PageName[])]),
    slo: slo
      ? { redirect: Boolean(slo.redirect), post: Boolean(slo.post) }
      : f.sp.metadataUrl
        ? 'metadata'
        : { redirect: false, post: false },
    logoutUrl: Boolean(f.sp.logoutUrl),
    signingCertificate: Boolean(f.sp.signingCertificate),
    mail: Boolean(f.mails),
    mailKinds: new Set(f.mails ? (Object.keys(f.mails.kinds ?? {}) as MailKind[]) : []),
    scim: Boolean(f.scim || f.admin),
    observer: observer?.kind ?? null,
    ...(observer ? { observerCannotSee: (what: Observable) => observer.cannotSee(what) } : {}),
  };
}
