import { expect } from 'chai';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import http, { type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { HttpDriver } from '../../harness/src/drivers/http-driver.js';
import { ExternalTarget, loadTargetFile } from '../../harness/src/env/external-target.js';
import { OUTCOME_NAMES, SP_OUTCOMES } from '../../harness/src/env/outcomes.js';
import { referenceOutcomes } from '../../harness/src/env/reference-markup.js';
import type { InputError } from '../../harness/src/errors.js';
import { ForeignSp } from '../helpers/foreign-sp.js';
import { freePort, idpMetadataAt, ledgerlyTarget, runTarget } from '../helpers/ledgerly.js';
import { pageVerdict } from '../helpers/page-verdict.js';
import { ROOT } from '../helpers/world.js';

/** A tiny SP with its own wording: /gone is its "membership ended" page (403), /ok a signed-in page. */
async function tinySp(): Promise<{ url: string; server: Server }> {
  const server = http.createServer((req, res) => {
    const pages: Record<string, [number, string]> = {
      '/gone': [403, '<h1>Your membership has ended</h1>'],
      '/ok': [200, '<p>Hello maria.garcia@acme.example</p>'],
      '/denied': [403, '<h1>Forbidden</h1>'],
    };
    const [status, body] = pages[req.url ?? ''] ?? [404, 'not found'];
    res.writeHead(status, { 'content-type': 'text/html' });
    res.end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

const dir = mkdtempSync(join(tmpdir(), 'outcomes-'));
let n = 0;
function targetFile(base: string, outcomes: string[]): string {
  const file = join(dir, `t${n++}.yaml`);
  writeFileSync(
    file,
    [
      'name: tiny',
      `sp: { loginUrl: "${base}/ok", acsUrl: "${base}/acs", entityId: urn:tiny }`,
      'signedIn: { text: "Hello {email}" }',
      'idp: { port: 7999 }',
      ...(outcomes.length ? ['outcomes:', ...outcomes.map((o) => `  ${o}`)] : []),
      '',
    ].join('\n'),
  );
  return file;
}

const verdict = pageVerdict;

describe('harness: outcomes instead of an SP’s wording (page.shows)', () => {
  let sp: { url: string; server: Server };
  const driver = new HttpDriver(5_000);
  before(async () => {
    sp = await tinySp();
  });
  after(() => new Promise<void>((r) => sp.server.close(() => r())));

  const prepare = async (outcomes: string[]) =>
    new ExternalTarget(loadTargetFile(targetFile(sp.url, outcomes))).prepareRun({ runId: 'r', idp: 'okta' });

  it('an outcome the target file does not declare is not applicable, with the reason: never a pass', async () => {
    const target = await prepare([]);
    await driver.goto(`${sp.url}/gone`);
    expect(await verdict(target, driver, { shows: 'lockedOut' })).to.match(
      /^not-applicable: .*outcomes\.lockedOut/,
    );
    expect(await verdict(target, driver, { notShows: 'lockedOut' })).to.match(/^not-applicable: /);
  });

  it('a declared outcome passes on its page and fails on another page of the SP', async () => {
    const target = await prepare(['lockedOut: { text: "membership has ended", status: 403 }']);
    await driver.goto(`${sp.url}/gone`);
    expect(await verdict(target, driver, { shows: 'lockedOut' })).to.equal('passed');
    expect(await verdict(target, driver, { notShows: 'lockedOut' })).to.equal('ERR_CHECK_PAGE_OUTCOME');
    await driver.goto(`${sp.url}/denied`);
    expect(await verdict(target, driver, { shows: 'lockedOut' })).to.equal('ERR_CHECK_PAGE_OUTCOME');
    await driver.goto(`${sp.url}/ok`);
    expect(await verdict(target, driver, { shows: 'lockedOut' })).to.equal('ERR_CHECK_PAGE_OUTCOME');
  });

  it('a failing part of the page check is not hidden by a part the target cannot tell', async () => {
    const target = await prepare([]);
    await driver.goto(`${sp.url}/ok`);
    expect(await verdict(target, driver, { shows: 'envDenied', nobodySignedIn: true })).to.equal(
      'ERR_CHECK_SIGNED_IN',
    );
    expect(
      await verdict(target, driver, { shows: 'envDenied', signedInAs: 'maria.garcia@acme.example' }),
    ).to.match(/^not-applicable: /);
  });

  it('the IdP’s outcomes are the harness’s own: an SP page is never the IdP’s sign-in page', async () => {
    const target = await prepare([]);
    await driver.goto(`${sp.url}/ok`);
    expect(await verdict(target, driver, { shows: 'idpSignIn' })).to.equal('ERR_CHECK_PAGE_OUTCOME');
  });

  it('a target file with an unknown outcome or a bad pattern is refused with its key path', () => {
    const problems = (outcomes: string[]) => {
      try {
        loadTargetFile(targetFile('http://sp.example', outcomes));
      } catch (e) {
        expect((e as InputError).code).to.equal('ERR_TARGET_FILE');
        return (e as InputError).problems.map((p) => p.path);
      }
      return [];
    };
    expect(problems(['lockedout: { text: gone }'])).to.deep.equal(['outcomes.lockedout']);
    expect(problems(['refused: {}'])).to.deep.equal(['outcomes.refused']);
    expect(problems(['refused: { pattern: "(" }'])).to.deep.equal(['outcomes.refused.pattern']);
    expect(problems(['refused: { url: "/x" }'])).to.deep.equal(['outcomes.refused.url']);
    expect(
      problems(['refused: { pattern: "Sign-in (failed|refused)", url: "http://sp.example/err" }']),
    ).to.deep.equal([]);
  });

  it('the reference SP is read by its markup: the code it shows is one outcome, not another', () => {
    const read = referenceOutcomes('http://sp');
    const page = (html: string, status = 403) => ({
      url: 'http://sp/w/acme/env/PROD',
      status,
      html,
      text: '',
    });
    expect(read('envDenied', page('<div data-error-code="ERR_ENV_NO_ACCESS">'))).to.include({ shown: true });
    expect(read('lockedOut', page('<div data-error-code="ERR_ENV_NO_ACCESS">'))).to.include({ shown: false });
    // A browser serialises a bare marker attribute with an empty value.
    expect(read('lockedOut', page('<p data-locked-out>gone</p>'))).to.include({ shown: true });
    expect(read('lockedOut', page('<p data-locked-out="">gone</p>'))).to.include({ shown: true });
    expect(read('opened', page('<p data-signed-in-email="a@x.example">', 200))).to.include({ shown: true });
    expect(read('opened', page('<p data-signed-in-email="a@x.example">', 403))).to.include({ shown: false });
    expect(read('opened', page('<div data-error-code="ERR_ROLE_CANNOT_EDIT">', 200))).to.include({
      shown: false,
    });
  });

  it('the bundled scenarios hold none of the reference SP’s wording, codes or URL layout', () => {
    const wording = [
      /\berrorCode\b/,
      /data-error-code/,
      /(^|[{\s,])(not)?[cC]ontains:/,
      /\/w\//,
      /Access removed|check your email|Signed in as|You have been signed out|Switch workspace/i,
      /Environment (DEV|TEST|PROD)|Sign in with SSO|single sign-on|Edit [a-z-]+|\bPassword\b/,
    ];
    const files = readdirSync(join(ROOT, 'scenarios'), { recursive: true, encoding: 'utf8' }).filter(
      (f) => f.endsWith('.yaml') && f !== 'catalogue.yaml',
    );
    expect(files.length).to.be.greaterThan(100);
    const hits = files.flatMap((f) =>
      readFileSync(join(ROOT, 'scenarios', f), 'utf8')
        .split('\n')
        .filter((line) => !/^\s*(#|- ['"]|title:)/.test(line))
        .filter((line) => wording.some((w) => w.test(line)))
        .map((line) => `${f}: ${line.trim()}`),
    );
    expect(hits).to.deep.equal([]);
  });

  it('the bundled scenarios pick mail by its kind, never by the reference SP’s subjects', () => {
    const files = readdirSync(join(ROOT, 'scenarios'), { recursive: true, encoding: 'utf8' }).filter(
      (f) => f.endsWith('.yaml') && f !== 'catalogue.yaml',
    );
    const hits: string[] = [];
    let picked = 0;
    for (const f of files) {
      const text = readFileSync(join(ROOT, 'scenarios', f), 'utf8');
      if (/Verify your email|You are invited|join (HR|Legal)\b/i.test(text))
        hits.push(`${f}: the reference SP's mail wording`);
      const doc = parseYaml(text) as { steps?: { openMail?: object; expect?: { mails?: object } }[] } | null;
      for (const [i, step] of (doc?.steps ?? []).entries())
        for (const [key, sel] of [
          ['openMail', step.openMail],
          ['expect.mails', step.expect?.mails],
        ] as const) {
          if (!sel) continue;
          picked++;
          if ('subject' in sel) hits.push(`${f}: steps[${i}].${key}.subject`);
        }
    }
    expect(picked, 'mail steps found').to.be.greaterThan(20);
    expect(hits).to.deep.equal([]);
  });

  it('one vocabulary: the scenario schema, the target schema and outcomes.ts name the same outcomes', () => {
    const scenario = JSON.parse(readFileSync(join(ROOT, 'scenarios/scenario.schema.json'), 'utf8'));
    const target = JSON.parse(readFileSync(join(ROOT, 'harness/target.schema.json'), 'utf8'));
    expect(scenario.definitions.outcome.enum).to.deep.equal(OUTCOME_NAMES);
    expect(Object.keys(target.properties.outcomes.properties)).to.deep.equal(SP_OUTCOMES);
  });
});

describe('harness: an outcome graded through a target file’s recogniser (Ledgerly)', function () {
  this.timeout(120_000);
  const LOCKED_OUT = join(ROOT, 'test/fixtures/scenarios/targets/locked-out.yaml');
  const work = mkdtempSync(join(tmpdir(), 'outcomes-ledgerly-'));
  let idpPort: number;
  let metadata: Record<string, string>;
  before(async () => {
    idpPort = await freePort();
    metadata = await idpMetadataAt(idpPort);
  });

  const lastStep = async (wrong: 'keepsDeactivated' | undefined, declared = true) => {
    const sp = await ForeignSp.start({ idps: metadata, ...(wrong ? { wrong } : {}) });
    try {
      const target = ledgerlyTarget(sp, idpPort, 'scim') as { outcomes?: Record<string, unknown> };
      if (!declared) delete target.outcomes!.lockedOut;
      const { report } = await runTarget(target, LOCKED_OUT, work);
      const r = report.results[0]!;
      const before = r.steps.slice(0, -1).map((s) => s.status);
      expect(new Set(before), JSON.stringify(r.steps.map((s) => s.message))).to.deep.equal(
        new Set(['passed']),
      );
      return r.steps.at(-1)!;
    } finally {
      await sp.close();
    }
  };

  it('passes an SP that locks the deactivated member out, as its file says it shows that', async () => {
    expect(await lastStep(undefined)).to.include({ status: 'passed' });
  });

  it('fails an SP that keeps the deactivated member signed in', async () => {
    const step = await lastStep('keepsDeactivated');
    expect(step.status).to.equal('failed');
    expect(step.code).to.be.oneOf(['ERR_CHECK_SIGNED_IN', 'ERR_CHECK_PAGE_OUTCOME']);
  });

  it('is not applicable, with the reason, when the file does not say how the SP shows it', async () => {
    const step = await lastStep(undefined, false);
    expect(step.status).to.equal('not-applicable');
    expect(step.message).to.match(/outcomes\.lockedOut/);
  });
});
