/** Promises still running (outbox writes, alert decisions, notifier calls), so flush() and close() can wait for them. */
export class PendingWork {
  private readonly running = new Set<Promise<unknown>>();

  track<T>(promise: Promise<T>): Promise<T> {
    this.running.add(promise);
    void promise.finally(() => this.running.delete(promise)).catch(() => undefined);
    return promise;
  }

  get size(): number {
    return this.running.size;
  }

  /** Settles once everything tracked so far has settled; never rejects. */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.running]);
  }
}
