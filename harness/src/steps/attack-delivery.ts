import { HarnessError } from '../errors.js';
import { stepTraffic, type AttackDelivery, type RunContext } from './context.js';

/** A URL without query or fragment, for comparing endpoints. */
export const endpointOf = (url: string): string => {
  const u = new URL(url);
  return u.origin + u.pathname;
};

/**
 * Finds the hostile message in the step's traffic: the first `param` the user agent sent to one
 * of `endpoints`, with the SP's answer to it. Undefined when it never left for the SP.
 */
export function findDelivery(
  ctx: RunContext,
  param: AttackDelivery['param'],
  endpoints: readonly string[],
): { delivery: AttackDelivery; xml: string } | undefined {
  const wanted = new Set(endpoints.map(endpointOf));
  const traffic = stepTraffic(ctx);
  const message = traffic.samlMessages?.find((m) => m.param === param && wanted.has(m.endpoint));
  if (!message) return undefined;
  const method = message.binding === 'post' ? 'POST' : 'GET';
  const exchange = traffic.http.find((h) => h.method === method && endpointOf(h.url) === message.endpoint);
  const page = ctx.driver.current();
  const answeredWithPage =
    exchange && !exchange.location && page && endpointOf(page.url) === message.endpoint;
  const delivery: AttackDelivery = {
    url: message.endpoint,
    method,
    param,
    messageBytes: Buffer.byteLength(message.xml),
    ...(exchange
      ? {
          answer: {
            status: exchange.status,
            ...(exchange.durationMs !== undefined ? { durationMs: exchange.durationMs } : {}),
            ...(exchange.location ? { location: exchange.location } : {}),
            ...(answeredWithPage ? { excerpt: page.text.slice(0, 300) } : {}),
          },
        }
      : {}),
  };
  return { delivery, xml: message.xml };
}

/**
 * The delivery of the hostile message, kept as the step's evidence (`observed.delivery`). A
 * message that never reached the SP grades nothing: the run is an error of the set-up (a
 * loginUrl that never sends anyone to the IdP, an ACS the IdP is not pointed at), never a pass.
 */
export function requireDelivery(
  ctx: RunContext,
  mutation: string,
  param: AttackDelivery['param'],
  endpoints: readonly string[],
): { delivery: AttackDelivery; xml: string } {
  const found = findDelivery(ctx, param, endpoints);
  if (found) {
    ctx.observed.delivery = found.delivery;
    return found;
  }
  const hops = stepTraffic(ctx).http.map((h) => `${h.method} ${endpointOf(h.url)} ${h.status}`);
  const page = ctx.driver.current();
  throw new HarnessError(
    'ERR_ATTACK_NOT_DELIVERED',
    `the hostile message of ${mutation} never reached the SP (${endpoints.join(' or ')}): ` +
      `the user agent ${page ? `ended at ${page.url} (status ${page.status})` : 'opened no page'} ` +
      `after ${hops.length ? hops.join(' → ') : 'no request'}; ` +
      "check that the target's loginUrl sends a signed-out visitor to the IdP and that the IdP posts to the target's ACS",
  );
}
