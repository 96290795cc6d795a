import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HarnessError } from '../../harness/src/errors.js';

export const FIXTURES = join(import.meta.dirname, 'fixtures');
export const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');

/** The HarnessError `fn` throws (sync or async); fails the test when it throws none or another error. */
export async function harnessError(fn: () => unknown): Promise<HarnessError> {
  try {
    await fn();
  } catch (e) {
    expect(e, String(e)).to.be.instanceOf(HarnessError);
    return e as HarnessError;
  }
  expect.fail('expected a HarnessError');
}
