import { expect } from 'chai';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../harness/src/cli.js';
import { DURATION_PATTERN, parseDuration } from '../../harness/src/duration.js';
import { ROOT } from '../helpers/world.js';

describe('harness: durations have one grammar', () => {
  it('reads a number with a unit, and nothing else', () => {
    expect(parseDuration('1500ms')).to.equal(1500);
    expect(parseDuration('30s')).to.equal(30_000);
    expect(parseDuration('1.5m')).to.equal(90_000);
    expect(parseDuration('2h')).to.equal(7_200_000);
    expect(parseDuration('1d')).to.equal(86_400_000);
    for (const bad of ['30', '', 's', '-1s', '1 s', '1w', '1e3ms', '.5s'])
      expect(parseDuration(bad), bad).to.equal(null);
  });

  it('any whole number with any unit reads back as that many units', () => {
    const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
    fc.assert(
      fc.property(
        fc.nat(1_000_000),
        fc.constantFrom(...(Object.keys(unit) as (keyof typeof unit)[])),
        (n, u) => parseDuration(`${n}${u}`) === n * unit[u],
      ),
    );
  });

  it('is the grammar the scenario schema checks `advance` against', () => {
    const schema = readFileSync(join(ROOT, 'scenarios/scenario.schema.json'), 'utf8');
    const patterns = [...schema.matchAll(/"pattern": "([^"]*(?:ms\|s\|m\|h\|d)[^"]*)"/g)].map((m) =>
      JSON.parse(`"${m[1]}"`),
    );
    expect(patterns.length).to.be.greaterThan(0);
    for (const p of patterns) {
      const schemaRe = new RegExp(p as string);
      for (const s of ['30s', '31m', '2h', '1.5d', '500ms', '30', 'x', '1 s'])
        expect(schemaRe.test(s), `${p} on ${s}`).to.equal(DURATION_PATTERN.test(s));
    }
  });

  it('the CLI refuses a timeout without a unit as a bad option (exit 2)', async () => {
    const err: string[] = [];
    const write = process.stderr.write;
    process.stderr.write = ((s: string) => (err.push(s), true)) as typeof process.stderr.write;
    let code: number;
    try {
      code = await main(['run', '--timeout', '30']);
    } finally {
      process.stderr.write = write;
    }
    expect(code).to.equal(2);
    expect(err.join('')).to.match(/--timeout/);
  });
});
