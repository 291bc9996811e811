// Every code block of README.md and docs/**/*.md: ```js blocks run as written (each in a
// process of its own, against lib/, a live MongoDB-speaking server, a local Slack and a
// local SMTP server), ```js and ```ts blocks type-check under --strict with the real tsc,
// other blocks are text. The conventions are in docs/tests.md ("Snippets in the docs").
import { expect } from 'chai';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import ts from 'typescript';
import {
  allSnippets, CHECK_LANGUAGES, docFiles, FRAGMENT_MARK, label, ROOT, RUN_LANGUAGES, runSnippet, TEXT_LANGUAGES, typeCheck,
  type Snippet, type TypeCheckResult,
} from './support/docSnippets';
import { startFakeSlack, type FakeSlack } from './support/fakeSlack';
import { startSmtpServer, type TestSmtpServer } from './support/smtpServer';
import { mongoUri } from './support/mongoServer';

const snippets = allSnippets();
const code = snippets.filter((s) => RUN_LANGUAGES.includes(s.lang) || CHECK_LANGUAGES.includes(s.lang));
const runnable = code.filter((s) => !s.fragment && RUN_LANGUAGES.includes(s.lang));
const checked = code.filter((s) => !s.fragment);

/** A snippet that must fail the type check: the check is only worth something if it can fail. */
const CONTROL: Snippet = {
  file: '(control)', line: 1, lang: 'js', fragment: false,
  code: "const { dashboard } = require('koa-tripwire');\ndashboard({ auth: { username: 'ops', password: process.env.NOT_SET_ANYWHERE } });",
};

describe('documentation snippets', () => {
  it('finds the README and the docs, and every fence names its language', () => {
    expect(docFiles()).to.include.members(['README.md', 'docs/README.md', 'docs/options.md', 'docs/tests.md']);
    const known = [...RUN_LANGUAGES, ...CHECK_LANGUAGES, ...TEXT_LANGUAGES];
    for (const s of snippets) expect(known, `${label(s)}: a fence tagged "${s.lang}" (tag every fence: js, ts, ${TEXT_LANGUAGES.join(', ')})`).to.include(s.lang);
    expect(runnable.length).to.be.at.least(10);
  });

  it(`keeps fragments rare (${FRAGMENT_MARK}: parsed only), at most one code block in five`, () => {
    const fragments = code.filter((s) => s.fragment);
    expect(fragments.length * 5, fragments.map(label).join(', ')).to.be.at.most(code.length);
  });

  it('parses every fragment', () => {
    const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (...args: string[]) => unknown;
    for (const s of code.filter((f) => f.fragment)) {
      if (s.lang === 'js') expect(() => new AsyncFunction('require', s.code), label(s)).not.to.throw();
      else {
        const source = ts.createSourceFile('fragment.ts', s.code, ts.ScriptTarget.ES2022, false, ts.ScriptKind.TS);
        const diagnostics = (source as unknown as { parseDiagnostics: ts.Diagnostic[] }).parseDiagnostics;
        expect(diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')), label(s)).to.deep.equal([]);
      }
    }
  });

  describe('type-check under --strict (tsc; js blocks with their requires as imports)', function () {
    this.timeout(240_000);
    let result: TypeCheckResult;
    before(() => { result = typeCheck([...checked, CONTROL]); });

    it('the check fails a snippet that strict TypeScript refuses (password: string | undefined)', () => {
      expect(result.errors.get(label(CONTROL))?.join('\n')).to.match(/TS2322|TS2345|TS2769/);
      expect(result.errors.get('(tsc)'), result.output).to.equal(undefined);
    });

    for (const s of checked) {
      it(label(s), () => {
        expect(result.errors.get(label(s)) ?? [], s.code).to.deep.equal([]);
      });
    }
  });

  describe('run as written', function () {
    this.timeout(120_000);
    let env: Record<string, string>;
    let slack: FakeSlack;
    let smtp: TestSmtpServer;
    before(async () => {
      slack = await startFakeSlack();
      smtp = await startSmtpServer();
      env = {
        MONGODB_URI: await mongoUri(`docs_${randomUUID().slice(0, 8)}`),
        SLACK_WEBHOOK_URL: slack.url,
        SMTP_HOST: '127.0.0.1',
        SMTP_PORT: String(smtp.port),
        TRIPWIRE_DASHBOARD_PASSWORD: 'letmein-please',
        NODE_ENV: 'development',
      };
    });
    after(async () => {
      await slack?.close();
      await smtp?.close();
    });

    // The runner is only worth something if it can fail: a throw, a rejection nobody handles,
    // and a SIGTERM handler that leaves its server listening each fail a snippet.
    const failing: Array<[string, string]> = [
      ['a throw', "require('koa-tripwire').stack({ formater: {} });"],
      ['an unhandled rejection', "Promise.reject(new Error('nobody handles this'));"],
      ['a shutdown that never closes its server', "const server = require('node:http').createServer().listen(3000);\nprocess.once('SIGTERM', () => {});"],
    ];
    for (const [what, source] of failing) {
      it(`(control) fails a snippet with ${what}`, async function () {
        this.timeout(60_000);
        const { ok, output } = await runSnippet({ file: '(control)', line: 1, lang: 'js', fragment: false, code: source }, env);
        expect(ok, output).to.equal(false);
        expect(output).to.match(/snippet failed/);
      });
    }

    for (const s of runnable) {
      it(label(s), async () => {
        const { ok, output } = await runSnippet(s, env);
        expect(ok, `${label(s)} did not run:\n${output}\n--- the snippet:\n${s.code}`).to.equal(true);
      });
    }
  });
});

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
function anchors(markdown: string): Set<string> {
  const seen = new Set<string>();
  let inFence = false;
  for (const line of markdown.split('\n')) {
    if (/^```/.test(line)) inFence = !inFence;
    const heading = !inFence && /^#{1,6}\s+(.*)$/.exec(line);
    if (!heading) continue;
    const base = heading[1].trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
    let slug = base;
    for (let n = 1; seen.has(slug); n++) slug = `${base}-${n}`;
    seen.add(slug);
  }
  return seen;
}

/** Every topic file of the docs, written here: the README links each of them. */
const TOPICS = [
  'docs/delivery.md', 'docs/alerts.md', 'docs/typescript.md', 'docs/grouping.md', 'docs/storage.md', 'docs/scaling.md',
  'docs/dashboard.md', 'docs/envelope.md', 'docs/api.md', 'docs/performance.md', 'docs/scrubbing.md',
];

describe('documentation links and tables', () => {
  for (const file of docFiles()) {
    it(`${file}: no table is broken by a paragraph (a row right after text renders as text)`, () => {
      const lines = readFileSync(path.join(ROOT, file), 'utf8').split('\n');
      lines.forEach((line, i) => {
        if (!line.startsWith('|') || i === 0) return;
        const before = lines[i - 1];
        expect(before === '' || before.startsWith('|'), `${file} line ${i + 1}: a table row right after text: ${line.slice(0, 60)}`).to.equal(true);
      });
    });


    it(`${file}: every relative link leads to a file and heading that exist`, () => {
      const text = readFileSync(path.join(ROOT, file), 'utf8').replace(/```[\s\S]*?```/g, '');
      for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^[a-z]+:/i.test(target)) continue;
        const [where, anchor] = target.split('#');
        const resolved = where ? path.posix.normalize(path.posix.join(path.posix.dirname(file), where)) : file;
        expect(existsSync(path.join(ROOT, resolved)), `${file}: link to ${target}`).to.equal(true);
        if (anchor && resolved.endsWith('.md')) {
          expect([...anchors(readFileSync(path.join(ROOT, resolved), 'utf8'))], `${file}: link to ${target}`).to.include(anchor);
        }
      }
    });
  }

  it('every docs topic exists', () => {
    for (const file of [...TOPICS, 'docs/options.md']) expect(existsSync(path.join(ROOT, file)), file).to.equal(true);
  });

  it('docs/README.md links every file in docs/', () => {
    const index = readFileSync(path.join(ROOT, 'docs', 'README.md'), 'utf8');
    const linked = new Set([...index.matchAll(/\]\(([^)#\s]+)/g)].map((m) => path.posix.join('docs', m[1])));
    for (const file of docFiles().filter((f) => f.startsWith('docs/') && f !== 'docs/README.md')) {
      expect([...linked], `docs/README.md does not link ${file}`).to.include(file);
    }
  });

  it('the README links every docs file of the index, and ARCHITECTURE.md', () => {
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    for (const file of ['docs/README.md', 'docs/options.md', 'docs/tests.md', 'docs/reports.md', ...TOPICS, 'ARCHITECTURE.md']) {
      expect(readme, `README.md does not link ${file}`).to.include(`](${file}`);
    }
  });
});
