import { expect } from 'chai';
import { checkSecretPatterns, DEFAULT_SECRET_PATTERNS, maskSecretShapes, passesLuhn } from '../../../lib/report/scrub/secretShapes';

const S = '[Filtered]';
const mask = (text: string) => maskSecretShapes(text, DEFAULT_SECRET_PATTERNS, S);

describe('secretShapes', () => {
  it('masks secrets by their shape wherever they sit in a text', () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U';
    expect(mask(`token ${jwt} expired`)).to.equal(`token ${S} expired`);
    expect(mask('key AKIAIOSFODNN7EXAMPLE used')).to.equal(`key ${S} used`);
    expect(mask(`x ghp_${'a'.repeat(36)} y`)).to.equal(`x ${S} y`);
    expect(mask('slack xoxb-1234567890-abcdef')).to.equal(`slack ${S}`);
    expect(mask(`sk_live_${'b'.repeat(24)}`)).to.equal(S);
    // A masked block keeps its line breaks, so text read line by line (source context) stays aligned.
    expect(mask(`-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY----- after`)).to.equal(`${S}\n\n after`);
  });

  it('masks card numbers that pass Luhn, and keeps timestamps and other digits', () => {
    expect(mask('card 4111 1111 1111 1111 declined')).to.equal(`card ${S} declined`);
    expect(mask('card 4111-1111-1111-1112')).to.equal('card 4111-1111-1111-1112');
    const timestamp = '1764630000000';
    expect(mask(`at ${timestamp}`), 'a millisecond timestamp starts with 1').to.equal(`at ${timestamp}`);
    expect(mask('no secrets here')).to.equal('no secrets here');
  });

  it('passesLuhn counts digits only, 13 to 19 of them', () => {
    expect(passesLuhn('4111111111111111')).to.equal(true);
    expect(passesLuhn('4111 1111 1111 1111')).to.equal(true);
    expect(passesLuhn('4111111111111112')).to.equal(false);
    expect(passesLuhn('0')).to.equal(false);
  });

  it('refuses an unusable pattern list with a TypeError naming the fix', () => {
    expect(() => checkSecretPatterns('where', 'x')).to.throw(TypeError, /secretPatterns must be an array/);
    expect(() => checkSecretPatterns('where', [{ name: 'n', pattern: /x/, trigger: 'x' }])).to.throw(TypeError, /global RegExp/);
    expect(() => checkSecretPatterns('where', [{ name: 'n', pattern: /x/g, trigger: 3 }])).to.throw(TypeError, /needs a `trigger`/);
    expect(() => checkSecretPatterns('where', [{ name: 'n', pattern: /x/g, trigger: 'x', check: 1 }])).to.throw(TypeError, /check must be a function/);
    const ok = [{ name: 'n', pattern: /secret-\d+/g, trigger: 'secret-' }];
    expect(checkSecretPatterns('where', ok)).to.equal(ok);
    expect(maskSecretShapes('a secret-42 b', ok, S)).to.equal(`a ${S} b`);
  });
});
