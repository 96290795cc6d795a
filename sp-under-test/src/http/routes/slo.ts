import { createHash, createPublicKey, verify as rsaVerify } from 'node:crypto';
import express, { type Request, type Response, type Router } from 'express';
import saml2 from 'saml2-js';
import { SignedXml } from 'xml-crypto';
import { certificatePem } from '../../saml/certificates.js';
import { SamlRejected } from '../../saml/errors.js';
import { NS, childElements, parseUntrusted } from '../../saml/xml.js';
import { audit } from '../../store/audit.js';
import { endSession } from '../../store/sessions.js';
import { findWorkspace, getSamlSettings, type SamlSettings, type Workspace } from '../../store/workspaces.js';
import { acsUrl, spEntityId, type SpContext } from '../context.js';
import { esc, page } from '../html.js';
import { SESSION_COOKIE, clearSessionCookie, currentSession, readCookie } from '../session.js';

/**
 * SAML Single Logout (Profiles 4.4) for the reference SP:
 * - `GET|POST /saml/:ws/logout` ends the local session and sends a signed LogoutRequest
 *   (HTTP-Redirect) to the IdP's SLO endpoint, naming the NameID and SessionIndex;
 * - `GET|POST /saml/:ws/slo` takes the IdP's LogoutRequest (ending every session of that
 *   NameID in the workspace and answering with a signed LogoutResponse) or its
 *   LogoutResponse (finishing a logout the SP started).
 * Logout messages from the IdP must carry a signature by a trusted IdP certificate, in the
 * query string (Bindings 3.4.4.1) or enveloped (3.5.4); saml2-js does not check those.
 */
const SIG_HASH: Record<string, string> = {
  'http://www.w3.org/2000/09/xmldsig#rsa-sha1': 'sha1',
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256': 'sha256',
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512': 'sha512',
};

function rawParam(rawQuery: string, name: string): string | undefined {
  for (const part of rawQuery.split('&')) if (part.startsWith(name + '=')) return part.slice(name.length + 1);
  return undefined;
}

function redirectSignatureValid(rawQuery: string, certificates: readonly string[]): boolean {
  const sig = rawParam(rawQuery, 'Signature');
  const sigAlg = rawParam(rawQuery, 'SigAlg');
  const hash = sigAlg ? SIG_HASH[decodeURIComponent(sigAlg)] : undefined;
  if (!sig || !sigAlg || !hash) return false;
  const name = rawParam(rawQuery, 'SAMLRequest') !== undefined ? 'SAMLRequest' : 'SAMLResponse';
  const relay = rawParam(rawQuery, 'RelayState');
  const signed = `${name}=${rawParam(rawQuery, name) ?? ''}${relay !== undefined ? `&RelayState=${relay}` : ''}&SigAlg=${sigAlg}`;
  const signature = Buffer.from(decodeURIComponent(sig), 'base64');
  return certificates.some((c) =>
    rsaVerify(hash, Buffer.from(signed), createPublicKey(certificatePem(c)), signature),
  );
}

function postSignatureValid(xml: string, certificates: readonly string[]): boolean {
  const root = parseUntrusted(xml).documentElement;
  const sigs = childElements(root, NS.DS, 'Signature');
  const id = root.getAttribute('ID');
  if (sigs.length !== 1 || !id) return false;
  return certificates.some((c) => {
    const sx = new SignedXml({ publicCert: certificatePem(c) });
    try {
      sx.loadSignature(sigs[0] as unknown as Node);
      const refs = sx.getReferences();
      return sx.checkSignature(xml) && refs.length === 1 && refs[0]!.uri === `#${id}`;
    } catch {
      return false;
    }
  });
}

interface LogoutMessage {
  type: 'logout_request' | 'logout_response';
  response_header: { id: string; in_response_to?: string };
  issuer?: string;
  name_id?: string;
  session_index?: string;
}

export function sloRoutes(ctx: SpContext): Router {
  const r = express.Router();
  const form = express.urlencoded({ extended: false, limit: ctx.config.maxSamlResponseBytes * 2 });

  const sp = (slug: string) =>
    new saml2.ServiceProvider({
      entity_id: spEntityId(ctx, slug),
      assert_endpoint: acsUrl(ctx, slug),
      private_key: ctx.keyPair.privateKeyPem,
      certificate: ctx.keyPair.certificatePem,
      sign_get_request: true,
    });
  const idp = (settings: SamlSettings) =>
    new saml2.IdentityProvider({
      sso_login_url: settings.ssoUrl,
      sso_logout_url: settings.sloUrl ?? settings.ssoUrl,
      certificates: settings.certificates,
    });
  const refuse = (res: Response, status: number, code: string, message: string) =>
    void res
      .status(status)
      .type('html')
      .send(
        page(
          'Sign-out refused',
          `<h1>Sign-out refused</h1><div class="error" data-error-code="${esc(code)}"><p>${esc(message)}</p></div>`,
        ),
      );
  const workspaceOf = (req: Request, res: Response): [Workspace, SamlSettings] | undefined => {
    const ws = findWorkspace(ctx.db, String(req.params.ws));
    if (!ws) return void res.status(404).type('text').send('no such workspace');
    const settings = getSamlSettings(ctx.db, ws.id);
    if (!settings) return void refuse(res, 409, 'ERR_SAML_NOT_CONFIGURED', 'SAML is not configured.');
    return [ws, settings];
  };
  const signedOut = (res: Response, ws: Workspace) =>
    res.redirect(303, `/w/${encodeURIComponent(ws.slug)}/signed-out`);

  const startLogout = (req: Request, res: Response) => {
    const found = workspaceOf(req, res);
    if (!found) return;
    const [ws, settings] = found;
    const session = currentSession(ctx, req);
    const token = readCookie(req, SESSION_COOKIE);
    const row = token
      ? (ctx.db
          .prepare('SELECT saml_session_index AS sessionIndex FROM sessions WHERE token_hash = ?')
          .get(createHash('sha256').update(token).digest('hex')) as
          { sessionIndex: string | null } | undefined)
      : undefined;
    if (token) endSession(ctx.db, token, ctx.clock.now());
    clearSessionCookie(res);
    if (!session || !settings.sloUrl) return void signedOut(res, ws);
    audit(ctx.db, ws.id, 'saml', 'session.ended', session.email, { by: 'sp-logout' }, ctx.clock.now());
    sp(ws.slug).create_logout_request_url(
      idp(settings),
      { name_id: session.email, session_index: row?.sessionIndex ?? undefined, sign_get_request: true },
      (err: Error | null, url: string) =>
        err ? refuse(res, 500, 'ERR_SLO', err.message) : res.redirect(302, url),
    );
  };
  r.get('/saml/:ws/logout', startLogout);
  r.post('/saml/:ws/logout', startLogout);

  const receive = (binding: 'redirect' | 'post') => async (req: Request, res: Response) => {
    const found = workspaceOf(req, res);
    if (!found) return;
    const [ws, settings] = found;
    const body = (binding === 'redirect' ? req.query : req.body) as Record<string, string>;
    const encoded = body?.SAMLRequest ?? body?.SAMLResponse;
    if (typeof encoded !== 'string') return refuse(res, 400, 'ERR_SAML_MISSING', 'no SAML logout message');
    let message: LogoutMessage;
    try {
      const valid =
        binding === 'redirect'
          ? redirectSignatureValid(req.originalUrl.split('?')[1] ?? '', settings.certificates)
          : postSignatureValid(Buffer.from(encoded, 'base64').toString('utf8'), settings.certificates);
      if (!valid)
        throw new SamlRejected('ERR_SAML_SIGNATURE_INVALID', 'the logout message is not signed by the IdP');
      message = await new Promise<LogoutMessage>((resolve, reject) => {
        const opts = { request_body: body, require_session_index: false };
        const assert = binding === 'redirect' ? 'redirect_assert' : 'post_assert';
        sp(ws.slug)[assert](idp(settings), opts, (err, m) =>
          err ? reject(err) : resolve(m as unknown as LogoutMessage),
        );
      });
    } catch (e) {
      const code = e instanceof SamlRejected ? e.code : 'ERR_SAML_MALFORMED';
      return refuse(res, 403, code, (e as Error).message);
    }
    if (message.type === 'logout_response') return void signedOut(res, ws);
    if (message.issuer !== settings.idpEntityId) {
      return refuse(res, 403, 'ERR_SAML_ISSUER', `logout requested by ${message.issuer ?? 'nobody'}`);
    }
    const now = ctx.clock.now();
    const ended = ctx.db
      .prepare(
        `UPDATE sessions SET ended_at = ? WHERE workspace_id = ? AND ended_at IS NULL
           AND user_id IN (SELECT id FROM users WHERE lower(email) = lower(?))`,
      )
      .run(now.toISOString(), ws.id, message.name_id ?? '').changes;
    audit(ctx.db, ws.id, 'saml', 'session.ended', message.name_id ?? null, { by: 'idp-logout', ended }, now);
    sp(ws.slug).create_logout_response_url(
      idp(settings),
      { in_response_to: message.response_header.id, sign_get_request: true },
      (err: Error | null, url: string) =>
        err ? refuse(res, 500, 'ERR_SLO', err.message) : res.redirect(302, url),
    );
  };
  r.get('/saml/:ws/slo', receive('redirect'));
  r.post('/saml/:ws/slo', form, receive('post'));
  return r;
}
