// The free-text rules of SafeReportFilter: credentials that sit inside strings
// (messages, stacks, URLs, header values, upstream bodies quoted in messages) rather
// than under a key of their own. Each rule is a function of the text, the key rule
// and the substitute; the filter decides which run (see SafeReportFilter.cleanseText).

export interface KeyRule {
  isHidden(name: string): boolean;
  substitute: string;
}

// userinfo runs to the last "@" before the host ends, so passwords containing "@" are covered.
// All of it is masked, user name included: in https://TOKEN:x-oauth-basic@host the
// secret is the user name. The scheme length is bounded so a long run of letters costs
// linear time, not quadratic.
const URL_USERINFO = /([a-z][a-z0-9+.-]{0,31}:\/\/)[^\s/?#]*@/gi;
// The same percent-encoded, as in a URL passed inside another URL's query.
const ENCODED_URL_USERINFO = /([a-z][a-z0-9+.-]{0,31}%3A%2F%2F)(?:[^\s/?#&%]|%(?!2F|3F|23)[0-9a-f]{2})*%40/gi;
// name=value after the start, "?", "&", ";", ",", whitespace or a bracket: URL queries,
// DSNs and connection strings (host=db,user=app,password=S), cookies, log lines. The
// value ends at "," ";" "&" whitespace or its closing quote, so the next pair is caught too.
const KEY_VALUE = /(^|[?&;,\s({[])([^=&#\s?;,"'(){}[\]]{1,200})=("[^"]*"?|'[^']*'?|[^&#\s,;"']*)/g;
const ENCODED_KEY_VALUE = /(%3F|%26|%3B)((?:[^=&#\s?%]|%(?!3D|26|3F|3B)[0-9a-f]{2})+)%3D((?:[^&#\s%]|%(?!26|23)[0-9a-f]{2})*)/gi;
// "name": value inside text (a JSON body echoed in a message), and the same JSON quoted
// once or more (\"name\":\"value\"), as when an upstream body went through JSON.stringify
// twice: the run of backslashes before the key's opening quote is its level of quoting.
// The lookbehind starts a key only at the first backslash of a run: without it every
// backslash of a long run started a rescan of the rest of it (quadratic time).
const JSON_KEY = /(?<!\\)(\\*)"([^"\\]{1,200})\1"\s*:\s*/g;
// name: value in prose and in inspected objects ({ password: 'x' }, "password: x",
// "Authorization: Token x"); a space after the colon keeps "file.ts:12:3" out.
const PROSE_PAIR = /(^|[\s,;({[])([A-Za-z_][\w.-]{0,60})\s*:[ \t]+(?:([A-Za-z][\w-]{0,30})[ \t]+(?=[^\s,;]))?('[^'\n]*'?|"[^"\n]*"?|[^\s,;)}\]]+)/g;
const AUTH_SCHEME = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/-]+=*/gi;
const MAYBE_AUTH_SCHEME = /bearer|basic/i;
const AUTH_NAME = /auth/i;
// A JSON value is followed by one of these, or by the end of the text.
const VALUE_END = new Set([',', '}', ']', ' ', '\n', '\r', '\t', '"', '\\']);
const MAX_VALUE_SCAN = 100_000;
const MAX_PAIR_NESTING = 2;

export function maskUrlUserinfo(text: string, substitute: string): string {
  let out = text;
  // Stack traces hold "@" (node_modules/@scope) but rarely "://".
  if (out.includes('://') && out.includes('@')) out = out.replace(URL_USERINFO, (_match, scheme: string) => `${scheme}${substitute}@`);
  if (out.includes('%')) out = out.replace(ENCODED_URL_USERINFO, (_match, scheme: string) => `${scheme}${substitute}%40`);
  return out;
}

export function maskKeyValues(text: string, rule: KeyRule, depth = 0): string {
  let out = text;
  if (out.includes('=')) {
    out = out.replace(KEY_VALUE, (match, before: string, name: string, value: string) => {
      if (!value || value === '""' || value === "''") return match;
      const quote = value[0] === '"' || value[0] === "'" ? value[0] : '';
      const closed = quote !== '' && value.length > 1 && value.endsWith(quote);
      if (!rule.isHidden(decodeName(name))) {
        // A pair inside the value of another (dsn='host=db password=x', next=/a?token=b) is
        // scrubbed too. Two levels at most, so a chain a=b=c=… costs linear time.
        if (depth >= MAX_PAIR_NESTING || !value.includes('=')) return match;
        const inner = value.slice(quote.length, closed ? -1 : undefined);
        return `${before}${name}=${quote}${maskKeyValues(inner, rule, depth + 1)}${closed ? quote : ''}`;
      }
      return sameLines(match, `${before}${name}=${quote}${rule.substitute}${closed ? quote : ''}`);
    });
  }
  if (out.includes('%')) {
    out = out.replace(ENCODED_KEY_VALUE, (match, before: string, name: string, value: string) =>
      value && rule.isHidden(decodeName(name)) ? `${before}${name}%3D${rule.substitute}` : match,
    );
  }
  return out;
}

export function maskProsePairs(text: string, rule: KeyRule): string {
  if (!text.includes(':')) return text;
  let out = '';
  let copied = 0;
  PROSE_PAIR.lastIndex = 0;
  for (let match = PROSE_PAIR.exec(text); match !== null; match = PROSE_PAIR.exec(text)) {
    const [whole, before, name, scheme, value] = match as unknown as [string, string, string, string | undefined, string];
    if (!rule.isHidden(name)) {
      // Not a secret, but its value may hold one ("a: sent Authorization: Token x"): go on
      // from the blank before the value (a pair's start needs one). A value ends at
      // whitespace or its quote, so one or two later attempts read it again at most.
      PROSE_PAIR.lastIndex = match.index + whole.length - value.length - (scheme ? scheme.length + 1 : 0) - 1;
      continue;
    }
    // "Authorization: Token abc": the credential after the scheme, whatever the scheme.
    // Any other name: the first word is the secret ("password: hunter2 was rejected").
    const valueStart = match.index + whole.length - value.length;
    if (scheme && !AUTH_NAME.test(name)) {
      // The word after it is kept, and read again: it may start a pair of its own.
      out += text.slice(copied, match.index) + sameLines(text.slice(match.index, valueStart - 1), `${before}${name}: ${rule.substitute}`);
      copied = PROSE_PAIR.lastIndex = valueStart - 1;
      continue;
    }
    const masked = scheme ? `${before}${name}: ${scheme} ${maskToken(value, rule.substitute)}` : `${before}${name}: ${maskToken(value, rule.substitute)}`;
    out += text.slice(copied, match.index) + sameLines(whole, masked);
    copied = match.index + whole.length;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

export function maskAuthSchemes(text: string, substitute: string): string {
  return MAYBE_AUTH_SCHEME.test(text) ? text.replace(AUTH_SCHEME, (match, scheme: string) => sameLines(match, `${scheme} ${substitute}`)) : text;
}

/** Every JSON pair under a hidden key gets the substitute as its value, whatever the value (string, number, array, object, null). */
export function maskJsonPairs(text: string, rule: KeyRule): string {
  return text.includes('"') ? maskPairs(text, JSON_KEY, rule) : text;
}

function maskPairs(text: string, key: RegExp, rule: KeyRule): string {
  let out = '';
  let copied = 0;
  key.lastIndex = 0;
  for (let match = key.exec(text); match !== null; match = key.exec(text)) {
    if (!rule.isHidden(match[2])) continue;
    const quote = `${match[1]}"`;
    const start = key.lastIndex;
    const end = valueEnd(text, start, quote);
    if (end === start) continue;
    out += `${text.slice(copied, start)}${sameLines(text.slice(start, end), `${quote}${rule.substitute}${quote}`)}`;
    copied = end;
    key.lastIndex = end;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

// Where the JSON value starting at `start` ends: after its closing quote or bracket, or
// before the delimiter that follows a number, literal or bare word.
function valueEnd(text: string, start: number, quote: string): number {
  const limit = Math.min(text.length, start + MAX_VALUE_SCAN);
  if (text.startsWith(quote, start)) {
    for (let i = start + quote.length; i < limit; i++) {
      if (text[i] === '"' && isClosing(text, i, quote)) return i + 1;
    }
    return limit;
  }
  const open = text[start];
  if (open === '[' || open === '{') {
    let depth = 0;
    let inString = false;
    for (let i = start; i < limit; i++) {
      const char = text[i];
      if (char === '"') {
        if (isClosing(text, i, quote)) inString = !inString;
      } else if (inString) continue;
      else if (char === '[' || char === '{') depth += 1;
      else if ((char === ']' || char === '}') && --depth === 0) return i + 1;
    }
    return limit;
  }
  let i = start;
  while (i < limit && !VALUE_END.has(text[i])) i++;
  return i;
}

// Whether the '"' at `at` closes a string quoted at the level of `quote` (k backslashes
// then '"'). At level L (k = 2^L - 1) every backslash of the text inside is doubled L
// times, so n backslashes before the quote close it when n - k is a multiple of 2(k + 1):
// level 0, n even; level 1, n = 1, 5, …, while 3 (\\\") is a quote inside the string.
function isClosing(text: string, at: number, quote: string): boolean {
  const k = quote.length - 1;
  let n = 0;
  for (let i = at - 1; i >= 0 && text[i] === '\\'; i--) n++;
  return n >= k && (n - k) % (2 * (k + 1)) === 0;
}

function maskToken(value: string, substitute: string): string {
  const quote = value[0] === '"' || value[0] === "'" ? value[0] : '';
  return quote ? `${quote}${substitute}${quote}` : substitute;
}

/**
 * `replacement`, followed by as many line breaks as `replaced` had more than it: a masked
 * value never joins two lines, so a window of source lines stays line for line.
 */
export function sameLines(replaced: string, replacement: string): string {
  let breaks = 0;
  for (let at = replaced.indexOf('\n'); at !== -1; at = replaced.indexOf('\n', at + 1)) breaks++;
  for (let at = replacement.indexOf('\n'); at !== -1 && breaks > 0; at = replacement.indexOf('\n', at + 1)) breaks--;
  return breaks > 0 ? replacement + '\n'.repeat(breaks) : replacement;
}

export function decodeName(name: string): string {
  if (!name.includes('%') && !name.includes('+')) return name;
  try {
    return decodeURIComponent(name.replace(/\+/g, ' '));
  } catch {
    return name;
  }
}
