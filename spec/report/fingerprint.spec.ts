import { expect } from 'chai';
import { createHash } from 'node:crypto';
import type { StackFrame } from '../../lib/report/Report';
import {
  asFingerprintOverride,
  brokenLinkFingerprint,
  errorFingerprint,
  overrideFingerprint,
} from '../../lib/report/fingerprint';
import { errorInfo } from '../../lib/report/errorInfo';
import { defaultLimits } from '../../lib/report/reportOptions';

const sha1 = (text: string) => createHash('sha1').update(text).digest('hex');
const fingerprintOf = (err: unknown) => errorFingerprint(errorInfo(err, defaultLimits));

function loadNote(id: string): never {
  throw new Error(`note ${id} not found`);
}

function saveNote(id: string): never {
  throw new Error(`note ${id} not found`);
}

function capture(work: () => void): unknown {
  try {
    work();
  } catch (err) {
    return err;
  }
  throw new Error('expected a throw');
}

describe('errorFingerprint', () => {
  it('is a sha1 hex digest', () => {
    expect(fingerprintOf(new Error('x'))).to.match(/^[0-9a-f]{40}$/);
  });

  it('is stable for one throw site across messages and ids', () => {
    const prints = ['42', '507f1f77bcf86cd799439011', 'other text'].map((id) => fingerprintOf(capture(() => loadNote(id))));
    expect(new Set(prints).size).to.equal(1);
  });

  it('differs between throw sites', () => {
    expect(fingerprintOf(capture(() => loadNote('1')))).not.to.equal(fingerprintOf(capture(() => saveNote('1'))));
  });

  it('differs between error types at one site', () => {
    const frames: StackFrame[] = [{ file: '/app/a.js', line: 1, column: 1, function: 'f', inApp: true }];
    expect(errorFingerprint({ type: 'TypeError', message: '', frames })).not.to.equal(
      errorFingerprint({ type: 'RangeError', message: '', frames }),
    );
  });

  it('ignores line and column numbers of named functions, so edits above the throw site keep the group', () => {
    const at = (line: number): StackFrame[] => [{ file: `${process.cwd()}/lib/a.js`, line, column: line, function: 'f', inApp: true }];
    expect(errorFingerprint({ type: 'Error', message: 'a', frames: at(10) })).to.equal(
      errorFingerprint({ type: 'Error', message: 'b', frames: at(99) }),
    );
  });

  it('keeps the line of anonymous frames, so two arrow-function route handlers in one file are two groups', () => {
    const first = capture(() => { throw new Error('boom'); });
    const second = capture(() => { throw new Error('boom'); });
    expect(fingerprintOf(first)).not.to.equal(fingerprintOf(second));
    const frame = (line: number): StackFrame => ({ file: `${process.cwd()}/routes.js`, line, column: 3, function: null, inApp: true });
    const moved = (line: number) => errorFingerprint({ type: 'Error', message: 'x', frames: [frame(line)] });
    expect(moved(10)).not.to.equal(moved(20));
  });

  it('keys frames by the app-relative file the parse gives, so checkouts in different places agree', () => {
    const frames = (root: string): StackFrame[] => [{ file: `${root}lib/a.js`, line: 1, column: 1, function: 'f', inApp: true }];
    expect(errorFingerprint({ type: 'Error', message: '', frames: frames('') })).to.equal(sha1('Error\nlib/a.js f'));
    expect(errorFingerprint({ type: 'Error', message: '', frames: frames('/srv/two/') })).not.to.equal(sha1('Error\nlib/a.js f'));
  });

  it('ignores frames outside the app and collapses recursion', () => {
    const app: StackFrame = { file: '/app/a.js', line: 1, column: 1, function: 'walk', inApp: true };
    const lib: StackFrame = { file: '/app/node_modules/x.js', line: 1, column: 1, function: 'lib', inApp: false };
    expect(errorFingerprint({ type: 'Error', message: '', frames: [app, lib] })).to.equal(
      errorFingerprint({ type: 'Error', message: '', frames: [app, app, app] }),
    );
  });

  it('falls back to type and normalised message without in-app frames', () => {
    expect(fingerprintOf('user 42 not found')).to.equal(fingerprintOf('user 43 not found'));
    expect(fingerprintOf('user 42 not found')).not.to.equal(fingerprintOf('team 42 not found'));
    expect(fingerprintOf('user 42 not found')).not.to.equal(fingerprintOf({ message: 'user 42 not found' }));
  });

  it('cuts the values the request carried from a message it groups by', () => {
    const of = (message: string, values: string[]) => errorFingerprint({ type: 'Error', message, frames: [] }, values);
    expect(of('invalid input syntax for type uuid: "alpha"', ['/items/alpha', 'alpha'])).to.equal(of('invalid input syntax for type uuid: "beta"', ['/items/beta', 'beta']));
    expect(of('invalid input syntax for type uuid: "alpha"', [])).not.to.equal(of('invalid input syntax for type uuid: "beta"', []));
  });
});

describe('fingerprint overrides', () => {
  it('hashes a string or the parts of an array', () => {
    expect(overrideFingerprint('payments')).to.equal(sha1('payments'));
    expect(overrideFingerprint(['payments', 'stripe'])).to.equal(sha1('payments\nstripe'));
  });

  it('accepts only non-empty strings and string arrays', () => {
    expect(asFingerprintOverride('a')).to.equal('a');
    expect(asFingerprintOverride(['a', 'b'])).to.deep.equal(['a', 'b']);
    for (const bad of ['', [], [1], 3, null, undefined, {}]) expect(asFingerprintOverride(bad)).to.equal(null);
  });
});

describe('brokenLinkFingerprint', () => {
  it('is sha1 of "url\\nreferer"', () => {
    expect(brokenLinkFingerprint('/old', 'https://example.com/')).to.equal(sha1('/old\nhttps://example.com/'));
  });
});
