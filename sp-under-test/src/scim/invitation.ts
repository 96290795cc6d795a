import type { SpContext } from '../http/context.js';
import type { Workspace } from '../store/workspaces.js';
import { esc } from '../http/html.js';

/**
 * Seeds 002–004: "Workato sends an email invitation to the selected users". The invitation
 * goes through the SP's mailer (SMTP, recorded in the outbox); SCIM does not wait for it.
 */
export function sendInvitation(ctx: SpContext, ws: Workspace, email: string, name: string): void {
  const link = `${ctx.baseUrl()}/w/${encodeURIComponent(ws.slug)}`;
  void ctx.mailer
    .send({
      workspaceId: ws.id,
      kind: 'invitation',
      to: email,
      subject: `You are invited to join ${ws.name}`,
      text: `Hello ${name},\n\nYou have been invited to join the workspace ${ws.name}.\nVerify your email address and sign in: ${link}\n`,
      html: `<p>Hello ${esc(name)},</p><p>You have been invited to join the workspace ${esc(ws.name)}.</p><p><a href="${esc(link)}">Verify your email address and sign in</a></p>`,
    })
    .catch(() => undefined);
}
