import { expect } from 'chai';
import type { AlertSummary } from '../../../lib/report/Report';
import { emailSummary } from '../../../lib/notifiers/email/emailSummary';

const summary: AlertSummary = {
  kind: 'broken-link', held: 3, newIssues: 3, others: 0, elapsedMs: 600_000, unnamed: 0,
  named: [{ title: 'Broken link: /<script>x</script>', fingerprint: 'a', count: 2 }, { title: 'Broken link: /a\r\nBcc: x@evil', fingerprint: 'b', count: 1 }],
};

describe('emailSummary', () => {
  it('gives the summary mail its subject, text and escaped HTML', () => {
    const mail = emailSummary(summary, '[shop] ');
    expect(mail.subject).to.equal('[shop] …and 3 more broken links in the last 10 min');
    expect(mail.text).to.include('Held back:\n- Broken link: /<script>x</script> (×2)\n');
    expect(mail.html).to.include('<li>Broken link: /&lt;script&gt;x&lt;/script&gt; (×2)</li>');
    expect(mail.html).not.to.include('<script>');
  });

  it('keeps the subject on one line whatever the prefix', () => {
    expect(emailSummary(summary, '[a]\r\nBcc: x@evil ').subject).not.to.match(/[\r\n]/);
  });
});
