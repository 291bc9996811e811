import { expect } from 'chai';
import { customGrouping, groupedByContent, groupsByContent, linkGrouping, routeGrouping } from '../../lib/report/grouping';
import { errorFingerprint } from '../../lib/report/fingerprint';
import type { StackFrame } from '../../lib/report/Report';
import { sampleError, sampleRequest } from '../support/reports';

const frame = (file: string, fn: string | null, line = 3, inApp = true): StackFrame => ({ file, line, column: 1, function: fn, inApp });

describe('grouping', () => {
  it('groups by in-app frames when there are any, saying which', () => {
    const error = sampleError({ type: 'TypeError', frames: [frame('lib/users.ts', 'getUser'), frame('node_modules/koa/x.js', 'dispatch', 1, false), frame('lib/app.ts', null, 12)] });
    const { fingerprint, grouping } = groupedByContent({ error, request: null });
    expect(fingerprint).to.equal(errorFingerprint(error));
    expect(grouping).to.deep.equal({ rule: 'frames', detail: 'in-app frames of TypeError: lib/users.ts getUser, lib/app.ts:12 <anonymous>' });
  });

  it('names at most five frames and bounds the detail', () => {
    const frames = Array.from({ length: 8 }, (_, i) => frame(`lib/${'x'.repeat(80)}${i}.ts`, `f${i}`));
    const { grouping } = groupedByContent({ error: sampleError({ frames }), request: null });
    expect(grouping.detail.length).to.be.at.most(300);
    expect(grouping.detail.endsWith('…')).to.equal(true);
  });

  it('groups by the normalised message without in-app frames, the request values cut', () => {
    const request = sampleRequest({ url: '/items/alpha', path: '/items/alpha', route: '/items/:id' });
    const error = sampleError({ message: 'invalid input syntax for type uuid: "alpha" at 2026-01-02' });
    const other = sampleError({ message: 'invalid input syntax for type uuid: "beta" at 2026-01-03' });
    const one = groupedByContent({ error, request });
    expect(one.grouping).to.deep.equal({ rule: 'message', detail: 'normalised message of Error: invalid input syntax for type uuid: "<value>" at <date>' });
    expect(groupedByContent({ error: other, request: sampleRequest({ url: '/items/beta', path: '/items/beta', route: '/items/:id' }) }).fingerprint).to.equal(one.fingerprint);
  });

  it('describes the other rules in one line', () => {
    expect(customGrouping('err.fingerprint')).to.deep.equal({ rule: 'custom', detail: 'custom fingerprint (err.fingerprint)' });
    expect(routeGrouping(503, 'GET', '/users/:id')).to.deep.equal({ rule: 'route', detail: 'route + status: GET /users/:id → 503' });
    expect(linkGrouping()).to.deep.equal({ rule: 'link', detail: 'requested URL + referer' });
  });

  it('lets mapped frames change only a grouping made from the content', () => {
    expect(['frames', 'message'].map((rule) => groupsByContent({ rule: rule as 'frames', detail: '' }))).to.deep.equal([true, true]);
    expect(['custom', 'route', 'link', 'overflow'].map((rule) => groupsByContent({ rule: rule as 'custom', detail: '' }))).to.deep.equal([false, false, false, false]);
    expect(groupsByContent(undefined), 'a report that does not say keeps its fingerprint').to.equal(false);
  });
});
