// A Store of the specs' own (the project's Store port, not a stand-in for MongoDB).
import type { Report } from '../../lib/report/Report';
import type { GroupOutcome, Store } from '../../lib/contracts/store';

/**
 * A Store of the spec's own, kept in memory: idempotent by report id like the real
 * ones, and able to hold a save until the spec releases it, or to fail while "down".
 */
export class SpecStore implements Store {
  /** Report ids of every save call, in call order, including failed ones. */
  readonly attempts: string[][] = [];
  /** Report ids stored, in the order they were stored. */
  readonly stored: string[] = [];
  down = false;
  closed = false;
  private readonly counts = new Map<string, number>();
  private readonly ids = new Set<string>();
  private gates: Array<() => void> = [];
  private gated: boolean;

  private readonly refuse: ((report: Report) => Error | null) | null;

  /** `refuse`: the error to throw for a report the store cannot take (as a database refuses a document). */
  constructor({ gated = false, refuse = null as ((report: Report) => Error | null) | null } = {}) {
    this.gated = gated;
    this.refuse = refuse;
  }

  async save(reports: Report[]): Promise<GroupOutcome[]> {
    this.attempts.push(reports.map((r) => r.id));
    if (this.gated) await new Promise<void>((resolve) => this.gates.push(resolve));
    if (this.down) throw new Error('spec store is down');
    for (const report of reports) {
      const refused = this.refuse?.(report);
      if (refused) throw refused;
    }
    const outcomes = new Map<string, GroupOutcome>();
    for (const report of reports) {
      const outcome = outcomes.get(report.fingerprint) ?? { kind: report.kind, fingerprint: report.fingerprint, added: 0, count: 0, isNew: false, regressed: false };
      outcomes.set(report.fingerprint, outcome);
      if (this.ids.has(report.id)) continue;
      this.ids.add(report.id);
      this.stored.push(report.id);
      if (!this.counts.has(report.fingerprint)) outcome.isNew = true;
      const occurrences = report.occurrences ?? 1;
      this.counts.set(report.fingerprint, (this.counts.get(report.fingerprint) ?? 0) + occurrences);
      outcome.added += occurrences;
    }
    for (const outcome of outcomes.values()) outcome.count = this.counts.get(outcome.fingerprint) ?? 0;
    return [...outcomes.values()];
  }

  /** Lets held saves through; `open` stops holding later ones. */
  release({ open = false } = {}): void {
    if (open) this.gated = false;
    const gates = this.gates;
    this.gates = [];
    gates.forEach((resolve) => resolve());
  }

  get held(): number {
    return this.gates.length;
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}
