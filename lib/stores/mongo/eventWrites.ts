// Storing a batch's events, one per error report, with its report id as _id (a replayed
// event is skipped as a duplicate). A document the server or the driver refuses (over
// 16 MB, a key it cannot take, validation) is repaired (./repairReport.ts: keys escaped,
// bulky parts cut and marked) and stored; only a report still refused once repaired
// fails the save, with a PermanentStoreError naming it, before anything is counted, so
// delivery can set that one report aside and save the others again.
import type { mongo } from 'mongoose';
import type { Logger } from '../../core/logger';
import { messageOf } from '../../core/errors';
import { PermanentStoreError } from '../../contracts/store';
import type { Filed } from '../rules/occurrencePlan';
import { eventDoc } from './documents';
import { repairReport } from './repairReport';
import { DUPLICATE_KEY, isDocumentFailure, isOversize, writeErrorsOf } from './storeErrors';
import type { EventDoc } from './schemas';

type Events = mongo.Collection<EventDoc>;

export async function insertEvents(events: Events, filed: Filed[], logger: Logger): Promise<void> {
  if (filed.length === 0) return;
  const refused = await insertAll(events, filed.map((f) => eventDoc(f.report, f.at)));
  if (refused.size === 0) return;
  const retried = [...refused.keys()];
  const repaired = retried.map((i) => {
    const { report, cut } = repairReport(filed[i].report);
    logger.warn('MongoDB refused a report; storing it repaired', { reportId: String(report.id), reason: refused.get(i)?.slice(0, 300), cut });
    return eventDoc(report, filed[i].at);
  });
  const still = await insertAll(events, repaired);
  if (still.size === 0) return;
  const ids = [...still.keys()].map((i) => String(filed[retried[i]].report.id));
  throw new PermanentStoreError(`MongoDB refused report(s) ${ids.join(', ')}, even repaired: ${[...still.values()][0].slice(0, 300)}`);
}

/** Inserts `docs`; resolves the documents refused for themselves (index → why). Transient failures reject. */
async function insertAll(events: Events, docs: EventDoc[]): Promise<Map<number, string>> {
  const refused = new Map<number, string>();
  const sendable: Array<{ doc: EventDoc; index: number }> = [];
  docs.forEach((doc, index) => {
    if (isOversize(doc)) refused.set(index, `event ${doc._id} is over the 16 MB document limit`);
    else sendable.push({ doc, index });
  });
  if (sendable.length === 0) return refused;
  try {
    await events.insertMany(sendable.map((s) => s.doc), { ordered: false });
  } catch (err) {
    const writeErrors = writeErrorsOf(err);
    if (writeErrors) {
      for (const e of writeErrors) {
        if (e.code === DUPLICATE_KEY) continue;
        if (!isDocumentFailure(Object.assign(new Error(e.errmsg), { code: e.code }))) throw err;
        refused.set(sendable[e.index]?.index ?? e.index, e.errmsg);
      }
      return refused;
    }
    if (!isDocumentFailure(err)) throw err;
    // The whole batch failed before it was sent (the driver's serialiser): one by one, to find the ones at fault.
    for (const { doc, index } of sendable) {
      try {
        await events.insertOne(doc);
      } catch (one) {
        if (writeErrorsOf(one)?.every((e) => e.code === DUPLICATE_KEY) || (one as { code?: unknown }).code === DUPLICATE_KEY) continue;
        if (!isDocumentFailure(one)) throw one;
        refused.set(index, messageOf(one));
      }
    }
  }
  return refused;
}
