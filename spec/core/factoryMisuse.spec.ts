import { expect } from 'chai';
import Koa from 'koa';
import request from 'supertest';
import { rejectUseWithoutCall } from '../../lib/core/factoryMisuse';
import { stack } from '../../lib/stack';
import { recordingLogger } from '../support/recordingLogger';

describe('rejectUseWithoutCall', () => {
  const ctx = new Koa().createContext({ headers: {}, socket: {} } as never, {} as never);

  it('throws a TypeError naming the fix when called with (ctx, next), and logs the fix', () => {
    const logger = recordingLogger();
    expect(() => rejectUseWithoutCall('stack', ctx, async () => {}, logger)).to.throw(TypeError, 'use app.use(stack()), not app.use(stack)');
    expect(logger.lines.map((l) => [l.level, l.message])).to.deep.equal([['error', 'stack is a middleware factory: use app.use(stack()), not app.use(stack)']]);
  });

  it('recognises a Koa context even without next', () => {
    expect(() => rejectUseWithoutCall('errorReporter', ctx, undefined, recordingLogger())).to.throw(TypeError, /app\.use\(errorReporter\(\)\)/);
  });

  it('lets options through, including ones with an `app` key, and logs nothing', () => {
    const logger = recordingLogger();
    expect(() => rejectUseWithoutCall('stack', {}, undefined, logger)).not.to.throw();
    expect(() => rejectUseWithoutCall('stack', undefined, undefined, logger)).not.to.throw();
    expect(() => rejectUseWithoutCall('stack', { app: {} }, undefined, logger)).not.to.throw();
    expect(logger.lines).to.deep.equal([]);
  });

  it('app.use(stack) with app.silent answers 500 and logs the fix once per app on the console', async () => {
    const app = new Koa();
    app.silent = true;
    app.use(stack as unknown as Koa.Middleware);
    const printed: string[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => { printed.push(args.join(' ')); };
    try {
      await request(app.callback()).get('/').expect(500);
      await request(app.callback()).get('/').expect(500);
    } finally {
      console.error = original;
    }
    expect(printed).to.deep.equal(['[koa-tripwire] stack is a middleware factory: use app.use(stack()), not app.use(stack)']);
  });
});
