/**
 * The web glue the two Express SPs of the zoo share: a cookie session kept in memory, the pages
 * a person sees, and how the app reads its configuration from the environment. No SAML here:
 * each SP's own app.ts hands every SAML message to its library.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Request, Response } from 'express';

/** The IdP profiles the mock IdP emulates; each has its own trust (metadata) and its own SP routes. */
export const IDPS = ['okta', 'onelogin', 'entra', 'google'] as const;
export type IdpKey = (typeof IDPS)[number];
export const isIdp = (s: string): s is IdpKey => (IDPS as readonly string[]).includes(s);

/** What a session knows about the person: the library's view of the assertion it accepted. */
export interface SignedInUser {
  nameId: string;
  nameIdFormat?: string;
  sessionIndex?: string;
  attributes: Record<string, unknown>;
}

export interface AppConfig {
  port: number;
  /** This SP's origin, e.g. http://127.0.0.1:8403. */
  baseUrl: string;
  /** Where start.sh saved each IdP tenant's metadata (<idp>.xml). */
  metadataDir: string;
  /** The SP's key pair for signing requests and logout messages. */
  keyPem: string;
  certPem: string;
}

/** Reads SP_PORT, IDP_METADATA_DIR, SP_KEY_FILE and SP_CERT_FILE. */
export function readConfig(): AppConfig {
  const need = (name: string) => {
    const v = process.env[name];
    if (!v) throw new Error(`${name} is not set (start the SP with its start.sh)`);
    return v;
  };
  const port = Number(need('SP_PORT'));
  return {
    port,
    baseUrl: `http://127.0.0.1:${port}`,
    metadataDir: need('IDP_METADATA_DIR'),
    keyPem: readFileSync(need('SP_KEY_FILE'), 'utf8'),
    certPem: readFileSync(need('SP_CERT_FILE'), 'utf8'),
  };
}

export const idpMetadata = (config: AppConfig, idp: IdpKey): string =>
  readFileSync(join(config.metadataDir, `${idp}.xml`), 'utf8');

/** Sessions in memory, keyed by a random cookie; one person per IdP per browser. */
export class Sessions {
  private readonly byId = new Map<string, Partial<Record<IdpKey, SignedInUser>>>();

  private id(req: Request): string | undefined {
    return /(?:^|;\s*)zoo_sid=([A-Za-z0-9_-]+)/.exec(req.headers.cookie ?? '')?.[1];
  }

  get(req: Request, idp: IdpKey): SignedInUser | undefined {
    const id = this.id(req);
    return id ? this.byId.get(id)?.[idp] : undefined;
  }

  /** Starts a fresh session (a new cookie) for the person. */
  signIn(res: Response, idp: IdpKey, user: SignedInUser): void {
    const id = randomBytes(18).toString('base64url');
    this.byId.set(id, { [idp]: user });
    res.setHeader('set-cookie', `zoo_sid=${id}; Path=/; HttpOnly; SameSite=Lax`);
  }

  signOut(req: Request, idp: IdpKey): SignedInUser | undefined {
    const id = this.id(req);
    const s = id ? this.byId.get(id) : undefined;
    const user = s?.[idp];
    if (s) delete s[idp];
    return user;
  }

  /** Ends every session of a person at one IdP (an IdP-sent LogoutRequest names them). */
  signOutEverywhere(idp: IdpKey, nameId: string, sessionIndex?: string): number {
    let ended = 0;
    for (const s of this.byId.values()) {
      const u = s[idp];
      if (u && u.nameId === nameId && (!sessionIndex || !u.sessionIndex || u.sessionIndex === sessionIndex)) {
        delete s[idp];
        ended++;
      }
    }
    return ended;
  }
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const layout = (title: string, body: string) =>
  `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body>${body}</body></html>`;

/** The protected page: who is signed in, and what the IdP released. */
export function signedInPage(idp: IdpKey, path: string, user: SignedInUser): string {
  const rows = Object.entries(user.attributes)
    .map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(JSON.stringify(v))}</td></tr>`)
    .join('');
  return layout(
    'Signed in',
    `<h1>Signed in as ${escapeHtml(user.nameId)}</h1><p>Page ${escapeHtml(path)}, through ${idp}.</p>` +
      `<table>${rows}</table><p><a href="/${idp}/logout">Sign out</a></p>`,
  );
}

export const signedOutPage = () => layout('Signed out', '<h1>You have been signed out</h1>');

export const refusedPage = (reason: string) =>
  layout('Sign-in refused', `<h1>Sign-in refused</h1><p>${escapeHtml(reason)}</p>`);

/** A RelayState is followed only to a path on this SP; anything else lands on the IdP's home page. */
export function landingPath(idp: IdpKey, relayState: unknown): string {
  const home = `/${idp}/`;
  if (typeof relayState !== 'string' || !relayState.startsWith(`/${idp}/`) || relayState.startsWith('//'))
    return home;
  return relayState;
}
