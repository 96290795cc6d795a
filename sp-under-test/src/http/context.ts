import type { SystemClock } from '../clock.js';
import type { SpConfig } from '../config.js';
import type { Db } from '../db/open.js';
import type { Mailer } from '../mail/mailer.js';

export interface SpContext {
  db: Db;
  config: SpConfig;
  clock: SystemClock;
  keyPair: { privateKeyPem: string; certificatePem: string };
  /** Sends mail over SMTP and records it in the outbox. */
  mailer: Mailer;
  /** The URL this SP is reached at, without a trailing slash. */
  baseUrl(): string;
}

export const spEntityId = (ctx: SpContext, slug: string) =>
  `${ctx.baseUrl()}/saml/${encodeURIComponent(slug)}/metadata`;
export const acsUrl = (ctx: SpContext, slug: string) =>
  `${ctx.baseUrl()}/saml/${encodeURIComponent(slug)}/acs`;
