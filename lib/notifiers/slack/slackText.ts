// Slack reads `&`, `<` and `>` as control characters: `<!channel>`, `<@U123>` and
// `<https://x|text>` in a request path or an error message would ping people or
// disguise a link. Slack documents that exactly these three become entities, and
// nothing else may be entity-encoded.

/** Slack's documented size limits, in characters. */
export const SLACK_LIMITS = {
  header: 150,
  section: 3000,
  field: 2000,
  fallback: 40_000,
  blocks: 50,
} as const;

const ELLIPSIS = '…';
const SPECIAL = /[&<>]/g;
const ENTITY: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };
// Longest entity we produce is "&amp;" (5 characters).
const LONGEST_ENTITY = 5;

export function escapeSlack(value: unknown): string {
  return String(value ?? '').replace(SPECIAL, (char) => ENTITY[char]);
}

/**
 * Cuts already-escaped text to `max` characters with a visible ellipsis, never in the
 * middle of an entity (that would leave a bare `&` Slack may misread) nor of a
 * surrogate pair.
 */
export function truncateSlack(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, Math.max(0, max - ELLIPSIS.length));
  const amp = cut.lastIndexOf('&');
  if (amp !== -1 && amp >= cut.length - (LONGEST_ENTITY - 1) && !cut.includes(';', amp)) cut = cut.slice(0, amp);
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  return cut + ELLIPSIS;
}

/** Escape first, then truncate: the limit applies to what Slack receives. */
export function slackText(value: unknown, max: number): string {
  return truncateSlack(escapeSlack(value), max);
}
