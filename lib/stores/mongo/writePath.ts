// Saving a batch: events inserted by report id, groups counted by guarded upserts.
//
// Saving is idempotent by report id, as delivery requires: events are inserted with
// their report id as _id (a duplicate is skipped), and each group (issue or broken
// link) remembers its recently counted report ids, so a batch replayed after a crash,
// even one that came between the two writes, is neither stored nor counted twice.
import type { Clock } from '../../core/clock';
import type { GroupOutcome } from '../../ports';
import type { Report, ReportKind } from '../../report/Report';
import { totalOccurrences } from '../../report/occurrences';
import { eventDoc, groupUpdate, type ExistingGroup } from './documents';
import { regress, wake } from './status';
import { claimedVerdict, SILENT } from './alertState';
import { asStoreError, checkDocumentSizes, DUPLICATE_KEY, writeErrorsOf } from './storeErrors';
import { rawCollection, type GroupDoc, type TripwireModels } from './schemas';
import type { mongo } from 'mongoose';

type Groups = mongo.Collection<GroupDoc>;

export class WritePath {
  constructor(private readonly models: TripwireModels, private readonly clock: Clock) {}

  async save(reports: Report[]): Promise<GroupOutcome[]> {
    const now = new Date(this.clock.now());
    const errors = reports.filter((r) => r.kind !== 'broken-link');
    const links = reports.filter((r) => r.kind === 'broken-link');
    // Broken links are counted, not stored one by one (as Django's BrokenLinkEmailsMiddleware keeps none).
    await this.insertEvents(errors);
    const issueOutcomes = await this.countGroups('error', rawCollection(this.models.issues) as unknown as Groups, errors, now);
    const linkOutcomes = await this.countGroups('broken-link', rawCollection(this.models.brokenLinks) as unknown as Groups, links, now);
    return [...issueOutcomes, ...linkOutcomes];
  }

  /**
   * Inserts one event per report; ids already stored are skipped, not an error. A
   * document the server refuses fails the save with a PermanentStoreError before
   * anything is counted: delivery then saves the other reports alone (the ones
   * inserted here are skipped as duplicates) and repairs or sets aside the one at fault.
   */
  private async insertEvents(reports: Report[]): Promise<void> {
    if (reports.length === 0) return;
    try {
      const docs = reports.map(eventDoc);
      checkDocumentSizes(docs);
      await rawCollection(this.models.events).insertMany(docs, { ordered: false });
    } catch (err) {
      const refused = writeErrorsOf(err)?.filter((e) => e.code !== DUPLICATE_KEY);
      if (refused?.length === 0) return;
      const failure = refused ? Object.assign(new Error(refused[0].errmsg), { code: refused[0].code, cause: err }) : err;
      throw asStoreError(failure, refused ? `${refused.length} event(s)` : 'the events');
    }
  }

  /**
   * Counts a batch's reports on their groups. Reports already counted are filtered out
   * by the group's recentIds, and the upsert is guarded by the same list, so two
   * concurrent saves of one report count it once: the loser's guarded upsert collides
   * with the existing _id and is retried against fresh state.
   */
  private async countGroups(kind: ReportKind, groups: Groups, reports: Report[], now: Date): Promise<GroupOutcome[]> {
    const batch = groupByFingerprint(reports);
    if (batch.size === 0) return [];
    const outcomes = new Map<string, GroupOutcome>();
    for (const fingerprint of batch.keys()) {
      outcomes.set(fingerprint, { kind, fingerprint, added: 0, count: null, isNew: false, regressed: false });
    }
    let pending = [...batch.keys()];
    for (let attempt = 0; attempt < 2 && pending.length; attempt++) {
      pending = await this.countOnce(kind, groups, batch, pending, outcomes, now);
    }
    const counted = await groups.find(
      { _id: { $in: [...batch.keys()] } },
      { projection: { count: 1, status: 1, snoozedUntil: 1, snoozedUntilCount: 1 } },
    ).toArray();
    const added = new Map([...outcomes].map(([fingerprint, outcome]) => [fingerprint, outcome.added]));
    const woken = await wake(groups, counted, added, now);
    for (const doc of counted) {
      const outcome = outcomes.get(doc._id);
      if (!outcome) continue;
      outcome.count = typeof doc.count === 'number' ? doc.count : null;
      outcome.status = woken.has(doc._id) ? 'open' : doc.status ?? 'open';
      if (woken.has(doc._id)) outcome.alert = woken.get(doc._id);
      if (outcome.status === 'ignored' || outcome.status === 'snoozed') outcome.alert = SILENT;
    }
    return [...outcomes.values()];
  }

  /** One read-then-guarded-write pass; returns the fingerprints that collided and need another pass. */
  private async countOnce(
    kind: ReportKind, groups: Groups, batch: Map<string, Report[]>, fingerprints: string[], outcomes: Map<string, GroupOutcome>, now: Date,
  ): Promise<string[]> {
    const found = await groups.find(
      { _id: { $in: fingerprints } },
      { projection: { recentIds: 1, status: 1, userAgents: 1, environments: 1, releases: 1, userIds: 1 } },
    ).toArray() as ExistingGroup[];
    const existing = new Map(found.map((doc) => [doc._id, doc]));
    const writes: Array<{ fingerprint: string; fresh: Report[] }> = [];
    for (const fingerprint of fingerprints) {
      const seen = new Set(existing.get(fingerprint)?.recentIds ?? []);
      const fresh = (batch.get(fingerprint) as Report[]).filter((r) => !seen.has(String(r.id)));
      if (fresh.length) writes.push({ fingerprint, fresh });
    }
    if (writes.length === 0) return [];

    const wasResolved = writes.filter((w) => existing.get(w.fingerprint)?.status === 'resolved');
    const regressed = await regress(groups, new Map(wasResolved.map((w) => [w.fingerprint, totalOccurrences(w.fresh)])), now);
    for (const [fingerprint, verdict] of regressed) Object.assign(outcomes.get(fingerprint) as GroupOutcome, { regressed: true, alert: verdict });

    const operations = writes.map(({ fingerprint, fresh }) => ({
      updateOne: {
        filter: { _id: fingerprint, recentIds: { $nin: fresh.map((r) => String(r.id)) } },
        update: groupUpdate(kind, fresh, existing.get(fingerprint), now),
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
    writes.forEach((group, index) => {
      if (collided.has(index)) return;
      const outcome = outcomes.get(group.fingerprint) as GroupOutcome;
      outcome.added += totalOccurrences(group.fresh);
      // The insert took the alert claim (documents.ts): this instance announces the new group.
      if (index in upserted) Object.assign(outcome, { isNew: true, alert: claimedVerdict(undefined) });
    });
    return writes.filter((_, index) => collided.has(index)).map((w) => w.fingerprint);
  }
}

function groupByFingerprint(reports: Report[]): Map<string, Report[]> {
  const groups = new Map<string, Report[]>();
  const ids = new Set<string>();
  for (const report of reports) {
    const id = String(report.id);
    // The same report twice in one batch is one occurrence.
    if (ids.has(id)) continue;
    ids.add(id);
    const fingerprint = String(report.fingerprint);
    const group = groups.get(fingerprint);
    if (group) group.push(report);
    else groups.set(fingerprint, [report]);
  }
  return groups;
}
