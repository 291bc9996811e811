import { expect } from 'chai';
import type { AlertSummary } from '../../../lib/notifiers/alertBudget';
import { emailSummary } from '../../../lib/notifiers/email/emailSummary';

const summary: AlertSummary = {
  held: 3, newIssues: 0, brokenLinks: 3, others: 0, elapsedMs: 600_000,
  top: [{ title: 'Broken link: /<script>x</script>', kind: 'broken-link', count: 2 }, { title: 'Broken link: /a\r\nBcc: x@evil', kind: 'broken-link', count: 1 }],
};

describe('emailSummary', () => {
  it('gives the summary mail its subject, text and escaped HTML', () => {
    const mail = emailSummary(summary, '[shop] ');
    expect(mail.subject).to.equal('[shop] …and 3 more broken links in the last 10 min');
    expect(mail.text).to.include('Most frequent:\n- Broken link: /<script>x</script> (×2)\n');
    expect(mail.html).to.include('<li>Broken link: /&lt;script&gt;x&lt;/script&gt; (×2)</li>');
    expect(mail.html).not.to.include('<script>');
  });

  it('keeps the subject on one line whatever the prefix', () => {
    expect(emailSummary(summary, '[a]\r\nBcc: x@evil ').subject).not.to.match(/[\r\n]/);
  });
});
