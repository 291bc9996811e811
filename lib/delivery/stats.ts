export interface DeliveryStats {
  accepted: number;
  /** Occurrences past `eventsPerMinute`, counted into tallies rather than queued one by one. */
  folded: number;
  /** Reports the store took, first try or replayed. */
  stored: number;
  /** Reports written to the outbox. */
  outboxed: number;
  /** Reports the store took from the outbox. */
  replayed: number;
  dropped: number;
  /** Reports the store refused for good (`PermanentStoreError`), written to `<outboxDir>/dead/`. */
  deadLettered: number;
  /** Alerts sent (new, regression, window), each counted once however many notifiers got it. */
  alerts: number;
  digests: number;
  /** Notifier calls that threw, rejected or did not settle within `notifyTimeoutMs`. */
  notifyFailed: number;
  queued: number;
}

/** The counters the parts of delivery add to; `queued` is read from the queue. */
export type Counters = Omit<DeliveryStats, 'queued'>;

export function zeroCounters(): Counters {
  return { accepted: 0, folded: 0, stored: 0, outboxed: 0, replayed: 0, dropped: 0, deadLettered: 0, alerts: 0, digests: 0, notifyFailed: 0 };
}
