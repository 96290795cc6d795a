import nodemailer from 'nodemailer';
import type { SpConfig } from '../config.js';
import type { Db } from '../db/open.js';
import { markMail, recordMail, type MailStatus } from '../store/mail-outbox.js';
import type { Clock } from '../clock.js';

/**
 * Headers on every mail of the SP, for tools to read (as its pages' data- markers): what the mail
 * is for (`invitation`, `workspace-verification`) and the slug of the workspace it is about.
 */
export const MAIL_KIND_HEADER = 'X-Sp-Under-Test-Mail-Kind';
export const MAIL_WORKSPACE_HEADER = 'X-Sp-Under-Test-Workspace';

export interface OutgoingMail {
  workspaceId: number | null;
  /** The workspace's slug, when the mail is about one. */
  workspace?: string;
  kind: string;
  to: string;
  subject: string;
  text: string;
  html: string;
}

export interface MailResult {
  outboxId: number;
  status: MailStatus;
  error?: string;
}

/**
 * Sends the SP's mail over SMTP through nodemailer and records each attempt in the outbox.
 * Without an SMTP server configured, a message is recorded as `unsent` and not delivered.
 */
export class Mailer {
  private readonly transport: nodemailer.Transporter | undefined;

  constructor(
    private readonly db: Db,
    private readonly config: SpConfig,
    private readonly clock: Clock,
  ) {
    if (config.smtp) {
      this.transport = nodemailer.createTransport({
        host: config.smtp.host,
        port: config.smtp.port,
        secure: false,
        connectionTimeout: config.smtpTimeoutMs,
        greetingTimeout: config.smtpTimeoutMs,
        socketTimeout: config.smtpTimeoutMs,
      });
    }
  }

  async send(mail: OutgoingMail): Promise<MailResult> {
    if (!this.transport) {
      const error = 'no SMTP server is configured (start the SP with --smtp host:port)';
      return { outboxId: recordMail(this.db, mail, this.clock.now(), { error }), status: 'unsent', error };
    }
    const outboxId = recordMail(this.db, mail, this.clock.now());
    try {
      const info = (await this.transport.sendMail({
        from: this.config.mailFrom,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        headers: {
          [MAIL_KIND_HEADER]: mail.kind,
          ...(mail.workspace ? { [MAIL_WORKSPACE_HEADER]: mail.workspace } : {}),
        },
      })) as { messageId?: string };
      markMail(this.db, outboxId, 'sent', { messageId: info.messageId ?? '' }, this.clock.now());
      return { outboxId, status: 'sent' };
    } catch (e) {
      const error = (e as Error).message;
      markMail(this.db, outboxId, 'failed', { error }, this.clock.now());
      return { outboxId, status: 'failed', error };
    }
  }

  close(): void {
    this.transport?.close();
  }
}
