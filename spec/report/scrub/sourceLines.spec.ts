// Issue 18, item 4 (the rules): a window of source lines is scrubbed as one text.
import { expect } from 'chai';
import fc from 'fast-check';
import { SafeReportFilter } from '../../../lib/report/scrub/SafeReportFilter';
import { maskLiteralsNearHiddenNames, scrubSourceLines } from '../../../lib/report/scrub/sourceLines';
import { expectNoSecrets } from '../../support/planted';

const SUB = '********************';
// Built at run time so no scanner mistakes this file for a leak.
const PEM_BODY = ['MIIEowIBAAKCAQEAplantedPemBodyLineOne0123456789abcdefABCDEF', 'plantedPemBodyLineTwo0123456789abcdefABCDEFGHIJKLMNOP+/'];
const source = (text: string) => text.split('\n');

describe('scrubSourceLines', () => {
  it('masks a PEM block that spans lines of a template literal, line for line', () => {
    const lines = source(['const key = `-----BEGIN RSA' + ' PRIVATE KEY-----', ...PEM_BODY, '-----END RSA PRIVATE KEY-----`;', 'connect(key);'].join('\n'));
    const out = scrubSourceLines(lines);
    expect(out).to.have.length(lines.length);
    expectNoSecrets(out, PEM_BODY, 'source context');
    expect(out[out.length - 1]).to.equal('connect(key);');
  });

  it('masks base64 lines of a key whose BEGIN line is outside the window', () => {
    const out = scrubSourceLines([...PEM_BODY.map((l) => `  ${l}`), '-----END RSA PRIVATE KEY-----`;']);
    expectNoSecrets(out, PEM_BODY, 'source context');
    expect(out[0]).to.equal(`  ${SUB}`);
  });

  it('masks a value on the line after its hidden name', () => {
    const out = scrubSourceLines(source("const PASSWORD =\n  'hunter2-next-line';\nconst region = 'eu-west-1';"));
    expect(out).to.deep.equal(['const PASSWORD =', `  '${SUB}';`, "const region = 'eu-west-1';"]);
  });

  it('masks every literal of a line that names a hidden key: || fallbacks, arguments, comments naming it', () => {
    const out = scrubSourceLines([
      "const dbPassword = process.env.DB_PASSWORD || 'hunter2-fallback-pw';",
      "const conn = db.connect('app', 'second-arg-secret'); // password from the vault",
      "headers['x-api-key'] = \"header-literal-secret\";",
      "throw new Error('order not found');",
    ]);
    expectNoSecrets(out, ['hunter2-fallback-pw', 'second-arg-secret', 'header-literal-secret'], 'source context');
    expect(out[0]).to.equal(`const dbPassword = process.env.DB_PASSWORD || '${SUB}';`);
    expect(out[1]).to.equal(`const conn = db.connect('${SUB}', '${SUB}'); // password from the vault`);
    expect(out[3], 'a line naming nothing hidden keeps its literals').to.equal("throw new Error('order not found');");
  });

  it('follows a statement over continuation lines, by trailing or leading operator', () => {
    const trailing = scrubSourceLines(source("const token =\n  process.env.T ||\n  'fallback-token-3';\nlog('done');"));
    expect(trailing).to.deep.equal(['const token =', '  process.env.T ||', `  '${SUB}';`, "log('done');"]);
    const leading = scrubSourceLines(source("const SECRET = process.env.S\n  || 'leading-op-secret';\nlog('done');"));
    expect(leading).to.deep.equal(['const SECRET = process.env.S', `  || '${SUB}';`, "log('done');"]);
  });

  it("applies the filter's text rules and its own substitute and names", () => {
    class Strict extends SafeReportFilter {
      override cleansedSubstitute = '[hidden]';
      override hiddenKeys = /pin/i;
    }
    const out = scrubSourceLines(["const pinCode = '9911';", "const password = 'now-visible';", 'fetch("https://u:p4ss@h/")'], new Strict());
    expect(out).to.deep.equal(["const pinCode = '[hidden]';", "const password = 'now-visible';", 'fetch("https://[hidden]@h/")']);
  });

  it("stays line for line with a filter of the app's own that joins lines, and never throws", () => {
    const joining = { cleanseText: (text: string) => text.replace(/\n/g, ' ') };
    const out = scrubSourceLines(source("const PASSWORD =\n  'x1-secret';\nok();"), joining);
    expect(out).to.deep.equal(['const PASSWORD =', `  '${SUB}';`, 'ok();']);
    const broken = { cleanseText: (): string => { throw new Error('broken'); } };
    expect(scrubSourceLines(['a', 'b'], broken)).to.deep.equal(['[unfilterable]', '[unfilterable]']);
  });

  it('returns as many lines as it was given, whatever they hold', () => {
    const line = fc.string({ unit: fc.constantFrom('a', 'password', '=', "'", '"', '`', '\\', '/', '*', ' ', '||', '(', ':', 'eyJ', '-----BEGIN RSA PRIVATE KEY-----'), maxLength: 30 });
    fc.assert(
      fc.property(fc.array(line, { maxLength: 12 }), (lines) => {
        expect(scrubSourceLines(lines)).to.have.length(lines.length);
      }),
      { seed: 18, numRuns: 300 },
    );
  });

  it('keeps a line break inside a masked multi-line literal', () => {
    const text = 'const secret = `line one\nline two`;\nnext();';
    expect(maskLiteralsNearHiddenNames(text, (name) => /secret/i.test(name), SUB)).to.equal(`const secret = \`${SUB}\n\`;\nnext();`);
  });
});
