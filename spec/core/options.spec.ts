import { expect } from 'chai';
import { checkNonNegativeInteger, checkPositiveInteger, checkUrl, closestName, declaredOptions, defineOptions, definedOnly, rejectUnknownKeys, withDefaults, type OptionsOf } from '../../lib/core/options';

describe('core/options', () => {
  it('definedOnly drops undefined values so they mean the default', () => {
    expect(definedOnly({ a: 1, b: undefined, c: null })).to.deep.equal({ a: 1, c: null });
  });

  it('rejectUnknownKeys names the unknown key and the closest known one', () => {
    expect(() => rejectUnknownKeys('stack()', { formater: {} }, ['formatter', 'errors'])).to.throw(TypeError, /unknown option `formater`; did you mean `formatter`\?/);
    expect(() => rejectUnknownKeys('errors', { windowMS: 1 }, ['windowMs', 'store'])).to.throw(TypeError, /`windowMS`; did you mean `windowMs`/);
    expect(() => rejectUnknownKeys('x', { zzzzzz: 1 }, ['windowMs'])).to.throw(TypeError, /unknown option `zzzzzz` \(known: windowMs\)/);
    expect(() => rejectUnknownKeys('x', { windowMs: 1 }, ['windowMs'])).not.to.throw();
  });

  it('closestName suggests only names near enough to be a typo', () => {
    expect(closestName('notifer', ['notifiers', 'store'])).to.equal('notifiers');
    expect(closestName('banana', ['notifiers', 'store'])).to.equal(null);
  });

  it('checks integers and URLs with messages that name the option', () => {
    expect(() => checkPositiveInteger('D', 'maxQueue', 0)).to.throw(RangeError, /`maxQueue` must be a positive integer/);
    expect(() => checkPositiveInteger('D', 'maxQueue', 1.5)).to.throw(RangeError);
    expect(() => checkPositiveInteger('D', 'maxQueue', 3)).not.to.throw();
    expect(() => checkNonNegativeInteger('D', 'contextLines', -1)).to.throw(RangeError, /`contextLines`/);
    expect(() => checkNonNegativeInteger('D', 'contextLines', 0)).not.to.throw();
    expect(() => checkUrl('S', 'webhookUrl', 'nope')).to.throw(TypeError, /`webhookUrl` must be an absolute URL/);
    expect(() => checkUrl('S', 'webhookUrl', 'ftp://x')).to.throw(TypeError, /http or https URL/);
    expect(checkUrl('S', 'webhookUrl', 'https://hooks.example/x').host).to.equal('hooks.example');
  });

  describe('defineOptions', () => {
    const read = defineOptions('widget', { size: 3, label: 'a', on: true as boolean });

    it('merges the given options over the defaults; undefined means the default', () => {
      expect(read()).to.deep.equal({ size: 3, label: 'a', on: true });
      expect(read({ size: 5, label: undefined })).to.deep.equal({ size: 5, label: 'a', on: true });
      expect(read.keys).to.deep.equal(['size', 'label', 'on']);
    });

    it('refuses a misspelt key, naming the allowed ones, and a non-object', () => {
      expect(() => read({ sise: 1 } as OptionsOf<typeof read.defaults>)).to.throw(TypeError, /widget: unknown option `sise`; did you mean `size`\? \(known: size, label, on\)/);
      expect(() => read(null as never)).to.throw(TypeError, /widget: options must be an object of size, label, on, got null/);
      expect(() => read([] as never)).to.throw(TypeError, /got an array/);
    });

    it('derives the type from the defaults: every key optional, with the default\'s type', () => {
      const given: OptionsOf<typeof read.defaults> = { on: false };
      // @ts-expect-error: a key that is not in the defaults is a type error
      const wrong: OptionsOf<typeof read.defaults> = { colour: 'red' };
      // @ts-expect-error: so is a value of another type
      const mistyped: OptionsOf<typeof read.defaults> = { size: '3' };
      expect(read(given).on).to.equal(false);
      void wrong; void mistyped;
    });
  });
});

describe('declaredOptions', () => {
  const defaults = { windowMs: 1000, store: undefined as object | null | undefined, logger: 'console' };

  it('takes an object whose keys are all declared in the defaults', () => {
    expect(declaredOptions('spec', defaults, { windowMs: 5 })).to.deep.equal({ windowMs: 5 });
    expect(declaredOptions('spec', defaults, { store: null })).to.deep.equal({ store: null });
  });

  it('refuses an undeclared key, naming the closest declared one', () => {
    expect(() => declaredOptions('spec', defaults, { windowMS: 5 })).to.throw(TypeError, /spec: unknown option `windowMS`; did you mean `windowMs`\?/);
  });

  it('refuses what is not an options object', () => {
    for (const bad of [null, 5, 'x', []]) expect(() => declaredOptions('spec', defaults, bad)).to.throw(TypeError, /spec: options must be an object/);
  });

  it('merges over the defaults, an undefined value meaning the default', () => {
    expect(withDefaults(defaults, { windowMs: undefined, store: null })).to.deep.equal({ windowMs: 1000, store: null, logger: 'console' });
  });
});
