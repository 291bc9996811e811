/**
 * The three collections MongoStore keeps (names are configurable, these are the defaults).
 *
 * tripwire_events — one document per error occurrence, expired after `retentionDays`
 *   _id          report id (a replayed report is recognised and not stored twice)
 *   fingerprint  groups occurrences of the same bug; equals the issue's _id
 *   kind         'error'
 *   timestamp    when it happened (Date); a TTL index removes it after retentionDays
 *   title, status (HTTP status), error, request, user, environment, release, host, pid
 *   occurrences  how many occurrences this event stands for: 1, or more for the one event
 *                a second that folds those past the delivery's `eventsPerMinute`
 *   Keys inside error/request/user that start with `$` or contain `.` are stored with
 *   full-width look-alikes (＄, ．) and restored by the query helpers.
 *   Indexes: { fingerprint: 1, timestamp: -1 }, TTL { timestamp: 1 }.
 *
 * tripwire_issues — one document per fingerprint (a bug), kept until deleted by hand
 *   _id          the fingerprint
 *   title, type, message   from the first occurrence
 *   culprit      top in-app frame, "function (file:line)"
 *   firstSeen, lastSeen, count, lastEventId
 *   status       'open' | 'resolved'; resolvedAt, regressedAt (set when it recurs after resolve)
 *   alert        { lastAt, pending }: alert throttle state shared by every app instance
 *   recentIds    the last report ids counted, so a replayed batch is not counted twice
 *   Index: { status: 1, lastSeen: -1 }.
 *
 * tripwire_broken_links — one document per broken link (404 with a referer)
 *   _id          the fingerprint; url, referer, internal (referer on this host)
 *   count, firstSeen, lastSeen, userAgents (up to 5 distinct samples)
 *   alert, recentIds   as for issues
 */
import { Schema, type Connection, type Model, type mongo } from 'mongoose';

export interface AlertState {
  lastAt?: Date;
  pending?: number;
}

export interface EventDoc {
  _id: string;
  fingerprint: string;
  kind: string;
  timestamp: Date;
  title: string;
  status: number;
  error: unknown;
  request: unknown;
  user: unknown;
  environment: string;
  release: string | null;
  host: string;
  pid: number;
  occurrences: number;
}

export interface IssueDoc {
  _id: string;
  title: string;
  type: string;
  message: string;
  culprit: string | null;
  firstSeen: Date;
  lastSeen: Date;
  count: number;
  lastEventId: string;
  status: 'open' | 'resolved';
  resolvedAt?: Date | null;
  regressedAt?: Date | null;
  alert?: AlertState;
  recentIds?: string[];
}

export interface BrokenLinkDoc {
  _id: string;
  url: string;
  referer: string;
  internal: boolean;
  count: number;
  firstSeen: Date;
  lastSeen: Date;
  userAgents: string[];
  lastEventId: string;
  alert?: AlertState;
  recentIds?: string[];
}

export interface TripwireModels {
  events: Model<EventDoc>;
  issues: Model<IssueDoc>;
  brokenLinks: Model<BrokenLinkDoc>;
}

export interface CollectionNames {
  events: string;
  issues: string;
  brokenLinks: string;
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

const issueSchema = new Schema<IssueDoc>({
  _id: String,
  title: String,
  type: String,
  message: String,
  culprit: String,
  firstSeen: Date,
  lastSeen: Date,
  count: Number,
  lastEventId: String,
  status: { type: String, enum: ['open', 'resolved'] },
  resolvedAt: Date,
  regressedAt: Date,
  alert: alertState,
  recentIds: [String],
}, schemaOptions);

const brokenLinkSchema = new Schema<BrokenLinkDoc>({
  _id: String,
  url: String,
  referer: String,
  internal: Boolean,
  count: Number,
  firstSeen: Date,
  lastSeen: Date,
  userAgents: [String],
  lastEventId: String,
  alert: alertState,
  recentIds: [String],
}, schemaOptions);

/** Models are registered per connection, so two stores on two connections never share one. */
export function tripwireModels(connection: Connection, names: CollectionNames): TripwireModels {
  const model = <T>(name: string, schema: Schema<T>, collection: string): Model<T> =>
    (connection.models[name] as Model<T> | undefined) ?? connection.model<T>(name, schema, collection);
  return {
    events: model(`TripwireEvent:${names.events}`, eventSchema, names.events),
    issues: model(`TripwireIssue:${names.issues}`, issueSchema, names.issues),
    brokenLinks: model(`TripwireBrokenLink:${names.brokenLinks}`, brokenLinkSchema, names.brokenLinks),
  };
}

/**
 * The driver's collection behind a model, typed by its documents. Writes go through it
 * rather than the model so the update operators are sent exactly as written.
 */
export function rawCollection<T extends { _id: string }>(model: Model<T>): mongo.Collection<T> {
  return model.collection as unknown as mongo.Collection<T>;
}
