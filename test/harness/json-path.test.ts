import { expect } from 'chai';
import fc from 'fast-check';
import { JsonPathError, compileJsonPath } from '../../harness/src/env/json-path.js';

const doc = {
  data: [
    {
      mail: 'a@x',
      roles: [
        { type: 'DEV', value: 'Admin' },
        { type: 'TEST', value: 'Analyst' },
      ],
      primary: true,
    },
    { mail: 'b@x', roles: [], 'urn:ext:2.0:User': { role: 'Operator' } },
  ],
};

describe('harness: JSONPath for target-file mappings (RFC 9535 subset)', () => {
  it('selects by name, quoted name, index, wildcard and filter', () => {
    expect(compileJsonPath('$.data[*].mail').all(doc)).to.deep.equal(['a@x', 'b@x']);
    expect(compileJsonPath('$.data[-1].mail').first(doc)).to.equal('b@x');
    expect(compileJsonPath("$.data[1]['urn:ext:2.0:User'].role").first(doc)).to.equal('Operator');
    expect(compileJsonPath("$.data[0].roles[?@.type == 'TEST'].value").first(doc)).to.equal('Analyst');
    expect(compileJsonPath('$.data[?(@.primary)].mail').all(doc)).to.deep.equal(['a@x']);
    expect(compileJsonPath("$.data[?@.mail != 'a@x'].mail").all(doc)).to.deep.equal(['b@x']);
    expect(compileJsonPath('$.data.*.mail').all(doc)).to.deep.equal(['a@x', 'b@x']);
    expect(compileJsonPath('$.nothing.here').first(doc)).to.equal(undefined);
  });

  it('refuses what it does not read, naming the character', () => {
    for (const [path, why] of [
      ['mail', /starts with \$/],
      ['$..mail', /descendant/],
      ['$.data[0:1]', /slices/],
      ["$.data['x", /unterminated/],
      ['$.data[?@.a ~ 1]', /expected "\]"/],
    ] as const) {
      expect(() => compileJsonPath(path), path).to.throw(JsonPathError, why);
    }
  });

  it('a name selector reads back any key of an object, whatever its characters', () => {
    fc.assert(
      fc.property(fc.string(), fc.jsonValue(), (key, value) => {
        const quoted = `'${key.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
        expect(compileJsonPath(`$[${quoted}]`).all({ [key]: value })).to.deep.equal([value]);
      }),
      { verbose: true },
    );
  });
});
