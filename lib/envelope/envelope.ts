import statuses from 'statuses';
import { isPlainObject } from '../core/objects';

export interface Envelope<T = unknown> {
  success: boolean;
  result: T | null;
  message: unknown;
}

export function successEnvelope(body: unknown): Envelope {
  if (body === undefined || body === null) return { success: true, result: {}, message: null };
  if (isPlainObject(body) && Object.prototype.hasOwnProperty.call(body, 'message')) {
    const { message, ...result } = body as Record<string, unknown>;
    return { success: true, result, message: message ?? null };
  }
  return { success: true, result: body, message: null };
}

export function failureEnvelope(message: unknown): Envelope {
  return { success: false, result: null, message };
}

/** The standard reason phrase, e.g. 500 → "Internal Server Error". */
export function statusText(status: number): string {
  try {
    return statuses.message[status] ?? statuses(status);
  } catch {
    return status >= 500 ? 'Internal Server Error' : 'Error';
  }
}

