import { expect } from 'chai';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadTargetFile } from '../../harness/src/env/target-file.js';
import { ROOT } from '../helpers/world.js';

describe('docs/target-file.md', () => {
  it('its whole example is a target file the harness loads (signedIn, outcomes, observer)', () => {
    const doc = readFileSync(join(ROOT, 'docs/target-file.md'), 'utf8');
    const example = /```yaml\n(# yaml-language-server[^\n]*\n[\s\S]*?)```/.exec(doc)![1]!;
    const file = join(mkdtempSync(join(tmpdir(), 'doc-target-')), 'ledgerly.yaml');
    writeFileSync(file, example);
    const t = loadTargetFile(file, { LEDGERLY_SCIM_TOKEN: 'token' });
    expect(Object.keys(t.outcomes ?? {})).to.include('lockedOut');
    expect(t.signedIn.pattern).to.include('{email}');
  });
});
