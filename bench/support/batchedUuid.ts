// Kept in the bench only: the request id the suite once minted from a batch, measured
// against crypto.randomUUID() (the default) in the happy path (see phases/happyPath.ts).
// The default request id: a random (version 4) UUID, as crypto.randomUUID() gives, minted
// from a batch. randomUUID() builds each id by concatenating 20 pieces, a rope of small
// strings that node flattens again when the id is validated and written as a header;
// measured inside a Koa request (setHeader of the id included) that came to ~0.3–0.5 µs more
// per request than this. Here 256 ids are drawn at once from the same CSPRNG
// (crypto.randomFillSync), formatted as ASCII bytes in one buffer, and each call slices one
// flat 36-character string out of it. RFC 9562 §5.4: https://www.rfc-editor.org/rfc/rfc9562#section-5.4
import { randomFillSync } from 'node:crypto';

const BATCH = 256;
const random = Buffer.alloc(16 * BATCH);
const text = Buffer.alloc(36 * BATCH);
const HEX = Buffer.from('0123456789abcdef', 'latin1');
const DASH = 0x2d;
let next = BATCH;

function refill(): void {
  randomFillSync(random);
  for (let id = 0; id < BATCH; id++) {
    const from = 16 * id;
    // Version 4 in the high nibble of byte 6, variant 10xx in the high bits of byte 8.
    random[from + 6] = (random[from + 6] & 0x0f) | 0x40;
    random[from + 8] = (random[from + 8] & 0x3f) | 0x80;
    let at = 36 * id;
    for (let i = 0; i < 16; i++) {
      if (i === 4 || i === 6 || i === 8 || i === 10) text[at++] = DASH;
      const byte = random[from + i];
      text[at++] = HEX[byte >> 4];
      text[at++] = HEX[byte & 0x0f];
    }
  }
  // The random bytes are not needed once formatted: nothing of an id stays behind in two places.
  random.fill(0);
  next = 0;
}

/** A random version 4 UUID, lower-case hex as randomUUID() writes it. */
export function batchedUuid(): string {
  if (next === BATCH) refill();
  const at = 36 * next++;
  return text.toString('latin1', at, at + 36);
}
