import { expect } from 'chai';
import path from 'node:path';
import { deliveryDefaults, deliverySettings, type DeliveryOptions } from '../../lib/delivery/deliveryOptions';
import { silentLogger } from '../../lib/core/logger';
import type { Report } from '../../lib/report/Report';
import { FakeClock } from '../support/fakeClock';
import { RecordingNotifier } from '../support/recordingNotifier';
import { SpecStore } from '../support/specStore';

/** Bad values of one option, the error they must raise, and the fix its message must state. */
const refusals: Array<{ option: string; values: unknown[]; type: typeof TypeError | typeof RangeError; fix: RegExp }> = [
  { option: 'name', values: ['', '.', '..', 'a/b', 'two words', 7], type: TypeError, fix: /^Delivery: `name` must be letters, digits, "\.", "_" or "-"$/ },
  { option: 'store', values: [{}, { save: 'yes' }, 'mongodb://localhost/app'], type: TypeError, fix: /^Delivery: `store` must be a Store \(with save\(\)\) or null$/ },
  { option: 'notifiers', values: [new RecordingNotifier(), [null], [{ notify: true }]], type: TypeError, fix: /^Delivery: `notifiers` must be an array of Notifiers \(with notify\(\)\)$/ },
  { option: 'eventsPerMinute', values: [0, 1.5, '100'], type: RangeError, fix: /^Delivery: `eventsPerMinute` must be a positive integer, or null to store every occurrence$/ },
  { option: 'windowMs', values: [0, 1.5, '60000', null, {}, { error: 60_000, 'broken-link': 0 }, { error: '60000' }, [], [60_000], [60_000, 60_000]], type: RangeError, fix: /^Delivery: `windowMs` must be a positive integer \(ms; default 600000 for errors, 86400000 for broken links\), or \{ error, 'broken-link' \} of them$/ },
  ...['maxQueue', 'batchSize', 'outboxMaxBytes', 'saveTimeoutMs', 'notifyTimeoutMs', 'enrichTimeoutMs'].map((option) => (
    { option, values: [0, -1, 2.5, '100', Infinity, NaN, null], type: RangeError, fix: new RegExp(`^Delivery: \`${option}\` must be a positive integer$`) }
  )),
  {
    option: 'maxNewGroupsPerHour',
    values: [0, 1.5, '500', null, {}, [], { error: 0, 'broken-link': 500 }, { 'broken-link': -1 }],
    type: RangeError,
    fix: /^Delivery: `maxNewGroupsPerHour` must be a positive integer \(new groups a kind may open per hour before the rest is counted in its overflow group; default 500 for errors, 500 for broken links\), or \{ error, 'broken-link' \} of them$/,
  },
  { option: 'maxClockSkewMs', values: [-1, 0.5, '0'], type: RangeError, fix: /^Delivery: `maxClockSkewMs` must be an integer of 0 or more$/ },
  // null is refused like every other option's, not taken for the defaults.
  { option: 'retry', values: ['fast', 200, null, [], [200, 30_000]], type: TypeError, fix: /^Delivery: `retry` must be an object \(\{ baseMs, maxMs \}\), or left out for the defaults$/ },
  { option: 'outboxDir', values: ['', 42], type: TypeError, fix: /^Delivery: `outboxDir` must be a directory path or null$/ },
  { option: 'enrich', values: ['yes', {}], type: TypeError, fix: /^Delivery: `enrich` must be a function \(report\) => report, or null$/ },
  { option: 'logger', values: [null, { info() {}, warn() {} }], type: TypeError, fix: /^Delivery: `logger` must have info, warn and error methods$/ },
  { option: 'clock', values: [null, { now: () => 0 }, Date], type: TypeError, fix: /^Delivery: `clock` must have now, setTimeout and clearTimeout/ },
];

function refusal(options: unknown): Error {
  try {
    deliverySettings(options as DeliveryOptions);
  } catch (err) {
    return err as Error;
  }
  throw new Error(`accepted ${JSON.stringify(options)}`);
}

describe('deliveryOptions', () => {
  it('with no options, takes every default and puts the outbox in .tripwire-outbox under the working directory', () => {
    expect(deliverySettings({})).to.deep.equal({ ...deliveryDefaults, outboxDir: path.join(process.cwd(), '.tripwire-outbox') });
  });

  it('takes an undefined value, at the top or in retry, as the default, as if the key were left out', () => {
    const given: DeliveryOptions = { name: undefined, batchSize: undefined, logger: undefined, clock: undefined, retry: { baseMs: undefined, maxMs: 500 } };
    expect(deliverySettings(given)).to.deep.equal({ ...deliverySettings({}), retry: { baseMs: 200, maxMs: 500 } });
  });

  it('keeps what it is given: a per-kind window, eventsPerMinute null, a clock skew of 0, the outbox folder as it is, the app\'s parts', () => {
    const store = new SpecStore();
    const notifiers = [new RecordingNotifier()];
    const clock = new FakeClock();
    const enrich = (report: Report) => report;
    const given: DeliveryOptions = {
      name: 'orders.api_v2-eu', store, notifiers, windowMs: { error: 60_000, 'broken-link': 86_400_000 }, eventsPerMinute: null,
      maxClockSkewMs: 0, outboxDir: 'var/outbox', enrich, logger: silentLogger, clock, retry: { baseMs: 1, maxMs: 1 },
    };
    expect(deliverySettings(given)).to.deep.equal({ ...deliveryDefaults, ...given });
  });

  it('takes a per-kind windowMs naming one kind as that kind\'s window, the other kind keeping its default', () => {
    const otherwise = deliveryDefaults.windowMs;
    expect(otherwise).to.deep.equal({ error: 10 * 60_000, 'broken-link': 24 * 60 * 60_000 });
    expect(deliverySettings({ windowMs: { error: 1000 } }).windowMs).to.deep.equal({ error: 1000, 'broken-link': otherwise['broken-link'] });
    expect(deliverySettings({ windowMs: { 'broken-link': 86_400_000 } }).windowMs).to.deep.equal({ error: otherwise.error, 'broken-link': 86_400_000 });
    // undefined means the default here too.
    expect(deliverySettings({ windowMs: { error: undefined, 'broken-link': 5000 } }).windowMs).to.deep.equal({ error: otherwise.error, 'broken-link': 5000 });
  });

  it('reads windowMs and maxNewGroupsPerHour alike: one number is both kinds\' value, a kind left out keeps its default', () => {
    const both = deliverySettings({ windowMs: 5000, maxNewGroupsPerHour: 20 });
    expect(both.windowMs).to.deep.equal({ error: 5000, 'broken-link': 5000 });
    expect(both.maxNewGroupsPerHour).to.deep.equal({ error: 20, 'broken-link': 20 });
    expect(deliverySettings({ maxNewGroupsPerHour: { 'broken-link': 7 } }).maxNewGroupsPerHour).to.deep.equal({ error: 500, 'broken-link': 7 });
    expect(deliverySettings({}).maxNewGroupsPerHour).to.deep.equal({ error: 500, 'broken-link': 500 });
    expect(refusal({ maxNewGroupsPerHour: { errors: 5 } }).message).to.equal('Delivery maxNewGroupsPerHour: unknown option `errors`; did you mean `error`? (known: error, broken-link)');
  });

  it('refuses a per-kind windowMs with a key that is not a kind, naming the kinds; a typo gets its correction', () => {
    expect(refusal({ windowMs: { error: 1000, warning: 5000 } })).to.be.instanceOf(TypeError)
      .and.have.property('message', 'Delivery windowMs: unknown option `warning` (known: error, broken-link)');
    expect(refusal({ windowMs: { error: 1000, brokenLink: 5000 } }).message).to.equal('Delivery windowMs: unknown option `brokenLink`; did you mean `broken-link`? (known: error, broken-link)');
  });

  it('takes either retry key alone and the other from its default, checking the pair as merged', () => {
    expect(deliverySettings({ retry: { baseMs: 50 } }).retry).to.deep.equal({ baseMs: 50, maxMs: deliveryDefaults.retry.maxMs });
    expect(deliverySettings({ retry: { maxMs: 60_000 } }).retry).to.deep.equal({ baseMs: deliveryDefaults.retry.baseMs, maxMs: 60_000 });
    // A maxMs fine on its own but under the default baseMs names the pair.
    expect(refusal({ retry: { maxMs: 100 } })).to.be.instanceOf(RangeError).and.have.property('message', 'Delivery: `retry.maxMs` must be at least `retry.baseMs`');
    for (const retry of [{ baseMs: 0 }, { baseMs: NaN }, { baseMs: Infinity, maxMs: Infinity }]) {
      expect(refusal({ retry })).to.be.instanceOf(RangeError).and.have.property('message', 'Delivery: `retry.baseMs` must be at least 1');
    }
    expect(refusal({ retry: { baseMs: 500, maxMs: 499 } }).message).to.equal('Delivery: `retry.maxMs` must be at least `retry.baseMs`');
  });

  it('refuses options that are not an object, an array among them', () => {
    for (const options of [null, undefined, 'fast', 42, [], [{ batchSize: 10 }]]) {
      expect(refusal(options)).to.be.instanceOf(TypeError).and.have.property('message', 'Delivery: options must be an object');
    }
  });

  it('refuses an unknown key, at the top or in retry, naming it and listing the known ones; a typo gets its correction', () => {
    const known = Object.keys(deliveryDefaults).join(', ');
    expect(refusal({ colour: 'red' })).to.be.instanceOf(TypeError).and.have.property('message', `Delivery: unknown option \`colour\` (known: ${known})`);
    expect(refusal({ maxqueue: 10 }).message).to.equal(`Delivery: unknown option \`maxqueue\`; did you mean \`maxQueue\`? (known: ${known})`);
    expect(refusal({ retry: { jitter: true } }).message).to.equal('Delivery retry: unknown option `jitter` (known: baseMs, maxMs)');
    // Checked before any value: a typo is not hidden behind another option's error.
    expect(refusal({ batchSize: 0, outboxdir: '/tmp' }).message).to.match(/unknown option `outboxdir`; did you mean `outboxDir`/);
  });

  for (const { option, values, type, fix } of refusals) {
    it(`refuses a bad \`${option}\` with a ${type.name} that states the fix`, () => {
      for (const value of values) {
        const err = refusal({ [option]: value });
        expect(err, `${option}: ${String(value)}`).to.be.instanceOf(type);
        expect(err.message, `${option}: ${String(value)}`).to.match(fix);
      }
    });
  }
});
