import { HarnessError, NotApplicable } from '../errors.js';
import { httpExchange } from '../http-exchange.js';
import type { Step } from '../scenario/types.js';
import { fill, type RunContext } from './context.js';
import { at, fillDeep, stateOf } from './scim.js';

export type GraphStep = NonNullable<Step['graph']>;

/**
 * The `graph` step: one Microsoft Graph call to the Entra tenant's Graph API on the mock IdP, as
 * an admin runs it in Graph Explorer (seed 004: list the applications, create extensionProperties
 * on the application's `id`, PATCH a user, read it back with `$select`). `{name}` in the path and
 * body is filled from values saved earlier; `save` keeps values of the answer. The call goes to the
 * IdP, not the SP: an answer other than `status`, or `answer` values that differ, mean the
 * walkthrough (or the mock) is wrong, an ERR_IDP error. What reaches the SP is checked by the
 * expectations of later steps.
 */
export async function graphStep(ctx: RunContext, step: GraphStep): Promise<void> {
  const api = stateOf(ctx).management;
  if (!api?.graphUrl) throw new NotApplicable(`${ctx.idp} has no Microsoft Graph API`);
  const url = api.graphUrl + encodeURI(fill(ctx, step.path)).replace(/%25([0-9A-F]{2})/g, '%$1');
  const body = step.body === undefined ? undefined : JSON.stringify(fillDeep(ctx, step.body));
  const res = await httpExchange(url, {
    method: step.method,
    headers: { accept: 'application/json', ...(body ? { 'content-type': 'application/json' } : {}) },
    token: api.apiToken,
    body,
  });
  ctx.observed.graph = {
    request: `${step.method} ${url}`,
    body: body && JSON.parse(body),
    status: res.status,
    answer: res.json ?? res.text.slice(0, 500),
  };
  const want = step.status ?? (step.method === 'POST' ? 201 : step.method === 'PATCH' ? 204 : 200);
  if (res.status !== want)
    throw new HarnessError(
      'ERR_IDP',
      `Graph answered ${res.status} to ${step.method} ${step.path} (expected ${want}): ${res.text.slice(0, 300)}`,
    );
  for (const [path, expected] of Object.entries(step.answer ?? {})) {
    const got = at(res.json, fill(ctx, path));
    const wanted = fillDeep(ctx, expected);
    if (JSON.stringify(got) !== JSON.stringify(wanted))
      throw new HarnessError(
        'ERR_IDP',
        `Graph's ${fill(ctx, path)} is ${JSON.stringify(got)}, expected ${JSON.stringify(wanted)}`,
      );
  }
  for (const [name, path] of Object.entries(step.save ?? {})) {
    const v = at(res.json, fill(ctx, path));
    if (v === undefined || v === null)
      throw new HarnessError('ERR_IDP', `Graph's answer has no ${path} to save as ${name}`);
    (ctx.vars ??= {})[name] = String(v);
  }
}
