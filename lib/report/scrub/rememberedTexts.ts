import { LongTextMap } from './longTextMap';

// Past this length a text is looked up without hashing it whole (see LongTextMap).
const LONG_TEXT = 128;

/**
 * Cleansed forms of texts that come back from report to report (header values, keys,
 * paths, the frames of a stack), remembered up to `max` entries, then forgotten all at
 * once (cheaper than an LRU and just as bounded). Lives in memory only, per filter.
 */
export class RememberedTexts {
  private readonly texts = new Map<string, string>();
  private readonly longTexts: LongTextMap<string>;

  constructor(private readonly max: number) {
    this.longTexts = new LongTextMap(max);
  }

  get(text: string, cleanse: (text: string) => string): string {
    const long = text.length > LONG_TEXT;
    let cleansed = long ? this.longTexts.get(text) : this.texts.get(text);
    if (cleansed === undefined) {
      cleansed = cleanse(text);
      if (this.texts.size + this.longTexts.size >= this.max) this.clear();
      if (long) this.longTexts.set(text, cleansed);
      else this.texts.set(text, cleansed);
    }
    return cleansed;
  }

  clear(): void {
    this.texts.clear();
    this.longTexts.clear();
  }
}
