import { expect } from 'chai';
import Koa, { type Context } from 'koa';
import { defaultLimits, reportOptions, userFromState } from '../../lib/report/reportOptions';
import { SafeReportFilter } from '../../lib/report/scrub/SafeReportFilter';
import { gitSha } from '../../lib/report/gitSha';

function withEnv(vars: Record<string, string | undefined>, work: () => void): void {
  const saved = Object.fromEntries(Object.keys(vars).map((key) => [key, process.env[key]]));
  const apply = (values: Record<string, string | undefined>) => {
    for (const [key, value] of Object.entries(values)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
  apply(vars);
  try {
    work();
  } finally {
    apply(saved);
  }
}

function contextWithState(state: Record<string, unknown>): Context {
  const app = new Koa();
  const ctx = app.createContext({ headers: {}, url: '/', method: 'GET', socket: {} } as never, {} as never);
  Object.assign(ctx.state, state);
  return ctx;
}

describe('reportOptions', () => {
  it('fills the documented defaults', () => {
    withEnv({ NODE_ENV: undefined, TRIPWIRE_RELEASE: undefined }, () => {
      const options = reportOptions();
      expect(options.environment).to.equal('development');
      expect(options.release).to.equal(gitSha());
      expect(options.filter).to.be.instanceOf(SafeReportFilter);
      expect(options.getUser).to.equal(userFromState);
      expect(options.fingerprint).to.equal(undefined);
      expect(options.limits).to.deep.equal({
        maxStringLength: 8192,
        maxMessageLength: 8192,
        maxStackLength: 16384,
        maxFrames: 50,
        maxBodyBytes: 16384,
        maxDepth: 8,
        maxKeys: 200,
        maxArrayItems: 100,
        maxReportBytes: 256 * 1024,
      });
    });
  });

  it('reads NODE_ENV and TRIPWIRE_RELEASE', () => {
    withEnv({ NODE_ENV: 'production', TRIPWIRE_RELEASE: 'v1.2.3' }, () => {
      expect(reportOptions()).to.include({ environment: 'production', release: 'v1.2.3' });
    });
  });

  it('prefers given options, including an explicit null release', () => {
    withEnv({ TRIPWIRE_RELEASE: 'v1' }, () => {
      expect(reportOptions({ environment: 'staging', release: 'v2' })).to.include({ environment: 'staging', release: 'v2' });
      expect(reportOptions({ release: null }).release).to.equal(null);
    });
  });

  it('merges partial limits over the defaults without sharing them', () => {
    const options = reportOptions({ limits: { maxFrames: 5 } });
    expect(options.limits).to.deep.equal({ ...defaultLimits, maxFrames: 5 });
    options.limits.maxKeys = 1;
    expect(reportOptions().limits.maxKeys).to.equal(200);
  });

  it('names the bad option', () => {
    const cases: Array<[unknown, ErrorConstructor, RegExp]> = [
      ['nope', TypeError, /report options must be an object/],
      [{ environment: '' }, TypeError, /^environment/],
      [{ release: 42 }, TypeError, /^release/],
      [{ getUser: 'user' }, TypeError, /^getUser/],
      [{ fingerprint: 'x' }, TypeError, /^fingerprint/],
      [{ filter: {} }, TypeError, /^filter/],
      [{ limits: 3 }, TypeError, /^limits must be an object/],
      [{ limits: { maxFrame: 3 } }, TypeError, /^limits\.maxFrame is not a known limit/],
      [{ limits: { maxDepth: 2.5 } }, TypeError, /^limits\.maxDepth must be an integer/],
      [{ limits: { maxBodyBytes: 0 } }, RangeError, /^limits\.maxBodyBytes must be at least 1/],
    ];
    for (const [input, type, message] of cases) {
      expect(() => reportOptions(input as never), JSON.stringify(input)).to.throw(type, message);
    }
  });
});

describe('userFromState', () => {
  it('is anonymous without ctx.state.user', () => {
    expect(userFromState(contextWithState({}))).to.deep.equal({ id: null, username: 'Anonymous' });
  });

  it('reads id or _id and username, name or email', () => {
    expect(userFromState(contextWithState({ user: { id: 7, username: 'ada' } }))).to.deep.equal({ id: '7', username: 'ada' });
    const objectId = { toString: () => '507f1f77bcf86cd799439011' };
    expect(userFromState(contextWithState({ user: { _id: objectId, name: 'Ada' } }))).to.deep.equal({
      id: '507f1f77bcf86cd799439011',
      username: 'Ada',
    });
    expect(userFromState(contextWithState({ user: { id: 'u1', email: 'ada@example.com' } }))).to.deep.equal({
      id: 'u1',
      username: 'ada@example.com',
    });
    expect(userFromState(contextWithState({ user: { id: 'u1' } }))).to.deep.equal({ id: 'u1', username: 'Anonymous' });
  });
});
