// The specs' one Notifier of their own (the project's public interface, not a stand-in
// for Slack or email): it records what it is told, can be made to fail or to hang, and
// can pass every report on to a real notifier (the drills count what delivery asked to
// announce, whether Slack took it or not, while the fake Slack records what arrived).
//
//   new RecordingNotifier()                       records
//   new RecordingNotifier('b', 'reject')          a notifier that fails (or 'throw', 'hang')
//   new RecordingNotifier('p', 'record', filter)  with a routing filter as accepts()
//   new RecordingNotifier(slackNotifier)          records, then hands on to the real one
//
// Wrapping a built-in notifier, it hands delivery that notifier's own parts (so delivery
// sends through the real notifier's one pipeline, its budget, queue and stats), recording
// each alert as the pipeline formats it.
import type { NotifierParts, NotifierWithParts } from '../../lib/notifiers/notifierPipeline';
import type { Notifier } from '../../lib/contracts/notifier';
import type { AlertInfo, Report } from '../../lib/report/Report';

export type NotifierBehaviour = 'record' | 'throw' | 'reject' | 'hang';

export class RecordingNotifier implements Notifier {
  readonly name: string;
  /**
   * It records what delivery decided to announce, so the alert budget (which applies to
   * every notifier, this one too) is set out of its way, as an app may set its own
   * notifier's; the specs of the budget use plain objects of their own.
   */
  readonly pipelineOptions = { maxAlertsPerWindow: Number.MAX_SAFE_INTEGER };
  readonly received: Report[] = [];
  /** Each alert as delivery asked for it (a copy: the report may be reused). */
  readonly alerts: Array<{ fingerprint: string; alert: AlertInfo | undefined }> = [];
  closed = false;
  private readonly inner: Notifier | undefined;
  private release: () => void = () => {};
  private readonly gate: Promise<void>;

  constructor(nameOrInner: string | Notifier = 'recording', private readonly behaviour: NotifierBehaviour = 'record', private readonly filter?: (report: Report) => boolean) {
    this.inner = typeof nameOrInner === 'string' ? undefined : nameOrInner;
    this.name = typeof nameOrInner === 'string' ? nameOrInner : `recording(${nameOrInner.name ?? 'unnamed'})`;
    this.gate = new Promise((resolve) => { this.release = resolve; });
    const inner = this.inner as Partial<NotifierWithParts> | undefined;
    if (inner && typeof inner.pipelineParts === 'function') {
      const parts = inner.pipelineParts();
      const format = parts.format;
      parts.format = (report) => {
        this.record(report);
        return format(report);
      };
      this.pipelineParts = () => parts;
    }
  }

  /** Set when wrapping a built-in notifier: its parts, recording what they format. */
  pipelineParts?: () => NotifierParts<unknown>;

  private record(report: Report): void {
    this.alerts.push({ fingerprint: report.fingerprint, alert: report.alert && { ...report.alert } });
    this.received.push(report);
  }

  accepts(report: Report): boolean {
    if (this.filter) return this.filter(report);
    return this.inner?.accepts ? this.inner.accepts(report) : true;
  }

  notify(report: Report): Promise<void> {
    if (this.behaviour === 'throw') throw new Error(`${this.name} throws synchronously`);
    if (this.behaviour === 'reject') return Promise.reject(new Error(`${this.name} rejects`));
    if (this.pipelineParts) return this.inner!.notify(report);
    try {
      this.record(report);
    } catch (err) {
      return Promise.reject(err);
    }
    if (this.behaviour === 'hang') return this.gate;
    return this.inner ? this.inner.notify(report) : Promise.resolve();
  }

  /** Lets a hanging notifier finish. */
  unblock(): void {
    this.release();
  }

  /** A hanging notify stays hung: a close deadline must hold without its help. */
  async close(timeoutMs?: number): Promise<void> {
    this.closed = true;
    await this.inner?.close?.(timeoutMs);
  }

  reasons(): string[] {
    return this.received.map((r) => r.alert?.reason ?? 'none');
  }
}
