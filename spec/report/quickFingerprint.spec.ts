import { expect } from 'chai';
import { quickFingerprint } from '../../lib/report/quickFingerprint';
import { buildErrorReport } from '../../lib/report/buildErrorReport';
import { reportOptions } from '../../lib/report/reportOptions';

const options = reportOptions({ environment: 'test', release: null });
const MAX_FRAMES = options.limits.maxFrames;

function findOrder(id: string): never {
  throw new Error(`order ${id} not found`);
}

function failedOrder(id: string): unknown {
  try {
    findOrder(id);
  } catch (err) {
    return err;
  }
  throw new Error('expected a throw');
}

describe('quickFingerprint', () => {
  it('is the fingerprint the built report gets, for an error with in-app frames, and the same for every message', () => {
    const errors = ['42', 'user token=abc', 'x'.repeat(5000)].map(failedOrder);
    const quick = errors.map((err) => quickFingerprint(err, MAX_FRAMES));
    expect(quick[0]).to.match(/^[0-9a-f]{40}$/);
    expect(new Set(quick).size).to.equal(1);
    for (const err of errors) expect(buildErrorReport(err, undefined, options).fingerprint).to.equal(quick[0]);
  });

  it("follows the error's own fingerprint override", () => {
    const err = Object.assign(new Error('x'), { fingerprint: ['payments', 'timeout'] });
    expect(quickFingerprint(err, MAX_FRAMES)).to.equal(buildErrorReport(err, undefined, options).fingerprint);
  });

  it('tells different throw sites and types apart', () => {
    const other = (() => { try { JSON.parse('{'); } catch (err) { return err; } })();
    const typed = Object.assign(failedOrder('1') as Error, { name: 'TypeError' });
    Object.setPrototypeOf(typed, TypeError.prototype);
    const prints = [failedOrder('1'), other, typed].map((err) => quickFingerprint(err, MAX_FRAMES));
    expect(new Set(prints).size).to.equal(3);
  });

  it('answers null when only the report can tell the group: no in-app frames, no stack, not an error, a hostile stack', () => {
    const libraryOnly = new Error('x');
    libraryOnly.stack = 'Error: x\n    at parse (/srv/app/node_modules/lib/index.js:1:1)';
    const stackless = Object.assign(new Error('x'), { stack: undefined });
    const hostile = new Proxy(new Error('x'), { get: () => { throw new Error('no'); } });
    const throwingStack = Object.defineProperty(new Error('x'), 'stack', { get: () => { throw new Error('no'); } });
    for (const thrown of [libraryOnly, stackless, hostile, throwingStack, 'text', 42, null, undefined, { message: 'plain' }]) {
      expect(quickFingerprint(thrown, MAX_FRAMES)).to.equal(null);
    }
  });
});

describe('quickFingerprint of forged frames', () => {
  it('gives one key to errors whose messages forge different frame lines', () => {
    const ids = ['plain', ...[1, 2, 3].map((n) => `x\n    at fn${n} (lib/keys.js:4:1)`)];
    const keys = ids.map((id) => quickFingerprint(failedOrder(id), MAX_FRAMES));
    expect(keys[0]).to.match(/^[0-9a-f]{40}$/);
    expect(new Set(keys).size, 'the forged ones share the plain one').to.equal(1);
  });
});
