// A small bar chart of occurrences as inline SVG: no script, no style attribute (CSP), readable without colour.
import { html, type SafeHtml } from './html';
import type { HistogramBucket } from '../contracts/issueStore';
import { exactTime } from './relativeTime';

export function occurrenceChart(buckets: HistogramBucket[], { width = 120, height = 24, label = 'occurrences', big = false } = {}): SafeHtml {
  if (buckets.length === 0) return html`<span class="muted">–</span>`;
  const max = Math.max(1, ...buckets.map((b) => b.count));
  const slot = width / buckets.length;
  const barWidth = Math.max(1, slot - 1);
  const total = buckets.reduce((sum, b) => sum + b.count, 0);
  const bars = buckets.map((bucket, i) => {
    const h = bucket.count === 0 ? 1 : Math.max(2, Math.round((bucket.count / max) * (height - 1)));
    return html`<rect x="${(i * slot).toFixed(1)}" y="${height - h}" width="${barWidth.toFixed(1)}" height="${h}" class="${bucket.count ? 'bar' : 'bar empty'}"><title>${bucket.count} · ${exactTime(new Date(bucket.start))}</title></rect>`;
  });
  return html`<svg class="${big ? 'chart big' : 'chart'}" role="img" aria-label="${total} ${label}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${bars}</svg>`;
}
