import { expect } from 'chai';
import { failureEnvelope, statusText, successEnvelope } from '../../lib/envelope/envelope';

describe('envelope', () => {
  it('builds success envelopes, moving a plain object\'s own message out', () => {
    expect(successEnvelope({ a: 1 })).to.deep.equal({ success: true, result: { a: 1 }, message: null });
    expect(successEnvelope(undefined)).to.deep.equal({ success: true, result: {}, message: null });
    expect(successEnvelope({ message: 'done', id: 2 })).to.deep.equal({ success: true, result: { id: 2 }, message: 'done' });
    class Thing { message = 'kept'; }
    expect(successEnvelope(new Thing()).result).to.be.instanceOf(Thing);
  });

  it('builds failure envelopes', () => {
    expect(failureEnvelope('nope')).to.deep.equal({ success: false, result: null, message: 'nope' });
  });

  it('names statuses by their standard text', () => {
    expect(statusText(500)).to.equal('Internal Server Error');
    expect(statusText(404)).to.equal('Not Found');
    expect(statusText(599)).to.equal('Internal Server Error');
  });
});
