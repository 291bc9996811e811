import http from 'node:http';
import net from 'node:net';

// Node's HTTP plumbing carries the raw header text of both directions (ClientRequest's
// `_header` holds the outgoing Authorization and X-Api-Key lines, IncomingMessage's
// `rawHeaders` the upstream's set-cookie), the socket and the agent's pool of other
// requests. None of it is ever copied into a report, whichever error carries it.
const LABELS: Array<[Function, string]> = [
  [http.ClientRequest, '[ClientRequest]'],
  [http.IncomingMessage, '[IncomingMessage]'],
  [http.ServerResponse, '[ServerResponse]'],
  [http.OutgoingMessage, '[OutgoingMessage]'],
  [net.Socket, '[Socket]'],
  [net.Server, '[Server]'],
  [http.Agent, '[Agent]'],
];

/** Own property names that hold raw header text wherever they appear. */
export const RAW_HEADER_KEYS: ReadonlySet<string> = new Set(['_header', 'rawHeaders', 'rawTrailers', '_headers', 'headersRaw']);

/** A short label for Node's HTTP and socket objects, or null for anything else. */
export function nodeHttpObjectLabel(value: object): string | null {
  for (const [type, label] of LABELS) if (value instanceof type) return label;
  return null;
}
