import type { TargetCapabilities } from '../env/capabilities.js';
import { parsePageRef, type PageName } from '../env/pages.js';
import type { Scenario, Step } from '../scenario/types.js';
import type { PlannedRun } from './plan.js';

const show = (v: unknown) => JSON.stringify(v);
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** The named pages a scenario opens or expects. */
export function pagesUsed(s: Scenario): Set<PageName> {
  const out = new Set<PageName>();
  const add = (ref: string | undefined) => ref && out.add(parsePageRef(ref).name);
  for (const step of s.steps) {
    add(step.login?.page);
    add(step.visit?.page);
    add(step.attack?.page);
    add(step.passwordLogin?.page);
    add(step.expect?.page?.at);
    if (step.passwordLogin) out.add('signIn');
    if (step.switchWorkspace) out.add('switcher');
  }
  return out;
}

/** Settings of `given.workspace` a pre-configured target does not have as the case needs them. */
function settingProblems(s: Scenario, caps: TargetCapabilities): string[] {
  const w = s.given?.workspace;
  if (!w || caps.admin) return [];
  const have = caps.settings ?? {};
  const out: string[] = [];
  const need = (key: string, wanted: unknown, ok: boolean, declared: unknown) => {
    if (ok) return;
    out.push(
      declared === undefined
        ? `${key}: ${show(wanted)}, which the target does not declare (sp.settings.${key})`
        : `${key}: ${show(wanted)}, where the target declares ${show(declared)}`,
    );
  };
  for (const [key, wanted] of Object.entries(w.saml ?? {})) {
    const declared = (have as Record<string, unknown>)[key];
    need(key, wanted, same(declared, wanted), declared);
  }
  // An SP without roles or environments runs the case without the role setup (its role checks
  // are then not applicable one by one, through the observer); a case that tests roles does not apply.
  if (have.roles === false) return out;
  if (w.environments)
    need('environments', w.environments, same(have.environments, w.environments), have.environments);
  if (w.customRoles?.length) {
    // A role with permissions of its own must have been set up by hand as the case needs: only its name can be declared.
    const names = w.customRoles.map((r) => (typeof r === 'string' ? r : r.name));
    const missing = names.filter((r) => !(have.customRoles ?? []).includes(r));
    need('customRoles', names, missing.length === 0, have.customRoles);
  }
  if (w.defaultRoles) {
    const ok = Object.entries(w.defaultRoles).every(
      ([env, role]) => (have.defaultRoles?.[env] ?? 'Operator') === role,
    );
    need('defaultRoles', w.defaultRoles, ok, have.defaultRoles);
  }
  if (w.authentication) {
    const ok = Object.entries(w.authentication).every(([env, m]) =>
      same([...(have.authentication?.[env] ?? [])].sort(), [...m].sort()),
    );
    need('authentication', w.authentication, ok, have.authentication);
  }
  return out;
}

const sloBindingName = (b: 'redirect' | 'post') => (b === 'post' ? 'HTTP-POST' : 'HTTP-Redirect');

function stepProblems(steps: readonly Step[], s: Scenario, caps: TargetCapabilities): string[] {
  const out = new Set<string>();
  const binding = s.given?.idp?.sloBinding;
  for (const step of steps) {
    // A logout attack (attack.victim) travels as the IdP's Single Logout does.
    if (step.logout || step.attack?.victim) {
      if (caps.slo !== 'metadata') {
        const has = binding ? caps.slo[binding] : caps.slo.redirect || caps.slo.post;
        if (!has)
          out.add(
            binding
              ? `Single Logout over ${sloBindingName(binding)} needs the SP's SLO URL for that binding (sp.sloUrl.${binding}, or a SingleLogoutService with that binding in its metadata)`
              : "Single Logout needs the SP's SLO URL (sp.sloUrl, or a SingleLogoutService in its metadata)",
          );
      }
      if (step.logout && (step.logout.flow ?? 'sp-initiated') === 'sp-initiated' && !caps.logoutUrl)
        out.add('SP-initiated logout needs the URL that starts it (sp.logoutUrl)');
    }
    if (step.clock && !caps.admin) out.add("moving the SP's clock needs its admin API");
    if (step.asset && !caps.admin) out.add("assets are created through the SP's admin API");
    if (step.openMail && !caps.mail)
      out.add("the case reads the SP's mail, which the harness does not catch for this target");
    else if (step.openMail?.kind && !caps.mailKinds.has(step.openMail.kind))
      out.add(
        `the case opens ${step.openMail.kind} mail, which the target cannot recognise (mails.kinds.${step.openMail.kind})`,
      );
    if ((step.scim || step.scimRequest || step.graph) && !caps.scim)
      out.add(
        'the case provisions over SCIM, and the target has no SCIM endpoint the harness can reach (scim)',
      );
    if (step.scim?.action === 'disable' && !caps.admin)
      out.add("disabling SCIM revokes the SP's token through its admin API");
  }
  return [...out];
}

/**
 * Why a case cannot run against a target, decided before running it: the settings, members,
 * workspaces, pages, Single Logout endpoints, mail or SCIM it needs and the target lacks.
 * Undefined when it can run. Checks the target cannot grade (an observer it lacks) do not make
 * the case not applicable: they are reported not applicable one by one while it runs.
 */
export function whyNotApplicable(s: Scenario, caps: TargetCapabilities): string | undefined {
  const reasons: string[] = [];
  if (s.testsRoles && caps.settings?.roles === false)
    reasons.push(
      "the case tests the SP's roles or environments, and the target declares it has none (sp.settings.roles: false)",
    );
  const settings = settingProblems(s, caps);
  if (settings.length)
    reasons.push(
      `the case needs ${settings.join('; ')}, and the pre-configured target has no admin API to set ${settings.length === 1 ? 'it' : 'them'}`,
    );
  const w = s.given?.workspace;
  if (s.given?.idp?.nameId && caps.settings?.emailFromNameId)
    reasons.push(
      "the IdP sends a NameID that is not the person's email (given.idp.nameId), and the target knows people by the NameID alone (sp.settings.emailFromNameId)",
    );
  if (s.given?.idp?.metadataKey && s.given.idp.metadataKey !== 'signing' && !caps.admin)
    reasons.push(
      'the case configures the SP from IdP metadata shaped for it, and the target trusts a tenant configured by hand',
    );
  if (w?.members?.length && !caps.admin)
    reasons.push(
      "given.workspace.members are created through the SP's admin API, which the target does not have",
    );
  if (s.given?.workspaces?.length && !caps.workspaces)
    reasons.push('given.workspaces: the target cannot create further workspaces for a run');
  if (s.given?.idp?.wantAuthnRequestsSigned && !caps.signingCertificate)
    reasons.push(
      'the IdP app is to require signed requests, and the target declares no signing certificate (sp.signingCertificate) to verify them with',
    );
  const missing = [...pagesUsed(s)].filter((p) => !caps.pages.has(p));
  if (missing.length)
    reasons.push(
      `the case opens the SP's ${missing.join(', ')} page${missing.length === 1 ? '' : 's'}, which the target does not map (${missing.map((p) => `sp.pages.${p}`).join(', ')})`,
    );
  reasons.push(...stepProblems(s.steps, s, caps));
  return reasons.length ? reasons.join('; ') : undefined;
}

/** The plan with the target's verdicts added to the runs it decides nothing else for. */
export function withTargetVerdicts(
  runs: readonly PlannedRun[],
  caps: TargetCapabilities | undefined,
): PlannedRun[] {
  if (!caps) return [...runs];
  return runs.map((r) => {
    if (r.verdict) return r;
    const why = whyNotApplicable(r.loaded.scenario, caps);
    return why ? { ...r, verdict: { status: 'not-applicable', reason: why } } : r;
  });
}
