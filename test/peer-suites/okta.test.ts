import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { startIdp, type RunningIdp } from '../../mock-idp/src/index.js';
import { Tenant } from '../../mock-idp/src/tenant.js';
import { loadSetupFile } from '../../mock-idp/src/setup.js';
import { oktaCrudVariables, oktaSpecVariables } from '../../harness/src/peer/okta-variables.js';
import {
  runRunscopeExport,
  type RunscopeExport,
  type SuiteOutcome,
} from '../../harness/src/peer/runscope.js';
import { ROOT } from '../helpers/world.js';
import { newUser, startScimWorld, type ScimWorld } from '../scim/helpers.js';

const SUITES = join(ROOT, '..', 'shared', 'peer-suites', 'okta');

const failures = (o: SuiteOutcome) =>
  o.steps
    .filter((s) => !s.passed && !s.skipped)
    .map((s) => ({
      step: s.note,
      status: s.status,
      error: s.error,
      scriptErrors: s.scriptErrors,
      failed: s.assertions.filter((a) => !a.passed),
    }));

function load(name: string): RunscopeExport | undefined {
  const file = join(SUITES, name);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as RunscopeExport) : undefined;
}

describe("Okta's SCIM 2.0 test suites (Runscope exports) against the reference SP", function () {
  let world: ScimWorld;
  let idp: RunningIdp;

  before(async () => {
    world = await startScimWorld();
    idp = await startIdp();
  });
  after(async () => {
    await idp.close();
    await world.close();
  });

  it('passes "Okta SCIM 2.0 SPEC Test" against /scim/v2', async function () {
    const doc = load('okta-spec.json');
    if (!doc) {
      console.log(
        `      ${SUITES}/okta-spec.json is not here: the shared peer suites are absent, so this test steps aside`,
      );
      return this.skip();
    }
    // The suite expects at least one user to exist already.
    expect((await world.scim('POST', '/Users', newUser('existing.user@atko.com'))).status).to.equal(201);
    const outcome = await runRunscopeExport(doc, {
      variables: oktaSpecVariables(world.base, world.token),
      pause: async () => undefined,
    });
    expect(failures(outcome)).to.deep.equal([]);
    expect(outcome.steps.filter((s) => s.kind === 'request')).to.have.length(12);
  });

  it('passes "Okta SCIM 2.0 CRUD Test" against mock Okta\'s management API provisioning to the SP', async function () {
    const doc = load('okta-crud.json');
    if (!doc) {
      console.log(
        `      ${SUITES}/okta-crud.json is not here: the shared peer suites are absent, so this test steps aside`,
      );
      return this.skip();
    }
    const setup = loadSetupFile(join(ROOT, 'fixtures/setups/okta.yaml'));
    idp.tenants.set(setup.tenant, new Tenant(setup, () => idp.url));
    const admin = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${idp.url}/api/admin/tenants/${setup.tenant}${path}`, {
        method,
        headers: { authorization: `Bearer ${idp.adminToken}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return (await res.json()) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    };
    const conf = await admin('PUT', '/scim', {
      baseUrl: world.base,
      token: world.token,
      options: { retryBaseMs: 20 },
    });
    const outcome = await runRunscopeExport(doc, {
      variables: oktaCrudVariables({ baseUrl: world.base, token: world.token }, conf.managementApi),
      // Okta provisions asynchronously; a pause waits until mock Okta's queue is idle.
      pause: async (seconds) => void (await admin('POST', '/scim/settle', { timeoutMs: seconds * 1000 })),
    });
    expect(failures(outcome)).to.deep.equal([]);
    const transcript = (await admin('GET', '/scim/transcript')) as unknown as {
      method: string;
      url: string;
    }[];
    expect(transcript.map((e) => e.method)).to.include.members(['GET', 'POST', 'PUT', 'PATCH']);
  });
});
