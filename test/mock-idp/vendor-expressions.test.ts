import { expect } from 'chai';
import { evaluateEntraClaim } from '../../mock-idp/src/expressions/entra-claims.js';
import { evaluateGoogleMapping } from '../../mock-idp/src/expressions/google-mapping.js';
import { evaluateOneLoginParameter } from '../../mock-idp/src/expressions/onelogin-params.js';

describe('mock-idp OneLogin parameters', () => {
  const scope = {
    user: {
      firstname: 'Maria',
      lastname: 'Garcia',
      email: 'maria.garcia@acme.example',
      department: 'Marketing',
      custom_fields: { workato_role: 'mktg_ops' },
    },
    appuser: { cost_center: 'CC-7' },
    roles: ['Marketing', 'Everyone'],
  };
  const cases: [string, unknown][] = [
    ['email', 'maria.garcia@acme.example'],
    ['firstname', 'Maria'],
    ['name', 'Maria Garcia'],
    ['department', 'Marketing'],
    ['title', ''],
    ['custom_fields.workato_role', 'mktg_ops'],
    ['custom_fields.workato_role_prod', ''],
    ['appuser.cost_center', 'CC-7'],
    ['roles', ['Marketing', 'Everyone']],
    ['{firstname} {lastname}', 'Maria Garcia'],
    ['{lastname}, {firstname} ({custom_fields.workato_role})', 'Garcia, Maria (mktg_ops)'],
    ['Engineering', 'Engineering'],
  ];
  for (const [src, want] of cases) {
    it(`evaluates ${src}`, () => expect(evaluateOneLoginParameter(src, scope)).to.deep.equal(want));
  }
  it('refuses a macro naming an unknown field with ERR_BAD_SETUP', () => {
    expect(() => evaluateOneLoginParameter('{nickname}', scope))
      .to.throw()
      .with.property('code', 'ERR_BAD_SETUP');
  });
});

describe('mock-idp Entra claim sources and transformations', () => {
  const scope = {
    user: {
      givenname: 'Maria',
      surname: 'Garcia',
      mail: 'Maria.Garcia@Acme.example',
      extension_5a1c0e2f8b7d4c3e9f6a1b2c3d4e5f60_workato_role: 'mktg_ops',
    },
    groups: ['Marketing', 'Everyone'],
  };
  const cases: [string, unknown][] = [
    ['user.mail', 'Maria.Garcia@Acme.example'],
    ['user.Mail', 'Maria.Garcia@Acme.example'],
    ['user.department', null],
    ['user.extension_5a1c0e2f8b7d4c3e9f6a1b2c3d4e5f60_workato_role', 'mktg_ops'],
    ['user.groups', ['Marketing', 'Everyone']],
    ['"Engineering"', 'Engineering'],
    ['Join(user.givenname, " ", user.surname)', 'Maria Garcia'],
    ['Join(user.givenname, ".", user.department)', 'Maria'],
    ['ExtractMailPrefix(user.mail)', 'Maria.Garcia'],
    ['ToLowercase(user.mail)', 'maria.garcia@acme.example'],
    ['ToLowercase(ExtractMailPrefix(user.mail))', 'maria.garcia'],
    ['ToUppercase(user.surname)', 'GARCIA'],
    ['ToLowercase(user.department)', null],
  ];
  for (const [src, want] of cases) {
    it(`evaluates ${src}`, () => expect(evaluateEntraClaim(src, scope)).to.deep.equal(want));
  }
  it('refuses unknown transformations, non-user sources and broken syntax with ERR_BAD_SETUP', () => {
    for (const bad of [
      'Reverse(user.mail)',
      'manager.mail',
      'Join(user.mail',
      '"open',
      'user.mail user.upn',
    ]) {
      expect(() => evaluateEntraClaim(bad, scope), bad)
        .to.throw()
        .with.property('code', 'ERR_BAD_SETUP');
    }
  });
});

describe('mock-idp Google Directory attribute mapping', () => {
  const scope = {
    user: { 'Primary email': 'maria.garcia@acme.example', 'First name': 'Maria', Department: 'Marketing' },
    custom: { Workato: { workato_role: 'mktg_ops', regions: ['EU', 'US'] } },
  };
  const cases: [string, unknown][] = [
    ['Basic Information.Primary email', 'maria.garcia@acme.example'],
    ['Basic Information.Last name', null],
    ['Employee Details.Department', 'Marketing'],
    ['Workato.workato_role', 'mktg_ops'],
    ['Workato.regions', ['EU', 'US']],
    ['Workato.unset', null],
    ['Other.thing', null],
  ];
  for (const [src, want] of cases) {
    it(`evaluates ${src}`, () => expect(evaluateGoogleMapping(src, scope)).to.deep.equal(want));
  }
  it('refuses a field the built-in category does not have, and a mapping without a category', () => {
    for (const bad of ['Basic Information.Nickname', 'email', 'Workato.']) {
      expect(() => evaluateGoogleMapping(bad, scope), bad)
        .to.throw()
        .with.property('code', 'ERR_BAD_SETUP');
    }
  });
});
