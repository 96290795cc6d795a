import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../helpers/world.js';

describe('lint: a focused test cannot pass the suite', () => {
  it('mocha, with the repository configuration, fails a run that holds an it.only', () => {
    const dir = mkdtempSync(join(tmpdir(), 'forbid-only-'));
    try {
      const file = join(dir, 'focused.test.ts');
      // Written as two words so that this file does not itself read as a focused test.
      const focused = ['it', 'only'].join('.');
      writeFileSync(file, `${focused}('focused', () => {});\nit('other', () => {});\n`);
      const r = spawnSync(process.execPath, [join(ROOT, 'node_modules/mocha/bin/mocha.js'), file], {
        cwd: ROOT,
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(r.status, r.stdout + r.stderr).to.not.equal(0);
      expect(r.stdout + r.stderr).to.match(/forbid/i);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
