import { expect } from 'chai';
import { renderText } from '../../../lib/notifiers/email/emailText';
import { sampleBrokenLinkReport, sampleErrorReport } from '../../support/reports';

describe('renderText', () => {
  it('writes the whole error report', () => {
    const base = sampleErrorReport();
    const text = renderText(sampleErrorReport({
      alert: { reason: 'digest', suppressed: 4, windowMs: 600_000, count: 12 },
      error: {
        ...base.error!,
        extra: { code: 'E_ORDER' },
        cause: [{ type: 'MongoServerError', message: 'connection reset', stack: 'MongoServerError: connection reset\n    at x (/srv/app/db.js:1:1)', frames: [], extra: {} }],
      },
      request: { ...base.request!, method: 'POST', body: { quantity: 3 } },
    }));

    expect(text.startsWith("TypeError: Cannot read properties of undefined (reading 'id')\n×4 more in the last 10 min · Seen 12 times\n")).to.equal(true);
    for (const line of [
      'Method: POST',
      'URL: /orders/42?expand=items',
      'Client IP: 203.0.113.7',
      'User agent: Mozilla/5.0 (X11; Linux x86_64)',
      'Referer: https://shop.example.com/orders',
      'Request ID: req-7f3a',
      'User: 42 (alice)',
      'Type: TypeError',
      "Message: Cannot read properties of undefined (reading 'id')",
      '    at loadOrder (/srv/app/lib/orders.js:42:17)',
      '* loadOrder (/srv/app/lib/orders.js:42:17)',
      '  dispatch (/srv/app/node_modules/koa-compose/index.js:42:32)',
      'Type: MongoServerError',
      'Message: connection reset',
      'code: E_ORDER',
      'cookie: ********************',
      'expand: items',
      '  "quantity": 3',
      'Environment: production',
      'Release: 1.4.2',
      'Host: web-1',
      'PID: 4242',
      'Time: 2025-03-01 14:05:09 Europe/Paris (2025-03-01T13:05:09.000Z)',
    ]) {
      expect(text.split('\n'), line).to.include(line);
    }
  });

  it("writes Django's broken-link body lines", () => {
    const text = renderText(sampleBrokenLinkReport());
    expect(text).to.include([
      'Referrer: https://shop.example.com/home',
      'Requested URL: /old-page?ref=nav',
      'User agent: Mozilla/5.0 (Macintosh)',
      'IP address: 198.51.100.23',
    ].join('\n'));
    expect(text.startsWith('Broken INTERNAL link on shop.example.com\n')).to.equal(true);
  });

  it('says <none> for what the request did not have', () => {
    const base = sampleBrokenLinkReport();
    const text = renderText(sampleBrokenLinkReport({ request: { ...base.request!, userAgent: null } }));
    expect(text).to.include('User agent: <none>');
  });
});
