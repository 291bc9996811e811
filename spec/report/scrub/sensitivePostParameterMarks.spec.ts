import { expect } from 'chai';
import type { Context } from 'koa';
import { markSensitivePostParameters, SENSITIVE_POST_PARAMETERS, sensitivePostParametersOf } from '../../../lib/report/scrub/sensitivePostParameterMarks';

const withState = (state: Record<string, unknown>) => ({ state }) as unknown as Context;

describe('sensitivePostParameterMarks', () => {
  it('reads named parameters or "all" from ctx.state', () => {
    expect(sensitivePostParametersOf(withState({ [SENSITIVE_POST_PARAMETERS]: ['password', 'card'] }))).to.deep.equal(['password', 'card']);
    expect(sensitivePostParametersOf(withState({ [SENSITIVE_POST_PARAMETERS]: 'all' }))).to.equal('all');
  });

  it('answers null with no marks, keeps only string names, and takes a missing ctx', () => {
    expect(sensitivePostParametersOf(withState({}))).to.equal(null);
    expect(sensitivePostParametersOf(undefined)).to.equal(null);
    expect(sensitivePostParametersOf(withState({ [SENSITIVE_POST_PARAMETERS]: 'some' }))).to.equal(null);
    expect(sensitivePostParametersOf(withState({ [SENSITIVE_POST_PARAMETERS]: ['pin', 7, null] }))).to.deep.equal(['pin']);
  });

  it('merges marks: names add up, and "all" is never narrowed by a later mark', () => {
    const ctx = withState({});
    markSensitivePostParameters(ctx, ['pin']);
    markSensitivePostParameters(ctx, ['card', 'pin']);
    expect(sensitivePostParametersOf(ctx)).to.deep.equal(['pin', 'card']);
    markSensitivePostParameters(ctx, 'all');
    markSensitivePostParameters(ctx, ['name']);
    expect(sensitivePostParametersOf(ctx)).to.equal('all');
  });
});
