import { CheckFailed } from '../errors.js';
import type { RunTarget } from '../env/target.js';

/**
 * How much the SP's memory may grow while it answers one hostile message of a denial-of-service
 * case (expect.refused.within), where the harness can read it. An SP that inflates or parses only
 * what it accepts (the reference SP: 256 KiB) stays far below; one that inflates all of
 * saml.reject.deflate-bomb-redirect (8 MiB), and reads it as text, crosses it.
 */
export const DOS_MEMORY_BOUND_MIB = 8;

const MIB = 1024 * 1024;
const mib = (bytes: number) => Math.round((bytes / MIB) * 10) / 10;

/** The evidence of a memory watch: the growth and its bound, or why it could not be seen. */
export type MemoryEvidence =
  | {
      where: string;
      rssBeforeMiB: number;
      rssAfterMiB: number;
      /** How much the process's peak RSS rose: a growth the SP freed before the end still shows there. */
      peakRoseMiB: number;
      /** How much more JavaScript held (heap and Buffers), collected or not: reused memory shows there. */
      allocatedRoseMiB: number;
      /** The largest of the three rises. */
      grewMiB: number;
      boundMiB: number;
    }
  | { notObservable: string };

/** Starts watching the SP's memory; the function it returns ends the watch with its evidence. */
export function watchMemory(target: RunTarget): () => MemoryEvidence {
  const memory = target.memory;
  if (!memory)
    return () => ({
      notObservable:
        "the SP's memory cannot be read from here (an external target): graded on the time and status of its answer only",
    });
  const before = memory.read();
  return () => {
    const after = memory.read();
    const rose = after.rssBytes - before.rssBytes;
    const peakRose = after.peakRssBytes - before.peakRssBytes;
    const allocatedRose = after.allocatedBytes - before.allocatedBytes;
    return {
      where: memory.description,
      rssBeforeMiB: mib(before.rssBytes),
      rssAfterMiB: mib(after.rssBytes),
      peakRoseMiB: mib(peakRose),
      allocatedRoseMiB: mib(allocatedRose),
      grewMiB: mib(Math.max(rose, peakRose, allocatedRose, 0)),
      boundMiB: DOS_MEMORY_BOUND_MIB,
    };
  };
}

/** Fails the refusal when the SP's memory grew beyond the bound while it answered `mutation`. */
export function checkMemory(evidence: MemoryEvidence | undefined, mutation: string): void {
  if (!evidence || 'notObservable' in evidence || evidence.grewMiB <= evidence.boundMiB) return;
  throw new CheckFailed(
    'ERR_CHECK_ATTACK_MEMORY',
    `the SP's memory grew by ${evidence.grewMiB} MiB while it answered ${mutation} (${evidence.where})`,
    `at most ${evidence.boundMiB} MiB`,
    `${evidence.grewMiB} MiB`,
  );
}
