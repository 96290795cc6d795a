import type { TenantSetup } from '../../../mock-idp/src/index.js';
import type { Driver, PageState } from '../drivers/driver.js';
import type { TenantInfo } from '../env/idp.js';
import type { RunTarget } from '../env/target.js';
import type { IdpId } from '../scenario/types.js';
import type { AttackBaseline } from './attack.js';

/** Everything a step can use while one case runs against one IdP. */
export interface RunContext {
  runId: string;
  idp: IdpId;
  driver: Driver;
  target: RunTarget;
  tenant: TenantInfo;
  setup: TenantSetup;
  screenshotDir: string;
  /** Values steps and checks record for the evidence of the current step. */
  observed: Record<string, unknown>;
  /** Arms a mutation of the mock IdP's attack catalogue for this case's tenant (steps/attack.ts). */
  armMutation?: (mutation: string) => Promise<void>;
  /** The SP's state just before the last attack step, which expect.refused compares against. */
  attack?: AttackBaseline;
}

/** Replaces {workspace} in a path taken from a scenario. */
export const fill = (ctx: RunContext, s: string): string => s.replaceAll('{workspace}', ctx.target.workspace);

export function lastPage(ctx: RunContext): PageState {
  const page = ctx.driver.current();
  if (!page) throw new Error('no page has been opened yet in this case');
  return page;
}
