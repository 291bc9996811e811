// How MemoryStore reads its options; what the caps then do is in MemoryStore.spec.ts.
import { expect } from 'chai';
import { memoryStoreDefaults, memoryStoreSettings, type MemoryStoreOptions } from '../../../lib/stores/memory/memoryOptions';
import { realClock } from '../../../lib/core/clock';
import { FakeClock } from '../../support/fakeClock';

const read = (options: unknown) => () => memoryStoreSettings(options as MemoryStoreOptions);
const CAPS = ['maxIssues', 'maxEventsPerIssue', 'maxEvents', 'maxEventBytes'] as const;

describe('memoryOptions', () => {
  describe('defaults', () => {
    it('gives the defaults for no options, an empty object, or options given as undefined', () => {
      expect(memoryStoreSettings(undefined)).to.deep.equal(memoryStoreDefaults);
      expect(memoryStoreSettings({})).to.deep.equal(memoryStoreDefaults);
      expect(memoryStoreSettings({ maxIssues: undefined, clock: undefined })).to.deep.equal(memoryStoreDefaults);
      expect(memoryStoreSettings(undefined).clock).to.equal(realClock);
    });

    it('keeps what is given over the defaults, option by option', () => {
      const clock = new FakeClock();
      expect(memoryStoreSettings({ maxEvents: 10, retentionDays: 0.25, clock })).to.deep.equal({ ...memoryStoreDefaults, maxEvents: 10, retentionDays: 0.25, clock });
    });

    it('hands each store settings of its own: changing them changes neither the defaults nor the next store\'s', () => {
      const first = memoryStoreSettings(undefined);
      first.maxIssues = 1;
      const given = { maxEvents: 7 };
      memoryStoreSettings(given).maxEvents = 8;
      expect(memoryStoreDefaults.maxIssues).to.equal(1000);
      expect(memoryStoreSettings(undefined).maxIssues).to.equal(1000);
      expect(given.maxEvents).to.equal(7);
    });
  });

  describe('what it refuses, naming the fix', () => {
    it('options that are not an object, saying they may be left out', () => {
      for (const bad of [null, 'big', 1000, [], [1000]]) {
        expect(read(bad), JSON.stringify(bad)).to.throw(TypeError, /^MemoryStore: options must be an object \(or left out for the defaults\)$/);
      }
    });

    it('each cap unless a positive integer, with a RangeError naming the cap', () => {
      for (const key of CAPS) {
        expect(memoryStoreSettings({ [key]: 1 })).to.have.property(key, 1);
        for (const bad of [0, -1, 1.5, '10', Number.NaN, Infinity, null]) {
          expect(read({ [key]: bad }), `${key}: ${String(bad)}`).to.throw(RangeError, new RegExp(`^MemoryStore: \`${key}\` must be a positive integer$`));
        }
      }
    });

    it('retentionDays unless a positive finite number of days (fractions are fine)', () => {
      expect(memoryStoreSettings({ retentionDays: 1 / 24 }).retentionDays).to.equal(1 / 24);
      for (const bad of [0, -1, Number.NaN, Infinity, '30', null]) {
        expect(read({ retentionDays: bad }), String(bad)).to.throw(RangeError, /^MemoryStore: `retentionDays` must be a positive number of days$/);
      }
    });

    it('a clock missing now, setTimeout or clearTimeout, saying the real clock is the default', () => {
      for (const bad of [null, {}, { now: () => 0, setTimeout: () => 0 }, Date]) {
        expect(read({ clock: bad }), String(bad)).to.throw(TypeError, /^MemoryStore: `clock` must have now, setTimeout and clearTimeout \(or leave it out for the real clock\)$/);
      }
    });

    it('an unknown key, naming the option meant, or listing the known ones when none is close', () => {
      expect(read({ maxEventsPerGroup: 5 })).to.throw(TypeError, /^MemoryStore: unknown option `maxEventsPerGroup`; did you mean `maxEventsPerIssue`\?/);
      expect(read({ retentiondays: 5 })).to.throw(TypeError, /did you mean `retentionDays`\?/);
      expect(read({ uri: 'mongodb://127.0.0.1/app' })).to.throw(TypeError,
        /^MemoryStore: unknown option `uri` \(known: maxIssues, maxEventsPerIssue, maxEvents, maxEventBytes, retentionDays, clock\)$/);
    });

    it('an unknown key before judging the values of the known ones', () => {
      expect(read({ maxIssues: 0, maxIssue: 10 })).to.throw(TypeError, /unknown option `maxIssue`; did you mean `maxIssues`\?/);
    });
  });
});
