import { expect } from 'chai';
import { checkLinkTemplate, issueUrl } from '../../../lib/notifiers/format/issueLink';
import { sampleErrorReport } from '../../support/reports';

describe('issueLink', () => {
  it('substitutes URL-encoded values', () => {
    const report = sampleErrorReport({ fingerprint: 'x/y?z', id: 'id 1', environment: 'pré prod' });
    expect(issueUrl('https://e.example.com/{environment}/{kind}/{fingerprint}?event={id}', report))
      .to.equal('https://e.example.com/pr%C3%A9%20prod/error/x%2Fy%3Fz?event=id%201');
  });

  it('accepts known placeholders and refuses the rest', () => {
    expect(() => checkLinkTemplate('https://e.example.com/issues/{fingerprint}', 'Owner')).not.to.throw();
    expect(() => checkLinkTemplate('https://e.example.com/issues/{fingerprnt}', 'Owner')).to.throw(TypeError, /Owner: linkTemplate .*\{fingerprnt\}/);
    expect(() => checkLinkTemplate('javascript:alert(1)', 'Owner')).to.throw(TypeError, /linkTemplate/);
    expect(() => checkLinkTemplate(42, 'Owner')).to.throw(TypeError, /linkTemplate/);
  });
});
