// Issue 11 §3, structures: secrets inside Maps and Sets, under long keys, in
// AggregateError's errors, and in mongoose's validation and cast errors.
import { expect } from 'chai';
import mongoose from 'mongoose';
import { buildErrorReport } from '../../lib/report/buildErrorReport';
import { reportOptions } from '../../lib/report/reportOptions';
import { expectNoSecrets, requestContext } from '../support/planted';

const SUB = '********************';

describe('security: structures', () => {
  const options = reportOptions({ environment: 'test', release: null });

  it('scrubs Map and Set entries', () => {
    const err = Object.assign(new Error('with collections'), {
      settings: new Map<string, unknown>([['apiKey', 'map-api-key-31'], ['region', 'eu'], ['nested', new Map([['password', 'map-pw-82']])]]),
      seen: new Set(['Bearer set-bearer-55', 'plain']),
    });
    const report = buildErrorReport(err, undefined, options);
    expectNoSecrets(report, ['map-api-key-31', 'map-pw-82', 'set-bearer-55']);
    expect(report.error!.extra.settings).to.deep.equal({ apiKey: SUB, region: 'eu', nested: { password: SUB } });
  });

  it('masks name/value pair lists and [name, value] tuples under hidden names', () => {
    const ctx = requestContext('POST', '/form');
    (ctx.request as { body?: unknown }).body = {
      fields: [{ name: 'password', value: 'pair-pw-11' }, { name: 'email', value: 'ada@example.com' }],
      har: { headers: [{ name: 'Authorization', value: 'pair-auth-12' }, { name: 'Accept', value: 'text/html' }] },
      postman: [{ key: 'api_key', value: 'pair-key-13' }],
    };
    const err = Object.assign(new Error('pairs'), {
      entries: [['password', 'tuple-pw-14'], ['region', 'eu']],
      params: [['access_token', { nested: 'tuple-tok-15' }]],
    });
    const report = buildErrorReport(err, ctx, options);
    expectNoSecrets(report, ['pair-pw-11', 'pair-auth-12', 'pair-key-13', 'tuple-pw-14', 'tuple-tok-15']);
    expect((report.request!.body as { fields: unknown }).fields).to.deep.equal([{ name: 'password', value: SUB }, { name: 'email', value: 'ada@example.com' }]);
    expect(report.error!.extra.entries).to.deep.equal([['password', SUB], ['region', 'eu']]);
  });

  it('recognises a hidden key longer than maxStringLength', () => {
    const small = reportOptions({ environment: 'test', release: null, limits: { maxStringLength: 16 } });
    const key = `${'x'.repeat(40)}_password`;
    const ctx = requestContext('POST', '/form');
    (ctx.request as { body?: unknown }).body = { [key]: 'long-key-secret' };
    const err = Object.assign(new Error('long keys'), { [key]: 'long-key-extra' });
    const report = buildErrorReport(err, ctx, small);
    expectNoSecrets(report, ['long-key-secret', 'long-key-extra']);
  });

  it("scrubs the errors of an AggregateError and lists them", () => {
    const err = new AggregateError(
      [new Error('first failed: password=agg-pw-14'), Object.assign(new Error('second'), { token: 'agg-token-66' })],
      'all attempts failed',
    );
    const report = buildErrorReport(err, undefined, options);
    expectNoSecrets(report, ['agg-pw-14', 'agg-token-66']);
    expect(report.error!.errors!.map((e) => e.message)).to.deep.equal([`first failed: password=${SUB}`, 'second']);
    expect(report.error!.errors![1].extra).to.deep.equal({ token: SUB });
  });

  describe('mongoose errors', () => {
    const schema = new mongoose.Schema({
      email: { type: String, required: true },
      password: { type: String, minlength: 20 },
      pin: Number,
    });
    const User = mongoose.models.SecurityUser ?? mongoose.model('SecurityUser', schema);

    // validate() rather than validateSync(), which mongoose 9 deprecates: the error is what it rejects with.
    const validationError = (fields: Record<string, unknown>): Promise<mongoose.Error.ValidationError> =>
      new User(fields).validate().then(() => expect.fail('the document should not validate'), (err: mongoose.Error.ValidationError) => err);

    it('masks the rejected value of a hidden path in a ValidationError, its message and its stack', async () => {
      const err = await validationError({ email: 'ada@example.test', password: 'mongoose-pw-7781' });
      expect(err.message).to.include('mongoose-pw-7781');
      const report = buildErrorReport(err, undefined, options);
      expectNoSecrets(report, ['mongoose-pw-7781']);
      expect(report.error!.type).to.equal('ValidationError');
      expect(report.error!.message).to.include('password');
    });

    it('masks the value of a CastError at a hidden path, and keeps values of other paths', async () => {
      const validation = await validationError({ email: 'x@y.z', pin: 'pin-not-a-number-4419' });
      const cast = new mongoose.Error.CastError('string', 'cast-secret-9020', 'apiToken');
      for (const err of [validation, cast]) expectNoSecrets(buildErrorReport(err, undefined, options), ['cast-secret-9020']);
      // "pin" is not a hidden name: its value is worth showing.
      expect(JSON.stringify(buildErrorReport(validation, undefined, options))).to.include('pin-not-a-number-4419');
      const masked = buildErrorReport(new mongoose.Error.CastError('Number', 'pin-9912', 'passcode'), undefined, options);
      expectNoSecrets(masked, ['pin-9912']);
      expect(masked.error!.extra).to.include({ path: 'passcode', value: SUB });
    });
  });
});
