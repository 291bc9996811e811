import type { Transporter } from 'nodemailer';
import type { AttemptResult } from '../pacedRetryQueue';

export interface Mail {
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
}

// No SMTP reply at all: the server may be back in a moment.
const TRANSIENT_CODES = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'EPROXY', 'ECONNREFUSED', 'ECONNRESET']);

interface SmtpError {
  code?: string;
  responseCode?: number;
  response?: string;
  message?: string;
}

/**
 * One SMTP transaction, its failure classified for the retry policy; never throws. When
 * `signal` aborts (the attempt's deadline, or close), nodemailer's SMTP transports close the
 * connection: an attempt given up must not go on to deliver what its retry delivers again.
 */
export async function sendMailOnce(transport: Transporter, mail: Mail, signal?: AbortSignal): Promise<AttemptResult> {
  try {
    await transport.sendMail(signal ? { ...mail, signal } : mail);
    return { kind: 'sent' };
  } catch (err) {
    if (signal?.aborted) return { kind: 'cancelled' };
    const smtp = (err ?? {}) as SmtpError;
    const fields = { code: smtp.code, responseCode: smtp.responseCode, response: smtp.response ?? smtp.message };
    return { kind: isTransient(smtp) ? 'transient' : 'rejected', fields };
  }
}

// SMTP 4xx means "try again later"; 5xx means "never"; no reply at all is a network failure.
function isTransient(err: SmtpError): boolean {
  if (typeof err.responseCode === 'number') return err.responseCode >= 400 && err.responseCode < 500;
  return typeof err.code === 'string' && TRANSIENT_CODES.has(err.code);
}
