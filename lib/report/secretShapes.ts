// Secrets recognisable by their shape alone, wherever they appear (GitHub secret
// scanning and Sentry's server-side scrubbers work the same way). Each pattern names a
// literal or a cheap regex that must occur for it to match: one combined test per
// string decides whether any pattern runs at all, so text without a candidate (most
// of a report) costs one scan.

export interface SecretPattern {
  name: string;
  /** Global regex whose matches are masked. */
  pattern: RegExp;
  /** Must occur in the text for `pattern` to match: a literal or a regex source. */
  trigger: string | RegExp;
  /** Confirms a match (e.g. the Luhn check of a card number); true when absent. */
  check?: (match: string) => boolean;
}

export const DEFAULT_SECRET_PATTERNS: readonly SecretPattern[] = Object.freeze([
  // header.payload.signature, each base64url; the header of every JWT starts {"…" → eyJ.
  { name: 'jwt', trigger: 'eyJ', pattern: /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}/g },
  { name: 'aws-access-key-id', trigger: /[AS]IA|AKIA/, pattern: /\b(?:AKIA|ASIA|AIDA|AROA|ANPA)[A-Z0-9]{16}\b/g },
  {
    name: 'pem-private-key',
    trigger: 'PRIVATE KEY',
    pattern: /-----BEGIN[A-Z ]* PRIVATE KEY-----[\s\S]*?(?:-----END[A-Z ]* PRIVATE KEY-----|$)/g,
  },
  { name: 'github-token', trigger: /gh[pousr]_|github_pat_/, pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{30,255}|github_pat_[A-Za-z0-9_]{22,255})/g },
  { name: 'slack-token', trigger: 'xox', pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,250}/g },
  { name: 'stripe-secret-key', trigger: /[sr]k_live_/, pattern: /\b[sr]k_live_[A-Za-z0-9]{10,250}/g },
  { name: 'google-api-key', trigger: 'AIza', pattern: /\bAIza[0-9A-Za-z_-]{35}/g },
  // 13–19 digits, optionally grouped by spaces or dashes, that pass the Luhn check.
  { name: 'card-number', trigger: /\d{4}[ -]?\d{4}[ -]?\d{4}/, pattern: /(?<![\d.])\d(?:[ -]?\d){12,18}(?![\d.])/g, check: passesLuhn },
] satisfies SecretPattern[]);

interface Compiled {
  any: RegExp;
  triggers: RegExp[];
}

const compiled = new WeakMap<readonly SecretPattern[], Compiled>();

/** `text` with every match of `patterns` replaced by `substitute`. */
export function maskSecretShapes(text: string, patterns: readonly SecretPattern[], substitute: string): string {
  if (patterns.length === 0) return text;
  const { any, triggers } = compile(patterns);
  if (!any.test(text)) return text;
  let out = text;
  for (let i = 0; i < patterns.length; i++) {
    if (!triggers[i].test(out)) continue;
    const { pattern, check } = patterns[i];
    pattern.lastIndex = 0;
    out = out.replace(pattern, (match) => (check && !check(match) ? match : substitute));
  }
  return out;
}

/** Throws a TypeError naming the fix when `patterns` is not a usable list. */
export function checkSecretPatterns(where: string, patterns: unknown): readonly SecretPattern[] {
  if (!Array.isArray(patterns)) throw new TypeError(`${where}: secretPatterns must be an array of { name, pattern, trigger }`);
  for (const item of patterns) {
    const p = item as Partial<SecretPattern> | null;
    if (!p || typeof p.name !== 'string' || !(p.pattern instanceof RegExp) || !p.pattern.global) {
      throw new TypeError(`${where}: each secret pattern needs a name and a global RegExp \`pattern\` (e.g. /AKIA[A-Z0-9]{16}/g)`);
    }
    if (typeof p.trigger !== 'string' && !(p.trigger instanceof RegExp)) {
      throw new TypeError(`${where}: secret pattern ${p.name} needs a \`trigger\`: a literal or RegExp that any match contains`);
    }
    if (p.check !== undefined && typeof p.check !== 'function') throw new TypeError(`${where}: secret pattern ${p.name}: check must be a function`);
  }
  return patterns as SecretPattern[];
}

/** One regex source that any text matched by `patterns` contains a match of. */
export function secretTriggerSource(patterns: readonly SecretPattern[]): string {
  return compile(patterns).any.source;
}

function compile(patterns: readonly SecretPattern[]): Compiled {
  let found = compiled.get(patterns);
  if (!found) {
    const sources = patterns.map((p) => (typeof p.trigger === 'string' ? escapeRegExp(p.trigger) : p.trigger.source));
    found = { any: new RegExp(sources.map((s) => `(?:${s})`).join('|')), triggers: sources.map((s) => new RegExp(s)) };
    compiled.set(patterns, found);
  }
  return found;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function passesLuhn(candidate: string): boolean {
  let sum = 0;
  let digits = 0;
  let double = false;
  for (let i = candidate.length - 1; i >= 0; i--) {
    const code = candidate.charCodeAt(i) - 48;
    if (code < 0 || code > 9) continue;
    digits += 1;
    let value = double ? code * 2 : code;
    if (value > 9) value -= 9;
    sum += value;
    double = !double;
  }
  return digits >= 13 && digits <= 19 && sum % 10 === 0;
}
