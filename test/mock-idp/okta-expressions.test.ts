import { expect } from 'chai';
import { evaluateOktaExpression } from '../../mock-idp/src/expressions/okta-el.js';

const scope = {
  user: { firstName: 'Maria', lastName: 'Garcia', email: 'Maria.Garcia@acme.example', department: '' },
  appuser: { workato_role: 'mktg_ops', groups: ['a', 'b'] },
};

describe('mock-idp Okta expression language subset', () => {
  const cases: [string, unknown][] = [
    ['user.email', 'Maria.Garcia@acme.example'],
    ['appuser.workato_role', 'mktg_ops'],
    ['appuser.workato_role_prod', null],
    ['user.department', null],
    ['user.firstName + " " + user.lastName', 'Maria Garcia'],
    ['String.toLowerCase(user.email)', 'maria.garcia@acme.example'],
    ['String.substringBefore(user.email, "@")', 'Maria.Garcia'],
    ['String.substringAfter(user.email, "@")', 'acme.example'],
    ['appuser.workato_role == "mktg_ops" ? "Marketing" : "Other"', 'Marketing'],
    ['appuser.workato_role_prod != null ? appuser.workato_role_prod : "Operator"', 'Operator'],
    ['appuser.groups', ['a', 'b']],
    ["'single' + 'quoted'", 'singlequoted'],
  ];
  for (const [src, want] of cases) {
    it(`evaluates ${src}`, () => {
      expect(evaluateOktaExpression(src, scope)).to.deep.equal(want);
    });
  }

  it('refuses references outside user./appuser. with ERR_BAD_SETUP', () => {
    expect(() => evaluateOktaExpression('manager.email', scope))
      .to.throw()
      .with.property('code', 'ERR_BAD_SETUP');
  });
  it('refuses unknown functions and broken syntax with ERR_BAD_SETUP', () => {
    expect(() => evaluateOktaExpression('Foo.bar(user.email)', scope))
      .to.throw()
      .with.property('code', 'ERR_BAD_SETUP');
    expect(() => evaluateOktaExpression('"open', scope))
      .to.throw()
      .with.property('code', 'ERR_BAD_SETUP');
    expect(() => evaluateOktaExpression('user.email +', scope))
      .to.throw()
      .with.property('code', 'ERR_BAD_SETUP');
  });
});
