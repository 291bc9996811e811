// A Notifier of the specs' own (the project's public interface, not a stand-in for
// Slack or email): it records what it is told, and can be made to fail or to hang.
import type { Notifier } from '../../lib/delivery/ports';
import type { Report } from '../../lib/report/Report';

export type NotifierBehaviour = 'record' | 'throw' | 'reject' | 'hang';

export class RecordingNotifier implements Notifier {
  readonly received: Report[] = [];
  closed = false;
  private release: () => void = () => {};
  private readonly gate: Promise<void>;

  constructor(readonly name = 'recording', private readonly behaviour: NotifierBehaviour = 'record', private readonly filter?: (report: Report) => boolean) {
    this.gate = new Promise((resolve) => { this.release = resolve; });
  }

  accepts(report: Report): boolean {
    return this.filter ? this.filter(report) : true;
  }

  notify(report: Report): Promise<void> {
    if (this.behaviour === 'throw') throw new Error(`${this.name} throws synchronously`);
    if (this.behaviour === 'reject') return Promise.reject(new Error(`${this.name} rejects`));
    this.received.push(report);
    return this.behaviour === 'hang' ? this.gate : Promise.resolve();
  }

  /** Lets a hanging notifier finish. */
  unblock(): void {
    this.release();
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  reasons(): string[] {
    return this.received.map((r) => r.alert?.reason ?? 'none');
  }
}
