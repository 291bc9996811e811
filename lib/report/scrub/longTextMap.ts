// A Map keyed by long texts (the frame lines of a stack, 1-2 KB) that never hashes
// them whole. Every error's stack is a fresh string, and a Map hashes a fresh string
// character by character on each lookup (about 1.5 µs per KB here), while comparing it
// with the remembered one is a memcmp (under 0.1 µs). So texts are bucketed by their
// length and a few sampled characters, and found by comparing with ===: the sample
// only picks the bucket, equality decides, so a collision costs a comparison, never
// a wrong answer.

const SAMPLES = 24;
// Texts with the same length and samples (the same bug at other recursion depths) share
// a bucket; past this many, the oldest entry of the bucket is forgotten.
const MAX_BUCKET = 8;

/** A bounded map from long texts to values: past `max` entries it forgets all at once. */
export class LongTextMap<V> {
  private readonly buckets = new Map<number, Array<[string, V]>>();
  private entries = 0;

  constructor(private readonly max: number) {}

  get size(): number {
    return this.entries;
  }

  get(text: string): V | undefined {
    const bucket = this.buckets.get(sampleKey(text));
    if (bucket === undefined) return undefined;
    for (const [key, value] of bucket) if (key === text) return value;
    return undefined;
  }

  set(text: string, value: V): void {
    const sample = sampleKey(text);
    let bucket = this.buckets.get(sample);
    if (bucket !== undefined) {
      for (const entry of bucket) {
        if (entry[0] === text) {
          entry[1] = value;
          return;
        }
      }
    }
    if (this.entries >= this.max) this.clear();
    bucket = this.buckets.get(sample);
    if (bucket === undefined) this.buckets.set(sample, (bucket = []));
    if (bucket.length >= MAX_BUCKET) {
      bucket.shift();
      this.entries -= 1;
    }
    bucket.push([text, value]);
    this.entries += 1;
  }

  clear(): void {
    this.buckets.clear();
    this.entries = 0;
  }
}

// The length and SAMPLES characters spread over the text, the first ones densely (a
// stack's first frame line is where two throw sites differ), mixed into a small integer.
function sampleKey(text: string): number {
  const length = text.length;
  let key = length;
  if (length === 0) return key;
  const step = Math.max(1, Math.floor(length / SAMPLES));
  for (let i = 0; i < length; i += step) key = (Math.imul(key, 31) + text.charCodeAt(i)) | 0;
  for (let i = Math.min(length, 96) - 1; i >= 0; i -= 3) key = (Math.imul(key, 31) + text.charCodeAt(i)) | 0;
  return key;
}
