// Texts built to make a backtracking regex rescan what it already read (issue 18, item 1),
// and a way to time a text rule on them that does not depend on the machine's speed.
import fc from 'fast-check';

/**
 * Units whose long runs defeat a naive pattern: "-" is both a word boundary and a
 * base64url character (JWT), backslash runs are JSON quoting levels, "%" starts encoded
 * names, quotes, "=" and ":" start values, the rest are the triggers of the shapes.
 */
export const ATTACK_UNITS = [
  '-', '\\', 'eyJ', 'eyJ-', '%', '%3F', '%3Da', '%26a', '"', "'", '=', ':', ' ', '\t', '\n', 'a', '0', '4',
  'a=', ' a=', "a='", 'a="', '"a":', '\\"a\\":', '"a"', 'a: ', ',a:', '(a', '://', 'a://', 'https%3A%2F%2F',
  'Bearer ', 'bearer\t', 'xoxb-', 'ghp_', 'github_pat_', 'AKIA', 'AIza', 'sk_live_', '4111 ', '4-',
  '-----BEGIN RSA PRIVATE KEY-----', '-----END ', ' PRIVATE KEY-----', '{"password":[', '[{', 'eyJaaaaaaaa.',
] as const;

/** The attacks of issue 18's reproduction, as functions of the wanted length. */
export const KNOWN_ATTACKS: Record<string, (length: number) => string> = {
  'eyJ- run (JWT shape)': (n) => 'eyJ-'.repeat(Math.ceil(n / 4)).slice(0, n),
  '"key then backslashes (escaped JSON key)': (n) => `"key${'\\'.repeat(n - 4)}`,
  'escaped quotes run': (n) => '\\"'.repeat(Math.ceil(n / 2)).slice(0, n),
  'backslash run before a key': (n) => `${'\\'.repeat(n - 12)}"password":`,
  'eyJ header without dots': (n) => `eyJ${'a'.repeat(n - 3)}`,
  'JWT parts without signature': (n) => 'eyJaaaaaaaa.bbbb'.repeat(Math.ceil(n / 16)).slice(0, n),
  'percent run': (n) => '%'.repeat(n),
  'encoded pairs without value end': (n) => `%3F${'a%3D'.repeat(Math.ceil(n / 4))}`.slice(0, n),
  'quote run': (n) => '"'.repeat(n),
  'equals run': (n) => ' a='.repeat(Math.ceil(n / 3)).slice(0, n),
  'colon run': (n) => ' a:'.repeat(Math.ceil(n / 3)).slice(0, n),
  'unclosed quoted value': (n) => `password="${'x '.repeat(n)}`.slice(0, n),
  'scheme then userinfo without @': (n) => `a://${'b'.repeat(n - 4)}`,
  'many schemes': (n) => 'a://'.repeat(Math.ceil(n / 4)).slice(0, n),
  'Bearer then spaces': (n) => `Bearer${' '.repeat(n - 6)}`,
  'PEM begin without end': (n) => `-----BEGIN RSA PRIVATE KEY-----\n${'A'.repeat(n - 32)}`,
  'PEM begins': (n) => '-----BEGIN '.repeat(Math.ceil(n / 11)).slice(0, n) + ' PRIVATE KEY',
  'card-like digit run': (n) => '4'.repeat(n),
  'grouped digits': (n) => '4111 '.repeat(Math.ceil(n / 5)).slice(0, n),
  'slack prefixes': (n) => 'xoxb-'.repeat(Math.ceil(n / 5)).slice(0, n),
  'github pat prefixes': (n) => 'github_pat_'.repeat(Math.ceil(n / 11)).slice(0, n),
  'prose name then spaces': (n) => ` password${' '.repeat(n - 9)}`,
  'prose pairs inside a quoted value': (n) => ` a: '${' b: c'.repeat(Math.ceil(n / 5))}`.slice(0, n),
  'prose pairs in alternating quotes': (n) => ` a: '(b: "(c: '(d: "`.repeat(Math.ceil(n / 20)).slice(0, n),
  'prose values that are pairs': (n) => ' a: b: c:'.repeat(Math.ceil(n / 9)).slice(0, n),
  'nested open brackets': (n) => `{"password":${'['.repeat(n - 12)}`,
  'source line with hidden name': (n) => `const password = ${"'x' + ".repeat(Math.ceil(n / 6))}`.slice(0, n),
};

/** Ordinary text of the same length: words, a URL, a JSON pair, a frame, digits, every shape's trigger once per line. */
export function plainText(length: number): string {
  const line =
    "GET /api/items?page=2&sort=asc%20up user=ada status: ok {\"name\":\"x\"} at fn (/app/x.ts:1:2) it's 'quoted' eyJ AKIA gh xox k_live_ AIza 1234 Bearer PRIVATE KEY https://h/\n";
  return line.repeat(Math.ceil(length / line.length)).slice(0, length);
}

/** Runs of attack units, up to `maxLength` characters: what an attacker puts in a header, a query value or a body field. */
export function adversarialString(maxLength: number): fc.Arbitrary<string> {
  const run = fc.tuple(fc.constantFrom(...ATTACK_UNITS), fc.integer({ min: 1, max: maxLength }));
  return fc
    .array(run, { minLength: 1, maxLength: 5 })
    .map((runs) => runs.map(([unit, times]) => unit.repeat(Math.ceil(times / unit.length))).join('').slice(0, maxLength));
}

/** Median over `rounds` of the CPU time `rule` takes on each text, in ms; the texts are timed in turns so drift hits all alike. */
export function medianTimes(rule: (text: string) => unknown, texts: string[], reps: number, rounds = 5): number[] {
  const samples = texts.map(() => [] as number[]);
  for (let round = 0; round < rounds; round++) {
    texts.forEach((text, i) => {
      // CPU time of this process, not wall time: on a shared machine a longer sample is
      // more often preempted, which wall time would count as cost.
      const start = process.cpuUsage();
      // Texts this long are never cached (the filter remembers short texts only).
      for (let r = 0; r < reps; r++) rule(text);
      const used = process.cpuUsage(start);
      samples[i].push((used.user + used.system) / 1000);
    });
  }
  return samples.map(median);
}

/** How many calls make one sample of `rule` on `text` last at least `ms`. */
export function repsFor(rule: (text: string) => unknown, text: string, ms: number): number {
  let reps = 1;
  for (;;) {
    const [took] = medianTimes(rule, [text], reps, 1);
    if (took >= ms || reps >= 1 << 16) return reps;
    reps *= 2;
  }
}

export interface Growth {
  /** cost(large) / cost(small) on the attack text. */
  attack: number;
  /** The same ratio on plain text. */
  plain: number;
  /** attack / plain: about 1 when the rule is linear, about large/small when quadratic. */
  ratioOfRatios: number;
}

/** The growth of `rule`'s cost from `small` to `large` characters on `attack` and on plain text, measured in one run. */
export function growth(rule: (text: string) => unknown, attack: (length: number) => string, small: number, large: number): Growth {
  const attacks = [attack(small), attack(large)];
  const plains = [plainText(small), plainText(large)];
  // Enough calls that each small sample is well above the timer's and the loop's own cost;
  // the same count for both lengths of a kind, so their ratio is the ratio of one call's.
  const attackReps = repsFor(rule, attacks[0], 0.5);
  const plainReps = repsFor(rule, plains[0], 0.5);
  const attackTimes: number[][] = [[], []];
  const plainTimes: number[][] = [[], []];
  // Plain text first, then the attack: a slow attack's garbage must not land in plain text's samples.
  for (let round = 0; round < 5; round++) medianTimes(rule, plains, plainReps, 1).forEach((t, i) => plainTimes[i].push(t));
  for (let round = 0; round < 5; round++) medianTimes(rule, attacks, attackReps, 1).forEach((t, i) => attackTimes[i].push(t));
  const [attackSmall, attackLarge] = attackTimes.map(median);
  const [plainSmall, plainLarge] = plainTimes.map(median);
  const attackGrowth = attackLarge / attackSmall;
  const plainGrowth = plainLarge / plainSmall;
  return { attack: attackGrowth, plain: plainGrowth, ratioOfRatios: attackGrowth / plainGrowth };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}
