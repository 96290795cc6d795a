import { deflateRawSync } from 'node:zlib';
import express, { type Request, type Response, type Router } from 'express';
import { IdpError } from '../errors.js';
import { postBindingPage, signedOutPage } from '../http/html.js';
import { NAMEID_FORMATS } from '../profiles/profile.js';
import type { Tenant } from '../tenant.js';
import { toWire, type XmlElement } from '../xml/element.js';
import { signEnveloped } from '../xmldsig/sign.js';
import { deliverLogoutRequest } from '../attacks/armed.js';
import { decodeSamlRequest } from './authn-request.js';
import { logoutRequest, logoutResponse, parseLogoutMessage, STATUS_SUCCESS } from './logout.js';
import { signedRedirectQuery } from './message-signature.js';

/** What the SLO endpoints need from the IdP's session store. */
export interface SessionAccess {
  tenant(req: Request): Tenant;
  /** The login signed in at this tenant in the requesting browser, if any. */
  sessionUser(req: Request, tenant: Tenant): string | undefined;
  /** Ends every IdP session of `login` at the tenant. */
  endSessions(tenant: Tenant, login: string): void;
  now(): Date;
}

export const rawQueryOf = (req: Request): string => req.originalUrl.split('?')[1] ?? '';

/**
 * Single Logout (SAML Profiles 4.4) at `/:tenant/slo` over HTTP-Redirect and HTTP-POST: an
 * SP's LogoutRequest ends the user's IdP session and is answered with a signed
 * LogoutResponse at the app's SLO URL; an SP's LogoutResponse completes a logout the IdP
 * started at `/:tenant/logout`, which sends a signed LogoutRequest naming the NameID and
 * SessionIndex of the last response the IdP issued to that user.
 */
export function createSlo(access: SessionAccess): {
  router: Router;
  /** Remembers the NameID and SessionIndex of the Response (base64, as posted) sent to `login`. */
  recordIssued(tenant: Tenant, login: string, samlResponse: string): void;
  /** Forgets everything remembered for a tenant that is being removed. */
  forgetTenant(name: string): void;
} {
  const issued = new Map<string, { nameId: string; sessionIndex: string | undefined }>();
  const keyOf = (tenant: Tenant, login: string) => `${tenant.name}|${login.toLowerCase()}`;
  const router = express.Router();
  const form = express.urlencoded({ extended: false, limit: '256kb' });

  /** HTTP-Redirect (SAML Bindings 3.4.4.1): the DEFLATE data in the query, signed with the tenant's key. */
  const redirectToSp = (
    res: Response,
    tenant: Tenant,
    kind: 'SAMLRequest' | 'SAMLResponse',
    deflated: Buffer,
    relayState: string | undefined,
  ) => {
    const sloUrl = tenant.setup.app.sloUrl!;
    const algorithm = tenant.setup.app.signing?.algorithm ?? tenant.profile.defaultSigning.algorithm;
    const query = signedRedirectQuery(
      kind,
      deflated.toString('base64'),
      relayState,
      tenant.key.privateKey,
      algorithm,
    );
    res.redirect(302, `${sloUrl}${sloUrl.includes('?') ? '&' : '?'}${query}`);
  };

  const sendToSp = (
    res: Response,
    tenant: Tenant,
    kind: 'SAMLRequest' | 'SAMLResponse',
    message: XmlElement,
    relayState: string | undefined,
    binding: 'redirect' | 'post',
  ) => {
    const sloUrl = tenant.setup.app.sloUrl!;
    const algorithm = tenant.setup.app.signing?.algorithm ?? tenant.profile.defaultSigning.algorithm;
    if (binding === 'post') {
      signEnveloped(message, message, 1, tenant.key, { algorithm, prefix: 'ds' });
      const fields: Record<string, string | undefined> = {
        [kind]: Buffer.from(toWire(message)).toString('base64'),
        RelayState: relayState,
      };
      return void res.type('html').send(postBindingPage(sloUrl, fields));
    }
    redirectToSp(res, tenant, kind, deflateRawSync(Buffer.from(toWire(message))), relayState);
  };

  const needSloUrl = (tenant: Tenant) => {
    if (!tenant.setup.app.sloUrl) throw new IdpError('ERR_BAD_SETUP', 'the app has no sloUrl', 400);
  };

  const receive = (binding: 'redirect' | 'post') => (req: Request, res: Response) => {
    const tenant = access.tenant(req);
    if (tenant.profile.singleLogout === false) throw new IdpError('ERR_SLO_UNSUPPORTED');
    const params = (binding === 'redirect' ? req.query : req.body) as Record<string, unknown>;
    const relayState = typeof params?.RelayState === 'string' ? params.RelayState : undefined;
    const encoded = params?.SAMLRequest ?? params?.SAMLResponse;
    const xml = decodeSamlRequest(encoded, binding);
    const message = parseLogoutMessage(xml);
    if (message.issuer !== tenant.setup.app.audience)
      throw new IdpError('ERR_AUTHN_REQUEST_ISSUER', message.issuer);
    tenant.checkRequestSignature(binding, { rawQuery: rawQueryOf(req), xml });
    if (message.kind === 'response') {
      return void res
        .type('html')
        .send(signedOutPage(tenant.profile.displayName, message.status === STATUS_SUCCESS));
    }
    needSloUrl(tenant);
    access.endSessions(tenant, message.nameId);
    issued.delete(keyOf(tenant, message.nameId));
    const answer = logoutResponse({
      issuer: tenant.entityId,
      destination: tenant.setup.app.sloUrl!,
      inResponseTo: message.id,
      now: access.now(),
    });
    sendToSp(res, tenant, 'SAMLResponse', answer, relayState, tenant.setup.app.sloBinding ?? binding);
  };
  router.get('/:tenant/slo', receive('redirect'));
  router.post('/:tenant/slo', form, receive('post'));

  router.get('/:tenant/logout', (req, res) => {
    const tenant = access.tenant(req);
    const login = access.sessionUser(req, tenant);
    if (!login) return void res.type('html').send(signedOutPage(tenant.profile.displayName, true));
    access.endSessions(tenant, login);
    const last = issued.get(keyOf(tenant, login));
    issued.delete(keyOf(tenant, login));
    if (!last || !tenant.setup.app.sloUrl || tenant.profile.singleLogout === false) {
      return void res.type('html').send(signedOutPage(tenant.profile.displayName, true));
    }
    const relayState = typeof req.query.RelayState === 'string' ? req.query.RelayState : undefined;
    // An armed logout mutation of the attack catalogue replaces the request, over the binding it names.
    const hostile = deliverLogoutRequest(tenant, login, access.now());
    if (hostile?.binding === 'post') {
      const fields = { SAMLRequest: Buffer.from(hostile.xml).toString('base64'), RelayState: relayState };
      return void res.type('html').send(postBindingPage(tenant.setup.app.sloUrl, fields));
    }
    if (hostile) return void redirectToSp(res, tenant, 'SAMLRequest', hostile.deflated, relayState);
    const request = logoutRequest({
      issuer: tenant.entityId,
      destination: tenant.setup.app.sloUrl,
      nameId: last.nameId,
      nameIdFormat: NAMEID_FORMATS[tenant.setup.app.nameId?.format ?? tenant.profile.defaultNameIdFormat],
      sessionIndex: last.sessionIndex,
      now: access.now(),
    });
    sendToSp(res, tenant, 'SAMLRequest', request, relayState, tenant.setup.app.sloBinding ?? 'redirect');
  });

  return {
    router,
    forgetTenant(name) {
      for (const key of issued.keys()) if (key.startsWith(`${name}|`)) issued.delete(key);
    },
    recordIssued(tenant, login, samlResponse) {
      // An encrypted Assertion hides both; the login is then the NameID and no SessionIndex is named.
      const xml = Buffer.from(samlResponse, 'base64').toString('utf8');
      const nameId = /<(?:\w+:)?NameID\b[^>]*>([^<]+)</.exec(xml)?.[1] ?? login;
      const sessionIndex = /\bSessionIndex="([^"]+)"/.exec(xml)?.[1];
      issued.set(keyOf(tenant, login), { nameId, sessionIndex });
    },
  };
}
