/**
 * Cleansed forms of texts that come back from report to report (header values, keys,
 * paths, the frames of a stack), remembered up to `max` entries, then forgotten all at
 * once (cheaper than an LRU and just as bounded). Lives in memory only, per filter.
 */
export class RememberedTexts {
  private readonly texts = new Map<string, string>();

  constructor(private readonly max: number) {}

  get(text: string, cleanse: (text: string) => string): string {
    let cleansed = this.texts.get(text);
    if (cleansed === undefined) {
      cleansed = cleanse(text);
      if (this.texts.size >= this.max) this.texts.clear();
      this.texts.set(text, cleansed);
    }
    return cleansed;
  }

  clear(): void {
    this.texts.clear();
  }
}
