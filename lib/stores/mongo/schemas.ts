/**
 * The three collections MongoStore keeps (names are configurable, these are the defaults).
 *
 * tripwire_events — one document per stored occurrence (errors and broken links), kept `retentionDays`
 *   _id          report id (a replayed report is recognised and not stored twice)
 *   fingerprint  groups occurrences; equals the issue's (or broken link's) _id
 *   kind         'error' | 'broken-link'
 *   timestamp    when it happened (Date); a TTL index and an hourly prune remove it after retentionDays
 *   title, status (HTTP status), error, request, user, environment, release, host, pid
 *   occurrences  how many occurrences this event stands for: 1, or more for the one event
 *                a second that folds those past the delivery's `eventsPerMinute`
 *   Keys inside error/request/user holding NUL, `$` or `.` are stored with look-alikes
 *   (␀, ＄, ．) and restored when read (./escapeKeys.ts).
 *   Indexes: { fingerprint: 1, timestamp: -1 }, { 'request.requestId': 1 } (sparse), TTL { timestamp: 1 }.
 *
 * tripwire_issues — one document per error fingerprint (a bug), kept until deleted by hand
 *   _id          the fingerprint
 *   title, type, message   from the first occurrence
 *   culprit      top in-app frame, "function (file:line)"
 *   firstSeen, lastSeen, count, lastEventId
 *   status       'open' | 'resolved' | 'ignored' | 'snoozed'; resolvedAt, regressedAt (set when it recurs after resolve)
 *   snoozedUntil, snoozedUntilCount   a snooze ends at that time or once `count` reaches that total
 *   environments, releases   distinct values seen (up to 50 each); userIds: distinct users seen (up to 200)
 *   alert        { lastAt, pending }: alert throttle state shared by every app instance (./alertState.ts)
 *   recentIds    the last report ids counted, so a replayed batch is not counted twice
 *   Indexes: { status, lastSeen }, { status, firstSeen }, { status, count }, { environments, lastSeen }, { releases, lastSeen }.
 *
 * tripwire_broken_links — one document per broken link (404 with a referer), same shape for listing
 *   _id          the fingerprint; url, referer, internal (referer on this host), userAgents (up to 5 samples)
 *   title, status, count, firstSeen, lastSeen, snooze fields, environments, releases, userIds, alert, recentIds as for issues
 *   Indexes: as for issues.
 *
 * Issues and broken links also keep (./documents.ts, ../rules/):
 *   visitorKeys  keyed hashes of anonymous clients' IPs (up to 200), never an IP; the key is in tripwire_meta
 *   resolvedIn, releasesAtResolve, oldReleaseSeen, oldReleaseSeenAt, lastRelease   deploy-aware regressions
 *   snoozedAt, snoozeFor   when a snooze began and its `untilCount`, to say why it ended
 *   grouping, upstream     from the first report; activity: the last 50 entries, oldest first
 *   bd           breakdown counters: 15 day slots { day, total, release: { value: n }, environment, route, browser, host }
 *   A group whose lastSeen is past retentionDays is deleted with its events.
 *
 * tripwire_meta — the store's own state, shared by every instance
 *   { _id: 'visitor-key', key }   the random HMAC key of visitor hashes
 *   { _id: 'new-groups:<kind>:<hour>', count, hour }   new groups opened in that hour (maxNewGroupsPerHour)
 */
import { Schema, type Connection, type Model, type mongo } from 'mongoose';
import type { ActivityEntry, IssueSummary, StoredEventView } from '../../contracts/issueStore';
import type { GroupingInfo } from '../../report/Report';
import type { IssueStatus } from '../../contracts/store';
import type { BreakdownSlot } from '../rules/breakdownCounts';
import { STATUSES } from '../rules/triage';

export { STATUSES };

export interface AlertState {
  lastAt?: Date;
  pending?: number;
}

/** An event as stored: the view the IssueStore gives, keyed by the report id. */
export type EventDoc = Omit<StoredEventView, 'id'> & { _id: string };

/** What issues and broken links share: counting, triage and listing. */
export interface GroupDoc {
  _id: string;
  title: string;
  firstSeen: Date;
  lastSeen: Date;
  count: number;
  lastEventId: string;
  status: IssueStatus;
  resolvedAt?: Date | null;
  regressedAt?: Date | null;
  snoozedUntil?: Date | null;
  snoozedUntilCount?: number | null;
  environments?: string[];
  releases?: string[];
  userIds?: string[];
  alert?: AlertState;
  recentIds?: string[];
  visitorKeys?: string[];
  snoozedAt?: Date | null;
  snoozeFor?: number | null;
  resolvedIn?: string | null;
  releasesAtResolve?: string[];
  oldReleaseSeen?: string | null;
  oldReleaseSeenAt?: Date | null;
  lastRelease?: string | null;
  grouping?: GroupingInfo | null;
  upstream?: IssueSummary['upstream'];
  activity?: ActivityEntry[];
  bd?: Record<string, BreakdownSlot>;
}

export interface MetaDoc {
  _id: string;
  key?: string;
  count?: number;
  hour?: Date;
}

export interface IssueDoc extends GroupDoc {
  type: string;
  message: string;
  culprit: string | null;
}

export interface BrokenLinkDoc extends GroupDoc {
  url: string;
  referer: string;
  internal: boolean;
  userAgents: string[];
}

export interface TripwireModels {
  events: Model<EventDoc>;
  issues: Model<IssueDoc>;
  brokenLinks: Model<BrokenLinkDoc>;
  meta: Model<MetaDoc>;
}

export interface CollectionNames {
  events: string;
  issues: string;
  brokenLinks: string;
  meta: string;
}

// Indexes are created by MongoStore itself, lazily and with failures logged: mongoose's
// autoIndex would run at model creation, when the server may well be unreachable.
const schemaOptions = { versionKey: false, autoIndex: false, autoCreate: false, strict: true } as const;

const alertState = new Schema<AlertState>({ lastAt: Date, pending: Number }, { _id: false });

const eventSchema = new Schema<EventDoc>({
  _id: String,
  fingerprint: { type: String, required: true },
  kind: String,
  timestamp: { type: Date, required: true },
  title: String,
  status: Number,
  error: Schema.Types.Mixed,
  request: Schema.Types.Mixed,
  user: Schema.Types.Mixed,
  environment: String,
  release: String,
  host: String,
  pid: Number,
  occurrences: Number,
}, schemaOptions);

const groupFields = {
  _id: String,
  title: String,
  firstSeen: Date,
  lastSeen: Date,
  count: Number,
  lastEventId: String,
  status: { type: String, enum: STATUSES },
  resolvedAt: Date,
  regressedAt: Date,
  snoozedUntil: Date,
  snoozedUntilCount: Number,
  environments: [String],
  releases: [String],
  userIds: [String],
  alert: alertState,
  recentIds: [String],
  visitorKeys: [String],
  snoozedAt: Date,
  snoozeFor: Number,
  resolvedIn: String,
  releasesAtResolve: [String],
  oldReleaseSeen: String,
  oldReleaseSeenAt: Date,
  lastRelease: String,
  grouping: Schema.Types.Mixed,
  upstream: Schema.Types.Mixed,
  activity: Schema.Types.Mixed,
  bd: Schema.Types.Mixed,
};

const metaSchema = new Schema<MetaDoc>({ _id: String, key: String, count: Number, hour: Date }, schemaOptions);

const issueSchema = new Schema<IssueDoc>({ ...groupFields, type: String, message: String, culprit: String }, schemaOptions);

const brokenLinkSchema = new Schema<BrokenLinkDoc>({
  ...groupFields, url: String, referer: String, internal: Boolean, userAgents: [String],
}, schemaOptions);

/** Models are registered per connection, so two stores on two connections never share one. */
export function tripwireModels(connection: Connection, names: CollectionNames): TripwireModels {
  const model = <T>(name: string, schema: Schema<T>, collection: string): Model<T> =>
    (connection.models[name] as Model<T> | undefined) ?? connection.model<T>(name, schema, collection);
  return {
    events: model(`TripwireEvent:${names.events}`, eventSchema, names.events),
    issues: model(`TripwireIssue:${names.issues}`, issueSchema, names.issues),
    brokenLinks: model(`TripwireBrokenLink:${names.brokenLinks}`, brokenLinkSchema, names.brokenLinks),
    meta: model(`TripwireMeta:${names.meta}`, metaSchema, names.meta),
  };
}

/**
 * The driver's collection behind a model, typed by its documents. Reads and writes go
 * through it rather than the model so the operators are sent exactly as written.
 */
export function rawCollection<T extends { _id: string }>(model: Model<T>): mongo.Collection<T> {
  return model.collection as unknown as mongo.Collection<T>;
}
