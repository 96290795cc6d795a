import type { SetupUser } from '../../setup.js';
import type { TenantScim } from '../state.js';
import { EngineError } from './engine.js';

/**
 * Okta's app assignments (seed 002 "Convert user assignments to group assignments"): a user
 * reaches the app individually (app user scope `USER`) or through groups assigned to the app
 * (scope `GROUP`). Each group assignment carries app attribute values; a group-scoped user takes
 * those of the highest-priority group among theirs (the first assigned, as Okta appends each new
 * group assignment at the lowest priority). An individual assignment keeps its own values, whatever
 * group the user is also in, until Convert Assignments turns it into a group assignment.
 */

/** Records (or updates, keeping its priority) the app's assignment to a group. */
export function assignGroupToApp(t: TenantScim, group: string, values: Record<string, unknown>): void {
  const was = t.groupAssignments.get(group);
  t.groupAssignments.set(group, { ...was, ...values });
}

/** The assigned group whose values a group-scoped member takes, if the user is in any. */
export function governingGroup(t: TenantScim, u: SetupUser): string | undefined {
  const mine = new Set(u.groups ?? []);
  return [...t.groupAssignments.keys()].find((g) => mine.has(g));
}

/** Whether the user's assignment is an individual one (scope USER). */
export function individuallyAssigned(t: TenantScim, u: SetupUser): boolean {
  return u.assigned !== false && t.link(u).scope !== 'GROUP';
}

/** Makes the user group-scoped and gives them the governing group's values; which group that is. */
export function takeGroupValues(t: TenantScim, u: SetupUser): string {
  const group = governingGroup(t, u);
  if (!group)
    throw new EngineError(
      'ERR_SCIM_BAD_PARAMS',
      `${u.login} is in no group assigned to the app, so the assignment cannot be converted`,
      409,
    );
  u.assigned = true;
  t.link(u).scope = 'GROUP';
  u.appUser = { ...u.appUser, ...t.groupAssignments.get(group) };
  return group;
}
