import { expect } from 'chai';
import { formatRelease, formatUser, topInAppFrame } from '../../../lib/notifiers/format/reportFacts';
import { sampleErrorReport } from '../../support/reports';

describe('reportFacts', () => {
  it('finds the first in-app frame', () => {
    expect(topInAppFrame(sampleErrorReport())?.function).to.equal('loadOrder');
    expect(topInAppFrame(sampleErrorReport({ error: null }))).to.equal(null);
  });

  it('names the user', () => {
    expect(formatUser(sampleErrorReport())).to.equal('42 (alice)');
    expect(formatUser(sampleErrorReport({ user: { id: null, username: '' } }))).to.equal('anonymous');
    expect(formatUser(sampleErrorReport({ user: { id: null, username: 'guest' } }))).to.equal('guest');
    expect(formatUser(sampleErrorReport({ user: { id: '9', username: '' } }))).to.equal('9');
  });

  it('joins environment and release', () => {
    expect(formatRelease(sampleErrorReport())).to.equal('production · release 1.4.2');
    expect(formatRelease(sampleErrorReport({ release: null }))).to.equal('production');
  });
});
