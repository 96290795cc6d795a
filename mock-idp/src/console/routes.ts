import express, { type Request, type Response, type Router } from 'express';
import { IdpError } from '../errors.js';
import { sameSecret } from '../http/credentials.js';
import { esc } from '../http/html.js';
import { EngineError } from '../scim/engines/engine.js';
import { runScimAction } from '../scim/run-action.js';
import type { Tenant } from '../tenant.js';
import { consoleModel } from './model.js';
import { ConsoleSessions, type Flash } from './session.js';
import { entraConsole } from './views/entra.js';
import { googleConsole } from './views/google.js';
import { oktaConsole } from './views/okta.js';
import { oneloginConsole } from './views/onelogin.js';
import { readForm, type VendorConsole } from './views/vendor-console.js';

const CONSOLES: Record<string, VendorConsole> = {
  okta: oktaConsole,
  onelogin: oneloginConsole,
  entra: entraConsole,
  google: googleConsole,
};

/** Console sessions last as long as an IdP sign-in session. */
export interface ConsoleDeps {
  tenants: Map<string, Tenant>;
  adminToken: string;
  sessionTtlMs: number;
}

function signInPage(next: string, error?: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Admin console sign-in (mock IdP)</title></head>
<body style="font-family:system-ui,sans-serif;max-width:30rem;margin:4rem auto">
<h1>Admin console</h1>${error ? `<p role="alert" data-error-code="ERR_CONSOLE_SIGN_IN">${esc(error)}</p>` : ''}
<form method="post" action="/console/session"><input type="hidden" name="next" value="${esc(next)}">
<label>IdP admin token <input name="token" type="password" autocomplete="off"></label>
<button type="submit">Open the console</button></form></body></html>`;
}

/** The message an action's result carries for the console (Okta's "successful conversion message"), if any. */
const messageOf = (result: unknown): string | undefined => {
  const m = (result as { message?: unknown } | null)?.message;
  return typeof m === 'string' ? m : undefined;
};

const pathOf = (url: string) => {
  const u = URL.parse(url);
  return u ? `${u.pathname}${u.search}` : url;
};

/** Only a tenant's own console page is a place to go back to after signing in. */
const safeNext = (next: unknown, tenants: Map<string, Tenant>): string => {
  const m = typeof next === 'string' ? /^\/([^/?#]+)\/admin$/.exec(next) : null;
  return m && tenants.has(m[1]!) ? m[0] : '/console';
};

/**
 * The vendors' admin consoles at `/<tenant>/admin`: each vendor's own screens and words, over the
 * same provisioning engines the admin API drives. Signing in takes the IdP admin token once
 * (`POST /console/session`), then an HttpOnly SameSite=Strict cookie; forms carry an anti-forgery token.
 */
export function consoleRoutes(deps: ConsoleDeps): Router {
  const r = express.Router();
  const sessions = new ConsoleSessions(deps.sessionTtlMs);
  const form = express.urlencoded({ extended: false, limit: '64kb' });

  const tenantOf = (req: Request): Tenant => {
    const t = deps.tenants.get(String(req.params.tenant));
    if (!t) throw new IdpError('ERR_NO_TENANT', String(req.params.tenant), 404);
    return t;
  };

  r.post('/console/session', form, (req, res) => {
    const next = safeNext(req.body?.next, deps.tenants);
    const token = typeof req.body?.token === 'string' ? req.body.token : '';
    if (!token || !sameSecret(token, deps.adminToken)) {
      return void res.status(401).type('html').send(signInPage(next, 'That is not the IdP admin token.'));
    }
    res.append('Set-Cookie', sessions.open()).redirect(303, next);
  });

  r.get('/console', (req, res) => {
    if (!sessions.of(req)) return void res.status(401).type('html').send(signInPage('/console'));
    const items = [...deps.tenants.values()]
      .map(
        (t) => `<li><a href="/${esc(t.name)}/admin">${esc(t.profile.displayName)} — ${esc(t.name)}</a></li>`,
      )
      .join('');
    res.type('html')
      .send(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Admin consoles (mock IdP)</title></head>
<body style="font-family:system-ui,sans-serif;margin:2rem"><h1>Admin consoles</h1><ul>${items}</ul></body></html>`);
  });

  r.get('/:tenant/admin', (req, res) => {
    const tenant = tenantOf(req);
    const session = sessions.of(req);
    if (!session)
      return void res
        .status(401)
        .type('html')
        .send(signInPage(`/${tenant.name}/admin`));
    const flash = session.flash?.tenant === tenant.name ? session.flash : undefined;
    delete session.flash;
    res
      .set('cache-control', 'no-store')
      .type('html')
      .send(CONSOLES[tenant.profile.id]!.render(consoleModel(tenant, session.csrf, flash)));
  });

  r.post('/:tenant/admin/:op', form, async (req: Request, res: Response) => {
    const tenant = tenantOf(req);
    const session = sessions.of(req);
    if (!session) throw new IdpError('ERR_CONSOLE_SIGN_IN', undefined, 401);
    if (!ConsoleSessions.formFrom(session, req.body?.csrf))
      throw new IdpError('ERR_CONSOLE_FORM', undefined, 403);
    const op = CONSOLES[tenant.profile.id]!.ops[String(req.params.op)];
    if (!op) throw new IdpError('ERR_CONSOLE_NO_ACTION', String(req.params.op), 404);
    const step = op(tenant, readForm((req.body ?? {}) as Record<string, unknown>));
    let flash: Flash;
    if ('done' in step) {
      flash = { tenant: tenant.name, action: step.label, ok: true, message: step.done, exchanges: [] };
    } else {
      const outcome = await runScimAction(tenant, step.scim, step.params).catch((e: unknown) => {
        if (e instanceof EngineError) return { ok: false as const, error: e, transcript: [] };
        throw e;
      });
      flash = {
        tenant: tenant.name,
        action: step.label,
        ok: outcome.ok,
        message: outcome.ok
          ? (messageOf(outcome.result) ?? JSON.stringify(outcome.result))
          : `${outcome.error.code}: ${outcome.error.message}`,
        exchanges: outcome.transcript.map((x) => ({
          method: x.method,
          path: pathOf(x.url),
          status: x.status,
        })),
      };
    }
    session.flash = flash;
    res.redirect(303, `/${tenant.name}/admin`);
  });
  return r;
}
