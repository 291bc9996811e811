// An exception's frames as a developer reads them: the app's own frames open, each run of
// library frames folded into one line ("7 library frames") that opens on a click, and
// the raw stack as the process printed it a click away.
import { html, textOf, type SafeHtml } from '../html';
import { plural } from '../labels';

type Loose = Record<string, unknown>;

interface FrameContext {
  pre: string[];
  line: string;
  post: string[];
}

export function exception(error: Loose, heading: string): SafeHtml {
  const frames = Array.isArray(error.frames) ? error.frames.map(asObject).filter((f): f is Loose => f !== null) : [];
  const stack = typeof error.stack === 'string' && error.stack ? error.stack : null;
  // Stack traces list the innermost call first, as Node prints them.
  return html`<section class="panel section exception"><h2>${heading}</h2>
<p><strong class="mono">${textOf(error.type ?? 'Error')}</strong>: <span class="message">${textOf(error.message ?? '')}</span></p>
${frames.length ? html`<ol class="frames">${runs(frames)}</ol>` : stack ? '' : html`<p class="muted">No stack trace.</p>`}
${stack ? html`<details class="raw-stack"${frames.length ? '' : html` open`}><summary>Raw stack</summary><pre>${stack}</pre></details>` : ''}
</section>`;
}

/** In-app frames one by one; consecutive library frames as one expandable line. */
function runs(frames: Loose[]): SafeHtml[] {
  const out: SafeHtml[] = [];
  for (let i = 0; i < frames.length;) {
    if (frames[i].inApp === true) {
      out.push(frame(frames[i++]));
      continue;
    }
    const start = i;
    while (i < frames.length && frames[i].inApp !== true) i++;
    const run = frames.slice(start, i);
    out.push(run.length === 1 ? frame(run[0])
      : html`<li class="lib-run"><details><summary>${plural(run.length, 'library frame')}</summary><ol class="frames">${run.map(frame)}</ol></details></li>`);
  }
  return out;
}

function frame(f: Loose): SafeHtml {
  const inApp = f.inApp === true;
  const where = `${textOf(f.file ?? '<unknown>')}${f.line != null ? `:${textOf(f.line)}` : ''}${f.column != null ? `:${textOf(f.column)}` : ''}`;
  const context = frameContext(f.context);
  return html`<li class="frame ${inApp ? 'app' : 'lib'}">${f.async === true ? html`<span class="muted">async </span>` : ''}<span class="fn mono">${textOf(f.function ?? '<anonymous>')}</span> <span class="mono">${where}</span>${inApp ? '' : html` <span class="badge">library</span>`}${f.mapped === true ? html` <span class="badge" title="Mapped through the file's source map">source map</span>` : ''}
${context ? sourceContext(context, Number(f.line)) : ''}</li>`;
}

function frameContext(value: unknown): FrameContext | null {
  const c = asObject(value);
  if (!c || typeof c.line !== 'string') return null;
  const lines = (v: unknown) => (Array.isArray(v) ? v.filter((l): l is string => typeof l === 'string') : []);
  return { pre: lines(c.pre), line: c.line, post: lines(c.post) };
}

function sourceContext({ pre, line, post }: FrameContext, lineNumber: number): SafeHtml {
  const first = Number.isInteger(lineNumber) ? lineNumber - pre.length : null;
  const row = (text: string, offset: number, hit: boolean) =>
    html`<li${hit ? html` class="hit"` : ''}><span class="ln">${first === null ? '' : first + offset}</span>${text}</li>`;
  return html`<div class="context"><ol>${pre.map((t, i) => row(t, i, false))}${row(line, pre.length, true)}${post.map((t, i) => row(t, pre.length + 1 + i, false))}</ol></div>`;
}

export function asObject(value: unknown): Loose | null {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Loose) : null;
}
