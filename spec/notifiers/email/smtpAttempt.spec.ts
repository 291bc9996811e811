import { expect } from 'chai';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import nodemailer, { type SMTPTransportOptions, type Transporter } from 'nodemailer';
import { sendMailOnce, type Mail } from '../../../lib/notifiers/email/smtpAttempt';
import type { AttemptResult, LogFields } from '../../../lib/notifiers/pacedRetryQueue';
import { eventually } from '../../support/eventually';
import { startSmtpServer, type TestSmtpServer } from '../../support/smtpServer';

const MAIL: Mail = {
  from: 'tripwire@shop.example.com',
  to: ['ops@shop.example.com', 'dev@shop.example.com'],
  subject: '[koa-tripwire] ERROR: TypeError: boom',
  text: 'Message: boom',
  html: '<p>Message: boom</p>',
};

/** The fields of a failed attempt, after checking how it was classified. */
function failure(result: AttemptResult, kind: 'transient' | 'rejected'): LogFields {
  expect(result.kind, JSON.stringify(result)).to.equal(kind);
  return (result as Extract<AttemptResult, { fields: LogFields }>).fields;
}

/** A TCP server that accepts connections and does `onConnection` with each (a broken mail server). */
async function tcpServer(onConnection: (socket: net.Socket) => void): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    onConnection(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    }),
  };
}

describe('sendMailOnce (one SMTP transaction, classified)', () => {
  let smtp: TestSmtpServer;
  const transports: Transporter[] = [];

  function transport(options: SMTPTransportOptions = {}): Transporter {
    const made = nodemailer.createTransport({ ...smtp.transportOptions, ...options });
    transports.push(made);
    return made;
  }

  beforeEach(async () => {
    smtp = await startSmtpServer();
  });

  afterEach(async () => {
    for (const made of transports.splice(0)) made.close();
    await smtp.close();
  });

  it('answers sent once the server accepts the message, which arrives whole to every recipient', async () => {
    expect(await sendMailOnce(transport(), MAIL)).to.deep.equal({ kind: 'sent' });

    const [mail] = await smtp.waitForMessages(1);
    expect(mail).to.include({ from: MAIL.from, subject: MAIL.subject, text: MAIL.text, html: MAIL.html });
    expect(mail.to).to.deep.equal(MAIL.to);
  });

  for (const code of [421, 450, 451, 452, 499]) {
    it(`classifies a ${code} reply as transient (try again later), with the code and the server's words`, async () => {
      smtp.failNext({ code, message: 'Greylisted, come back later' });
      const fields = failure(await sendMailOnce(transport(), MAIL), 'transient');

      expect(fields.responseCode).to.equal(code);
      expect(fields.response).to.be.a('string').and.match(new RegExp(`^${code}\\b.*Greylisted, come back later`));
      expect(smtp.messages, 'nothing was delivered').to.have.length(0);
    });
  }

  for (const code of [500, 550, 552, 554]) {
    it(`classifies a ${code} reply as rejected (final: retrying cannot help), with the code and the server's words`, async () => {
      smtp.failNext({ code, message: 'Mailbox unavailable' });
      const fields = failure(await sendMailOnce(transport(), MAIL), 'rejected');

      expect(fields.responseCode).to.equal(code);
      expect(fields.response).to.be.a('string').and.match(new RegExp(`^${code}\\b.*Mailbox unavailable`));
    });
  }

  it('classifies no answer at all as transient: nothing listening, or a server hanging up mid-transaction', async () => {
    const vacant = await tcpServer(() => undefined);
    await vacant.close();
    const refused = failure(await sendMailOnce(transport({ port: vacant.port }), MAIL), 'transient');
    expect(refused.responseCode, 'no SMTP reply').to.equal(undefined);
    expect(refused.code).to.be.a('string');
    expect(refused.response, 'the error message stands in for a reply').to.be.a('string').and.include('ECONNREFUSED');

    const hangUp = await tcpServer((socket) => socket.end('220 mail.example.com ESMTP\r\n', () => socket.destroy()));
    try {
      const dropped = failure(await sendMailOnce(transport({ port: hangUp.port }), MAIL), 'transient');
      expect(dropped.responseCode).to.equal(undefined);
      expect(dropped.response).to.be.a('string').and.not.equal('');
    } finally {
      await hangUp.close();
    }
  });

  it('classifies a failure that is neither a reply nor the network as rejected: a mail without recipients is never sent', async () => {
    const fields = failure(await sendMailOnce(transport(), { ...MAIL, to: [] }), 'rejected');

    expect(fields).to.include({ code: 'EENVELOPE', responseCode: undefined });
    expect(fields.response).to.match(/No recipients/);
    expect(smtp.attempts, 'no DATA was sent').to.equal(0);
  });

  describe("the attempt's signal (the pipeline's deadline, or close)", () => {
    it('answers cancelled, sending nothing, when the signal has already aborted', async () => {
      expect(await sendMailOnce(transport(), MAIL, AbortSignal.abort())).to.deep.equal({ kind: 'cancelled' });
      expect(smtp.attempts, 'no message reached the server').to.equal(0);
    });

    it('gives up a transaction the server never answers when the signal aborts, whatever the transport\'s own timeouts', async () => {
      smtp.stall();
      const controller = new AbortController();
      // nodemailer's defaults: minutes before the transport would give up by itself.
      const sending = sendMailOnce(transport(), MAIL, controller.signal);
      await eventually(() => smtp.attempts === 1, { what: 'the message sent, its answer stalled' });
      controller.abort();

      expect(await sending).to.deep.equal({ kind: 'cancelled' });
    });
  });

  describe("the attempt's deadline (the transport's timeouts)", () => {
    // Each server below never answers, so only the timeout can end the attempt: were it not
    // to hold, the attempt would hang and the spec time out. The lower bound is machine-proof
    // (a timer never fires early); no upper bound is asserted beyond the spec's own timeout.
    const TIMEOUT_MS = 200;

    it('ends an attempt whose server never answers the message as transient ETIMEDOUT, not before the socket timeout', async () => {
      smtp.stall();
      const started = performance.now();
      const fields = failure(await sendMailOnce(transport({ socketTimeout: TIMEOUT_MS }), MAIL), 'transient');
      const took = performance.now() - started;

      expect(smtp.attempts, 'the message reached the server, which never answered').to.equal(1);
      expect(fields).to.include({ code: 'ETIMEDOUT', responseCode: undefined });
      expect(took).to.be.at.least(TIMEOUT_MS - 1);
    });

    it('ends an attempt whose server never greets as transient ETIMEDOUT, not before the greeting timeout', async () => {
      const silent = await tcpServer(() => undefined);
      try {
        const started = performance.now();
        const fields = failure(await sendMailOnce(transport({ port: silent.port, greetingTimeout: TIMEOUT_MS }), MAIL), 'transient');
        const took = performance.now() - started;

        expect(fields).to.include({ code: 'ETIMEDOUT', responseCode: undefined });
        expect(took).to.be.at.least(TIMEOUT_MS - 1);
      } finally {
        await silent.close();
      }
    });
  });
});
