// Saving a batch: timestamps clamped, new fingerprints past the hourly budget rerouted to
// the overflow group, events inserted by report id (./eventWrites.ts), groups counted by
// guarded upserts.
//
// Saving is idempotent by report id, as delivery requires: events are inserted with
// their report id as _id (a duplicate is skipped), and each group (issue or broken
// link) remembers its recently counted report ids, so a batch replayed after a crash,
// even one that came between the two writes, is neither stored nor counted twice.
import type { mongo } from 'mongoose';
import type { Logger } from '../../core/logger';
import type { GroupOutcome, SavePolicy } from '../../contracts/store';
import type { Report, ReportKind } from '../../report/Report';
import { occurrencesOf } from '../../report/occurrences';
import { filedAt } from '../rules/groupFacts';
import { isOverflowFingerprint, limitOf, rerouted } from '../rules/overflowGroup';
import { newestRelease, planOccurrences, type Filed, type OccurrencePlan } from '../rules/occurrencePlan';
import { breakdownUpdates, EXISTING_PROJECTION, groupUpdate, slotProjection, type ExistingGroup } from './documents';
import { insertEvents } from './eventWrites';
import { regress, SNOOZE_PROJECTION, wake } from './status';
import { claimedVerdict, SILENT } from './alertState';
import { asStoreError, DUPLICATE_KEY, writeErrorsOf } from './storeErrors';
import type { StoreMeta } from './storeMeta';
import type { EventDoc, GroupDoc } from './schemas';

type Groups = mongo.Collection<GroupDoc>;
export interface WriteCollections {
  events: mongo.Collection<EventDoc>;
  groups: Record<ReportKind, Groups>;
}
type Batch = Map<string, Filed[]>;

export class WritePath {
  constructor(private readonly collections: WriteCollections, private readonly meta: StoreMeta, private readonly logger: Logger) {}

  async save(reports: Report[], policy: SavePolicy): Promise<GroupOutcome[]> {
    const batches: Record<ReportKind, Batch> = { error: new Map(), 'broken-link': new Map() };
    const ids = new Set<string>();
    for (const report of reports) {
      // The same report twice in one batch is one occurrence.
      if (ids.has(String(report.id))) continue;
      ids.add(String(report.id));
      const kind: ReportKind = report.kind === 'broken-link' ? 'broken-link' : 'error';
      const filed = { report, at: filedAt(report, policy), occurrences: occurrencesOf(report) };
      const fingerprint = String(report.fingerprint);
      batches[kind].set(fingerprint, [...batches[kind].get(fingerprint) ?? [], filed]);
    }
    const overflowed = { error: await this.reroute('error', batches.error, policy), 'broken-link': await this.reroute('broken-link', batches['broken-link'], policy) };
    // Broken links are counted, not stored one by one (as Django's BrokenLinkEmailsMiddleware keeps none).
    await insertEvents(this.collections.events, [...batches.error.values()].flat(), this.logger);
    const visitorKey = await this.meta.visitorKey();
    const outcomes: GroupOutcome[] = [];
    for (const kind of ['error', 'broken-link'] as const) {
      for (const outcome of await this.countGroups(kind, batches[kind], policy.now, visitorKey)) {
        if (overflowed[kind] && isOverflowFingerprint(kind, outcome.fingerprint)) outcome.overflowed = true;
        outcomes.push(outcome);
      }
    }
    return outcomes;
  }

  /** Files the reports of new fingerprints past the kind's hourly budget in its overflow group; resolves whether any were. */
  private async reroute(kind: ReportKind, batch: Batch, policy: SavePolicy): Promise<boolean> {
    const limit = limitOf(policy.maxNewGroupsPerHour, kind);
    const candidates = [...batch.keys()].filter((fingerprint) => !isOverflowFingerprint(kind, fingerprint));
    if (limit === Infinity || candidates.length === 0) return false;
    const found = await this.collections.groups[kind].find({ _id: { $in: candidates } }, { projection: { _id: 1 } }).toArray();
    const existing = new Set(found.map((doc) => doc._id));
    const fresh = candidates.filter((fingerprint) => !existing.has(fingerprint));
    if (fresh.length === 0) return false;
    const allowed = await this.meta.claimNewGroups(kind, fresh.length, limit, policy.now);
    const over = fresh.slice(allowed);
    for (const fingerprint of over) {
      const filed = batch.get(fingerprint) as Filed[];
      batch.delete(fingerprint);
      const moved = filed.map((f) => ({ ...f, report: rerouted(f.report, limit) }));
      const target = moved[0].report.fingerprint;
      batch.set(target, [...batch.get(target) ?? [], ...moved]);
    }
    return over.length > 0;
  }

  /**
   * Counts a batch's reports on their groups. Reports already counted are filtered out
   * by the group's recentIds, and the upsert is guarded by the same list, so two
   * concurrent saves of one report count it once: the loser's guarded upsert collides
   * with the existing _id and is retried against fresh state.
   */
  private async countGroups(kind: ReportKind, batch: Batch, now: Date, visitorKey: Buffer): Promise<GroupOutcome[]> {
    if (batch.size === 0) return [];
    const groups = this.collections.groups[kind];
    const outcomes = new Map<string, GroupOutcome>();
    for (const fingerprint of batch.keys()) outcomes.set(fingerprint, { kind, fingerprint, added: 0, count: null, isNew: false, regressed: false });
    let pending = [...batch.keys()];
    for (let attempt = 0; attempt < 2 && pending.length; attempt++) {
      pending = await this.countOnce(kind, groups, batch, pending, outcomes, now, visitorKey);
    }
    const counted = await groups.find({ _id: { $in: [...batch.keys()] } }, { projection: SNOOZE_PROJECTION }).toArray();
    const added = new Map([...outcomes].map(([fingerprint, outcome]) => [fingerprint, outcome.added]));
    const woken = await wake(groups, counted, added, now);
    for (const doc of counted) {
      const outcome = outcomes.get(doc._id);
      if (!outcome) continue;
      const wakened = woken.get(doc._id);
      outcome.count = typeof doc.count === 'number' ? doc.count : null;
      outcome.status = wakened ? 'open' : doc.status ?? 'open';
      if (wakened) Object.assign(outcome, { alert: wakened.alert, snoozeEnded: wakened.end });
      if (outcome.status === 'ignored' || outcome.status === 'snoozed' || outcome.oldRelease) outcome.alert = SILENT;
    }
    return [...outcomes.values()];
  }

  /** One read-then-guarded-write pass; returns the fingerprints that collided and need another pass. */
  private async countOnce(
    kind: ReportKind, groups: Groups, batch: Batch, fingerprints: string[], outcomes: Map<string, GroupOutcome>, now: Date, visitorKey: Buffer,
  ): Promise<string[]> {
    const dates = fingerprints.flatMap((f) => (batch.get(f) as Filed[]).map((filed) => filed.at));
    const found = await groups.find({ _id: { $in: fingerprints } }, { projection: { ...EXISTING_PROJECTION, ...slotProjection(dates) } }).toArray() as ExistingGroup[];
    const existing = new Map(found.map((doc) => [doc._id, doc]));
    const writes: Array<{ fingerprint: string; fresh: Filed[]; plan: OccurrencePlan }> = [];
    for (const fingerprint of fingerprints) {
      const before = existing.get(fingerprint);
      const seen = new Set(before?.recentIds ?? []);
      const fresh = (batch.get(fingerprint) as Filed[]).filter((f) => !seen.has(String(f.report.id)));
      if (fresh.length) writes.push({ fingerprint, fresh, plan: planOccurrences(before, fresh) });
    }
    if (writes.length === 0) return [];

    const reopening = writes.filter((w) => existing.get(w.fingerprint)?.status === 'resolved' && w.plan.reopens);
    const regressed = await regress(groups, new Map(reopening.map((w) => [w.fingerprint, {
      count: w.fresh.reduce((sum, f) => sum + f.occurrences, 0), release: newestRelease(w.fresh),
    }])), now);
    for (const [fingerprint, verdict] of regressed) Object.assign(outcomes.get(fingerprint) as GroupOutcome, { regressed: true, alert: verdict });

    const operations = writes.map(({ fingerprint, fresh, plan }) => ({
      updateOne: {
        filter: { _id: fingerprint, recentIds: { $nin: fresh.map((f) => String(f.report.id)) } },
        update: groupUpdate(kind, fresh, existing.get(fingerprint), now, { visitorKey, entries: plan.entries, oldRelease: plan.oldRelease }),
        upsert: true,
      },
    }));
    let upserted: Record<number, unknown> = {};
    const collided = new Set<number>();
    try {
      const result = await groups.bulkWrite(operations as never[], { ordered: false });
      upserted = result.upsertedIds ?? {};
    } catch (err) {
      const writeErrors = writeErrorsOf(err);
      if (!writeErrors || writeErrors.some((e) => e.code !== DUPLICATE_KEY)) throw asStoreError(err, `the ${kind} counts`);
      for (const e of writeErrors) collided.add(e.index);
      upserted = (err as { result?: { upsertedIds?: Record<number, unknown> } }).result?.upsertedIds ?? {};
    }
    const counters: object[] = [];
    writes.forEach((group, index) => {
      if (collided.has(index)) return;
      const outcome = outcomes.get(group.fingerprint) as GroupOutcome;
      outcome.added += group.fresh.reduce((sum, f) => sum + f.occurrences, 0);
      if (group.plan.oldRelease && !outcome.regressed) outcome.oldRelease = true;
      // The insert took the alert claim (documents.ts): this instance announces the new group.
      if (index in upserted) Object.assign(outcome, { isNew: true, alert: claimedVerdict(undefined) });
      counters.push(...breakdownUpdates(group.fingerprint, group.fresh, existing.get(group.fingerprint), now));
    });
    if (counters.length) await groups.bulkWrite(counters as never[], { ordered: true });
    return writes.filter((_, index) => collided.has(index)).map((w) => w.fingerprint);
  }
}
