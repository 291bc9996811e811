// Secrets recognisable by their shape alone, wherever they appear (GitHub secret
// scanning and Sentry's server-side scrubbers work the same way). Each pattern names
// literals (or a cheap regex) that any match contains: a string is searched for those
// first, at the speed of indexOf, and a pattern runs only over text holding its trigger,
// so text without a candidate (most of a report) costs a few fast scans.

import { sameLines } from './textRules';

export interface SecretPattern {
  name: string;
  /** Global regex whose matches are masked. */
  pattern: RegExp;
  /** Occurs in every match of `pattern`: a literal, a list of literals (any of them), or a regex. */
  trigger: string | readonly string[] | RegExp;
  /** Confirms a match (e.g. the Luhn check of a card number); true when absent. */
  check?: (match: string) => boolean;
}

export const DEFAULT_SECRET_PATTERNS: readonly SecretPattern[] = Object.freeze([
  // header.payload.signature, each base64url; the header of every JWT starts {"…" → eyJ.
  // The trigger is "yJ": indexOf runs on a pattern's first character, and "e" is everywhere.
  // "-" is both a word boundary and a base64url character, so in "eyJ-eyJ-…" every eyJ
  // could start a header that runs to the end of the text; the header stops before the
  // next "-eyJ" instead, so no character is scanned by two starts (linear time). A real
  // header holding "-eyJ" is then masked from that point on: its signature always is.
  { name: 'jwt', trigger: 'yJ', pattern: /\beyJ(?:[A-Za-z0-9_]|-(?!eyJ)){8,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}/g },
  { name: 'aws-access-key-id', trigger: ['AKIA', 'ASIA', 'AIDA', 'AROA', 'ANPA'], pattern: /\b(?:AKIA|ASIA|AIDA|AROA|ANPA)[A-Z0-9]{16}\b/g },
  {
    name: 'pem-private-key',
    trigger: 'PRIVATE KEY',
    pattern: /-----BEGIN[A-Z ]* PRIVATE KEY-----[\s\S]*?(?:-----END[A-Z ]* PRIVATE KEY-----|$)/g,
  },
  { name: 'github-token', trigger: ['gh', 'github_pat_'], pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{30,255}|github_pat_[A-Za-z0-9_]{22,255})/g },
  { name: 'slack-token', trigger: 'xox', pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,250}/g },
  { name: 'stripe-secret-key', trigger: 'k_live_', pattern: /\b[sr]k_live_[A-Za-z0-9]{10,250}/g },
  { name: 'google-api-key', trigger: 'AIza', pattern: /\bAIza[0-9A-Za-z_-]{35}/g },
  // 13–19 digits, optionally grouped by spaces or dashes, that start as a card network's
  // numbers do (2–6: Mastercard, Visa, Amex/Diners/JCB, Maestro, Discover/UnionPay) and
  // pass the Luhn check. The first digit keeps millisecond timestamps (1…) and most ids
  // out: one in ten of them passes Luhn by chance.
  // https://en.wikipedia.org/wiki/Payment_card_number#Issuer_identification_number_(IIN)
  { name: 'card-number', trigger: /\d\d\d\d/, pattern: /(?<![\d.])[2-6](?:[ -]?\d){12,18}(?![\d.])/g, check: passesLuhn },
] satisfies SecretPattern[]);

/** `text` with every match of `patterns` replaced by `substitute`. */
export function maskSecretShapes(text: string, patterns: readonly SecretPattern[], substitute: string): string {
  let out = text;
  for (const { trigger, pattern, check } of patterns) {
    if (!holds(out, trigger)) continue;
    pattern.lastIndex = 0;
    out = out.replace(pattern, (match) => (check && !check(match) ? match : sameLines(match, substitute)));
  }
  return out;
}

function holds(text: string, trigger: SecretPattern['trigger']): boolean {
  if (typeof trigger === 'string') return text.includes(trigger);
  if (trigger instanceof RegExp) {
    trigger.lastIndex = 0;
    return trigger.test(text);
  }
  for (const literal of trigger) if (text.includes(literal)) return true;
  return false;
}

/** Throws a TypeError naming the fix when `patterns` is not a usable list. */
export function checkSecretPatterns(where: string, patterns: unknown): readonly SecretPattern[] {
  if (!Array.isArray(patterns)) throw new TypeError(`${where}: secretPatterns must be an array of { name, pattern, trigger }`);
  for (const item of patterns) {
    const p = item as Partial<SecretPattern> | null;
    if (!p || typeof p.name !== 'string' || !(p.pattern instanceof RegExp) || !p.pattern.global) {
      throw new TypeError(`${where}: each secret pattern needs a name and a global RegExp \`pattern\` (e.g. /AKIA[A-Z0-9]{16}/g)`);
    }
    const trigger = p.trigger as unknown;
    if (typeof trigger !== 'string' && !(trigger instanceof RegExp) && !(Array.isArray(trigger) && trigger.every((t) => typeof t === 'string'))) {
      throw new TypeError(`${where}: secret pattern ${p.name} needs a \`trigger\`: a literal, a list of literals or a RegExp that any match contains`);
    }
    if (p.check !== undefined && typeof p.check !== 'function') throw new TypeError(`${where}: secret pattern ${p.name}: check must be a function`);
  }
  return patterns as SecretPattern[];
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
