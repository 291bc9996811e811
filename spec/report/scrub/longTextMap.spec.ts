import { expect } from 'chai';
import { LongTextMap } from '../../../lib/report/scrub/longTextMap';

const frames = (n: number) => Array.from({ length: 12 }, (_, i) => `\n    at handler${i} (/srv/app/lib/routes/items.ts:${n + i}:7)`).join('');

describe('LongTextMap', () => {
  it('finds a text by its content, not by the string object that was stored', () => {
    const map = new LongTextMap<number>(10);
    const text = frames(10);
    map.set(text, 1);
    expect(map.get(`${text} `.slice(0, text.length)), 'an equal, freshly built string').to.equal(1);
    expect(map.get(frames(11))).to.equal(undefined);
    expect(map.get('')).to.equal(undefined);
  });

  it('tells apart texts of one length that differ only between its samples', () => {
    const map = new LongTextMap<string>(100);
    const base = 'x'.repeat(2000);
    const texts = Array.from({ length: 20 }, (_, i) => `${base.slice(0, 1001 + i)}${String.fromCharCode(97 + i)}${base.slice(1002 + i)}`);
    texts.forEach((text, i) => map.set(text, `v${i}`));
    // They share one bucket, which keeps its 8 newest entries: each answers its own value.
    texts.forEach((text, i) => expect(map.get(text)).to.equal(i >= 12 ? `v${i}` : undefined));
    expect(map.get(base)).to.equal(undefined);
  });

  it('replaces the value of a text set again', () => {
    const map = new LongTextMap<number>(10);
    map.set(frames(1), 1);
    map.set(frames(1), 2);
    expect(map.get(frames(1))).to.equal(2);
    expect(map.size).to.equal(1);
  });

  it('stays bounded: past `max` entries it forgets all at once, and clear() forgets too', () => {
    const map = new LongTextMap<number>(3);
    for (let n = 0; n < 3; n++) map.set(frames(n), n);
    expect(map.size).to.equal(3);
    map.set(frames(3), 3);
    expect(map.size).to.equal(1);
    expect(map.get(frames(0))).to.equal(undefined);
    expect(map.get(frames(3))).to.equal(3);
    map.clear();
    expect(map.get(frames(3))).to.equal(undefined);
    expect(map.size).to.equal(0);
  });
});
