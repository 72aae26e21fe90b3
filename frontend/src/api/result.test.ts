import { describeError, formatLoc, settle } from './result';

describe('formatLoc', () => {
  it('drops the request part and joins the rest', () => {
    expect(formatLoc(['body', 'steps', 2, 'content'])).toBe('steps.2.content');
    expect(formatLoc(['query', 'base'])).toBe('base');
    expect(formatLoc(['body'])).toBe('request');
  });
});

describe('describeError', () => {
  it('lists FastAPI validation errors', () => {
    const out = describeError(422, {
      detail: [{ loc: ['body', 'limit'], msg: 'too big', type: 'less_than_equal' }],
    });
    expect(out.message).toBe('limit: too big');
    expect(out.fieldErrors).toHaveLength(1);
  });

  it('uses a string detail as is', () => {
    expect(describeError(409, { detail: 'exists' })).toEqual({ message: 'exists', fieldErrors: [] });
  });

  it('serialises structured details and falls back to the status', () => {
    expect(describeError(400, { detail: { reason: 'x' } }).message).toBe('{"reason":"x"}');
    expect(describeError(502, 'Bad Gateway').message).toBe('Bad Gateway');
    expect(describeError(500, undefined).message).toBe('HTTP 500');
  });
});

describe('settle', () => {
  it('turns a rejected fetch into a network failure', async () => {
    const result = await settle(Promise.reject(new TypeError('Failed to fetch')));
    expect(result).toMatchObject({ ok: false, status: 0 });
    expect(!result.ok && result.message).toContain('Failed to fetch');
  });
});
