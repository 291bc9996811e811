import { expect } from 'chai';
import type { Context } from 'koa';
import { formatMark, formatResponse, rawResponse } from '../../lib/envelope/routeMarks';
import { koaContext } from '../support/koaContext';

describe('routeMarks', () => {
  it('leaves the choice to the API paths until a route marks it', () => {
    expect(formatMark(koaContext())).to.equal(undefined);
  });

  it('formatResponse() opts in and rawResponse() opts out, then calls next', async () => {
    for (const [make, expected] of [[formatResponse, true], [rawResponse, false]] as const) {
      const ctx = koaContext();
      let called = false;
      await make()(ctx, async () => { called = true; });
      expect(called).to.equal(true);
      expect(formatMark(ctx)).to.equal(expected);
    }
  });

  it("keeps the mark out of the app's own ctx.state keys", async () => {
    const ctx = koaContext();
    await formatResponse()(ctx, async () => undefined);
    expect(Object.keys(ctx.state)).to.deep.equal([]);
  });
});
