import { expect } from 'chai';
import { ESLint } from 'eslint';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../helpers/world.js';

describe('lint: no import cycles', () => {
  it('the rule is on for every product', async () => {
    const eslint = new ESLint({ cwd: ROOT });
    for (const file of ['harness/src/cli.ts', 'mock-idp/src/index.ts', 'sp-under-test/src/index.ts']) {
      const config = (await eslint.calculateConfigForFile(join(ROOT, file))) as {
        rules: Record<string, unknown[]>;
      };
      expect(config.rules['import-x/no-cycle']?.[0], file).to.equal(2);
    }
  });

  it('reports two modules that import each other, and not a type-only import back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'no-cycle-'));
    try {
      writeFileSync(
        join(dir, 'a.ts'),
        "import { b } from './b.js';\nexport const a = (): number => b + 1;\n",
      );
      writeFileSync(
        join(dir, 'b.ts'),
        "import { a } from './a.js';\nexport const b = 1;\nexport const c = a;\n",
      );
      writeFileSync(join(dir, 'c.ts'), "import type { D } from './d.js';\nexport interface C { d?: D }\n");
      writeFileSync(join(dir, 'd.ts'), "import type { C } from './c.js';\nexport interface D { c?: C }\n");
      const eslint = new ESLint({ cwd: dir, overrideConfigFile: join(ROOT, 'eslint.config.js') });
      const results = await eslint.lintFiles(['*.ts']);
      const cycles = results
        .filter((r) => r.messages.some((m) => m.ruleId === 'import-x/no-cycle'))
        .map((r) => r.filePath.slice(dir.length + 1))
        .sort();
      expect(cycles).to.deep.equal(['a.ts', 'b.ts']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
