import { expect } from 'chai';
import { escapeHtml, externalLink, html, prettyJson, raw, safeHttpUrl, textOf } from '../../lib/dashboard/html';

describe('dashboard html', () => {
  it('escapes every interpolated value, in text and in attributes', () => {
    const hostile = `<script>alert(1)</script>" onmouseover="x' \`y\` &amp;`;
    const out = html`<p title="${hostile}">${hostile}</p>`.text;
    expect(out).to.not.match(/<script|" onmouseover|' |`y`/);
    expect(out).to.equal(`<p title="${escapeHtml(hostile)}">${escapeHtml(hostile)}</p>`);
    expect(escapeHtml('&<>"\'`')).to.equal('&amp;&lt;&gt;&quot;&#39;&#96;');
  });

  it('keeps its own markup, joins arrays and drops null, undefined and false', () => {
    const items = ['<a>', 'b'].map((t) => html`<li>${t}</li>`);
    expect(html`<ul>${items}${null}${undefined}${false}${0}</ul>`.text).to.equal('<ul><li>&lt;a&gt;</li><li>b</li>0</ul>');
    expect(html`${raw('<br>')}`.text).to.equal('<br>');
  });

  it('never throws on odd values', () => {
    const throwing = new Proxy({}, { get() { throw new Error('trap'); }, ownKeys() { throw new Error('trap'); } });
    expect(textOf(throwing)).to.equal('[unprintable]');
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(html`${cyclic}`.text).to.equal('[unprintable]');
    expect(prettyJson(cyclic)).to.equal('[unprintable]');
    expect(textOf(Symbol('s'))).to.equal('Symbol(s)');
  });

  it('links only http(s) URLs', () => {
    for (const bad of ['javascript:alert(1)', ' javascript:alert(1)', 'JAVASCRIPT:alert(1)', 'data:text/html,<script>', '//evil.example', '/relative', 'http//x', 'vbscript:x', 42]) {
      expect(safeHttpUrl(bad), String(bad)).to.equal(null);
      expect(externalLink(bad).text).to.not.include('<a');
    }
    expect(safeHttpUrl('HTTPS://example.com/a?b=<c>')).to.equal('https://example.com/a?b=%3Cc%3E');
    const link = externalLink('https://example.com/"><script>', 'x<y').text;
    expect(link).to.equal('<a href="https://example.com/%22%3E%3Cscript%3E" rel="noopener noreferrer nofollow" target="_blank">x&lt;y</a>');
  });

  it('bounds the JSON it shows', () => {
    const text = prettyJson({ big: 'x'.repeat(100_000) });
    expect(text.length).to.be.below(70_000);
    expect(text).to.match(/more characters\)$/);
  });
});
