import { expect } from 'chai';
import fc from 'fast-check';
import type { IncomingMessage } from 'node:http';
import { carriesToken, sameSecret } from '../../mock-idp/src/http/credentials.js';

const withAuth = (authorization?: string) =>
  ({ headers: authorization === undefined ? {} : { authorization } }) as IncomingMessage;

describe('mock-idp: one check of bearer tokens and secrets', () => {
  it('accepts the token under its scheme only', () => {
    expect(carriesToken(withAuth('Bearer s3cret'), 's3cret')).to.equal(true);
    expect(carriesToken(withAuth('SSWS s3cret'), 's3cret', 'SSWS')).to.equal(true);
    expect(carriesToken(withAuth('SSWS s3cret'), 's3cret')).to.equal(false);
    expect(carriesToken(withAuth('Bearer s3cret'), 's3cret', 'SSWS')).to.equal(false);
    expect(carriesToken(withAuth('Bearer s3cre'), 's3cret')).to.equal(false);
    expect(carriesToken(withAuth('Bearer '), '')).to.equal(false);
    expect(carriesToken(withAuth(), 's3cret')).to.equal(false);
    expect(carriesToken(withAuth('s3cret'), 's3cret')).to.equal(false);
  });

  it('any token other than the expected one is refused, whatever its length', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.string({ minLength: 1 }), (expected, given) => {
        expect(carriesToken(withAuth(`Bearer ${given}`), expected)).to.equal(given === expected);
        expect(sameSecret(given, expected)).to.equal(given === expected);
      }),
    );
  });
});
