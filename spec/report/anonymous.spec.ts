import { expect } from 'chai';
import { ANONYMOUS } from '../../lib/report/anonymous';

describe('ANONYMOUS', () => {
  it('cannot be changed by any caller, so no report can rename the user of every other anonymous one', () => {
    const before = { ...ANONYMOUS };

    expect(Reflect.set(ANONYMOUS, 'username', 'mallory'), 'rename').to.equal(false);
    expect(Reflect.set(ANONYMOUS, 'id', 'u-1'), 'give an id').to.equal(false);
    expect(Reflect.deleteProperty(ANONYMOUS, 'username'), 'delete').to.equal(false);
    expect(Reflect.defineProperty(ANONYMOUS, 'email', { value: 'm@example.com' }), 'add a field').to.equal(false);
    expect(Reflect.setPrototypeOf(ANONYMOUS, { username: 'inherited' }), 'swap its prototype').to.equal(false);
    expect(ANONYMOUS).to.deep.equal(before);

    // The compiler refuses the write as well (tsc fails if this line ever compiles).
    const compileOnly = () => {
      // @ts-expect-error ANONYMOUS is Readonly<ReportUser>
      ANONYMOUS.username = 'mallory';
    };
    expect(compileOnly).to.throw(TypeError);
  });
});
