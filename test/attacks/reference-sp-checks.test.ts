import { expect } from 'chai';
import { base64 } from '../../mock-idp/src/attacks/dom.js';
import { MAX_NESTING_DEPTH } from '../../sp-under-test/src/saml/checks/nesting-depth.js';
import { startSp } from '../../sp-under-test/src/index.js';
import { spKeys, startWorld, type World } from '../helpers/world.js';
import { MARIA, postValue, signInWith, solicit, spState, strictPolicy } from './forge.js';

/** The ACS checks added against the 2024-2026 attacks, each with the attack it alone stops. */
const STOPS = [
  { check: 'namespace-lookalikes', mutation: 'namespace-prefix-redeclared', code: 'ERR_SAML_NAMESPACE' },
  { check: 'namespace-lookalikes', mutation: 'namespace-default-changed', code: 'ERR_SAML_NAMESPACE' },
  { check: 'stray-assertion-content', mutation: 'attribute-outside-signed', code: 'ERR_SAML_MALFORMED' },
  { check: 'unique-attributes', mutation: 'attribute-duplicate-name-format', code: 'ERR_SAML_ATTRIBUTES' },
] as const;

/** Maria's genuine response, signed on the Assertion only, with elements nested `depth` deep in samlp:Extensions. */
async function nestedSignIn(world: World, depth: number) {
  const requestId = await solicit(world);
  const built = world.tenant.respond(
    world.tenant.user(MARIA)!,
    requestId,
    world.acsUrl,
    new Date(),
    undefined,
    (i) => ({
      ...i,
      signing: { ...i.signing, response: false, assertion: true },
    }),
  );
  const nested = '<n xmlns="urn:nesting">' + '<n>'.repeat(depth - 1) + '</n>'.repeat(depth);
  const at = built.xml.indexOf('</saml2:Issuer>') + '</saml2:Issuer>'.length;
  const xml = `${built.xml.slice(0, at)}<saml2p:Extensions>${nested}</saml2p:Extensions>${built.xml.slice(at)}`;
  return postValue(world, base64(xml));
}

describe('reference SP: each ACS check added against the 2024-2026 attacks is the one that stops its attack', () => {
  for (const s of STOPS) {
    describe(`${s.check} against ${s.mutation}`, () => {
      it(`refuses it with ${s.code} and changes nothing`, async () => {
        const world = await startWorld();
        try {
          await strictPolicy(world);
          expect(await signInWith(world, `saml.reject.${s.mutation}`)).to.deep.equal({
            status: 403,
            code: s.code,
          });
          expect(await spState(world)).to.deep.equal({ members: [], sessions: [] });
        } finally {
          await world.close();
        }
      });

      it('with the check switched off, the SP signs the attacker in', async () => {
        const world = await startWorld({ disabledAcsChecks: [s.check] });
        try {
          await strictPolicy(world);
          const res = await signInWith(world, `saml.reject.${s.mutation}`);
          expect(res.status).to.equal(303);
          const state = await spState(world);
          expect(state.sessions).to.have.length(1);
          if (s.mutation === 'attribute-duplicate-name-format')
            expect(state.members[0]!.roles.DEV).to.equal('Admin');
        } finally {
          await world.close();
        }
      });
    });
  }

  describe('nesting-depth', () => {
    it(`refuses elements nested deeper than ${MAX_NESTING_DEPTH} with ERR_SAML_TOO_COMPLEX, and accepts ordinary nesting`, async () => {
      const world = await startWorld();
      try {
        await strictPolicy(world);
        expect(await nestedSignIn(world, MAX_NESTING_DEPTH + 1)).to.deep.equal({
          status: 403,
          code: 'ERR_SAML_TOO_COMPLEX',
        });
        expect((await nestedSignIn(world, 8)).status).to.equal(303);
      } finally {
        await world.close();
      }
    });

    it('with the check switched off, the deeply nested response signs the user in', async () => {
      const world = await startWorld({ disabledAcsChecks: ['nesting-depth'] });
      try {
        await strictPolicy(world);
        expect((await nestedSignIn(world, MAX_NESTING_DEPTH + 1)).status).to.equal(303);
      } finally {
        await world.close();
      }
    });
  });

  it('refuses to start with a disabled check it does not have', async () => {
    let error: unknown;
    try {
      const sp = await startSp({ keyPair: spKeys(), disabledAcsChecks: ['no-such-check'] });
      await sp.close();
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(TypeError);
    expect((error as Error).message).to.include('no-such-check');
  });
});
