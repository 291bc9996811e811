import type { Report } from '../report/Report';

/**
 * A report, or what builds it: an occurrence offered from the request path is queued
 * unbuilt and built by the worker (see Delivery.offer), so the request never pays for
 * building or scrubbing it. A builder never throws (the report builders do not).
 */
export type QueuedReport = Report | (() => Report);

/** Builds what is still unbuilt; a builder that throws anyway is left out and counted in `failed`. */
export function built(items: QueuedReport[]): { reports: Report[]; failed: number } {
  const reports: Report[] = [];
  let failed = 0;
  for (const item of items) {
    if (typeof item !== 'function') {
      reports.push(item);
      continue;
    }
    try {
      reports.push(item());
    } catch {
      failed++;
    }
  }
  return { reports, failed };
}

/** FIFO with O(1) push and batch take: a head index instead of Array#shift, compacted now and then. */
export class ReportQueue {
  private items: QueuedReport[] = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  push(report: QueuedReport): void {
    this.items.push(report);
  }

  take(max: number): QueuedReport[] {
    const batch = this.items.slice(this.head, this.head + max);
    this.head += batch.length;
    if (this.head === this.items.length) {
      this.items = [];
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return batch;
  }

  takeAll(): QueuedReport[] {
    return this.take(this.length);
  }
}
