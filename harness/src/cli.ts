import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { DURATION_EXAMPLES, parseDuration } from './duration.js';
import { HarnessError, InputError } from './errors.js';
import { registerImport } from './import/command.js';
import { NO_IDP, exitCodeFor, idpLabel, nothingGraded, type Report } from './model.js';
import { FIXTURES_DIR, SCENARIOS_DIR, displayPath } from './paths.js';
import { createReporters } from './reporters/index.js';
import { catalogueRows } from './runner/catalogue.js';
import { mergeReports, readShardReports, renderReport } from './runner/merge.js';
import { grepMatches, grepTexts, plan, parseShard, type PlannedRun } from './runner/plan.js';
import { SUITE_DEFAULTS, runSuite } from './runner/run-suite.js';
import { withTargetVerdicts } from './runner/applicability.js';
import { describeCapabilities, ungradedChecks } from './runner/target-preview.js';
import { capabilitiesOfSpec, targetSpecFromFile } from './runner/target-spec.js';
import { loadScenarios } from './scenario/load.js';
import { ALL_IDPS, type IdpId } from './scenario/types.js';

/** How README.md and `run --help` name the default number of workers. */
export const WORKERS_DEFAULT_TEXT = 'one per core, at most 4';

/** Defaults of the CLI that are not the suite's own (see SUITE_DEFAULTS). */
export const CLI_DEFAULTS = {
  /** One worker process per core, at most 4: the runs are CPU-bound (signing, verifying, SQLite). */
  workers: Math.max(1, Math.min(4, availableParallelism())),
  reportsDir: 'reports',
  reporters: (reportsDir: string) => ['list', `json=${reportsDir}/report.json`],
};

const positiveInt = (name: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1)
    throw new InvalidArgumentError(`${name} must be a positive whole number`);
  return n;
};

function parseIdps(v: string): IdpId[] {
  const list = v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const bad = list.filter((x) => !(ALL_IDPS as readonly string[]).includes(x));
  if (bad.length || list.length === 0)
    throw new InvalidArgumentError(`unknown IdP ${bad.join(', ')} (known: ${ALL_IDPS.join(', ')})`);
  return list as IdpId[];
}

function duration(v: string): number {
  const ms = parseDuration(v);
  if (ms === null)
    throw new InvalidArgumentError(`takes a number with a unit (ms, s, m, h, d): ${DURATION_EXAMPLES}`);
  return ms;
}

/** What --grep is tried on (runner/plan.ts grepTexts): any one matching selects the case. */
const GREP_HELP =
  'only cases whose ID alone, title alone, or "<case> <title> [<idp>]" matches; a run that selects no case exits 2';

const collect = (v: string, prev: string[]) => [...prev, v];

/** `host:port` of an SMTP server (`[::1]:2525` for IPv6). */
function smtpAddress(v: string): { host: string; port: number } {
  const m = /^(\[[^\]]+\]|[^:\s]+):(\d{1,5})$/.exec(v.trim());
  const port = Number(m?.[2]);
  if (!m || port < 1 || port > 65535)
    throw new InvalidArgumentError('--smtp takes host:port, e.g. 127.0.0.1:2525');
  return { host: m[1]!.replace(/^\[|\]$/g, ''), port };
}

function regex(v: string): RegExp {
  try {
    return new RegExp(v);
  } catch (e) {
    throw new InvalidArgumentError(`not a regular expression: ${(e as Error).message}`);
  }
}

export function buildProgram(
  io: { out: (s: string) => void; err: (s: string) => void },
  setExit: (code: number) => void,
): Command {
  const program = new Command('idp-harness')
    .description(
      'Test SSO and user provisioning against mock Okta, OneLogin, Entra ID and Google Workspace IdPs.',
    )
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .exitOverride();

  program
    .command('run')
    .description(
      'run scenarios (default: the bundled scenarios/) against the embedded reference SP or a --target',
    )
    .argument('[paths...]', 'scenario files or directories')
    .option('--idp <list>', 'IdP profiles, comma-separated', parseIdps, [...ALL_IDPS])
    .addOption(
      new Option('--driver <driver>', 'how logins are driven').choices(['http', 'browser']).default('http'),
    )
    .option('--target <file>', 'an external SP described by a target file (harness/target.schema.json)')
    .option('--reporter <name[=path]>', 'list|dot|json|junit|html, repeatable', collect, [])
    .addOption(
      new Option('--workers <n>', 'case runs in parallel, each worker its own thread or process')
        .argParser(positiveInt('--workers'))
        .default(CLI_DEFAULTS.workers, WORKERS_DEFAULT_TEXT),
    )
    .addOption(
      new Option(
        '--isolation <how>',
        'workers as threads of one process (lighter) or as processes (isolated from native crashes)',
      )
        .choices(['thread', 'process'])
        .default(SUITE_DEFAULTS.isolation),
    )
    .option('--shard <i/n>', 'run only shard i of n (round-robin over the plan)')
    .option('--grep <regex>', GREP_HELP, regex)
    .option(
      '--grep-invert <regex>',
      'leave out cases whose ID, title, or "<case> <title> [<idp>]" matches',
      regex,
    )
    .option('--timeout <duration>', 'timeout of each step', duration, SUITE_DEFAULTS.stepTimeoutMs)
    .option('--run-timeout <duration>', 'timeout of a whole case run', duration, SUITE_DEFAULTS.runTimeoutMs)
    .option('--seed <seed>', 'makes run IDs (tenant and screenshot names) repeatable; recorded in the report')
    .option('--no-progress', 'no progress display (a live line on a TTY, plain lines in CI)')
    .option('--reports-dir <dir>', 'where screenshots and default report files go', CLI_DEFAULTS.reportsDir)
    .action(async (paths: string[], o) => {
      const targetSpec = o.target ? targetSpecFromFile(o.target) : undefined;
      const scenarios = loadScenarios(paths.length ? paths : [SCENARIOS_DIR]);
      const shard = o.shard ? parseShard(o.shard) : undefined;
      const runs = plan(scenarios, {
        idps: o.idp,
        driver: o.driver,
        grep: o.grep,
        grepInvert: o.grepInvert,
        ...(shard ? { shard } : {}),
      });
      if (runs.length === 0) throw noCaseSelected(o, shard);
      const reporters = createReporters(
        o.reporter.length ? o.reporter : CLI_DEFAULTS.reporters(o.reportsDir),
        { progress: o.progress },
      );
      const report = await runSuite(runs, {
        driver: o.driver,
        workers: o.workers,
        stepTimeoutMs: o.timeout,
        runTimeoutMs: o.runTimeout,
        isolation: o.isolation,
        reportsDir: o.reportsDir,
        reporters,
        ...(targetSpec ? { targetSpec } : {}),
        ...(o.seed !== undefined ? { seed: String(o.seed) } : {}),
        ...(shard ? { shard } : {}),
      });
      setExit(verdictExit(report, io));
    });

  program
    .command('merge-reports')
    .description('merge the JSON reports of --shard runs into the report of the whole run, and render it')
    .argument('<dir>', 'directory holding the shard JSON reports')
    .option(
      '--reporter <name[=path]>',
      'list|dot|json|junit|html, repeatable (default: list and json=reports/report.json)',
      collect,
      [],
    )
    .action(async (dir: string, o) => {
      const { shards, ignored } = readShardReports(dir);
      const report = mergeReports(shards);
      io.err(
        `merging ${shards.length} shard reports from ${dir}${ignored.length ? ` (passing over ${ignored.length} other JSON file${ignored.length === 1 ? '' : 's'}: ${ignored.map(displayPath).join(', ')})` : ''}\n`,
      );
      const reporters = createReporters(
        o.reporter.length ? o.reporter : CLI_DEFAULTS.reporters(CLI_DEFAULTS.reportsDir),
      );
      await renderReport(report, reporters);
      setExit(verdictExit(report, io));
    });

  program
    .command('validate')
    .description('check scenario files against scenarios/scenario.schema.json (and a --target file)')
    .argument('[paths...]', 'scenario files or directories')
    .option('--target <file>', 'also check a target file against harness/target.schema.json')
    .action((paths: string[], o) => {
      if (o.target) {
        targetSpecFromFile(o.target);
        io.out(`ok  ${displayPath(o.target)}  (target file)\n`);
      }
      const loaded = loadScenarios(paths.length ? paths : [SCENARIOS_DIR]);
      for (const l of loaded) io.out(`ok  ${l.file}  ${l.scenario.case}\n`);
      io.out(`${loaded.length} scenario files are valid\n`);
    });

  program
    .command('list')
    .description(
      'the case catalogue (scenarios/catalogue.yaml) × IdP profiles: what runs, what does not apply and why, what is missing',
    )
    .argument('[paths...]', 'scenario files or directories')
    .option('--idp <list>', 'IdP profiles, comma-separated', parseIdps, [...ALL_IDPS])
    .addOption(
      new Option('--driver <driver>', 'driver to plan for').choices(['http', 'browser']).default('http'),
    )
    .option('--grep <regex>', GREP_HELP, regex)
    .option('--missing', 'only catalogue cases that no scenario implements yet')
    .option('--requirements', 'under each case, the requirements it checks (seed passages, RFC sections)')
    .option(
      '--target <file>',
      'plan for an external SP (a target file): what will run against it, what will not, and why',
    )
    .action((paths: string[], o) => {
      const targetSpec = o.target ? targetSpecFromFile(o.target) : undefined;
      const scenarios = loadScenarios(paths.length ? paths : [SCENARIOS_DIR]);
      const caps = targetSpec ? capabilitiesOfSpec(targetSpec) : undefined;
      const runs = withTargetVerdicts(plan(scenarios, { idps: o.idp, driver: o.driver }), caps);
      if (targetSpec?.kind === 'external' && caps)
        for (const line of describeCapabilities(
          `"${targetSpec.config.name}" (${displayPath(targetSpec.file)})`,
          caps,
        ))
          io.out(`${line}\n`);
      const byFile = new Map<string, PlannedRun[]>();
      for (const r of runs) byFile.set(r.loaded.file, [...(byFile.get(r.loaded.file) ?? []), r]);
      let group = '';
      let missing = 0;
      let implemented = 0;
      let cells = 0;
      let runnable = 0;
      for (const row of catalogueRows(scenarios)) {
        const titles = row.scenarios.map((l) => l.scenario.title);
        if (o.grep && !grepMatches(o.grep, grepTexts(row.id, titles))) continue;
        if (row.scenarios.length) implemented += row.inCatalogue ? 1 : 0;
        else missing++;
        for (const l of row.scenarios) {
          const planned = byFile.get(l.file) ?? [];
          cells += l.scenario.idpIndependent ? 1 : (o.idp as IdpId[]).length;
          runnable += planned.filter((p) => !p.verdict).length;
        }
        if (o.missing && row.scenarios.length) continue;
        if (row.group !== group) io.out(`\n${row.group}\n`);
        group = row.group;
        if (!row.scenarios.length) {
          io.out(`  ${row.id}  MISSING: no scenario file implements it yet\n`);
          for (const idp of o.idp as IdpId[]) io.out(`      ${idp.padEnd(9)} missing\n`);
          continue;
        }
        for (const l of row.scenarios) {
          const label = l.scenario.case === row.id ? row.id : `${row.id} ← ${l.scenario.case}`;
          io.out(
            `  ${label}  ${l.scenario.title}  (${displayPath(l.file)})${row.inCatalogue ? '' : row.group === 'Other' ? '  [not in the catalogue]' : '  [more of the family]'}\n`,
          );
          if (o.requirements)
            for (const req of l.scenario.requirements ?? []) io.out(`    requires  ${req}\n`);
          const planned = byFile.get(l.file) ?? [];
          if (l.scenario.idpIndependent) {
            const v = planned[0]?.verdict;
            io.out(`      ${idpLabel(NO_IDP).padEnd(9)} ${v ? `${v.status}: ${v.reason}` : 'runs'}\n`);
            continue;
          }
          for (const idp of o.idp as IdpId[]) {
            const r = planned.find((p) => p.idp === idp);
            if (!r) {
              io.out(
                `      ${idp.padEnd(9)} not-applicable: the scenario lists only ${(l.scenario.idps ?? []).join(', ')}\n`,
              );
            } else if (r.verdict) {
              io.out(`      ${idp.padEnd(9)} ${r.verdict.status}: ${r.verdict.reason}\n`);
            } else {
              const ungraded = caps ? ungradedChecks(l.scenario, caps) : [];
              io.out(
                `      ${idp.padEnd(9)} runs${ungraded.length ? `; not applicable while running: ${ungraded.join(', ')}` : ''}\n`,
              );
            }
          }
        }
      }
      io.out(
        `\n${implemented} catalogue cases implemented, ${missing} missing; ${scenarios.length} scenario files, ${cells} case × IdP cells, ${runnable} runnable with the ${o.driver} driver\n`,
      );
    });

  program
    .command('serve')
    .description(
      'for demos and manual QA: the mock IdPs, the reference SP and a mail catcher, with a start page linking them',
    )
    .option('--port <n>', 'port of the start page (0 picks a free one)', '0')
    .option('--host <host>', 'interface to listen on', '127.0.0.1')
    .option('--sp-port <n>', 'port of the reference SP', '0')
    .option('--idp-port <n>', 'port of the mock IdP', '0')
    .option('--smtp-port <n>', 'port of the SMTP mail catcher', '0')
    .option('--admin-token <token>', 'the SP admin token (default: generated)')
    .option('--scenario <case>', 'start from the state of a guided demo case (e.g. jit.new-user)')
    .action(async (o) => {
      const { startServe } = await import('./serve/serve.js');
      const port = (name: string, v: string) => {
        const n = Number(v);
        if (!Number.isInteger(n) || n < 0 || n > 65535)
          throw new HarnessError('ERR_BAD_OPTION', `${name} takes a port number 0..65535, got "${v}"`);
        return n;
      };
      const s = await startServe({
        host: o.host,
        port: port('--port', o.port),
        spPort: port('--sp-port', o.spPort),
        idpPort: port('--idp-port', o.idpPort),
        smtpPort: port('--smtp-port', o.smtpPort),
        adminToken: o.adminToken,
        scenario: o.scenario,
      });
      if (s.prepared) io.out(`scenario         ${s.prepared.case}: ${s.prepared.note}\n`);
      io.out(`start page       ${s.url}/\n`);
      io.out(`reference SP     ${s.sp.url}  (admin token ${s.sp.adminToken})\n`);
      io.out(`mock IdP         ${s.idp.url}  (admin token ${s.idp.adminToken})\n`);
      io.out(`mail catcher     smtp://${s.mail.host}:${s.mail.port}  mailbox ${s.url}/mail\n`);
      io.out(`SCIM traffic log ${s.url}/scim-log\n`);
      for (const d of s.demos)
        io.out(
          `${d.vendor.padEnd(9)}        sign in ${s.idp.url}/${d.tenant}/init · workspace ${s.sp.url}/w/${d.workspace}\n`,
        );
      io.out('Press Ctrl-C to stop.\n');
      await untilSignal();
      await s.close();
      io.out('stopped\n');
    });

  program
    .command('sp')
    .description('start the reference SP alone')
    .option('--port <n>', 'port (0 picks a free one)', '0')
    .option('--host <host>', 'interface to listen on', '127.0.0.1')
    .option('--data <dir>', 'directory of the SQLite file (default: a fresh temporary directory)')
    .option('--admin-token <token>', 'admin API token (default: $SP_ADMIN_TOKEN, else generated)')
    .option('--public-url <url>', 'URL others reach the SP at, if not http://host:port')
    .option(
      '--smtp <host:port>',
      'SMTP server for the mail the SP sends (default: none, mail is recorded as unsent)',
      smtpAddress,
    )
    .action(async (o) => {
      const { startSp } = await import('../../sp-under-test/src/index.js');
      const fromEnv = process.env.SP_ADMIN_TOKEN;
      const sp = await startSp({
        port: Number(o.port),
        host: o.host,
        dataDir: o.data,
        adminToken: o.adminToken ?? (fromEnv || undefined),
        publicUrl: o.publicUrl,
        smtp: o.smtp,
      });
      io.out(`sp-under-test listening on ${sp.url}\n`);
      if (!o.adminToken && !fromEnv) io.out(`admin token: ${sp.adminToken}\n`);
      io.out(`data: ${sp.dbFile}\n`);
      await untilSignal();
      await sp.close();
    });

  program
    .command('idp')
    .description(
      'start the mock IdP alone, with tenants from setup files, pointed at an SP (a pre-configured one: --target, or --acs and --audience)',
    )
    .option(
      '--setup <file>',
      'tenant setup file, repeatable (default with --target: the four bundled ones)',
      collect,
      [],
    )
    .option(
      '--target <file>',
      "a target file: listen where its runs will find the IdP (idp section), and point every tenant's app at its SP (ACS, audience, SLO endpoint, signing certificate; {idp} is the tenant's vendor)",
    )
    .option(
      '--acs <url>',
      "the SP's Assertion Consumer Service URL, for every tenant's app ({idp}: its vendor)",
    )
    .option(
      '--audience <entityId>',
      "the SP's entity ID (the audience), for every tenant's app ({idp}: its vendor)",
    )
    .option('--port <n>', 'port (0 picks a free one; default with --target: its idp.port)')
    .option('--host <host>', "interface to listen on (default 127.0.0.1, or the target's idp.host)")
    .option('--admin-token <token>', 'admin API token (default: $IDP_ADMIN_TOKEN, else generated)')
    .action(async (o) => {
      const { startIdp, loadSetupFile } = await import('../../mock-idp/src/index.js');
      const target = o.target ? targetSpecFromFile(o.target) : undefined;
      const file = target?.kind === 'external' ? target.config : undefined;
      const setupFiles = (o.setup as string[]).length
        ? (o.setup as string[])
        : file
          ? ALL_IDPS.map((v) => join(FIXTURES_DIR, 'setups', `${v}.yaml`))
          : [];
      const { pointSetupAt, spEndpointsFor } = await import('./env/idp-for-target.js');
      const setups = [];
      for (const f of setupFiles) {
        const setup = loadSetupFile(f);
        const fill = (v: string) => v.replaceAll('{idp}', setup.vendor);
        const sp = file ? await spEndpointsFor(file, setup.vendor) : {};
        setups.push(
          pointSetupAt(setup, {
            ...sp,
            ...(o.acs ? { acsUrl: fill(o.acs) } : {}),
            ...(o.audience ? { audience: fill(o.audience) } : {}),
          }),
        );
      }
      const fromEnv = process.env.IDP_ADMIN_TOKEN;
      const idp = await startIdp({
        port: Number(o.port ?? file?.idp?.port ?? 0),
        host: o.host ?? file?.idp?.host ?? '127.0.0.1',
        ...(file?.idp?.publicUrl ? { publicUrl: file.idp.publicUrl } : {}),
        adminToken: o.adminToken ?? (fromEnv || undefined),
        setups,
      });
      io.out(`mock-idp listening on ${idp.url}\n`);
      if (!o.adminToken && !fromEnv) io.out(`admin token: ${idp.adminToken}\n`);
      for (const t of idp.tenants.values()) {
        const app = t.setup.app;
        io.out(
          `tenant ${t.name} (${t.profile.displayName}): metadata ${idp.url}/${t.name}/metadata, sso ${t.ssoUrl}, entity ID ${t.entityId}; app ACS ${app.ssoUrl}, audience ${app.audience}${app.sloUrl ? `, SLO ${app.sloUrl}${app.sloBinding ? ` (${app.sloBinding})` : ''}` : ''}\n`,
        );
      }
      await untilSignal();
      await idp.close();
    });

  registerImport(program, io, setExit);

  return program;
}

/** A run that selects no case: a --grep typo in a CI file must not pass silently. */
function noCaseSelected(
  o: { grep?: RegExp; grepInvert?: RegExp; idp: IdpId[] },
  shard: { current: number; total: number } | undefined,
): HarnessError {
  const filters = [
    o.grep ? `--grep ${String(o.grep)}` : '',
    o.grepInvert ? `--grep-invert ${String(o.grepInvert)}` : '',
    `--idp ${o.idp.join(',')}`,
    shard ? `--shard ${shard.current}/${shard.total}` : '',
  ].filter(Boolean);
  return new HarnessError('ERR_NO_CASES', `no case run is selected by ${filters.join(', ')}`);
}

/**
 * The exit code of a finished report. A report that graded nothing and had no error (which
 * explains itself) says so once, on stderr.
 */
function verdictExit(report: Report, io: { err: (s: string) => void }): number {
  const s = report.summary;
  if (nothingGraded(s) && s.errors === 0)
    io.err(
      `idp-harness: ERR_NOTHING_GRADED: no check was graded: of ${report.results.length} case runs, ${s.notApplicable} are not applicable and ${s.skipped} skipped, none passed or failed\n`,
    );
  return exitCodeFor(report.summary);
}

function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve();
    };
    process.on('SIGINT', done);
    process.on('SIGTERM', done);
  });
}

/** Runs the CLI and returns its exit code: 0 all met, 1 the target failed a check, 2 the harness or input at fault. */
export async function main(argv: string[]): Promise<number> {
  let code = 0;
  const io = {
    out: (s: string) => void process.stdout.write(s),
    err: (s: string) => void process.stderr.write(s),
  };
  const program = buildProgram(io, (c) => (code = c));
  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    if (e instanceof InputError) {
      io.err(
        `idp-harness: ${e.code}: ${e.problems.length} problem${e.problems.length === 1 ? '' : 's'} in ${e.code === 'ERR_TARGET_FILE' ? 'the target file' : 'scenario files'}\n`,
      );
      for (const p of e.problems) io.err(`  ${p.file}:${p.line}:${p.column}  ${p.path}: ${p.message}\n`);
      return 2;
    }
    if (e instanceof HarnessError) {
      io.err(`idp-harness: ${e.code}: ${e.message}\n`);
      return 2;
    }
    io.err(`idp-harness: ERR_INTERNAL: ${(e as Error)?.stack ?? String(e)}\n`);
    return 2;
  }
}
