import { expect } from 'chai';
import Koa from 'koa';
import { rejectUseWithoutCall } from '../../lib/middleware/factoryMisuse';

describe('rejectUseWithoutCall', () => {
  const ctx = new Koa().createContext({ headers: {}, socket: {} } as never, {} as never);

  it('throws a TypeError naming the fix when called with (ctx, next)', () => {
    expect(() => rejectUseWithoutCall('stack', ctx, async () => {})).to.throw(TypeError, 'use app.use(stack()), not app.use(stack)');
  });

  it('recognises a Koa context even without next', () => {
    expect(() => rejectUseWithoutCall('errorReporter', ctx, undefined)).to.throw(TypeError, /app\.use\(errorReporter\(\)\)/);
  });

  it('lets options through, including ones with an `app` key', () => {
    expect(() => rejectUseWithoutCall('stack', {}, undefined)).not.to.throw();
    expect(() => rejectUseWithoutCall('stack', undefined, undefined)).not.to.throw();
    expect(() => rejectUseWithoutCall('stack', { app: {} }, undefined)).not.to.throw();
  });
});
