import { resolve } from 'node:path';
import { EMBEDDED_CAPABILITIES, capabilitiesOf, type TargetCapabilities } from '../env/capabilities.js';
import { loadTargetFile, type TargetFile } from '../env/target-file.js';
import type { Target } from '../env/target.js';

/** A target as data, so that worker processes can build their own. */
export type TargetSpec = { kind: 'embedded' } | { kind: 'external'; file: string; config: TargetFile };

/** Reads a --target file (validating it) into a spec. */
export function targetSpecFromFile(file: string): TargetSpec {
  const abs = resolve(file);
  return { kind: 'external', file: abs, config: loadTargetFile(abs) };
}

/** Builds the target; the reference SP is only loaded when it is the target (worker processes load it, the CLI does not). */
export async function createTarget(spec: TargetSpec): Promise<Target> {
  if (spec.kind === 'embedded') {
    const { EmbeddedTarget } = await import('../env/embedded-target.js');
    return new EmbeddedTarget();
  }
  const { ExternalTarget } = await import('../env/external-target.js');
  return new ExternalTarget(spec.config);
}

export function describeTargetSpec(spec: TargetSpec): string {
  return spec.kind === 'embedded'
    ? 'embedded reference SP (sp-under-test)'
    : `external SP "${spec.config.name}"`;
}

/**
 * Whether runs against this target share state, or the one SMTP address its mail is caught at
 * (`mails.smtp`), and so must run one at a time in one process.
 */
export const sharesState = (spec: TargetSpec): boolean =>
  spec.kind === 'external' && (!spec.config.admin || Boolean(spec.config.mails));

/** What the target offers, read from its spec without starting anything. */
export const capabilitiesOfSpec = (spec: TargetSpec): TargetCapabilities =>
  spec.kind === 'embedded' ? EMBEDDED_CAPABILITIES : capabilitiesOf(spec.config);
