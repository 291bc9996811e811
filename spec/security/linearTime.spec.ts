// Issue 18, item 1: every scrubbing rule runs in time linear in its input, whatever the
// input holds. Each rule is timed on attack texts of 2k, 8k and 32k characters and on
// plain text of the same lengths, in one run: a linear rule's cost grows about as plain
// text's does (ratio of ratios near 1), a quadratic one's 16 times faster from 2k to 32k.
// Medians of five rounds; a rule over the bound is measured twice more and the lowest
// ratio counts, so a busy machine cannot fail it and a quadratic rule cannot pass.
import { expect } from 'chai';
import fc from 'fast-check';
import { SafeReportFilter } from '../../lib/report/scrub/SafeReportFilter';
import { DEFAULT_SECRET_PATTERNS, maskSecretShapes } from '../../lib/report/scrub/secretShapes';
import { scrubSourceLines } from '../../lib/report/scrub/sourceLines';
import { maskAuthSchemes, maskJsonPairs, maskKeyValues, maskProsePairs, maskUrlUserinfo, type KeyRule } from '../../lib/report/scrub/textRules';
import { adversarialString, ATTACK_UNITS, growth, KNOWN_ATTACKS, medianTimes, plainText } from '../support/adversarialText';
import { sampleError, sampleReport, sampleRequest } from '../support/reports';

const filter = new SafeReportFilter();
const SUB = filter.cleansedSubstitute;
const keyRule: KeyRule = { isHidden: (name) => filter.isHiddenKey(name), substitute: SUB };
// Quadratic growth from 2k to 32k is 16 times linear growth; 4 leaves room for noise on both sides.
const MAX_RATIO_OF_RATIOS = 4;

const RULES: Record<string, (text: string) => unknown> = {
  cleanseText: (text) => filter.cleanseText(text),
  maskUrlUserinfo: (text) => maskUrlUserinfo(text, SUB),
  maskKeyValues: (text) => maskKeyValues(text, keyRule),
  maskJsonPairs: (text) => maskJsonPairs(text, keyRule),
  maskProsePairs: (text) => maskProsePairs(text, keyRule),
  maskAuthSchemes: (text) => maskAuthSchemes(text, SUB),
  scrubSourceLines: (text) => scrubSourceLines(text.split('\n')),
  ...Object.fromEntries(DEFAULT_SECRET_PATTERNS.map((p) => [`shape ${p.name}`, (text: string) => maskSecretShapes(text, [p], SUB)])),
};

function worstGrowth(rule: (text: string) => unknown, attack: (length: number) => string): number {
  let best = Infinity;
  for (let attempt = 0; attempt < 3 && best > MAX_RATIO_OF_RATIOS; attempt++) {
    best = Math.min(best, growth(rule, attack, 2048, 32768).ratioOfRatios);
  }
  return best;
}

describe('security: linear-time scrubbing', function () {
  this.timeout(600_000);

  for (const [ruleName, rule] of Object.entries(RULES)) {
    it(`${ruleName}: cost grows linearly on every known attack (2k → 8k → 32k)`, () => {
      const slow: string[] = [];
      for (const [attackName, attack] of Object.entries(KNOWN_ATTACKS)) {
        const rr = worstGrowth(rule, attack);
        if (rr > MAX_RATIO_OF_RATIOS) slow.push(`${attackName}: ×${rr.toFixed(1)} plain text's growth`);
      }
      expect(slow, `${ruleName} grows faster than linearly on`).to.deep.equal([]);
    });
  }

  it('cleanseText: cost grows linearly on a run of every attack unit', () => {
    const slow: string[] = [];
    for (const unit of ATTACK_UNITS) {
      const rr = worstGrowth(RULES.cleanseText, (n) => unit.repeat(Math.ceil(n / unit.length)).slice(0, n));
      if (rr > MAX_RATIO_OF_RATIOS) slow.push(`${JSON.stringify(unit)}: ×${rr.toFixed(1)}`);
    }
    expect(slow).to.deep.equal([]);
  });

  it('the 8k step alone is linear too for the two rules that were quadratic', () => {
    for (const attack of [KNOWN_ATTACKS['eyJ- run (JWT shape)'], KNOWN_ATTACKS['"key then backslashes (escaped JSON key)']]) {
      let rr = Infinity;
      for (let attempt = 0; attempt < 3 && rr > 2.5; attempt++) rr = Math.min(rr, growth(RULES.cleanseText, attack, 8192, 32768).ratioOfRatios);
      // Quadratic: 16 / 4 = 4.
      expect(rr).to.be.below(2.5);
    }
  });

  it('filter.cleanse: a report full of attack strings costs what a report of plain text of the same size does, within a linear factor', () => {
    const report = (text: string) =>
      sampleReport({
        title: text,
        request: sampleRequest({ referer: text, url: `/x?q=${text}`, headers: { 'user-agent': text }, body: Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`f${i}`, text])) }),
        error: sampleError({ message: text, extra: { note: text } }),
      });
    const cleanse = (text: string) => filter.cleanse(report(text));
    for (const attack of [KNOWN_ATTACKS['eyJ- run (JWT shape)'], KNOWN_ATTACKS['"key then backslashes (escaped JSON key)']]) {
      let rr = Infinity;
      for (let attempt = 0; attempt < 3 && rr > MAX_RATIO_OF_RATIOS; attempt++) rr = Math.min(rr, growth(cleanse, attack, 2048, 32768).ratioOfRatios);
      expect(rr).to.be.below(MAX_RATIO_OF_RATIOS);
    }
  });

  it('fast-check: no generated adversarial string of up to 32k costs more than a bounded multiple of plain text of its length', () => {
    // The bound is generous (attack texts do more replacing than plain text); a quadratic
    // rule at 32k costs thousands of times plain text's time.
    const [plainCost] = medianTimes(RULES.cleanseText, [plainText(32768)], 20);
    const worst: Array<[number, string]> = [];
    fc.assert(
      fc.property(adversarialString(32768), (text) => {
        const padded = text.length < 32768 ? text + plainText(32768 - text.length) : text;
        let cost = Infinity;
        for (let attempt = 0; attempt < 3 && cost > 50 * plainCost; attempt++) cost = Math.min(cost, medianTimes(RULES.cleanseText, [padded], 20, 3)[0]);
        worst.push([cost / plainCost, text.slice(0, 40)]);
        expect(cost / plainCost, `cleanseText on ${JSON.stringify(text.slice(0, 60))}…`).to.be.below(50);
      }),
      { seed: 1818, numRuns: 60 },
    );
    worst.sort((a, b) => b[0] - a[0]);
    console.log(`      worst generated text: ×${worst[0][0].toFixed(1)} plain text's cost (${JSON.stringify(worst[0][1])}…)`);
  });
});
