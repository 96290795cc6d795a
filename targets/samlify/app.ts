/**
 * A service provider built on samlify as its README shows: a schema validator set first, one
 * ServiceProvider per trusted IdP (each IdP built from its metadata), and an Express app with a
 * protected page, the ACS, metadata and Single Logout. The app makes no SAML checks of its own;
 * every message goes through samlify with its defaults.
 */
import * as validator from '@authenio/samlify-node-xmllint';
import express, { type Request, type Response } from 'express';
import * as samlify from 'samlify';
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
} from '../lib/web.js';

samlify.setSchemaValidator(validator);

const { binding } = samlify.Constants.namespace;
const config = readConfig();
const sessions = new Sessions();

const parties = Object.fromEntries(
  IDPS.map((idp) => {
    const base = `${config.baseUrl}/${idp}`;
    const sp = samlify.ServiceProvider({
      entityID: `${base}/metadata`,
      privateKey: config.keyPem,
      signingCert: config.certPem,
      assertionConsumerService: [{ Binding: binding.post, Location: `${base}/acs` }],
      singleLogoutService: [
        { Binding: binding.redirect, Location: `${base}/slo` },
        { Binding: binding.post, Location: `${base}/slo` },
      ],
    });
    const provider = samlify.IdentityProvider({ metadata: idpMetadata(config, idp) });
    return [idp, { sp, idp: provider }];
  }),
) as Record<
  IdpKey,
  { sp: ReturnType<typeof samlify.ServiceProvider>; idp: ReturnType<typeof samlify.IdentityProvider> }
>;

const app = express();
// Express's default body limit (100 kB): the app keeps the framework's defaults.
app.use(express.urlencoded({ extended: false }));

app.param('idp', (_req, res, next, idp: string) => {
  if (isIdp(idp)) next();
  else res.status(404).send('no such IdP');
});
const partiesOf = (req: Request) => ({ key: req.params.idp as IdpKey, ...parties[req.params.idp as IdpKey] });

app.get('/:idp/metadata', (req, res) => {
  res.type('application/samlmetadata+xml').send(partiesOf(req).sp.getMetadata());
});

app.post('/:idp/acs', async (req, res) => {
  const { key, sp, idp } = partiesOf(req);
  try {
    const { extract } = await sp.parseLoginResponse(idp, 'post', {
      body: req.body as Record<string, unknown>,
    });
    const sessionIndex = extract.sessionIndex?.sessionIndex;
    sessions.signIn(res, key, {
      nameId: extract.nameID!,
      ...(typeof sessionIndex === 'string' ? { sessionIndex } : {}),
      attributes: extract.attributes ?? {},
    });
    res.redirect(303, landingPath(key, (req.body as { RelayState?: string }).RelayState));
  } catch (e) {
    res.status(403).send(refusedPage(e instanceof Error ? e.message : String(e)));
  }
});

/** The raw query without its Signature, which the redirect binding signs (SAML Bindings 3.4.4.1). */
const octetString = (req: Request) =>
  (req.originalUrl.split('?')[1] ?? '')
    .split('&')
    .filter((p) => !p.startsWith('Signature='))
    .join('&');

/** The IdP's logout messages: a LogoutResponse to ours, or a LogoutRequest it starts. */
async function slo(req: Request, res: Response, via: 'redirect' | 'post') {
  const { key, sp, idp } = partiesOf(req);
  const message =
    via === 'post'
      ? { body: req.body as Record<string, unknown> }
      : { query: req.query as Record<string, unknown>, octetString: octetString(req) };
  const fields = (via === 'post' ? req.body : req.query) as Record<string, string | undefined>;
  try {
    if (fields.SAMLResponse) {
      await sp.parseLogoutResponse(idp, via, message);
      res.redirect(303, `/${key}/signed-out`);
      return;
    }
    const request = await sp.parseLogoutRequest(idp, via, message);
    const sessionIndex = request.extract.sessionIndex?.sessionIndex;
    sessions.signOutEverywhere(
      key,
      request.extract.nameID!,
      typeof sessionIndex === 'string' ? sessionIndex : undefined,
    );
    sessions.signOut(req, key);
    const { context } = sp.createLogoutResponse(
      idp,
      { extract: request.extract },
      'redirect',
      fields.RelayState ? { relayState: fields.RelayState } : {},
    );
    res.redirect(303, context);
  } catch (e) {
    res.status(400).send(refusedPage(e instanceof Error ? e.message : String(e)));
  }
}
app.get('/:idp/slo', (req, res) => slo(req, res, 'redirect'));
app.post('/:idp/slo', (req, res) => slo(req, res, 'post'));

app.get('/:idp/logout', (req, res) => {
  const { key, sp, idp } = partiesOf(req);
  const user = sessions.signOut(req, key);
  if (!user || !idp.entityMeta.getSingleLogoutService(binding.redirect)) {
    res.redirect(303, `/${key}/signed-out`);
    return;
  }
  const { context } = sp.createLogoutRequest(idp, 'redirect', {
    logoutNameID: user.nameId,
    ...(user.sessionIndex ? { sessionIndex: user.sessionIndex } : {}),
  });
  res.redirect(303, context);
});

app.get('/:idp/signed-out', (_req, res) => {
  res.send(signedOutPage());
});

app.get('/:idp/whoami', (req, res) => {
  const user = sessions.get(req, partiesOf(req).key);
  res.status(user ? 200 : 401).json(user ? { nameId: user.nameId, attributes: user.attributes } : {});
});

/** Every other page is protected: signed in, it shows who; otherwise SP-initiated SSO, back to this page. */
app.get('/:idp/{*rest}', (req, res) => {
  const { key, sp, idp } = partiesOf(req);
  const user = sessions.get(req, key);
  if (user) {
    res.send(signedInPage(key, req.path, user));
    return;
  }
  const { context } = sp.createLoginRequest(idp, 'redirect', { relayState: req.originalUrl });
  res.redirect(303, context);
});

app.listen(config.port, '127.0.0.1', () => {
  console.log(`samlify SP listening on ${config.baseUrl}`);
});
