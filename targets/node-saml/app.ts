/**
 * A service provider built on @node-saml/node-saml as its README shows: one SAML instance per
 * trusted IdP, an Express app with a protected page, the ACS, metadata and Single Logout. The
 * app makes no SAML checks of its own; every message goes through the library with its
 * defaults, except where noted.
 */
import { DOMParser } from '@xmldom/xmldom';
import { SAML, type Profile } from '@node-saml/node-saml';
import express, { type Request, type Response } from 'express';
import {
  IDPS,
  Sessions,
  idpMetadata,
  isIdp,
  landingPath,
  readConfig,
  refusedPage,
  signedInPage,
  signedOutPage,
  type IdpKey,
  type SignedInUser,
} from '../lib/web.js';

const MD = 'urn:oasis:names:tc:SAML:2.0:metadata';
const REDIRECT = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect';

/** node-saml takes the IdP's SSO URL, logout URL and certificate, which an integrator copies from its metadata. */
function fromMetadata(xml: string) {
  const doc = new DOMParser().parseFromString(xml, 'text/xml');
  const location = (tag: string) =>
    Array.from(doc.getElementsByTagNameNS(MD, tag) as unknown as ArrayLike<Element>)
      .find((e) => e.getAttribute('Binding') === REDIRECT)
      ?.getAttribute('Location') ?? undefined;
  const cert = doc.getElementsByTagNameNS('http://www.w3.org/2000/09/xmldsig#', 'X509Certificate')[0];
  return {
    entityId: doc.getElementsByTagNameNS(MD, 'EntityDescriptor')[0]!.getAttribute('entityID')!,
    ssoUrl: location('SingleSignOnService')!,
    sloUrl: location('SingleLogoutService'),
    cert: cert!.textContent!.replace(/\s+/g, ''),
  };
}

const config = readConfig();
const sessions = new Sessions();

const samls = Object.fromEntries(
  IDPS.map((idp) => {
    const md = fromMetadata(idpMetadata(config, idp));
    const base = `${config.baseUrl}/${idp}`;
    const saml = new SAML({
      issuer: `${base}/metadata`,
      callbackUrl: `${base}/acs`,
      entryPoint: md.ssoUrl,
      idpCert: md.cert,
      idpIssuer: md.entityId,
      ...(md.sloUrl ? { logoutUrl: md.sloUrl, logoutCallbackUrl: `${base}/slo` } : {}),
      privateKey: config.keyPem,
      publicCert: config.certPem,
      signatureAlgorithm: 'sha256',
      // Three of the four IdPs sign only the Assertion by default, as their consoles do; the
      // library still requires the Assertion or the Response to be signed.
      wantAuthnResponseSigned: false,
    });
    return [idp, saml];
  }),
) as Record<IdpKey, SAML>;

const userOf = (p: Profile): SignedInUser => {
  const { issuer: _i, nameID, nameIDFormat, sessionIndex, attributes } = p;
  return {
    nameId: nameID,
    nameIdFormat: nameIDFormat,
    sessionIndex,
    attributes: (attributes ?? {}) as Record<string, unknown>,
  };
};

const app = express();
// Express's default body limit (100 kB): the app keeps the framework's defaults.
app.use(express.urlencoded({ extended: false }));

app.param('idp', (req, res, next, idp: string) => {
  if (isIdp(idp)) next();
  else res.status(404).send('no such IdP');
});
const idpOf = (req: Request) => req.params.idp as IdpKey;

app.get('/:idp/metadata', (req, res) => {
  res
    .type('application/samlmetadata+xml')
    .send(samls[idpOf(req)].generateServiceProviderMetadata(null, config.certPem));
});

app.post('/:idp/acs', async (req, res) => {
  const idp = idpOf(req);
  try {
    const { profile } = await samls[idp].validatePostResponseAsync(req.body as Record<string, string>);
    if (!profile) throw new Error('the response carries no assertion');
    sessions.signIn(res, idp, userOf(profile));
    res.redirect(303, landingPath(idp, (req.body as { RelayState?: string }).RelayState));
  } catch (e) {
    res.status(403).send(refusedPage((e as Error).message));
  }
});

/** The IdP's logout messages: a LogoutResponse to ours, or a LogoutRequest it starts. */
async function slo(req: Request, res: Response, message: { query?: string; body?: Record<string, string> }) {
  const idp = idpOf(req);
  const saml = samls[idp];
  try {
    const { profile, loggedOut } = message.body
      ? await saml.validatePostRequestAsync(message.body)
      : await saml.validateRedirectAsync(req.query, message.query!);
    if (loggedOut && !profile) {
      res.redirect(303, `/${idp}/signed-out`);
      return;
    }
    if (!profile) throw new Error('no logout message');
    sessions.signOutEverywhere(idp, profile.nameID, profile.sessionIndex);
    sessions.signOut(req, idp);
    const relay = (message.body?.RelayState ?? req.query.RelayState ?? '') as string;
    res.redirect(303, await saml.getLogoutResponseUrlAsync(profile, relay, {}, true));
  } catch (e) {
    res.status(400).send(refusedPage((e as Error).message));
  }
}
app.get('/:idp/slo', (req, res) => slo(req, res, { query: req.originalUrl.split('?')[1] ?? '' }));
app.post('/:idp/slo', (req, res) => slo(req, res, { body: req.body as Record<string, string> }));

app.get('/:idp/logout', async (req, res) => {
  const idp = idpOf(req);
  const user = sessions.signOut(req, idp);
  if (!user || !samls[idp].options.logoutUrl) {
    res.redirect(303, `/${idp}/signed-out`);
    return;
  }
  const profile = {
    issuer: '',
    nameID: user.nameId,
    nameIDFormat: user.nameIdFormat ?? 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified',
    ...(user.sessionIndex ? { sessionIndex: user.sessionIndex } : {}),
  };
  res.redirect(303, await samls[idp].getLogoutUrlAsync(profile, '', {}));
});

app.get('/:idp/signed-out', (_req, res) => {
  res.send(signedOutPage());
});

app.get('/:idp/whoami', (req, res) => {
  const user = sessions.get(req, idpOf(req));
  res.status(user ? 200 : 401).json(user ? { nameId: user.nameId, attributes: user.attributes } : {});
});

/** Every other page is protected: signed in, it shows who; otherwise SP-initiated SSO, back to this page. */
app.get('/:idp/{*rest}', async (req, res) => {
  const idp = idpOf(req);
  const user = sessions.get(req, idp);
  if (user) {
    res.send(signedInPage(idp, req.path, user));
    return;
  }
  res.redirect(303, await samls[idp].getAuthorizeUrlAsync(req.originalUrl, undefined, {}));
});

app.listen(config.port, '127.0.0.1', () => {
  console.log(`node-saml SP listening on ${config.baseUrl}`);
});
