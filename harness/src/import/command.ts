import { readFileSync } from 'node:fs';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { HarnessError } from '../errors.js';
import { displayPath } from '../paths.js';
import { ALL_IDPS, type IdpId } from '../scenario/types.js';
import { differing, type ComparisonRow } from './compare.js';
import { importCapture, type ImportResult } from './import-capture.js';

type Io = { out: (s: string) => void; err: (s: string) => void };

function readInput(file: string): string {
  try {
    return readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (e) {
    throw new HarnessError(
      'ERR_BAD_OPTION',
      `the capture ${file} cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
    );
  }
}

const positive = (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1)
    throw new InvalidArgumentError('--message takes a message number (1, 2, …)');
  return n;
};

const clip = (s: string, n = 70) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

function rowLine(r: ComparisonRow): string {
  const mark = r.verdict === 'same' ? 'same ' : r.verdict === 'differs' ? 'DIFFERS' : 'not inferable';
  const both =
    r.verdict === 'same'
      ? clip(r.captured)
      : `captured ${clip(r.captured, 60)}  minted ${clip(r.minted, 60)}`;
  return `  ${mark.padEnd(13)} ${r.item}: ${both}${r.why ? `\n                ${r.why}` : ''}`;
}

/** The import's findings, for a person: the messages, the vendor and why, signatures, timing, the setup, the round trip. */
export function printImport(
  r: ImportResult,
  o: { out?: string; check: boolean },
  say: (s: string) => void,
): void {
  const lines: string[] = [];
  lines.push(`capture: ${r.found}; ${r.others.length + 1} SAML message${r.others.length ? 's' : ''}`);
  lines.push(`  login response: ${r.chosen.line}`);
  for (const m of r.others) lines.push(`  also:           ${m.line}`);
  lines.push(
    `vendor: ${r.vendor.vendor}${r.vendor.given ? ' (given with --vendor)' : ''} — ${r.vendor.ranking.map((x) => `${x.vendor} ${x.score}/${x.of}`).join(', ')}`,
  );
  for (const e of r.vendor.evidence)
    lines.push(`  ${e.length > 150 ? `${e.slice(0, 90)}…${e.slice(e.lastIndexOf('  — '))}` : e}`);
  for (const s of r.signatures)
    lines.push(
      `signature on the ${s.on} (${s.algorithm}): ${s.verifies ? 'verifies' : 'does NOT verify'} with ${s.with}`,
    );
  if (!r.signatures.length) lines.push('signatures: none (the capture is unsigned)');
  if (r.metadata)
    lines.push(
      `metadata: ${r.metadata.entityId}, ${r.metadata.signingCertificates.length} signing certificate(s), ` +
        `NameID formats ${r.metadata.nameIdFormats.map((f) => f.split(':').pop()).join(', ') || 'none'}, ` +
        `${r.metadata.singleLogout ? 'a' : 'no'} SingleLogoutService`,
    );
  for (const n of r.metadataNotes) lines.push(`  note: ${n}`);
  for (const t of r.timing) lines.push(`timing: ${t}`);
  lines.push(
    o.out
      ? `setup: written to ${displayPath(o.out)} (tenant ${r.setup.tenant})`
      : `setup: tenant ${r.setup.tenant} (YAML on standard output)`,
  );
  for (const i of r.inferred.inferred) lines.push(`  read: ${i}`);
  const defaults = r.inferred.notes.filter((n) => n.how === 'vendor default');
  if (defaults.length)
    lines.push(
      `  vendor default: ${defaults.length} claims of ${defaults[0]!.detail} (${defaults.map((n) => n.attribute.split('/').pop()).join(', ')})`,
    );
  for (const n of r.inferred.notes.filter((x) => x.how !== 'vendor default'))
    lines.push(`  ${n.how === 'placeholder' ? 'PLACEHOLDER' : n.how}: ${n.attribute} — ${n.detail}`);
  if (r.redacted !== undefined) {
    lines.push(
      `redacted: ${r.redacted} personal value${r.redacted === 1 ? '' : 's'} replaced; kept as configuration (review them):`,
    );
    for (const k of r.kept) lines.push(`  kept: ${clip(k, 100)}`);
  }
  const notInferable = r.rows.filter((x) => x.verdict === 'not inferable' && x.kind === 'feature');
  lines.push('not inferable:');
  for (const n of r.inferred.notInferable) lines.push(`  - ${n}`);
  for (const f of notInferable) lines.push(`  - feature ${f.item}: ${f.why}`);
  const bad = differing(r.rows);
  const count = (v: ComparisonRow['verdict']) => r.rows.filter((x) => x.verdict === v).length;
  lines.push(
    `round trip: minted a response from the setup${r.minted.note ? ` (${r.minted.note})` : ''}: ${count('same')} same, ${count('not inferable')} not inferable, ${bad.length} differ`,
  );
  if (o.check) for (const row of r.rows) lines.push(rowLine(row));
  else for (const row of bad) lines.push(rowLine(row));
  if (!o.check && bad.length)
    lines.push('  (run with --check to compare every feature and fail on a difference)');
  say(`${lines.join('\n')}\n`);
}

/** Registers `idp-harness import`. */
export function registerImport(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command('import')
    .description(
      'turn a captured login (SAML-tracer JSON, HAR, base64 or XML SAMLResponse) into a tenant setup file for the mock IdP',
    )
    .argument('<capture>', 'the capture file, or - for standard input')
    .option('--metadata <file|url>', "the IdP's metadata: its certificate verifies the captured signatures")
    .option(
      '-o, --out <file>',
      'write the setup here (e.g. fixtures/setups/<name>.yaml); default: standard output',
    )
    .option(
      '--check',
      'mint a response from the new setup, compare it feature by feature, exit 1 on a difference',
    )
    .option('--redact', 'replace personal values (user, tenant ID, host names) with consistent fakes')
    .option(
      '--redact-attribute <name>',
      'also redact this attribute (repeatable)',
      (v: string, p: string[]) => [...p, v],
      [],
    )
    .addOption(
      new Option('--vendor <vendor>', 'the vendor, when the shape does not tell').choices([...ALL_IDPS]),
    )
    .option('--message <n>', 'the login response to use, by its number in the listing', positive)
    .option('--tenant <name>', 'tenant name (default: from the output file name)')
    .option('--decrypt-key <pem>', "the SP's private key, to read an encrypted assertion")
    .option('--encryption-cert <pem>', "the SP's encryption certificate, when the capture does not carry it")
    .action(async (file: string, opts) => {
      const result = await importCapture({
        capture: { text: readInput(file), name: file === '-' ? 'standard input' : displayPath(file) },
        ...(opts.metadata ? { metadata: opts.metadata } : {}),
        ...(opts.out ? { out: opts.out } : {}),
        ...(opts.vendor ? { vendor: opts.vendor as IdpId } : {}),
        ...(opts.message ? { message: opts.message } : {}),
        ...(opts.tenant ? { tenant: opts.tenant } : {}),
        ...(opts.redact ? { redact: true, redactAttributes: opts.redactAttribute } : {}),
        ...(opts.decryptKey ? { decryptKey: opts.decryptKey } : {}),
        ...(opts.encryptionCert ? { encryptionCert: opts.encryptionCert } : {}),
      });
      if (!opts.out) io.out(result.yaml);
      printImport(result, { out: opts.out, check: !!opts.check }, opts.out ? io.out : io.err);
      setExit(opts.check && differing(result.rows).length ? 1 : 0);
    });
}
