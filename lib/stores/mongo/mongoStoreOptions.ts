import type { Connection } from 'mongoose';
import { consoleLogger, isLogger, type Logger } from '../../core/logger';
import { checkPositiveInteger, definedOnly, rejectUnknownKeys } from '../../core/options';
import { isClock, realClock, type Clock } from '../../core/clock';
import type { CollectionNames } from './schemas';

export const mongoStoreDefaults = {
  collections: { events: 'tripwire_events', issues: 'tripwire_issues', brokenLinks: 'tripwire_broken_links', meta: 'tripwire_meta' } as CollectionNames,
  /** How long events are kept, and issues and broken links after they were last seen. */
  retentionDays: 30,
  serverSelectionTimeoutMS: 5000,
  /**
   * A connection the store opened itself (from `uri`) is closed after this long without
   * a save or query, and opened again on the next one, so it never keeps an idle process
   * alive (the driver's sockets and monitors would). Ignored for an app's `connection`.
   */
  idleCloseMs: 5000,
  logger: consoleLogger as Logger,
  /** Time for snoozes, retention and the idle close; the real clock by default. */
  clock: realClock as Clock,
};

/** The ways to a database: give exactly one. */
interface MongoTarget {
  /** A MongoDB URI: the store opens (and closes) a connection of its own. */
  uri?: string;
  /** The app's mongoose connection, reused as it is; the store never closes it. */
  connection?: Connection;
}

export type MongoStoreOptions = MongoTarget & Partial<Omit<typeof mongoStoreDefaults, 'collections'>> & { collections?: Partial<CollectionNames> };

export type MongoStoreSettings = typeof mongoStoreDefaults & MongoTarget;

const WHERE = 'MongoStore';
// The options are the defaults' keys and the two ways to a database.
const KNOWN = ['uri', 'connection', ...Object.keys(mongoStoreDefaults)];

export function mongoStoreSettings(options: MongoStoreOptions): MongoStoreSettings {
  if (options === null || typeof options !== 'object') throw new TypeError(`${WHERE}: options must be an object with \`uri\` or \`connection\``);
  rejectUnknownKeys(WHERE, options, KNOWN);
  const settings = { ...mongoStoreDefaults, ...definedOnly(options) } as MongoStoreSettings;
  const { uri, connection } = settings;
  if ((uri === undefined) === (connection === undefined)) throw new TypeError(`${WHERE}: give exactly one of \`uri\` or \`connection\``);
  if (uri !== undefined && (typeof uri !== 'string' || !/^mongodb(\+srv)?:\/\//.test(uri))) {
    throw new TypeError(`${WHERE}: \`uri\` must be a mongodb:// or mongodb+srv:// URI`);
  }
  if (connection !== undefined && (connection === null || typeof (connection as Connection).model !== 'function')) {
    throw new TypeError(`${WHERE}: \`connection\` must be a mongoose Connection`);
  }
  settings.collections = collectionNames(options.collections);
  if (typeof settings.retentionDays !== 'number' || !Number.isFinite(settings.retentionDays) || settings.retentionDays <= 0) {
    throw new RangeError(`${WHERE}: \`retentionDays\` must be a positive number`);
  }
  checkPositiveInteger(WHERE, 'serverSelectionTimeoutMS', settings.serverSelectionTimeoutMS);
  checkPositiveInteger(WHERE, 'idleCloseMs', settings.idleCloseMs);
  if (!isLogger(settings.logger)) throw new TypeError(`${WHERE}: \`logger\` must have info, warn and error methods`);
  if (!isClock(settings.clock)) throw new TypeError(`${WHERE}: \`clock\` must have now, setTimeout and clearTimeout`);
  return settings;
}

function collectionNames(given: Partial<CollectionNames> | undefined): CollectionNames {
  if (given !== undefined) {
    if (given === null || typeof given !== 'object') throw new TypeError(`${WHERE}: \`collections\` must be an object`);
    rejectUnknownKeys(`${WHERE} collections`, given, Object.keys(mongoStoreDefaults.collections));
  }
  const collections = { ...mongoStoreDefaults.collections, ...definedOnly(given ?? {}) };
  for (const [key, name] of Object.entries(collections)) {
    if (typeof name !== 'string' || name.length === 0 || name.includes('$')) throw new TypeError(`${WHERE}: \`collections.${key}\` must be a non-empty collection name`);
  }
  if (new Set(Object.values(collections)).size !== Object.keys(collections).length) throw new TypeError(`${WHERE}: \`collections\` names must be distinct`);
  return collections;
}
