import { expect } from 'chai';
import { referencePages } from '../../harness/src/env/embedded-target.js';
import { pageUrl, parsePageRef } from '../../harness/src/env/pages.js';

describe('harness: named page references', () => {
  it('reads pages inside an environment with their object after a slash, and fills the URL encoded', () => {
    expect(parsePageRef('members')).to.deep.equal({ name: 'members', params: {} });
    expect(parsePageRef('environment:PROD')).to.deep.equal({
      name: 'environment',
      params: { environment: 'PROD' },
    });
    const ref = parsePageRef('recipeEditor:DEV/lead to slack');
    expect(ref).to.deep.equal({
      name: 'recipeEditor',
      params: { environment: 'DEV', name: 'lead to slack' },
    });
    expect(pageUrl(referencePages('http://sp', 'acme'), ref.name, ref.params)).to.equal(
      'http://sp/w/acme/env/DEV/recipes/lead%20to%20slack/edit',
    );
    const folder = parsePageRef('folder:TEST/Marketing');
    expect(pageUrl(referencePages('http://sp', 'acme'), folder.name, folder.params)).to.equal(
      'http://sp/w/acme/env/TEST/folders/Marketing',
    );
  });

  it('refuses unknown pages and missing or extra arguments', () => {
    for (const bad of ['nowhere', 'folder:DEV', 'recipe:DEV/', 'members:DEV', 'environment:'])
      expect(() => parsePageRef(bad), bad).to.throw(RangeError);
  });
});
