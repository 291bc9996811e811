// Source context (the lines around a frame, stored with the report) scrubbed as one text:
// secrets in source code span lines (a PEM key in a template literal, a value on the line
// after its name) and hide in string literals the text rules cannot tie to a name
// (`process.env.X || 'fallback-pw'`, `db.connect('app', 'second-arg-secret')`).
// Issue 18, item 4. Every step is one pass over the text: linear whatever the file holds.
import { SafeReportFilter } from './SafeReportFilter';
import { sameLines } from './textRules';

/** What scrubSourceLines needs of a filter; a SafeReportFilter has all of it. */
export type SourceFilter = Pick<SafeReportFilter, 'cleanseText'> & Partial<Pick<SafeReportFilter, 'isHiddenKey' | 'cleansedSubstitute'>>;

const defaultFilter = new SafeReportFilter();
// A line whose code ends with one of these goes on on the next line (`PASSWORD =`, `||`, an open call).
const CONTINUES_AFTER = ['||', '??', '&&', '=', ':', '(', ',', '+', '?', '['];
// A line whose code starts with one of these goes on from the line before.
const CONTINUES_BEFORE = ['||', '??', '&&', '+', '?', ':', '.'];
// A line that is only base64 (the body of a PEM key or a certificate whose BEGIN line is
// outside the window): one start per line, so linear.
const BASE64_LINE = /^([\s`'"+]*)[A-Za-z0-9+/]{40,}={0,2}[\s`'"+,;]*$/;
const MAX_NAME_LENGTH = 200;

/**
 * `lines` scrubbed as one text, line for line (same length, line i of the result is line i
 * scrubbed): string literals on a line that names a hidden key (or continues one that does)
 * are masked wherever they stand, then the filter's text rules and secret shapes run over
 * the whole window, so a PEM block or a value spread over lines is masked as a whole.
 * Never throws: a line that cannot be scrubbed becomes '[unfilterable]'.
 */
export function scrubSourceLines(lines: readonly string[], filter: SourceFilter = defaultFilter): string[] {
  try {
    const isHidden = (name: string) => {
      try {
        return filter.isHiddenKey ? filter.isHiddenKey(name) === true : defaultFilter.isHiddenKey(name);
      } catch {
        return true;
      }
    };
    const substitute = typeof filter.cleansedSubstitute === 'string' ? filter.cleansedSubstitute : defaultFilter.cleansedSubstitute;
    if (lines.length === 0) return [];
    const maskedLines = maskLiteralsNearHiddenNames(lines.join('\n'), isHidden, substitute).split('\n');
    // A given line holding a line break: each line is scrubbed on its own.
    if (maskedLines.length !== lines.length) return lines.map((line) => scrubSourceLines([line.replace(/\n/g, ' ')], filter)[0]);
    let out = filter.cleanseText(maskedLines.join('\n')).split('\n');
    // A filter of the app's own may join or split lines: then each line is scrubbed alone.
    if (out.length !== lines.length) out = maskedLines.map((line) => filter.cleanseText(line));
    return out.map((line) => (BASE64_LINE.test(line) ? line.replace(BASE64_LINE, (_m, lead: string) => `${lead}${substitute}`) : line));
  } catch {
    return lines.map(() => '[unfilterable]');
  }
}

interface Literal {
  /** The line the literal opens on. */
  line: number;
  /** Its content: from after the opening quote to before the closing one (or the text's end). */
  from: number;
  to: number;
}

/** One pass over `text`: the string literals, which lines name a hidden key, where each line's code starts and ends. */
function scanSource(text: string, isHidden: (name: string) => boolean) {
  const literals: Literal[] = [];
  const named: boolean[] = [false];
  const firstCode: number[] = [-1];
  const lastCode: number[] = [-1];
  let line = 0;
  const code = (at: number) => {
    if (firstCode[line] === -1) firstCode[line] = at;
    lastCode[line] = at;
  };
  const name = (from: number, to: number) => {
    if (to - from <= MAX_NAME_LENGTH && !named[line] && isHidden(text.slice(from, to))) named[line] = true;
  };
  const newLine = () => {
    line += 1;
    named.push(false);
    firstCode.push(-1);
    lastCode.push(-1);
  };
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text[i];
    if (c === '\n') {
      newLine();
      i++;
    } else if (c === "'" || c === '"' || c === '`') {
      const opened = line;
      code(i);
      let j = i + 1;
      while (j < n && text[j] !== c && (c === '`' || text[j] !== '\n')) {
        if (text[j] === '\\') j++;
        if (text[j] === '\n') newLine();
        j++;
      }
      const to = Math.min(j, n);
      literals.push({ line: opened, from: i + 1, to });
      // A literal used as a key ('password': x, obj['token']) names it.
      let k = to + 1;
      while (k < n && (text[k] === ' ' || text[k] === '\t')) k++;
      if (text[k] === ':' || text[k] === ']') name(i + 1, to);
      if (to < n && text[to] === c) code(to);
      i = to < n && text[to] === c ? to + 1 : to;
    } else if (c === '/' && (text[i + 1] === '/' || text[i + 1] === '*')) {
      // Comments are scanned for names ("// the staging password") but hold no literals.
      const block = text[i + 1] === '*';
      i += 2;
      while (i < n && (block ? !(text[i] === '*' && text[i + 1] === '/') : text[i] !== '\n')) {
        if (text[i] === '\n') newLine();
        if (isNameStart(text.charCodeAt(i))) {
          const from = i;
          while (i < n && isNamePart(text.charCodeAt(i))) i++;
          name(from, i);
        } else i++;
      }
      if (block && i < n) i += 2;
    } else if (isNameStart(text.charCodeAt(i))) {
      const from = i;
      while (i < n && isNamePart(text.charCodeAt(i))) i++;
      name(from, i);
      code(from);
      code(i - 1);
    } else {
      if (c !== ' ' && c !== '\t' && c !== '\r') code(i);
      i++;
    }
  }
  return { literals, named, firstCode, lastCode };
}

/** `text` with the content of every literal on a masked line replaced by `substitute` (line breaks kept). */
export function maskLiteralsNearHiddenNames(text: string, isHidden: (name: string) => boolean, substitute: string): string {
  const { literals, named, firstCode, lastCode } = scanSource(text, isHidden);
  const endsWith = (ops: string[], at: number) => at >= 0 && ops.some((op) => text.startsWith(op, at - op.length + 1));
  const startsWith = (ops: string[], at: number) => at >= 0 && ops.some((op) => text.startsWith(op, at));
  // A line is masked when it names a hidden key, or continues a masked line's statement.
  const masked = named.map(() => false);
  for (let l = 0; l < named.length; l++) {
    const continued = l > 0 && masked[l - 1] && (endsWith(CONTINUES_AFTER, lastCode[l - 1]) || startsWith(CONTINUES_BEFORE, firstCode[l]));
    masked[l] = named[l] || continued;
  }
  let out = '';
  let copied = 0;
  for (const literal of literals) {
    if (!masked[literal.line] || literal.to === literal.from) continue;
    out += text.slice(copied, literal.from) + sameLines(text.slice(literal.from, literal.to), substitute);
    copied = literal.to;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

function isNameStart(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95 || code === 36;
}

function isNamePart(code: number): boolean {
  return isNameStart(code) || (code >= 48 && code <= 57);
}
