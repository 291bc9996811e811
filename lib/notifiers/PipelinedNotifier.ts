import type { Report } from '../report/Report';
import { notifierFilter, type NotifierFilterOptions } from './notifierFilter';
import { notifierPipeline, type NotifierParts, type NotifierWithParts, type PipelineStats } from './notifierPipeline';

/**
 * What Slack, email and the console share: each is its parts (message format and send
 * function, `pipelineParts()`), and calling it directly goes through the same pipeline
 * delivery builds for it (one per notifier), so its budget and queue are never doubled.
 */
export abstract class PipelinedNotifier<M> implements NotifierWithParts {
  abstract readonly name: string;
  readonly accepts: (report: Report) => boolean;
  /** The message format and send function, set by the subclass's constructor. */
  protected parts!: NotifierParts<M>;

  protected constructor(filter: NotifierFilterOptions | undefined) {
    this.accepts = notifierFilter(filter);
  }

  pipelineParts(): NotifierParts<M> {
    return this.parts;
  }

  /** Resolves when the message is sent, given up, filtered out or counted into a summary; never rejects. */
  async notify(report: Report): Promise<void> {
    await notifierPipeline(this).notify(report);
  }

  /** Sends the budgets' summaries and what is queued, by `timeoutMs` when given (the rest is cancelled and counted). */
  close(timeoutMs?: number): Promise<void> {
    return notifierPipeline(this).close(timeoutMs);
  }

  get stats(): PipelineStats {
    return notifierPipeline(this).stats;
  }

  /** The paced queue's waiting messages (for metrics). */
  get queue(): { length: number } {
    return notifierPipeline(this).queue;
  }
}
