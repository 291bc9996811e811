import { expect } from 'chai';
import { declaredOptions, withDefaults } from '../../lib/middleware/declaredOptions';

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
