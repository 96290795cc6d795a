import { createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { DriverFactory } from '../drivers/driver.js';
import { MutationPrecondition, type MockIdp } from '../env/idp.js';
import type { RunTarget, Target } from '../env/target.js';
import {
  CheckFailed,
  HarnessError,
  NotApplicable,
  describeError,
  describeFailure,
  errorCode,
} from '../errors.js';
import {
  countChecks,
  emptyEvidence,
  gradingOf,
  type CaseResult,
  type CheckResult,
  type Status,
  type StepResult,
} from '../model.js';
import { takeStepTraffic, type RunContext } from '../steps/context.js';
import { attack } from '../steps/attack.js';
import { graphStep } from '../steps/graph.js';
import { login } from '../steps/login.js';
import { checkLogoutApplies, sloForTenant } from '../steps/logout.js';
import { applyGiven, inWorkspace } from '../steps/given.js';
import { describeStep, runStep } from '../steps/run-step.js';
import type { Step } from '../scenario/types.js';
import type { PlannedRun } from './plan.js';
import { baseResult } from './results.js';
import {
  createAsset,
  scenarioUsesScim,
  scimEvidence,
  scimRequest,
  scimStep,
  setUpScim,
} from '../steps/scim.js';

export interface CaseRunOptions {
  idp: MockIdp;
  target: Target;
  drivers: DriverFactory;
  stepTimeoutMs: number;
  reportsDir: string;
  /** With a seed, run IDs (tenant names, screenshot names) are derived from it and the run's key: reruns repeat them. */
  seed?: string;
}

function stepName(step: Step, i: number): string {
  if (step.name) return step.name;
  const described = describeStep(step);
  if (described) return described;
  if (step.login) return `${step.login.user} signs in (${step.login.flow ?? 'sp-initiated'})`;
  if (step.visit) return `visit ${step.visit.path}`;
  if (step.attack) return `${step.attack.user} signs in and the IdP sends ${step.attack.mutation}`;
  if (step.scim)
    return `the IdP's SCIM engine: ${step.scim.action}${step.scim.user ? ` ${step.scim.user}` : ''}`;
  if (step.asset) return `${step.asset.owner} creates the ${step.asset.kind} ${step.asset.name}`;
  if (step.scimRequest) return `SCIM ${step.scimRequest.method} ${step.scimRequest.path}`;
  if (step.graph) return `Graph ${step.graph.method} ${step.graph.path}`;
  return `expect ${Object.keys(step.expect ?? {}).join(', ')} (step ${i + 1})`;
}

async function withTimeout<T>(ms: number, what: string, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new HarnessError('ERR_STEP_TIMEOUT', `${what} did not finish within ${ms} ms`)),
      ms,
    );
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** IdP metadata an SP may rightly refuse to be configured from: it lists no usable signing key. */
const REFUSABLE_METADATA = new Set(['none', 'encryption-only', 'expired']);

/** Runs one planned cell: prepares an isolated SP and IdP tenant, drives every step, grades every check. */
export async function runCase(run: PlannedRun, opts: CaseRunOptions): Promise<CaseResult> {
  const s = run.loaded.scenario;
  const started = Date.now();
  const base = baseResult(run);
  if (run.verdict)
    return { ...base, status: run.verdict.status, durationMs: 0, steps: [], message: run.verdict.reason };

  const runId = opts.seed
    ? createHash('sha256').update(`${opts.seed}|${run.key}`).digest('hex').slice(0, 8)
    : randomBytes(4).toString('hex');
  const steps: StepResult[] = [];
  let target: RunTarget | undefined;
  let tenantName: string | undefined;
  let driver: Awaited<ReturnType<DriverFactory['create']>> | undefined;
  const cleanups: (() => Promise<void>)[] = [];
  let workspaceTargets: Record<string, { target: RunTarget }> = {};
  let status: Status = 'passed';
  let message: string | undefined;
  try {
    const given = s.given ?? {};
    const setupStarted = Date.now();
    try {
      const preparing = opts.target.prepareRun({
        runId,
        idp: run.idp,
        environments: given.workspace?.environments,
        customRoles: given.workspace?.customRoles,
      });
      try {
        target = await withTimeout(opts.stepTimeoutMs, 'preparing the target', preparing);
      } catch (e) {
        // A target that becomes ready after the timeout is disposed then: nothing is left running.
        preparing.then((late) => late.dispose()).catch(() => undefined);
        throw e;
      }
      checkLogoutApplies(target, s.steps, given.idp?.sloBinding);
      const metadataKey = given.idp?.metadataKey;
      if (metadataKey && metadataKey !== 'signing' && target.keepIdpTenant)
        throw new NotApplicable(
          'the case configures the SP from IdP metadata shaped for it, and the target trusts a tenant configured by hand',
        );
      const setup = opts.idp.setupFor(run.idp, given.idp?.setups?.[run.idp], {
        tenant: `${run.idp}-${runId}`,
        keepTenant: target.keepIdpTenant,
        acsUrl: target.acsUrl,
        audience: target.spEntityId,
        users: given.idp?.users,
        nameId: given.idp?.nameId?.[run.idp],
        ...sloForTenant(target, given.idp?.sloBinding),
        spCertificatePem: target.signingCertificatePem,
        wantAuthnRequestsSigned: given.idp?.wantAuthnRequestsSigned,
        ssoAfterDeprovisioning: given.idp?.ssoAfterDeprovisioning,
        metadataKey,
      });
      if (setup.app.wantAuthnRequestsSigned && !setup.app.spCertificatePem)
        throw new NotApplicable(
          'the IdP app is to require signed requests, and the target declares no signing certificate (sp.signingCertificate) to verify them with',
        );
      tenantName = setup.tenant;
      const tenant = await opts.idp.putTenant(setup);
      let setupNote: string | undefined;
      try {
        await target.configureSaml(await opts.idp.metadata(tenant), given.workspace?.saml ?? {});
      } catch (e) {
        // Metadata without a usable signing key may be refused outright; the SP then trusts nothing.
        if (!metadataKey || !REFUSABLE_METADATA.has(metadataKey)) throw e;
        setupNote = `the SP refused the IdP metadata (${metadataKey}): ${describeError(e)}`;
      }
      driver = await opts.drivers.create(opts.stepTimeoutMs);
      const ctx: RunContext = {
        runId,
        idp: run.idp,
        driver,
        target,
        tenant,
        setup,
        screenshotDir: join(opts.reportsDir, 'screenshots'),
        stepTimeoutMs: opts.stepTimeoutMs,
        observed: {},
        mockIdp: opts.idp,
        cleanups,
        armMutation: (mutation, victim) =>
          opts.idp.armMutation(tenant.tenant, mutation, victim).catch((e: unknown) => {
            // A tenant without what the mutation needs (no SP certificate to encrypt for) cannot run the case.
            throw e instanceof MutationPrecondition ? new NotApplicable(e.message) : e;
          }),
      };
      workspaceTargets = ctx.workspaces ??= {};
      await applyGiven(ctx, given);
      if (scenarioUsesScim(s)) await setUpScim(ctx, given.scim?.options);
      steps.push({
        name: 'set up the workspace and the IdP tenant',
        status: 'passed',
        durationMs: Date.now() - setupStarted,
        evidence: emptyEvidence(),
        ...(setupNote ? { message: setupNote } : {}),
      });

      for (const [i, step] of s.steps.entries()) {
        const name = stepName(step, i);
        if (status !== 'passed' && status !== 'not-applicable') {
          steps.push({
            name,
            status: 'skipped',
            durationMs: 0,
            evidence: emptyEvidence(),
            message: 'an earlier step did not pass',
          });
          continue;
        }
        const t0 = Date.now();
        ctx.observed = {};
        ctx.checks = undefined;
        let stepStatus: Status = 'passed';
        let stepMessage: string | undefined;
        let code: string | undefined;
        try {
          await withTimeout(
            opts.stepTimeoutMs,
            `step "${name}"`,
            (async () => {
              if (step.login) await login(inWorkspace(ctx, step.workspace), step.login);
              if (step.attack) await attack(ctx, step.attack, step.expect?.refused);
              if (step.asset) await createAsset(ctx, step.asset);
              if (step.scim) await scimStep(ctx, step.scim);
              if (step.scimRequest) await scimRequest(ctx, step.scimRequest);
              if (step.graph) await graphStep(ctx, step.graph);
              await runStep(ctx, step);
            })(),
          );
        } catch (e) {
          if (e instanceof CheckFailed) {
            stepStatus = 'failed';
            code = e.code;
            stepMessage = describeFailure(e);
          } else if (e instanceof NotApplicable) {
            stepStatus = 'not-applicable';
            stepMessage = e.message;
          } else {
            stepStatus = 'error';
            stepMessage = describeError(e);
            code = errorCode(e);
          }
        }
        // Set by checkExpectations while the step ran (TypeScript sees only the reset above).
        const checks = ctx.checks as CheckResult[] | undefined;
        const traffic = takeStepTraffic(ctx);
        const evidence = emptyEvidence();
        evidence.http = traffic.http;
        const lastResponse = traffic.samlResponses.at(-1);
        if (lastResponse !== undefined) evidence.saml = lastResponse;
        if (traffic.samlRequests.length) evidence.samlRequests = traffic.samlRequests;
        if (Object.keys(ctx.observed).length) evidence.observed = ctx.observed;
        if (ctx.mail?.length) evidence.mail = ctx.mail.splice(0);
        const scimTraffic = scimEvidence(ctx);
        if (scimTraffic.length) evidence.scim = scimTraffic;
        const navigated =
          step.passwordLogin || step.switchWorkspace || step.openMail?.followLink || step.logout;
        if (step.login || step.attack || navigated || stepStatus === 'failed') {
          const shot = await driver
            .screenshot(
              join(ctx.screenshotDir, `${s.case}.${run.idp}.${run.driver}.${runId}.step${i + 1}.png`),
            )
            .catch(() => undefined);
          if (shot) evidence.screenshot = shot;
        }
        steps.push({
          name,
          status: stepStatus,
          durationMs: Date.now() - t0,
          evidence,
          ...(stepMessage ? { message: stepMessage } : {}),
          ...(code ? { code } : {}),
          ...(checks?.length ? { checks } : {}),
        });
        if (stepStatus === 'failed' || stepStatus === 'error') {
          status = stepStatus;
          message = `${name}: ${stepMessage}`;
        } else if (stepStatus === 'not-applicable') {
          // A step none of whose checks (or whose action) could run leaves a part of the case
          // ungraded: the case is not applicable, whatever its other steps showed.
          status = 'not-applicable';
          message ??= `${name}: ${stepMessage}`;
        }
      }
    } catch (e) {
      // A target that lacks what the case's `given` needs (an admin API …) makes it not applicable.
      const notApplicable = e instanceof NotApplicable;
      status = notApplicable ? 'not-applicable' : 'error';
      message = notApplicable ? (e as Error).message : describeError(e);
      steps.push({
        name: 'set up the workspace and the IdP tenant',
        status,
        durationMs: Date.now() - setupStarted,
        evidence: emptyEvidence(),
        message,
        ...(notApplicable ? {} : { code: errorCode(e) }),
      });
    }
  } finally {
    await driver?.close().catch(() => undefined);
    for (const undo of cleanups) await undo().catch(() => undefined);
    if (tenantName) await opts.idp.removeTenant(tenantName);
    await target?.dispose().catch(() => undefined);
  }
  const used = [target, ...Object.values(workspaceTargets).map((w) => w.target)].find(
    (t) => t?.observer?.used,
  )?.observer;
  const checks = countChecks(steps);
  return {
    ...base,
    status,
    durationMs: Date.now() - started,
    observer: used?.kind ?? 'none',
    ...(status === 'passed' ? { grading: gradingOf(steps) } : {}),
    ...(checks.passed + checks.failed + checks.errors + checks.notApplicable ? { checks } : {}),
    steps,
    ...(message ? { message } : {}),
  };
}
