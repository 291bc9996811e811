import { expect } from 'chai';
import net, { type AddressInfo } from 'node:net';
import nodemailer from 'nodemailer';
import { EmailNotifier, type EmailNotifierOptions } from '../../../lib/notifiers/email/EmailNotifier';
import { startSmtpServer, type TestSmtpServer } from '../../support/smtpServer';
import { newIssues, randomBrokenLinks } from '../../support/alertFlood';
import { eventually } from '../../support/eventually';
import { FakeClock } from '../../support/fakeClock';
import { sampleBrokenLinkReport, sampleErrorReport } from '../../support/reports';
import { recordingLogger, type RecordingLogger } from '../../support/recordingLogger';

/**
 * A TCP proxy in front of the SMTP server that holds what the client says over its first
 * connection until release() (a mail server slow to answer), and notes when the client
 * closes that connection. Later connections go straight through.
 */
async function holdingProxy(targetPort: number) {
  const sockets = new Set<net.Socket>();
  const first = { held: [] as Buffer[], holding: true, closed: false, upstream: undefined as net.Socket | undefined };
  let connections = 0;
  const server = net.createServer((client) => {
    const upstream = net.connect(targetPort, '127.0.0.1');
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => undefined).on('close', () => sockets.delete(socket));
    }
    upstream.pipe(client);
    if (++connections > 1) return void client.pipe(upstream);
    first.upstream = upstream;
    client.on('data', (chunk: Buffer) => (first.holding ? first.held.push(chunk) : upstream.write(chunk)));
    client.on('close', () => {
      first.closed = true;
      upstream.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    first,
    release() {
      first.holding = false;
      if (!first.closed) for (const chunk of first.held.splice(0)) first.upstream!.write(chunk);
    },
    close: () => new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    }),
  };
}

describe('EmailNotifier', () => {
  let smtp: TestSmtpServer;
  let logger: RecordingLogger;
  const notifiers: EmailNotifier[] = [];

  function emailNotifier(options: EmailNotifierOptions = {}): EmailNotifier {
    const notifier = new EmailNotifier({
      smtp: smtp.transportOptions,
      from: 'tripwire@shop.example.com',
      to: ['ops@shop.example.com', 'dev@shop.example.com'],
      minIntervalMs: 0,
      retryBaseMs: 10,
      retryMaxMs: 50,
      logger,
      ...options,
    });
    notifiers.push(notifier);
    return notifier;
  }

  beforeEach(async () => {
    smtp = await startSmtpServer();
    logger = recordingLogger();
  });

  afterEach(async () => {
    await Promise.all(notifiers.splice(0).map((n) => n.close()));
    await smtp.close();
  });

  it('mails an error report: Django subject, text and HTML bodies', async () => {
    const notifier = emailNotifier();
    await notifier.notify(sampleErrorReport());

    expect(smtp.messages).to.have.length(1);
    const [mail] = smtp.messages;
    expect(mail.from).to.equal('tripwire@shop.example.com');
    expect(mail.to).to.deep.equal(['ops@shop.example.com', 'dev@shop.example.com']);
    expect(mail.subject).to.equal('[koa-tripwire] ERROR (EXTERNAL IP): Internal Server Error: /orders/42');
    expect(mail.text).to.include('Request ID: req-7f3a');
    expect(mail.text).to.include('Time: 2025-03-01 14:05:09 Europe/Paris (2025-03-01T13:05:09.000Z)');
    expect(mail.html).to.include('<tr><th>Client IP</th><td>203.0.113.7</td></tr>');
    expect(notifier.stats).to.deep.equal({ sent: 1, retried: 0, failed: 0, dropped: 0, rateLimited: 0, summarized: 0 });
  });

  it('says (internal IP) for a request from an internal address', async () => {
    const base = sampleErrorReport();
    await emailNotifier().notify(sampleErrorReport({ request: { ...base.request!, ip: '::ffff:127.0.0.1' } }));
    expect(smtp.messages[0].subject).to.equal('[koa-tripwire] ERROR (internal IP): Internal Server Error: /orders/42');
  });

  it("mails a broken link with Django's subject and body lines", async () => {
    await emailNotifier({ subjectPrefix: '[shop] ' }).notify(sampleBrokenLinkReport());

    const [mail] = smtp.messages;
    expect(mail.subject).to.equal('[shop] Broken INTERNAL link on shop.example.com');
    expect(mail.text).to.include('Referrer: https://shop.example.com/home\nRequested URL: /old-page?ref=nav\nUser agent: Mozilla/5.0 (Macintosh)\nIP address: 198.51.100.23');
  });

  it('adds the digest count to the subject, non-ASCII intact', async () => {
    await emailNotifier().notify(sampleErrorReport({ alert: { reason: 'digest', suppressed: 5, windowMs: 600_000, count: 30 } }));
    expect(smtp.messages[0].subject).to.equal('[koa-tripwire] ERROR (EXTERNAL IP): Internal Server Error: /orders/42 (×5 more in the last 10 min)');
  });

  it('escapes a planted <script> in the HTML body', async () => {
    const base = sampleErrorReport();
    await emailNotifier().notify(sampleErrorReport({
      error: { ...base.error!, message: '<script>alert(1)</script>' },
      request: { ...base.request!, userAgent: '<script src=//evil.example/x.js></script>' },
    }));

    const [mail] = smtp.messages;
    expect(mail.html).not.to.include('<script');
    expect(mail.html).to.include('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(mail.text).to.include('Message: <script>alert(1)</script>');
  });

  it('uses custom renderers', async () => {
    await emailNotifier({ renderText: (r) => `text for ${r.id}`, renderHtml: (r) => `<p>html for ${r.id}</p>` }).notify(sampleErrorReport({ id: 'r-1' }));
    expect(smtp.messages[0].text).to.equal('text for r-1');
    expect(smtp.messages[0].html).to.equal('<p>html for r-1</p>');
  });

  it('retries a 4xx reply and delivers', async () => {
    smtp.failNext({ code: 451, message: 'Local error, try again' });
    const notifier = emailNotifier();
    await notifier.notify(sampleErrorReport());

    expect(smtp.attempts).to.equal(2);
    expect(smtp.messages).to.have.length(1);
    expect(notifier.stats).to.deep.equal({ sent: 1, retried: 1, failed: 0, dropped: 0, rateLimited: 0, summarized: 0 });
    expect(logger.lines[0]).to.include({ level: 'warn' });
    expect(logger.lines[0].fields).to.include({ responseCode: 451 });
  });

  it('gives up on a 5xx reply at once and logs it', async () => {
    smtp.failNext({ code: 550, message: 'Mailbox unavailable' });
    const notifier = emailNotifier();
    await notifier.notify(sampleErrorReport());

    expect(smtp.attempts).to.equal(1);
    expect(notifier.stats).to.deep.equal({ sent: 0, retried: 0, failed: 1, dropped: 0, rateLimited: 0, summarized: 0 });
    expect(logger.lines).to.have.length(1);
    expect(logger.lines[0]).to.include({ level: 'error' });
    expect(logger.lines[0].fields).to.include({ responseCode: 550 });
  });

  it('retries 4xx up to maxRetries, then gives up', async () => {
    smtp.failNext(...Array.from({ length: 5 }, () => ({ code: 421, message: 'Busy' })));
    const notifier = emailNotifier({ maxRetries: 2 });
    await notifier.notify(sampleErrorReport());

    expect(smtp.attempts).to.equal(3);
    expect(notifier.stats).to.deep.equal({ sent: 0, retried: 2, failed: 1, dropped: 0, rateLimited: 0, summarized: 0 });
    expect(logger.lines.at(-1)?.fields).to.include({ attempts: 3, responseCode: 421 });
  });

  it('retries when the server is unreachable, and resolves after giving up', async () => {
    await smtp.close();
    const notifier = emailNotifier({ maxRetries: 1 });
    await notifier.notify(sampleErrorReport());

    expect(notifier.stats).to.deep.equal({ sent: 0, retried: 1, failed: 1, dropped: 0, rateLimited: 0, summarized: 0 });
    expect(logger.lines.map((line) => line.level)).to.deep.equal(['warn', 'error']);
    smtp = await startSmtpServer();
  });

  it('logs and resolves when a renderer throws', async () => {
    const notifier = emailNotifier({ renderHtml: () => { throw new Error('template broke'); } });
    await notifier.notify(sampleErrorReport());

    expect(smtp.messages).to.have.length(0);
    expect(notifier.stats.failed).to.equal(1);
    expect(logger.dump()).to.include('template broke');
  });

  it('sends through a transport it is given, and leaves it open', async () => {
    const transport = nodemailer.createTransport(smtp.transportOptions);
    let closed = false;
    const close = transport.close.bind(transport);
    transport.close = () => { closed = true; close(); };
    const notifier = new EmailNotifier({ transport, from: 'a@x.example', to: 'b@x.example', logger });
    await notifier.notify(sampleBrokenLinkReport());
    await notifier.close();

    expect(smtp.messages).to.have.length(1);
    expect(closed).to.equal(false);
    transport.close();
  });

  it('close() waits for a mail being sent', async () => {
    const notifier = emailNotifier();
    void notifier.notify(sampleErrorReport());
    await notifier.close();
    expect(smtp.messages).to.have.length(1);
  });

  describe('pacing and budget (the shared paced queue)', () => {
    it('sends one mail at a time, minIntervalMs apart on the clock', async () => {
      const clock = new FakeClock();
      const notifier = emailNotifier({ minIntervalMs: 1000, clock, timeoutMs: 600_000 });
      const [one, two] = [notifier.notify(sampleErrorReport({ id: 'a' })), notifier.notify(sampleErrorReport({ id: 'b' }))];
      await one;
      await clock.advance(999);
      expect(smtp.messages, 'the second waits its gap').to.have.length(1);
      await clock.advance(1);
      await two;
      expect(smtp.messages).to.have.length(2);
    });

    it('retries a 4xx after its backoff on the clock', async () => {
      smtp.failNext({ code: 451, message: 'Try again later' });
      const clock = new FakeClock();
      const notifier = emailNotifier({ clock, retryBaseMs: 1000, retryMaxMs: 1000, random: () => 0.999, timeoutMs: 600_000 });
      const sending = notifier.notify(sampleErrorReport());
      await eventually(() => notifier.stats.retried === 1, { what: 'the 451 read' });
      await clock.advance(998);
      expect(smtp.attempts).to.equal(1);
      await clock.advance(1);
      await sending;
      expect(smtp.messages).to.have.length(1);
    });

    for (const [flood, reports, headline] of [
      ['100 new issues', () => newIssues(100), '…and 80 more new issues in the last 10 min'],
      ['100 random broken links', () => randomBrokenLinks(100), '…and 80 more broken links in the last 10 min'],
    ] as const) {
      it(`${flood} give at most maxAlertsPerWindow + 1 mails, the last one a summary`, async () => {
        const clock = new FakeClock();
        const notifier = emailNotifier({ clock, timeoutMs: 600_000 });
        await Promise.all(reports().map((report) => notifier.notify(report)));
        expect(smtp.messages).to.have.length(20);
        await clock.advance(600_000);
        await eventually(() => notifier.stats.sent === 21, { what: 'the summary mailed' });
        await notifier.close();

        expect(smtp.messages).to.have.length(21);
        const summary = smtp.messages[20];
        expect(summary.subject).to.equal(`[koa-tripwire] ${headline}`);
        expect(summary.text).to.match(/^(New issues held back|Held back):$/m);
        expect(summary.html).to.include(`<h1>${headline}</h1>`);
        expect(notifier.stats).to.include({ sent: 21, summarized: 80 });
      });
    }
  });

  describe('deadlines', () => {
    it('close(timeoutMs) gives up a mail the server never answers, by the deadline', async () => {
      smtp.stall();
      const clock = new FakeClock();
      const notifier = emailNotifier({ clock, timeoutMs: 600_000 });
      const sending = notifier.notify(sampleErrorReport());
      await eventually(() => smtp.attempts === 1, { what: 'the mail sent' });
      let closed = false;
      const closing = notifier.close(1000).then(() => { closed = true; });
      await clock.advance(999);
      expect(closed).to.equal(false);
      await clock.advance(1);
      await closing;
      await sending;
      expect(notifier.stats).to.include({ sent: 0, dropped: 1 });
    });

    it('an attempt has its own timeout: a stalled server is retried, then given up', async () => {
      smtp.stall();
      const clock = new FakeClock();
      const notifier = emailNotifier({ clock, timeoutMs: 5000, maxRetries: 1, random: () => 0 });
      const sending = notifier.notify(sampleErrorReport());
      await eventually(() => smtp.attempts === 1, { what: 'the first attempt' });
      await clock.advance(5000);
      await eventually(() => smtp.attempts === 2, { what: 'the retry' });
      await clock.advance(5000);
      await sending;
      expect(notifier.stats).to.include({ sent: 0, retried: 1, failed: 1 });
      expect(logger.lines.at(-1)?.fields).to.include({ code: 'ETIMEDOUT', attempts: 2 });
    });
  });

  describe('an attempt past its deadline, through a transport the app gave (nodemailer timeouts of minutes)', () => {
    it('is stopped, its connection closed: the late server cannot make the retried mail arrive twice', async () => {
      const proxy = await holdingProxy(smtp.port);
      const transport = nodemailer.createTransport({ ...smtp.transportOptions, port: proxy.port });
      try {
        const clock = new FakeClock();
        const notifier = emailNotifier({ smtp: undefined, transport, clock, timeoutMs: 5000, maxRetries: 1, random: () => 0 });
        const sending = notifier.notify(sampleErrorReport());
        await eventually(() => proxy.first.held.length > 0, { what: 'the first attempt, waiting on the server' });
        await clock.advance(5000);
        await sending;
        expect(notifier.stats).to.include({ sent: 1, retried: 1 });
        expect(smtp.messages, 'the retry delivered the mail').to.have.length(1);

        proxy.release();
        await eventually(() => proxy.first.closed || smtp.messages.length > 1, { what: 'the first attempt closed, or delivering' });
        expect(smtp.messages, 'the mail arrived once').to.have.length(1);
        expect(proxy.first.closed, 'the first attempt closed its connection').to.equal(true);
      } finally {
        transport.close();
        await proxy.close();
      }
    });
  });

  it('rejects incomplete options naming them', () => {
    const transport = smtp.transportOptions;
    expect(() => new EmailNotifier({ smtp: transport, from: 'a@x.example' })).to.throw(TypeError, /to/);
    expect(() => new EmailNotifier({ smtp: transport, from: 'a@x.example', to: [] })).to.throw(TypeError, /to/);
    expect(() => new EmailNotifier({ smtp: transport, to: 'b@x.example' })).to.throw(TypeError, /from/);
    expect(() => new EmailNotifier({ from: 'a@x.example', to: 'b@x.example' })).to.throw(TypeError, /transport .* or smtp/);
    expect(() => new EmailNotifier({ smtp: transport, from: 'a@x.example', to: 'b@x.example', maxRetries: -1 })).to.throw(RangeError, /maxRetries/);
    expect(() => new EmailNotifier({ smtp: transport, from: 'a@x.example', to: 'b@x.example', renderText: 'x' as never })).to.throw(TypeError, /renderText/);
    expect(() => new EmailNotifier({ smtp: transport, from: 'a@x.example', to: 'b@x.example', budgetWindowMs: 0 })).to.throw(RangeError, /budgetWindowMs/);
    expect(() => new EmailNotifier({ smtp: transport, from: 'a@x.example', to: 'b@x.example', subjectPrefx: '[x] ' } as never)).to.throw(TypeError, /did you mean `subjectPrefix`/);
  });

  it('exposes the filter as accepts()', () => {
    const notifier = emailNotifier({ filter: { kinds: ['broken-link'] } });
    expect(notifier.accepts(sampleBrokenLinkReport())).to.equal(true);
    expect(notifier.accepts(sampleErrorReport())).to.equal(false);
  });
});
