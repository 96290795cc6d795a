import express, { type Router } from 'express';
import { audit } from '../../../store/audit.js';
import {
  AUTH_METHODS,
  environmentMethods,
  putEnvironmentMethods,
  type AuthMethod,
} from '../../../store/environment-auth.js';
import {
  ENFORCE_SAML_FOR,
  getSamlSettings,
  putSamlSettings,
  type EnforceSamlFor,
} from '../../../store/workspaces.js';
import type { SpContext } from '../../context.js';
import { AdminError } from './errors.js';
import { bodyReader, workspaceOf } from './validate.js';

const readAuthentication = bodyReader<{
  environments?: Record<string, AuthMethod[]>;
  enforceSamlFor?: EnforceSamlFor;
}>({
  type: 'object',
  properties: {
    environments: {
      type: 'object',
      additionalProperties: {
        type: 'array',
        minItems: 1,
        items: { enum: [...AUTH_METHODS] },
      },
    },
    enforceSamlFor: { enum: [...ENFORCE_SAML_FOR] },
  },
});

/**
 * Seed 001's sign-in policy: the methods each environment accepts (`PUT …/authentication`) and
 * whom SAML SSO is enforced for.
 */
export function authenticationRoutes(ctx: SpContext): Router {
  const r = express.Router();

  r.put('/workspaces/:ws/authentication', (req, res) => {
    const ws = workspaceOf(ctx, req);
    const b = readAuthentication(req);
    const methods: Record<string, AuthMethod[]> = {};
    for (const [env, list] of Object.entries(b.environments ?? {})) {
      if (!ws.environments.includes(env))
        throw new AdminError(
          'ERR_BAD_REQUEST',
          `environment ${env} is not among ${ws.environments.join(', ')}`,
        );
      methods[env] = [...new Set(list)];
    }
    const enforce = b.enforceSamlFor;
    const settings = getSamlSettings(ctx.db, ws.id);
    if (enforce && !settings)
      throw new AdminError('ERR_SAML_NOT_CONFIGURED', 'configure SAML before enforcing it');
    const now = ctx.clock.now();
    ctx.db.transaction(() => {
      putEnvironmentMethods(ctx.db, ws.id, methods);
      if (enforce && settings) putSamlSettings(ctx.db, ws.id, { ...settings, enforceSamlFor: enforce }, now);
    })();
    audit(
      ctx.db,
      ws.id,
      'admin',
      'authentication.configured',
      ws.slug,
      { environments: methods, enforceSamlFor: enforce ?? null },
      now,
    );
    res.json({
      environments: environmentMethods(ctx.db, ws.id, ws.environments),
      enforceSamlFor: getSamlSettings(ctx.db, ws.id)?.enforceSamlFor ?? ctx.config.enforceSamlFor,
    });
  });

  return r;
}
