// Delivery's options, declared once with their defaults, and checked at construction:
// a misconfiguration is a TypeError/RangeError naming the option, never a silent default.
import path from 'node:path';
import type { Enrich } from './enrichment';
import type { Logger } from '../core/logger';
import type { BackoffOptions } from '../core/backoff';
import type { Notifier } from '../contracts/notifier';
import type { Store } from '../contracts/store';
import { REPORT_KINDS, type PerKind, type ReportKind } from '../report/Report';
import { consoleLogger, isLogger } from '../core/logger';
import { isClock, realClock, type Clock } from '../core/clock';
import { checkNonNegativeInteger, checkPositiveInteger, definedOnly, rejectUnknownKeys } from '../core/options';

export const deliveryDefaults = {
  /** Names the delivery in log lines. */
  name: 'tripwire',
  /** Null: reports only go to notifiers, and groups are counted in memory. */
  store: null as Store | null,
  notifiers: [] as Notifier[],
  /**
   * Alert throttle window: one alert per group, then one digest per window; one for both
   * kinds or one per kind, a kind left out keeping its default.
   */
  windowMs: { error: 10 * 60_000, 'broken-link': 24 * 60 * 60_000 } as Record<ReportKind, number>,
  /**
   * Full events stored per group per minute (the minute opens at the group's first
   * event); further occurrences are counted and folded into one report per group per
   * second. Null stores every occurrence.
   */
  eventsPerMinute: 100 as number | null,
  maxQueue: 1000,
  batchSize: 100,
  /** Null: `<cwd>/.tripwire-outbox`, one folder for both kinds. Reports the store refuses for good go to its `dead/` folder. */
  outboxDir: null as string | null,
  outboxMaxBytes: 100 * 1024 * 1024,
  /**
   * A save that neither succeeds nor fails within this is treated as failed and its
   * batch parked, so a store hung on a half-open connection cannot stall delivery.
   */
  saveTimeoutMs: 30_000,
  /** A notifier call not settled within this counts as failed; flush() waits no longer for it. */
  notifyTimeoutMs: 30_000,
  /** Backoff of the outbox replay: either key may be left out. */
  retry: { baseMs: 200, maxMs: 30_000 } as Partial<BackoffOptions>,
  /**
   * Adds to a report before it is saved (source context, say), in the worker, off the
   * request path. A throw, a rejection or a call slower than `enrichTimeoutMs` is logged
   * and the report is saved as it was.
   */
  enrich: null as Enrich | null,
  enrichTimeoutMs: 5_000,
  /**
   * New groups each kind may open per hour, passed to the store with every save
   * (`SavePolicy`): past it, the store counts occurrences of new fingerprints in one
   * overflow group per kind. One for both kinds or one per kind, as `windowMs`.
   */
  maxNewGroupsPerHour: { error: 500, 'broken-link': 500 } as Record<ReportKind, number>,
  /** A report dated later than the store's now plus this is stored as of now. */
  maxClockSkewMs: 5 * 60_000,
  logger: consoleLogger as Logger,
  /** Time for windows, rate limits, deadlines and backoff; its timers never keep the process alive. */
  clock: realClock as Clock,
};

export type DeliveryOptions = Partial<Omit<typeof deliveryDefaults, 'windowMs' | 'maxNewGroupsPerHour'>> & { windowMs?: PerKind<number>; maxNewGroupsPerHour?: PerKind<number> };

export type DeliverySettings = Omit<typeof deliveryDefaults, 'retry' | 'outboxDir'> & { retry: BackoffOptions; outboxDir: string };

const WHERE = 'Delivery';

export function deliverySettings(options: DeliveryOptions): DeliverySettings {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) throw new TypeError('Delivery: options must be an object');
  rejectUnknownKeys(WHERE, options, Object.keys(deliveryDefaults));
  // Left out or undefined: the defaults. Null is refused, not read as the defaults, as for every option without a null setting.
  const retryInput = options.retry === undefined ? {} : options.retry;
  if (retryInput === null || typeof retryInput !== 'object' || Array.isArray(retryInput)) {
    throw new TypeError('Delivery: `retry` must be an object ({ baseMs, maxMs }), or left out for the defaults');
  }
  rejectUnknownKeys(`${WHERE} retry`, retryInput, Object.keys(deliveryDefaults.retry));
  const settings = { ...deliveryDefaults, ...definedOnly(options), retry: { ...deliveryDefaults.retry, ...definedOnly(retryInput) } as BackoffOptions };
  const { name, store, notifiers, retry } = settings;
  if (typeof name !== 'string' || !/^[\w.-]+$/.test(name) || name === '.' || name === '..') {
    throw new TypeError('Delivery: `name` must be letters, digits, ".", "_" or "-"');
  }
  if (store !== null && (typeof store !== 'object' || typeof store.save !== 'function')) {
    throw new TypeError('Delivery: `store` must be a Store (with save()) or null');
  }
  if (!Array.isArray(notifiers) || notifiers.some((n) => !n || typeof n.notify !== 'function')) {
    throw new TypeError('Delivery: `notifiers` must be an array of Notifiers (with notify())');
  }
  if (settings.eventsPerMinute !== null && (!Number.isInteger(settings.eventsPerMinute) || settings.eventsPerMinute < 1)) {
    throw new RangeError('Delivery: `eventsPerMinute` must be a positive integer, or null to store every occurrence');
  }
  const windowMs = perKindSetting(WHERE, 'windowMs', settings.windowMs);
  const maxNewGroupsPerHour = perKindSetting(WHERE, 'maxNewGroupsPerHour', settings.maxNewGroupsPerHour);
  for (const key of ['maxQueue', 'batchSize', 'outboxMaxBytes', 'saveTimeoutMs', 'notifyTimeoutMs', 'enrichTimeoutMs'] as const) {
    checkPositiveInteger(WHERE, key, settings[key]);
  }
  checkNonNegativeInteger(WHERE, 'maxClockSkewMs', settings.maxClockSkewMs);
  if (!Number.isFinite(retry.baseMs) || retry.baseMs < 1) throw new RangeError('Delivery: `retry.baseMs` must be at least 1');
  if (!Number.isFinite(retry.maxMs) || retry.maxMs < retry.baseMs) throw new RangeError('Delivery: `retry.maxMs` must be at least `retry.baseMs`');
  if (settings.outboxDir !== null && (typeof settings.outboxDir !== 'string' || settings.outboxDir === '')) {
    throw new TypeError('Delivery: `outboxDir` must be a directory path or null');
  }
  if (settings.enrich !== null && typeof settings.enrich !== 'function') {
    throw new TypeError('Delivery: `enrich` must be a function (report) => report, or null');
  }
  if (!isLogger(settings.logger)) throw new TypeError('Delivery: `logger` must have info, warn and error methods');
  if (!isClock(settings.clock)) throw new TypeError('Delivery: `clock` must have now, setTimeout and clearTimeout (or leave it out for the real clock)');
  const outboxDir = settings.outboxDir ?? path.join(process.cwd(), '.tripwire-outbox');
  return { ...settings, windowMs, maxNewGroupsPerHour, outboxDir };
}

const PER_KIND_MEANING = {
  windowMs: 'ms',
  maxNewGroupsPerHour: 'new groups a kind may open per hour before the rest is counted in its overflow group',
};

/**
 * A positive-integer setting per kind of report (`windowMs`, `maxNewGroupsPerHour`): one
 * number for both kinds, or { error, 'broken-link' } with a kind left out keeping its
 * default. createClient and Delivery both read them here, so they take the same forms and
 * refuse the rest with the same fix.
 */
export function perKindSetting(where: string, name: keyof typeof PER_KIND_MEANING, given: unknown): Record<ReportKind, number> {
  const defaults = deliveryDefaults[name];
  const fix = `${where}: \`${name}\` must be a positive integer (${PER_KIND_MEANING[name]}; default ${defaults.error} for errors, ${defaults['broken-link']} for broken links), or { error, 'broken-link' } of them`;
  const isValid = (value: unknown) => Number.isInteger(value) && (value as number) >= 1;
  if (given === undefined) return { ...defaults };
  if (typeof given === 'number') {
    if (!isValid(given)) throw new RangeError(fix);
    return { error: given, 'broken-link': given };
  }
  if (given === null || typeof given !== 'object' || Array.isArray(given) || Object.keys(given).length === 0) throw new RangeError(fix);
  rejectUnknownKeys(`${where} ${name}`, given, REPORT_KINDS);
  const values: Record<ReportKind, number> = { ...defaults, ...definedOnly(given) };
  if (!REPORT_KINDS.every((kind) => isValid(values[kind]))) throw new RangeError(fix);
  return values;
}
