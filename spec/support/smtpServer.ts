// A real SMTP server on 127.0.0.1 (the smtp-server package) that keeps what it receives,
// decoded just enough for assertions: headers, subject, and the text/html parts.
//
//   const smtp = await startSmtpServer();
//   new EmailNotifier({ smtp: smtp.transportOptions, from, to })
//   smtp.failNext({ code: 451, message: 'Try again later' })  // next DATA is refused
//   smtp.messages  // [{ from, to, subject, headers, text, html, raw }]
//
// No TLS: STARTTLS is disabled here and the client must set ignoreTLS (transportOptions does).
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { eventually } from './eventually';

export interface ReceivedMail {
  /** Envelope sender and recipients (MAIL FROM / RCPT TO). */
  from: string;
  to: string[];
  /** Lower-cased names, unfolded values, encoded words decoded. */
  headers: Record<string, string>;
  subject: string;
  text: string | null;
  html: string | null;
  raw: string;
}

export interface SmtpFailure {
  /** SMTP reply code: 4xx is transient, 5xx permanent. */
  code: number;
  message?: string;
}

export interface TestSmtpServer {
  port: number;
  /** nodemailer SMTP options pointing here. */
  transportOptions: { host: string; port: number; secure: false; ignoreTLS: true };
  messages: ReceivedMail[];
  /** Number of DATA commands seen, accepted or refused. */
  attempts: number;
  /** Refuses the next messages, one failure each, in order. */
  failNext(...failures: SmtpFailure[]): void;
  /** Never answers DATA from now on (a mail server that hangs), until close. */
  stall(): void;
  waitForMessages(count: number, timeoutMs?: number): Promise<ReceivedMail[]>;
  close(): Promise<void>;
}

export async function startSmtpServer(): Promise<TestSmtpServer> {
  const messages: ReceivedMail[] = [];
  const failures: SmtpFailure[] = [];
  const stalled: Array<(err: Error) => void> = [];
  const state = { attempts: 0, stalling: false };

  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        state.attempts++;
        if (state.stalling) return void stalled.push(callback);
        const failure = failures.shift();
        if (failure) {
          const err = Object.assign(new Error(failure.message ?? 'Refused by the test server'), { responseCode: failure.code });
          return callback(err);
        }
        const envelope = session.envelope;
        const from = envelope.mailFrom ? envelope.mailFrom.address : '';
        messages.push(parseMail(Buffer.concat(chunks).toString('latin1'), from, envelope.rcptTo.map((r) => r.address)));
        callback(null);
      });
    },
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.server.address() as AddressInfo;

  return {
    port,
    transportOptions: { host: '127.0.0.1', port, secure: false, ignoreTLS: true },
    messages,
    get attempts() {
      return state.attempts;
    },
    failNext: (...next) => void failures.push(...next),
    stall: () => {
      state.stalling = true;
    },
    waitForMessages(count, timeoutMs = 10_000) {
      return eventually(() => messages.length >= count, {
        what: `smtpServer: ${count} messages`, timeoutMs, everyMs: 5,
      }).then(() => messages.slice(0, count));
    },
    close: () => {
      for (const answer of stalled.splice(0)) answer(Object.assign(new Error('Test server closing'), { responseCode: 421 }));
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

// --- Minimal MIME reading: enough for what nodemailer produces. ---

interface Part {
  headers: Record<string, string>;
  body: string;
}

/** `raw` is latin1 so every byte survives until a part is decoded as UTF-8. */
export function parseMail(raw: string, from: string, to: string[]): ReceivedMail {
  const top = splitPart(raw);
  const leaves = leafParts(top);
  const find = (type: string) => {
    const part = leaves.find((leaf) => (leaf.headers['content-type'] ?? 'text/plain').toLowerCase().startsWith(type));
    return part ? decodeBody(part) : null;
  };
  const headers = Object.fromEntries(Object.entries(top.headers).map(([name, value]) => [name, decodeEncodedWords(value)]));
  return { from, to, headers, subject: headers.subject ?? '', text: find('text/plain'), html: find('text/html'), raw };
}

function splitPart(raw: string): Part {
  const match = /\r?\n\r?\n/.exec(raw);
  const head = match ? raw.slice(0, match.index) : raw;
  const body = match ? raw.slice(match.index + match[0].length) : '';
  const headers: Record<string, string> = {};
  // Folded lines (starting with space or tab) continue the previous header.
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { headers, body };
}

function leafParts(part: Part): Part[] {
  const type = part.headers['content-type'] ?? '';
  const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
  if (!/^multipart\//i.test(type) || !boundary) return [part];
  const delimiter = `--${boundary}`;
  return part.body
    .split(delimiter)
    .slice(1) // preamble
    .filter((chunk) => !chunk.startsWith('--')) // closing delimiter
    .flatMap((chunk) => leafParts(splitPart(chunk.replace(/^\r?\n/, ''))));
}

function decodeBody(part: Part): string {
  const encoding = (part.headers['content-transfer-encoding'] ?? '7bit').toLowerCase();
  let bytes: Buffer;
  if (encoding === 'base64') bytes = Buffer.from(part.body.replace(/\s+/g, ''), 'base64');
  else if (encoding === 'quoted-printable') bytes = decodeQuotedPrintable(part.body);
  else bytes = Buffer.from(part.body, 'latin1');
  return bytes.toString('utf8').replace(/\r\n/g, '\n').replace(/\n$/, '');
}

function decodeQuotedPrintable(text: string): Buffer {
  const unfolded = text.replace(/=\r?\n/g, ''); // soft line breaks
  const bytes: number[] = [];
  for (let i = 0; i < unfolded.length; i++) {
    const hex = unfolded.slice(i + 1, i + 3);
    if (unfolded[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(unfolded.charCodeAt(i) & 0xff);
    }
  }
  return Buffer.from(bytes);
}

/** RFC 2047: "=?UTF-8?Q?caf=C3=A9?=" and "=?UTF-8?B?...?="; whitespace between two words is dropped. */
export function decodeEncodedWords(value: string): string {
  const decoded = value
    .replace(/(\?=)\s+(=\?)/g, '$1$2')
    .replace(/=\?([^?]+)\?([QqBb])\?([^?]*)\?=/g, (_whole, _charset: string, mode: string, text: string) => {
      const bytes = mode.toUpperCase() === 'B'
        ? Buffer.from(text, 'base64')
        : decodeQuotedPrintable(text.replace(/_/g, ' '));
      return bytes.toString('latin1');
    });
  // Words may split a multi-byte character, so bytes are joined first, then read as UTF-8
  // (the raw message was read as latin1, one character per byte).
  return Buffer.from(decoded, 'latin1').toString('utf8');
}
