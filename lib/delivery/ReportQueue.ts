import type { Report } from '../report/Report';

/** FIFO with O(1) push and batch take: a head index instead of Array#shift, compacted now and then. */
export class ReportQueue {
  private items: Report[] = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  push(report: Report): void {
    this.items.push(report);
  }

  take(max: number): Report[] {
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

  takeAll(): Report[] {
    return this.take(this.length);
  }
}
