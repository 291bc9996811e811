import { expect } from 'chai';
import Koa from 'koa';
import { emitToOwnListeners, printsRawErrors } from '../../lib/envelope/koaErrorPrinter';

describe('koaErrorPrinter', () => {
  it("tells Koa's printer is on once callback() added it, and off when silent", () => {
    const app = new Koa();
    app.callback(); // Koa adds its printer here when no 'error' listener exists
    expect(app.listenerCount('error')).to.equal(1);
    expect(printsRawErrors(app)).to.equal(true);
    app.silent = true;
    expect(printsRawErrors(app)).to.equal(false);
  });

  it("is off when the app listens itself before callback()", () => {
    const app = new Koa();
    app.on('error', () => undefined);
    app.callback();
    expect(printsRawErrors(app)).to.equal(false);
  });

  it("emits to the app's own listeners, in order, with `this` the app, and never to Koa's printer", () => {
    const app = new Koa();
    app.callback();
    const seen: unknown[][] = [];
    app.on('error', function (this: Koa, err: Error, ctx: unknown) { seen.push(['first', this === app, err.message, ctx]); });
    app.on('error', (err: Error) => seen.push(['second', err.message]));
    const printed: unknown[] = [];
    const originalError = console.error;
    console.error = (...args: unknown[]) => { printed.push(args); };
    try {
      emitToOwnListeners(app, new Error('postgres://app:PASSWORD@db'), 'ctx');
    } finally {
      console.error = originalError;
    }
    expect(seen).to.deep.equal([['first', true, 'postgres://app:PASSWORD@db', 'ctx'], ['second', 'postgres://app:PASSWORD@db']]);
    expect(printed, "Koa's printer wrote nothing").to.deep.equal([]);
    expect(printsRawErrors(app), 'the printer stays registered after listeners are added').to.equal(true);
  });
});
