import { expect } from 'chai';
import { safeClone } from '../../../lib/report/scrub/safeClone';
import { truncate, TRUNCATED, describeThrown } from '../../../lib/report/scrub/truncate';
import { defaultLimits } from '../../../lib/report/reportOptions';

const limits = { ...defaultLimits };

describe('safeClone', () => {
  it('copies plain data as it is', () => {
    const value = { a: 1, b: 'two', c: [true, null, { d: 2.5 }] };
    expect(safeClone(value, limits)).to.deep.equal(value);
  });

  it('marks circular references and keeps shared, non-circular ones', () => {
    const shared = { x: 1 };
    const value: Record<string, unknown> = { left: shared, right: shared };
    value.self = value;
    const clone = safeClone(value, limits) as Record<string, unknown>;
    expect(clone.self).to.equal('[Circular]');
    expect(clone.left).to.deep.equal({ x: 1 });
    expect(clone.right).to.deep.equal({ x: 1 });
    expect(() => JSON.stringify(clone)).not.to.throw();
  });

  it('stops at maxDepth', () => {
    const value = { a: { b: { c: { d: 1 } } }, list: [[[1]]] };
    expect(safeClone(value, { ...limits, maxDepth: 2 })).to.deep.equal({ a: { b: '[Object]' }, list: ['[Array]'] });
  });

  it('keeps maxKeys keys and maxArrayItems items, saying how many were left out', () => {
    const clone = safeClone({ a: 1, b: 2, c: 3, d: 4 }, { ...limits, maxKeys: 2 });
    expect(clone).to.deep.equal({ a: 1, b: 2, '…': '[2 more keys]' });
    expect(safeClone([1, 2, 3, 4, 5], { ...limits, maxArrayItems: 3 })).to.deep.equal([1, 2, 3, '[2 more items]']);
  });

  it('truncates strings visibly', () => {
    const clone = safeClone({ s: 'x'.repeat(100) }, { ...limits, maxStringLength: 10 }) as { s: string };
    expect(clone.s).to.equal('x'.repeat(10) + TRUNCATED);
  });

  it('does not split a surrogate pair when truncating', () => {
    expect(truncate('ab😀cd', 3)).to.equal('ab' + TRUNCATED);
  });

  it('describes buffers, dates, bigints, functions, symbols, non-finite numbers and regexps', () => {
    const clone = safeClone(
      {
        buffer: Buffer.alloc(12),
        bytes: new Uint8Array(3),
        date: new Date('2024-02-03T04:05:06.007Z'),
        invalidDate: new Date(NaN),
        big: 12345678901234567890n,
        named: function handler() {},
        anonymous: [() => 1][0],
        symbol: Symbol('tag'),
        nan: NaN,
        infinity: -Infinity,
        pattern: /a+/g,
        missing: undefined,
      },
      limits,
    ) as Record<string, unknown>;
    expect(clone).to.deep.equal({
      buffer: '[Buffer 12 bytes]',
      bytes: '[Uint8Array 3 bytes]',
      date: '2024-02-03T04:05:06.007Z',
      invalidDate: 'Invalid Date',
      big: '12345678901234567890',
      named: '[Function: handler]',
      anonymous: '[Function]',
      symbol: 'Symbol(tag)',
      nan: 'NaN',
      infinity: '-Infinity',
      pattern: '/a+/g',
    });
    expect(safeClone([undefined], limits)).to.deep.equal([null]);
  });

  it('copies Maps as objects (so key rules apply) and Sets as arrays within the item limit', () => {
    expect(safeClone(new Map<unknown, number>([['a', 1], [2, 3]]), limits)).to.deep.equal({ a: 1, 2: 3 });
    expect(safeClone(new Map([['a', 1], ['b', 2]]), { ...limits, maxKeys: 1 })).to.deep.equal({ a: 1, '…': '[1 more keys]' });
    expect(safeClone(new Set([1, 2, 3]), { ...limits, maxArrayItems: 2 })).to.deep.equal([1, 2, '[1 more items]']);
  });

  it('summarises nested errors as {type, message}', () => {
    class QuotaError extends Error {}
    expect(safeClone({ inner: new QuotaError('over quota') }, limits)).to.deep.equal({
      inner: { type: 'QuotaError', message: 'over quota' },
    });
  });

  it('turns getters that throw into [Unreadable: message]', () => {
    const value = {
      ok: 1,
      get broken(): never {
        throw new Error('nope');
      },
    };
    expect(safeClone(value, limits)).to.deep.equal({ ok: 1, broken: '[Unreadable: nope]' });
  });

  it('survives a Proxy that throws on every operation', () => {
    const hostile = new Proxy(
      {},
      {
        get() { throw new Error('trap get'); },
        ownKeys() { throw new Error('trap ownKeys'); },
        getPrototypeOf() { throw new Error('trap proto'); },
        has() { throw new Error('trap has'); },
        getOwnPropertyDescriptor() { throw new Error('trap descriptor'); },
      },
    );
    const clone = safeClone({ hostile }, limits) as { hostile: string };
    expect(clone.hostile).to.match(/^\[Unreadable: trap /);
    expect(safeClone(hostile, limits)).to.match(/^\[Unreadable: trap /);
  });

  it('survives a thrown value whose message getter throws', () => {
    const thrower = {
      get message(): never {
        throw new Error('inner');
      },
    };
    const getter = {
      get x(): never {
        throw thrower;
      },
    };
    expect(safeClone(getter, limits)).to.deep.equal({ x: '[Unreadable: [object Object]]' });
    expect(describeThrown(Object.create(Error.prototype, { message: { get() { throw new Error('x'); } } }))).to.equal('unknown error');
  });

  it('uses toJSON of class instances (ObjectIds, documents) and not of plain objects', () => {
    class Id {
      toJSON() {
        return 'abc123';
      }
    }
    expect(safeClone({ id: new Id() }, limits)).to.deep.equal({ id: 'abc123' });
    expect(safeClone({ toJSON: 1, a: 2 }, limits)).to.deep.equal({ toJSON: 1, a: 2 });
  });

  it('bounds the total work on wide and deep data', () => {
    const wide: Record<string, unknown> = {};
    for (let i = 0; i < 200; i++) wide[`k${i}`] = Array.from({ length: 100 }, (_, j) => j);
    const json = JSON.stringify(safeClone({ a: wide, b: wide }, limits));
    expect(json).to.match(/truncated: \d+ more (items|properties)/);
    expect(json.length).to.be.below(100_000);
  });
});
