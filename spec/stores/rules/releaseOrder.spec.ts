import { expect } from 'chai';
import { isOldRelease } from '../../../lib/stores/rules/releaseOrder';

describe('isOldRelease', () => {
  it('takes a release seen before the resolve as old, whatever its form', () => {
    const state = { resolvedIn: 'def5678', releasesAtResolve: ['abc1234', 'def5678'] };
    expect(isOldRelease('abc1234', state)).to.equal(true);
    expect(isOldRelease('def5678', state)).to.equal(true);
    expect(isOldRelease('9990000', state)).to.equal(false);
  });

  it('takes a semver release older than resolvedIn as old, pre-releases before their release', () => {
    const state = { resolvedIn: '1.4.2', releasesAtResolve: [] };
    const table: Array<[string, boolean]> = [
      ['1.4.1', true], ['1.3.99', true], ['v1.4.1', true], ['1.4.2-rc.1', true], ['0.9.0', true],
      ['1.4.2', false], ['1.4.3', false], ['2.0.0', false], ['1.10.0', false], ['1.4.2+build.7', false],
    ];
    for (const [release, old] of table) expect(isOldRelease(release, state), release).to.equal(old);
    expect(isOldRelease('1.0.0-alpha.2', { resolvedIn: '1.0.0-alpha.10' }), 'numeric identifiers compare as numbers').to.equal(true);
    expect(isOldRelease('1.0.0-alpha', { resolvedIn: '1.0.0-alpha.1' })).to.equal(true);
  });

  it('never takes an occurrence without a release, or any release without a resolve state, as old', () => {
    expect(isOldRelease(null, { resolvedIn: '1.0.0', releasesAtResolve: ['1.0.0'] })).to.equal(false);
    expect(isOldRelease('', { releasesAtResolve: [''] })).to.equal(false);
    expect(isOldRelease('1.0.0', {})).to.equal(false);
    expect(isOldRelease('a'.repeat(10_000), { resolvedIn: '1.0.0' }), 'a long value is no semver').to.equal(false);
  });
});
