import { expect } from 'chai';
import mongoose from 'mongoose';
import { hiddenRejections, maskEchoes } from '../../lib/report/mongooseErrors';

const hidden = (key: string) => /pass|pin/i.test(key);

// Real mongoose errors, made without a database by validating a document.
const User = new mongoose.Schema({
  password: { type: String, validate: { validator: (v: string) => v.length > 10, message: 'Validator failed for path `{PATH}` with value `{VALUE}`' } },
  pin: Number,
  name: String,
});
const UserModel = mongoose.models.MongooseErrorsSpecUser ?? mongoose.model('MongooseErrorsSpecUser', User);

async function validationError(fields: Record<string, unknown>): Promise<Error> {
  try {
    await new UserModel(fields).validate();
  } catch (err) {
    return err as Error;
  }
  throw new Error('the document was expected to be invalid');
}

describe('mongooseErrors', () => {
  it('finds the rejected values of hidden paths in a ValidationError, and only theirs', async () => {
    const err = await validationError({ password: 'hunter2', pin: 'not-a-pin', name: 'alice' });
    expect(err.name).to.equal('ValidationError');
    const found = hiddenRejections(err, hidden);
    expect(found).to.include('hunter2');
    expect(found).to.include('not-a-pin');
    expect(found).to.not.include('alice');
  });

  it('masks every echo in the message, quoted or bare', async () => {
    const err = await validationError({ password: 'hunter2', pin: 'not-a-pin' });
    const masked = maskEchoes(err.message, hiddenRejections(err, hidden), '***');
    expect(masked).to.not.include('hunter2');
    expect(masked).to.not.include('not-a-pin');
    expect(masked).to.include('password');
    expect(maskEchoes('value "ab" and ab', ['ab'], '*'), 'a short bare echo is ambiguous and stays').to.equal('value "*" and ab');
  });

  it('answers nothing for other values and survives a hostile errors object', () => {
    expect(hiddenRejections(new Error('x'), hidden)).to.deep.equal([]);
    expect(hiddenRejections('text', hidden)).to.deep.equal([]);
    const hostile = { name: 'ValidationError', errors: new Proxy({}, { ownKeys() { throw new Error('trap'); } }) };
    expect(hiddenRejections(hostile, hidden)).to.deep.equal([]);
    const cast = { name: 'CastError', path: 'pin', value: 1234, stringValue: '"1234"' };
    expect(hiddenRejections(cast, hidden)).to.deep.equal(['1234', '"1234"']);
  });
});
