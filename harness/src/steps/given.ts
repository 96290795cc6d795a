import { HarnessError, NotApplicable } from '../errors.js';
import { sloForTenant } from './logout.js';
import type { RunTarget } from '../env/target.js';
import type { GivenMember, GivenSaml, Scenario } from '../scenario/types.js';
import type { RunContext } from './context.js';

type Given = NonNullable<Scenario['given']>;

const needAdmin = (target: RunTarget, what: string) => {
  if (!target.admin)
    throw new NotApplicable(`${what} needs the SP's admin API, which the target does not have`);
  return target.admin.bind(target);
};

async function configureWorkspace(
  target: RunTarget,
  ctx: RunContext,
  w: {
    authentication?: Record<string, string[]>;
    members?: GivenMember[];
    defaultRoles?: Record<string, string>;
  },
): Promise<void> {
  if (w.defaultRoles) {
    await needAdmin(target, 'given defaultRoles')('PUT', `/workspaces/${target.workspace}/default-roles`, {
      roles: w.defaultRoles,
    });
  }
  if (w.authentication) {
    await needAdmin(target, 'given authentication')('PUT', `/workspaces/${target.workspace}/authentication`, {
      environments: w.authentication,
    });
  }
  for (const m of w.members ?? []) {
    await needAdmin(target, 'given members')('POST', `/workspaces/${target.workspace}/members`, m);
    if (m.password) (ctx.passwords ??= {})[m.email.toLowerCase()] = m.password;
  }
}

/**
 * Brings the run to the state the scenario's `given` describes beyond the main workspace's
 * SAML setup: attributes the IdP admin left out, members the SP admin created, sign-in
 * methods per environment, and further workspaces of the organisation, each trusting its
 * own app in the same IdP directory (seed 000 "separate Finance, Legal, and HR workspaces").
 */
export async function applyGiven(ctx: RunContext, given: Given): Promise<void> {
  const omit = given.idp?.omitAttributes;
  if (omit?.length) {
    if (!ctx.mockIdp) throw new HarnessError('ERR_INTERNAL', 'the mock IdP is not available to this run');
    ctx.setup.app.attributeStatements = (ctx.setup.app.attributeStatements ?? []).filter(
      (a) => !omit.includes(a.name),
    );
    await ctx.mockIdp.putTenant(ctx.setup);
  }
  await configureWorkspace(ctx.target, ctx, given.workspace ?? {});
  for (const w of given.workspaces ?? []) {
    if (!ctx.target.addWorkspace)
      throw new NotApplicable('the target cannot create further workspaces for a run');
    if (!ctx.mockIdp) throw new HarnessError('ERR_INTERNAL', 'the mock IdP is not available to this run');
    const target = await ctx.target.addWorkspace({
      slug: w.slug,
      ...(w.name ? { name: w.name } : {}),
      ...(w.environments ? { environments: w.environments } : {}),
      ...(w.customRoles ? { customRoles: w.customRoles } : {}),
    });
    const idp = ctx.mockIdp;
    const setup = {
      ...ctx.setup,
      tenant: `${ctx.setup.tenant}-${w.slug}`,
      app: {
        ...ctx.setup.app,
        ssoUrl: target.acsUrl,
        audience: target.spEntityId,
        sloUrl: undefined,
        sloBinding: undefined,
        ...sloForTenant(target, given.idp?.sloBinding),
        spCertificatePem: target.signingCertificatePem ?? ctx.setup.app.spCertificatePem,
      },
    };
    const tenant = await idp.putTenant(setup);
    (ctx.cleanups ??= []).push(() => idp.removeTenant(setup.tenant));
    await target.configureSaml(await idp.metadata(tenant), (w.saml ?? {}) as GivenSaml);
    await configureWorkspace(target, ctx, w);
    (ctx.workspaces ??= {})[w.slug] = { target, tenant };
  }
}

/** The run as seen from another workspace (a step's `workspace:`), or the run itself. */
export function inWorkspace(ctx: RunContext, slug: string | undefined): RunContext {
  if (!slug || slug === ctx.target.workspace) return ctx;
  const w = ctx.workspaces?.[slug];
  if (!w) throw new HarnessError('ERR_SCENARIO_REFERENCE', `workspace ${slug} is not in given.workspaces`);
  return new Proxy(ctx, {
    get: (t, k) => (k === 'target' ? w.target : k === 'tenant' ? w.tenant : Reflect.get(t, k)),
  });
}
