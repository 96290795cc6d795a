import { Ajv, type ErrorObject, type JSONSchemaType } from 'ajv';
import type { Request } from 'express';
import { findWorkspace, type Workspace } from '../../../store/workspaces.js';
import type { SpContext } from '../../context.js';
import { AdminError } from './errors.js';

const ajv = new Ajv({ allErrors: true, strict: false });

const where = (e: ErrorObject) => (e.instancePath ? e.instancePath.slice(1).replace(/\//g, '.') : 'the body');

/**
 * A reader of request bodies checked against a JSON Schema (draft 07); a body that does not
 * match is 400 ERR_BAD_REQUEST naming each problem by its path.
 */
export function bodyReader<T>(schema: JSONSchemaType<T> | Record<string, unknown>): (req: Request) => T {
  const validate = ajv.compile<T>(schema);
  return (req) => {
    const body: unknown = req.body;
    if (validate(body)) return body;
    throw new AdminError(
      'ERR_BAD_REQUEST',
      (validate.errors ?? []).map((e) => `${where(e)} ${e.message ?? 'is not valid'}`).join('; '),
    );
  };
}

/** The workspace named by `:ws`, or 404 ERR_NO_WORKSPACE. */
export function workspaceOf(ctx: SpContext, req: Request): Workspace {
  const ws = findWorkspace(ctx.db, String(req.params.ws));
  if (!ws) throw new AdminError('ERR_NO_WORKSPACE', `no workspace ${String(req.params.ws)}`);
  return ws;
}

/** An email address, as the admin API accepts one. */
export const EMAIL_PATTERN = '^[^\\s@]+@[^\\s@]+\\.[^\\s@]+$';
/** Workspace and organisation slugs. */
export const SLUG_PATTERN = '^[a-z0-9][a-z0-9-]{0,62}$';
