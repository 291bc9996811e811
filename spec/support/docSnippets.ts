// The code blocks of README.md and docs/**/*.md, for spec/docs.spec.ts: ```js blocks run,
// ```ts blocks (and the ```js ones, read as a TypeScript app writes them) type-check under --strict,
// other languages are text. `<!-- fragment -->` on the line before a fence makes it
// parsed only (docs/tests.md, "Snippets in the docs").
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '..', '..');
export const FRAGMENT_MARK = '<!-- fragment -->';
export const RUN_LANGUAGES = ['js'];
export const CHECK_LANGUAGES = ['ts'];
export const TEXT_LANGUAGES = ['sh', 'bash', 'shell', 'console', 'text', 'json', 'ndjson', 'html', 'http', 'yaml', 'ini', 'diff'];
const ALIASES: Record<string, string> = { javascript: 'js', typescript: 'ts' };

export interface Snippet {
  /** Relative to the repository, e.g. `docs/options.md`. */
  file: string;
  /** 1-based line of the opening fence. */
  line: number;
  lang: string;
  code: string;
  fragment: boolean;
}

/** README.md, then every Markdown file under docs/, sorted. */
export function docFiles(): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
      const rel = `${dir}/${entry.name}`;
      if (entry.isDirectory()) walk(rel);
      else if (entry.name.endsWith('.md')) found.push(rel);
    }
  };
  walk('docs');
  return ['README.md', ...found.sort()];
}

export function snippetsOf(file: string, text = readFileSync(path.join(ROOT, file), 'utf8')): Snippet[] {
  const lines = text.split('\n');
  const found: Snippet[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\S*)\s*$/.exec(lines[i]);
    if (!open) continue;
    const end = lines.findIndex((l, j) => j > i && /^```\s*$/.test(l));
    if (end < 0) throw new Error(`${file}:${i + 1}: a code fence is never closed`);
    let before = i - 1;
    while (before >= 0 && lines[before].trim() === '') before--;
    found.push({ file, line: i + 1, lang: ALIASES[open[1]] ?? open[1], code: lines.slice(i + 1, end).join('\n'), fragment: before >= 0 && lines[before].trim() === FRAGMENT_MARK });
    i = end;
  }
  return found;
}

export function allSnippets(): Snippet[] {
  return docFiles().flatMap((file) => snippetsOf(file));
}

export const label = (s: Snippet) => `${s.file}:${s.line}`;

/** One file name per snippet, unique and readable in tsc's output. */
function snippetFileName(s: Snippet, index: number): string {
  const base = s.file.replace(/\.md$/, '').replace(/[^A-Za-z0-9]+/g, '-');
  return `${String(index).padStart(3, '0')}-${base}-L${s.line}.ts`;
}

/**
 * A ```js block as a TypeScript app writes it: each top-level `const X = require('m');`
 * becomes `import X from 'm';` (as scripts/ci-quickstart.mjs does for its ES module run).
 */
export function asTypeScript(s: Snippet): string {
  if (s.lang === 'ts') return s.code;
  return s.code.replace(/^const (\w+|\{[^}:]*\}) = require\('([^']+)'\);$/gm, "import $1 from '$2';");
}

export interface TypeCheckResult {
  /** tsc's diagnostics by snippet label (a snippet with none is absent). */
  errors: Map<string, string[]>;
  /** Everything tsc printed. */
  output: string;
}

/**
 * Type-checks the snippets in one program with the repository's compiler options, strict,
 * `koa-tripwire` mapped to lib/index.ts (and `koa-tripwire/advanced` to lib/advanced.ts), ```js
 * snippets through asTypeScript. The files are written
 * under .cache/ so `koa`, `@koa/router` and the @types resolve from the repository.
 */
export function typeCheck(snippets: Snippet[]): TypeCheckResult {
  const dir = path.join(ROOT, '.cache', `doc-snippets-${process.pid}-${Date.now()}`);
  mkdirSync(dir, { recursive: true });
  try {
    const names = snippets.map((s, i) => snippetFileName(s, i));
    snippets.forEach((s, i) => writeFileSync(path.join(dir, names[i]), `${asTypeScript(s)}\n`));
    const base = JSON.parse(readFileSync(path.join(ROOT, 'tsconfig.json'), 'utf8')).compilerOptions;
    const compilerOptions = {
      ...base,
      strict: true,
      noEmit: true,
      moduleDetection: 'force',
      declaration: false,
      sourceMap: false,
      rootDir: ROOT,
      baseUrl: ROOT,
      paths: { 'koa-tripwire': ['lib/index.ts'], 'koa-tripwire/advanced': ['lib/advanced.ts'] },
      types: ['node'],
    };
    delete compilerOptions.outDir;
    writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: names }, null, 2));
    const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', dir, '--pretty', 'false'], { cwd: dir, encoding: 'utf8' });
    const output = `${tsc.stdout}${tsc.stderr}`;
    const errors = new Map<string, string[]>();
    for (const line of output.split('\n')) {
      const index = names.findIndex((n) => line.includes(n));
      if (index < 0) continue;
      const key = label(snippets[index]);
      errors.set(key, [...(errors.get(key) ?? []), line.slice(line.indexOf(names[index]))]);
    }
    if (tsc.status !== 0 && errors.size === 0) errors.set('(tsc)', [output || `tsc exited with ${tsc.status}`]);
    return { errors, output };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface RunResult {
  ok: boolean;
  output: string;
}

/**
 * Runs one JavaScript snippet in a child process of its own (spec/support/snippetChild.ts):
 * `require('koa-tripwire')` is lib/, the working directory a fresh temporary one, a
 * `listen(port)` listens on a free loopback port. It passes when the snippet finishes
 * without a throw, an unhandled rejection or an uncaught exception, and the servers it
 * started close (SIGTERM handlers it installed are run first, as a deploy would).
 */
export function runSnippet(snippet: Snippet, env: Record<string, string>, timeoutMs = 60_000): Promise<RunResult> {
  const cwd = mkdtempSync(path.join(os.tmpdir(), 'tripwire-snippet-'));
  const file = path.join(cwd, 'snippet.js');
  writeFileSync(file, snippet.code);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--require', require.resolve('tsx/cjs'), path.join(__dirname, 'snippetChild.ts'), file], {
      cwd,
      env: { ...process.env, ...env, TSX_TSCONFIG_PATH: path.join(ROOT, 'tsconfig.json') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c) => { output += c; });
    child.stderr.on('data', (c) => { output += c; });
    const timer = setTimeout(() => { output += `\n(killed after ${timeoutMs} ms)`; child.kill('SIGKILL'); }, timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      rmSync(cwd, { recursive: true, force: true });
      resolve({ ok: code === 0 && output.includes(SNIPPET_DONE), output });
    });
  });
}

export const SNIPPET_DONE = 'snippet finished';

