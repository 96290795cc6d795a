import { CheckFailed, HarnessError } from '../errors.js';
import type { Expectations } from '../scenario/types.js';
import { showsSignedIn } from '../env/signed-in.js';
import { observeState } from './attack.js';
import { scenarioDuration } from '../duration.js';
import { lastPage, type RunContext } from './context.js';

export const HTTP_ONLY_GRADING =
  'graded on the HTTP outcome only: the target has no observer API, so accounts, sessions and roles were not checked';

/**
 * expect.refused: the SP refused the hostile response of the last attack step. The user is
 * not signed in; with an observer API, no member was created, no member's roles or status
 * changed and no session was opened (compared with the state just before the attack); the
 * refusal page shows the expected code when it shows one.
 */
export async function checkRefused(ctx: RunContext, e: NonNullable<Expectations['refused']>): Promise<void> {
  const base = ctx.attack;
  if (!base) throw new HarnessError('ERR_SCENARIO_REFERENCE', 'expect.refused must follow an attack step');
  if (base.unanswered) {
    ctx.observed.refusal = { mutation: base.mutation, unanswered: base.unanswered };
    throw new CheckFailed(
      'ERR_CHECK_ATTACK_UNANSWERED',
      `the SP did not answer ${base.mutation}: ${base.unanswered}`,
      e.within,
      'no answer',
    );
  }
  const page = lastPage(ctx);
  const shown = /data-error-code="([^"]+)"/.exec(page.html)?.[1];
  ctx.observed.page = { url: page.url, status: page.status, text: page.text.slice(0, 500) };
  ctx.observed.refusal = { mutation: base.mutation, status: page.status, errorCode: shown ?? null };
  if (showsSignedIn(await ctx.target.signedIn(page, ctx.driver), base.user))
    throw new CheckFailed(
      'ERR_CHECK_ATTACK_ACCEPTED',
      `the SP accepted ${base.mutation} and signed ${base.user} in`,
    );
  if (base.answeredInMs !== undefined) {
    ctx.observed.answeredInMs = base.answeredInMs;
    if (e.within !== undefined && base.answeredInMs > scenarioDuration(e.within))
      throw new CheckFailed(
        'ERR_CHECK_ATTACK_UNANSWERED',
        `the SP took ${base.answeredInMs} ms to answer ${base.mutation}`,
        e.within,
        `${base.answeredInMs}ms`,
      );
  }
  if (e.errorCode !== undefined && shown !== undefined && shown !== e.errorCode)
    throw new CheckFailed('ERR_CHECK_ATTACK_REFUSAL', `the SP refused with ${shown}`, e.errorCode, shown);

  const after = await observeState(ctx);
  if (base.members === null || after.members === null) {
    ctx.observed.grading = HTTP_ONLY_GRADING;
    return;
  }
  const observer = ctx.target.observer!;
  ctx.observed.observer = observer.kind;
  ctx.observed.grading = `graded on state through ${observer.description} and on the HTTP outcome${after.sessions === null || base.sessions === null ? ` (sessions not observable: ${observer.cannotSee('sessions')})` : ''}`;
  const before = new Map(base.members.map((m) => [m.email.toLowerCase(), m]));
  for (const m of after.members) {
    const was = before.get(m.email.toLowerCase());
    if (!was)
      throw new CheckFailed(
        'ERR_CHECK_ATTACK_STATE_CHANGED',
        `the SP created member ${m.email} from ${base.mutation}`,
      );
    if (was.status !== m.status)
      throw new CheckFailed(
        'ERR_CHECK_ATTACK_STATE_CHANGED',
        `the status of ${m.email} changed`,
        was.status,
        m.status,
      );
    if (JSON.stringify(sorted(was.roles)) !== JSON.stringify(sorted(m.roles)))
      throw new CheckFailed(
        'ERR_CHECK_ATTACK_STATE_CHANGED',
        `the roles of ${m.email} changed`,
        was.roles,
        m.roles,
      );
  }
  for (const [email, n] of Object.entries(after.sessions ?? {})) {
    if (n > (base.sessions?.[email] ?? 0))
      throw new CheckFailed(
        'ERR_CHECK_ATTACK_STATE_CHANGED',
        `the SP opened a session for ${email}`,
        base.sessions?.[email] ?? 0,
        n,
      );
  }
  // A hostile logout message must end no one's session either.
  for (const [email, n] of Object.entries(after.sessions ? (base.sessions ?? {}) : {})) {
    if ((after.sessions?.[email] ?? 0) < n)
      throw new CheckFailed(
        'ERR_CHECK_ATTACK_STATE_CHANGED',
        `the SP ended a session of ${email}`,
        n,
        after.sessions?.[email] ?? 0,
      );
  }
  if (e.errorCode !== undefined && shown === undefined)
    throw new CheckFailed(
      'ERR_CHECK_ATTACK_REFUSAL',
      `the page shows no refusal (status ${page.status}: "${page.text.slice(0, 160)}")`,
    );
}

const sorted = (o: Record<string, string>) =>
  Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));
