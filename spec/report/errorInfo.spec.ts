import path from 'node:path';
import { expect } from 'chai';
import createError from 'http-errors';
import { errorFingerprintOverride, errorInfo, errorType } from '../../lib/report/errorInfo';
import { defaultLimits } from '../../lib/report/reportOptions';

const limits = { ...defaultLimits };

function hostileProxy(): object {
  const fail = () => {
    throw new Error('proxy says no');
  };
  return new Proxy({}, { get: fail, has: fail, ownKeys: fail, getPrototypeOf: fail, getOwnPropertyDescriptor: fail });
}

describe('errorInfo', () => {
  it('describes an Error with its stack and frames', () => {
    class NoteMissing extends Error {}
    const info = errorInfo(new NoteMissing('note 42 is gone'), limits);
    expect(info.type).to.equal('NoteMissing');
    expect(info.message).to.equal('note 42 is gone');
    expect(info.stack).to.match(/^Error: note 42 is gone\n\s+at /);
    expect(info.frames[0]).to.include({ file: path.relative(process.cwd(), __filename), inApp: true });
    expect(info.cause).to.deep.equal([]);
    expect(info.extra).to.deep.equal({});
  });

  it('describes any thrown value', () => {
    const cases: Array<[unknown, string, string]> = [
      ['plain string', 'string', 'plain string'],
      [42, 'number', '42'],
      [null, 'null', 'null'],
      [undefined, 'undefined', 'undefined'],
      [false, 'boolean', 'false'],
      [10n, 'bigint', '10'],
      [Symbol('s'), 'symbol', 'Symbol(s)'],
      [{ message: 'object with message', code: 'E1' }, 'object', 'object with message'],
      [{ code: 'E2' }, 'object', '{"code":"E2"}'],
    ];
    for (const [thrown, type, message] of cases) {
      const info = errorInfo(thrown, limits);
      expect(info, String(type)).to.deep.include({ type, message, stack: null, frames: [], cause: [] });
      expect(() => JSON.stringify(info)).not.to.throw();
    }
    expect(errorInfo({ message: 'm', code: 'E1' }, limits).extra).to.deep.equal({ code: 'E1' });
  });

  it('keeps own enumerable properties as extra, minus what is reported elsewhere', () => {
    const err = Object.assign(createError(404, 'no note'), { noteId: 42, fingerprint: ['x'], nested: { a: [1] } });
    (err as { cause?: unknown }).cause = new Error('lookup failed');
    const info = errorInfo(err, limits);
    expect(info.type).to.equal('NotFoundError');
    expect(info.extra).to.deep.equal({ noteId: 42, nested: { a: [1] } });
    expect(info.cause.map((cause) => cause.message)).to.deep.equal(['lookup failed']);
  });

  it('survives an Error whose message, stack and name getters throw', () => {
    const err = new Error('hidden');
    // stack first: redefining it makes V8 format the pending stack, which reads message.
    for (const key of ['stack', 'message', 'name']) {
      Object.defineProperty(err, key, {
        get() {
          throw new Error(`no ${key}`);
        },
      });
    }
    const info = errorInfo(err, limits);
    expect(info.type).to.equal('Error');
    expect(info.message).to.equal('[Unreadable: no message]');
    expect(info.stack).to.equal('[Unreadable: no stack]');
    expect(() => JSON.stringify(info)).not.to.throw();
  });

  it('survives a Proxy that throws on everything, as the error and as its cause', () => {
    const info = errorInfo(hostileProxy(), limits);
    expect(info.type).to.equal('object');
    expect(info.message).to.match(/^\[Unreadable: proxy says no\]/);
    expect(info.extra).to.deep.equal({ unreadable: '[Unreadable: proxy says no]' });
    const wrapped = errorInfo(new Error('outer', { cause: hostileProxy() }), limits);
    expect(wrapped.cause).to.have.length(1);
    expect(() => JSON.stringify(wrapped)).not.to.throw();
  });

  it('truncates a 5 MB message, and keeps the frames in the stored stack', () => {
    const info = errorInfo(new Error('m'.repeat(5 * 1024 * 1024)), limits);
    expect(info.message).to.have.length(limits.maxMessageLength + '…[truncated]'.length);
    expect(info.message.endsWith('…[truncated]')).to.equal(true);
    expect(info.stack!.length).to.be.at.most(limits.maxStackLength + '…[truncated]'.length);
    expect(info.stack).to.include(path.relative(process.cwd(), __filename));
    expect(info.stack).not.to.include(process.cwd());
    expect(info.frames.length).to.be.above(0);
    expect(JSON.stringify(info).length).to.be.below(64 * 1024);
  });

  it('follows the cause chain, at most 5 deep, outermost first', () => {
    let err: Error = new Error('cause 7');
    for (let i = 6; i >= 0; i--) err = new Error(i === 0 ? 'top' : `cause ${i}`, { cause: err });
    const info = errorInfo(err, limits);
    expect(info.cause.map((cause) => cause.message)).to.deep.equal(['cause 1', 'cause 2', 'cause 3', 'cause 4', 'cause 5']);
    expect(info.cause[0]).not.to.have.property('cause');
  });

  it('stops at a cycle in the cause chain', () => {
    const a = new Error('a');
    const b = new Error('b', { cause: a });
    (a as { cause?: unknown }).cause = b;
    expect(errorInfo(a, limits).cause.map((cause) => cause.message)).to.deep.equal(['b']);
    const selfish = new Error('self');
    (selfish as { cause?: unknown }).cause = selfish;
    expect(errorInfo(selfish, limits).cause).to.deep.equal([]);
  });

  it('copies a circular extra safely', () => {
    const err = new Error('loop') as Error & { context?: Record<string, unknown> };
    err.context = { err };
    err.context.self = err.context;
    const info = errorInfo(err, limits);
    expect(info.extra).to.deep.equal({ context: { err: { type: 'Error', message: 'loop' }, self: '[Circular]' } });
  });
});

describe('errorType', () => {
  it('names errors by class and other throws by typeof', () => {
    expect(errorType(new TypeError('x'))).to.equal('TypeError');
    expect(errorType(Object.assign(Object.create(null), { name: 'X' }))).to.equal('object');
    expect(errorType(() => 1)).to.equal('function');
  });
});

describe('errorFingerprintOverride', () => {
  it('reads err.fingerprint when usable', () => {
    expect(errorFingerprintOverride(Object.assign(new Error('x'), { fingerprint: 'db-down' }))).to.equal('db-down');
    expect(errorFingerprintOverride(Object.assign(new Error('x'), { fingerprint: 3 }))).to.equal(null);
    expect(errorFingerprintOverride(hostileProxy())).to.equal(null);
  });
});
