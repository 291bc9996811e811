import { checkPositiveInteger, definedOnly, rejectUnknownKeys } from '../../core/options';
import { isClock, realClock, type Clock } from '../../core/clock';

/**
 * MemoryStore's bounds. Past a cap, the group seen least recently goes first (with its
 * events), then the oldest events: memory stays bounded whatever the app is sent.
 */
export const memoryStoreDefaults = {
  /** Groups kept per kind (issues, broken links). */
  maxIssues: 1000,
  /** Events kept per issue, the newest. */
  maxEventsPerIssue: 50,
  /** Events kept in all. */
  maxEvents: 5000,
  /** Bytes of events kept in all (JSON size), so 5,000 large reports cannot take gigabytes. */
  maxEventBytes: 64 * 1024 * 1024,
  /** Groups not seen for this long go, with their events; events older than this go too. */
  retentionDays: 30,
  /** Time for snoozes, retention and histograms; the real clock by default. */
  clock: realClock as Clock,
};

export type MemoryStoreSettings = typeof memoryStoreDefaults;
export type MemoryStoreOptions = Partial<MemoryStoreSettings>;

const WHERE = 'MemoryStore';

export function memoryStoreSettings(options: MemoryStoreOptions | undefined): MemoryStoreSettings {
  if (options === undefined) return { ...memoryStoreDefaults };
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new TypeError(`${WHERE}: options must be an object (or left out for the defaults)`);
  }
  rejectUnknownKeys(WHERE, options, Object.keys(memoryStoreDefaults));
  const settings = { ...memoryStoreDefaults, ...definedOnly(options) };
  for (const key of ['maxIssues', 'maxEventsPerIssue', 'maxEvents', 'maxEventBytes'] as const) checkPositiveInteger(WHERE, key, settings[key]);
  if (typeof settings.retentionDays !== 'number' || !Number.isFinite(settings.retentionDays) || settings.retentionDays <= 0) {
    throw new RangeError(`${WHERE}: \`retentionDays\` must be a positive number of days`);
  }
  if (!isClock(settings.clock)) throw new TypeError(`${WHERE}: \`clock\` must have now, setTimeout and clearTimeout (or leave it out for the real clock)`);
  return settings;
}
