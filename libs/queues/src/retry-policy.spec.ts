import fc from 'fast-check';
import { IntegrationError, IntegrationErrorCode } from '@bridge/adapter-sdk';
import { assertRetryPolicy, backoffDelayMs, decideOnFailure, RetryPolicy } from './retry-policy';

const policy: RetryPolicy = { maxAttempts: 5, baseDelayMs: 1_000, maxDelayMs: 10_000, jitter: 0.5 };
const noJitter = () => 0;

const policyArb: fc.Arbitrary<RetryPolicy> = fc
  .record({
    maxAttempts: fc.integer({ min: 1, max: 30 }),
    baseDelayMs: fc.integer({ min: 0, max: 60_000 }),
    extraMaxMs: fc.integer({ min: 0, max: 3_600_000 }),
    jitter: fc.double({ min: 0, max: 1, noNaN: true }),
  })
  .map(({ extraMaxMs, ...p }) => ({ ...p, maxDelayMs: p.baseDelayMs + extraMaxMs }));
const randomArb = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });
const hintArb = fc.option(fc.integer({ min: 0, max: 10_000_000 }), { nil: undefined });
const transientArb = fc.constantFrom(IntegrationErrorCode.TEMPORARY, IntegrationErrorCode.RATE_LIMITED);
const finalArb = fc.constantFrom(
  IntegrationErrorCode.PERMANENT,
  IntegrationErrorCode.AUTH,
  IntegrationErrorCode.NOT_FOUND,
);

describe('decideOnFailure', () => {
  it('backs off exponentially on TEMPORARY errors: 1 s, 2 s, 4 s, 8 s', () => {
    const delays = [1, 2, 3, 4].map((n) =>
      decideOnFailure(IntegrationError.temporary('503'), n, policy, noJitter),
    );
    expect(delays).toEqual([1_000, 2_000, 4_000, 8_000].map((delayMs) => ({ action: 'retry', delayMs })));
  });

  it('caps the backoff at maxDelayMs', () => {
    const wide = { ...policy, maxAttempts: 50 };
    expect(decideOnFailure(IntegrationError.temporary('503'), 20, wide, noJitter)).toEqual({
      action: 'retry',
      delayMs: 10_000,
    });
  });

  it('lowers each delay by at most the jitter share', () => {
    expect(decideOnFailure(IntegrationError.temporary('503'), 3, policy, () => 0.999999)).toEqual({
      action: 'retry',
      delayMs: 2_000,
    });
    expect(decideOnFailure(IntegrationError.temporary('503'), 3, policy, () => 0.5)).toEqual({
      action: 'retry',
      delayMs: 3_000,
    });
  });

  it('waits what a RATE_LIMITED agency asked for, capped at maxDelayMs', () => {
    expect(decideOnFailure(IntegrationError.rateLimited('429', 3_500), 1, policy)).toEqual({
      action: 'retry',
      delayMs: 3_500,
    });
    expect(decideOnFailure(IntegrationError.rateLimited('429', 60_000), 1, policy)).toEqual({
      action: 'retry',
      delayMs: 10_000,
    });
  });

  it('backs off on RATE_LIMITED without a hint', () => {
    expect(decideOnFailure(IntegrationError.rateLimited('429'), 2, policy, noJitter)).toEqual({
      action: 'retry',
      delayMs: 2_000,
    });
  });

  it.each([
    { code: 'PERMANENT', error: IntegrationError.permanent('field applicant.idNumber is missing') },
    { code: 'AUTH', error: IntegrationError.auth('credentials refused') },
    { code: 'NOT_FOUND', error: IntegrationError.notFound('no such dossier') },
  ])('dead-letters a $code error at once with the reason', ({ code, error }) => {
    const decision = decideOnFailure(error, 1, policy);
    expect(decision).toEqual({ action: 'dead-letter', reason: `${code}: ${error.message} (not retried)` });
  });

  it('gives up after maxAttempts, naming the count and the last error', () => {
    expect(decideOnFailure(IntegrationError.temporary('upstream 503'), 5, policy)).toEqual({
      action: 'dead-letter',
      reason: 'gave up after 5 attempts: TEMPORARY: upstream 503',
    });
  });

  it('never waits longer than maxDelayMs nor less than zero (property)', () => {
    fc.assert(
      fc.property(
        policyArb,
        transientArb,
        hintArb,
        fc.integer({ min: 1, max: 1_000 }),
        randomArb,
        (p, code, hint, attempts, r) => {
          const decision = decideOnFailure(
            new IntegrationError(code, 'x', { retryAfterMs: hint }),
            attempts,
            p,
            () => r,
          );
          if (decision.action === 'retry') {
            expect(decision.delayMs).toBeGreaterThanOrEqual(0);
            expect(decision.delayMs).toBeLessThanOrEqual(p.maxDelayMs);
            expect(Number.isInteger(decision.delayMs)).toBe(true);
          }
        },
      ),
    );
  });

  it('never retries PERMANENT, AUTH or NOT_FOUND, whatever the attempt or hint (property)', () => {
    fc.assert(
      fc.property(
        policyArb,
        finalArb,
        hintArb,
        fc.integer({ min: 1, max: 1_000 }),
        randomArb,
        (p, code, hint, attempts, r) => {
          const decision = decideOnFailure(
            new IntegrationError(code, 'x', { retryAfterMs: hint }),
            attempts,
            p,
            () => r,
          );
          expect(decision.action).toBe('dead-letter');
        },
      ),
    );
  });

  it('retries transient errors exactly until maxAttempts (property)', () => {
    fc.assert(
      fc.property(policyArb, transientArb, fc.integer({ min: 1, max: 40 }), (p, code, attempts) => {
        const decision = decideOnFailure(new IntegrationError(code, 'x'), attempts, p);
        expect(decision.action).toBe(attempts < p.maxAttempts ? 'retry' : 'dead-letter');
      }),
    );
  });
});

describe('backoffDelayMs', () => {
  it('never shrinks from one attempt to the next for the same random draw (property)', () => {
    fc.assert(
      fc.property(policyArb, fc.integer({ min: 1, max: 60 }), randomArb, (p, n, r) => {
        expect(backoffDelayMs(n + 1, p, () => r)).toBeGreaterThanOrEqual(backoffDelayMs(n, p, () => r));
      }),
    );
  });

  it('grows on average until it reaches the cap (property)', () => {
    const draws = Array.from({ length: 200 }, (_, i) => (i + 0.5) / 200);
    const mean = (n: number, p: RetryPolicy) =>
      draws.reduce((sum, r) => sum + backoffDelayMs(n, p, () => r), 0) / draws.length;
    fc.assert(
      fc.property(policyArb, fc.integer({ min: 1, max: 20 }), (p, n) => {
        fc.pre(p.baseDelayMs >= 10);
        const belowCap = p.baseDelayMs * 2 ** n <= p.maxDelayMs;
        if (belowCap) expect(mean(n + 1, p)).toBeGreaterThan(mean(n, p));
        else expect(mean(n + 1, p)).toBeGreaterThanOrEqual(mean(n, p));
      }),
    );
  });
});

describe('assertRetryPolicy', () => {
  it('names every field that is wrong', () => {
    expect(() => assertRetryPolicy({ maxAttempts: 0, baseDelayMs: -1, maxDelayMs: -5, jitter: 2 })).toThrow(
      /maxAttempts must be an integer >= 1.*baseDelayMs must be a number >= 0.*maxDelayMs.*jitter must be between 0 and 1/,
    );
  });

  it('accepts a sound policy', () => {
    expect(() => assertRetryPolicy(policy)).not.toThrow();
  });
});
