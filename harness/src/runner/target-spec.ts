import { resolve } from 'node:path';
import { EmbeddedTarget } from '../env/embedded-target.js';
import { ExternalTarget, loadTargetFile, type TargetFile } from '../env/external-target.js';
import type { Target } from '../env/target.js';

/** A target as data, so that worker processes can build their own. */
export type TargetSpec = { kind: 'embedded' } | { kind: 'external'; file: string; config: TargetFile };

/** Reads a --target file (validating it) into a spec. */
export function targetSpecFromFile(file: string): TargetSpec {
  const abs = resolve(file);
  return { kind: 'external', file: abs, config: loadTargetFile(abs) };
}

export async function createTarget(spec: TargetSpec): Promise<Target> {
  return spec.kind === 'embedded' ? new EmbeddedTarget() : new ExternalTarget(spec.config);
}

export function describeTargetSpec(spec: TargetSpec): string {
  return spec.kind === 'embedded'
    ? new EmbeddedTarget().description
    : new ExternalTarget(spec.config).description;
}

/** Whether runs against this target share state and so must run one at a time in one process. */
export const sharesState = (spec: TargetSpec): boolean => spec.kind === 'external' && !spec.config.admin;
