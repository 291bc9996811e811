import { expect } from 'chai';
import { normaliseMessage, requestValues, withoutRequestValues } from '../../lib/report/messageRules';

describe('normaliseMessage', () => {
  // The table of docs/grouping.md: one example per rule.
  const RULES: Array<[string, string, string]> = [
    ['numbers', 'user 42 not found', 'user <n> not found'],
    ['UUIDs', 'no order 9f1c2d3e-0000-4a5b-8c7d-1234567890ab', 'no order <uuid>'],
    ['hex ids', 'doc 507f1f77bcf86cd799439011 missing', 'doc <hex> missing'],
    ['dates', 'expired at 2026-12-03T17:29:52.123Z', 'expired at <date>'],
    ['IPv4 addresses', 'connect ECONNREFUSED 10.0.0.12:5432', 'connect ECONNREFUSED <ip>:<n>'],
    ['IPv6 addresses', 'no route to fe80::1ff:fe23:4567:890a', 'no route to <ip>'],
    ['emails', 'duplicate key: ada@example.com', 'duplicate key: <email>'],
  ];
  for (const [rule, message, expected] of RULES) {
    it(`replaces ${rule}: "${message}"`, () => {
      expect(normaliseMessage(message)).to.equal(expected);
    });
  }

  it('leaves words alone', () => {
    expect(normaliseMessage('deadline exceeded')).to.equal('deadline exceeded');
    expect(normaliseMessage('cafe face: decade')).to.equal('cafe face: decade');
  });

  it('takes time linear in the length, whatever the text', () => {
    // The fastest of three runs, compared as a ratio of ratios with plain text (never a time).
    const cost = (text: string) => Math.min(...[0, 1, 2].map(() => {
      const start = process.hrtime.bigint();
      normaliseMessage(text);
      return Number(process.hrtime.bigint() - start);
    }));
    for (const unit of ['a:', '1.', 'a@', 'a-', '1-', 'f']) {
      cost(unit.repeat(2000));
      const ratio = cost(unit.repeat(32_000)) / Math.max(cost(unit.repeat(2000)), 1);
      const plain = cost('x '.repeat(16_000)) / Math.max(cost('x '.repeat(1000)), 1);
      expect(ratio, unit).to.be.lessThan(Math.max(plain, 16) * 4);
    }
  });
});

describe('requestValues', () => {
  it("lists the URL, the path's segments (as sent and decoded, but the route's fixed ones), query and header values", () => {
    const values = requestValues({
      url: '/items/caf%C3%A9?sort=name&tag=a&tag=b',
      path: '/items/caf%C3%A9',
      route: '/items/:name',
      query: { sort: 'name', tag: ['a', 'b'] },
      headers: { 'x-tenant': 'acme' },
    });
    expect(values).to.have.members(['/items/caf%C3%A9?sort=name&tag=a&tag=b', '/items/caf%C3%A9', 'caf%C3%A9', 'café', 'name', 'a', 'b', 'acme']);
    expect(requestValues(null)).to.deep.equal([]);
  });

  it('lists at most 200 values, whatever the request holds', () => {
    const query = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`k${i}`, `v${i}`]));
    expect(requestValues({ url: '/', path: '/', query, headers: {} }).length).to.be.at.most(200);
  });
});

describe('withoutRequestValues', () => {
  it('cuts each value where it stands as a whole token, short ones only when quoted', () => {
    expect(withoutRequestValues('invalid input syntax for type uuid: "alpha"', ['alpha'])).to.equal('invalid input syntax for type uuid: "<value>"');
    expect(withoutRequestValues('connection closed', ['close'])).to.equal('connection closed');
    expect(withoutRequestValues('a value "a" in a list', ['a'])).to.equal('a value "<value>" in a list');
    expect(withoutRequestValues('bad /items/x?y=1 and /items/x', ['/items/x?y=1', '/items/x'])).to.equal('bad <value> and <value>');
    expect(withoutRequestValues('path-with.dots!', ['path-with.dots!'])).to.equal('<value>');
    expect(withoutRequestValues('no such file 日本語.txt', ['日本語.txt'])).to.equal('no such file <value>');
    expect(withoutRequestValues('a -- b', ['--'])).to.equal('a -- b');
  });

  it('searches only values whose every word stands whole in the message, at most 8 of them', () => {
    const values = Array.from({ length: 20 }, (_, i) => `v${i}`);
    const message = values.map((value) => `"${value}"`).join(' ');
    const cut = withoutRequestValues(message, values);
    expect(cut.match(/<value>/g)).to.have.length(8);
    expect(withoutRequestValues('alpha beta', ['alpha gamma'])).to.equal('alpha beta');
  });
});
