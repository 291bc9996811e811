import { growth, KNOWN_ATTACKS, ATTACK_UNITS } from './spec/support/adversarialText';
import { SafeReportFilter } from './lib/report/scrub/SafeReportFilter';
import { DEFAULT_SECRET_PATTERNS, maskSecretShapes } from './lib/report/scrub/secretShapes';
import * as t from './lib/report/scrub/textRules';
const f = new SafeReportFilter();
const SUB = '*'.repeat(20);
const rule: t.KeyRule = { isHidden: (n) => f.isHiddenKey(n), substitute: SUB };
const rules: Record<string, (s: string) => unknown> = {
  cleanseText: (s) => f.cleanseText(s),
  url: (s) => t.maskUrlUserinfo(s, SUB), kv: (s) => t.maskKeyValues(s, rule), json: (s) => t.maskJsonPairs(s, rule),
  prose: (s) => t.maskProsePairs(s, rule), auth: (s) => t.maskAuthSchemes(s, SUB),
};
for (const p of DEFAULT_SECRET_PATTERNS) rules[p.name] = (s) => maskSecretShapes(s, [p], SUB);
const attacks: Record<string, (n: number) => string> = { ...KNOWN_ATTACKS };
for (const u of ATTACK_UNITS) attacks[`run of ${JSON.stringify(u)}`] = (n) => u.repeat(Math.ceil(n / u.length)).slice(0, n);
const only = process.argv[2];
const rows: Array<[number, string, string]> = [];
for (const [rn, r] of Object.entries(rules)) {
  if (only && rn !== only) continue;
  for (const [an, a] of Object.entries(attacks)) {
    const g = growth(r, a, 1024, 8192); if (g.ratioOfRatios > 2.5) console.log("!!", g.ratioOfRatios.toFixed(1), rn, an);
    rows.push([g.ratioOfRatios, rn, an]);
  }
}
rows.sort((a, b) => b[0] - a[0]);
for (const r of rows.slice(0, 15)) console.log(r[0].toFixed(2), r[1], r[2]);
