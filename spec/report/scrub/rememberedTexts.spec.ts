import { expect } from 'chai';
import { RememberedTexts } from '../../../lib/report/scrub/rememberedTexts';

describe('RememberedTexts', () => {
  it('cleanses a text once and answers from memory after', () => {
    const texts = new RememberedTexts(10);
    let calls = 0;
    const cleanse = (t: string) => { calls += 1; return t.toUpperCase(); };
    expect(texts.get('abc', cleanse)).to.equal('ABC');
    expect(texts.get('abc', cleanse)).to.equal('ABC');
    expect(calls).to.equal(1);
  });

  it('stays bounded: past `max` entries it forgets all at once, and clear() forgets too', () => {
    const texts = new RememberedTexts(3);
    let calls = 0;
    const cleanse = (t: string) => { calls += 1; return `<${t}>`; };
    for (const t of ['a', 'b', 'c']) texts.get(t, cleanse);
    texts.get('d', cleanse); // the fourth clears the three before it
    expect(calls).to.equal(4);
    texts.get('d', cleanse);
    expect(calls, 'd is remembered').to.equal(4);
    texts.get('a', cleanse);
    expect(calls, 'a was forgotten').to.equal(5);
    texts.clear();
    texts.get('d', cleanse);
    expect(calls).to.equal(6);
  });
});
