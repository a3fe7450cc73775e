import { classifyFailure } from './failure-kind';

function pgError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

describe('classifyFailure', () => {
  it('takes a refused connection, a cut connection and a shut-down server for an absent dependency', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    expect(classifyFailure(refused).kind).toBe('unavailable');
    expect(classifyFailure(new Error('Connection terminated unexpectedly')).kind).toBe('unavailable');
    expect(
      classifyFailure(pgError('57P01', 'terminating connection due to administrator command')).kind,
    ).toBe('unavailable');
    expect(classifyFailure(pgError('53300', 'too many connections')).kind).toBe('unavailable');
    // TypeORM wraps the driver's error.
    const wrapped = Object.assign(new Error('query failed'), { driverError: pgError('08006', 'lost') });
    expect(classifyFailure(wrapped).kind).toBe('unavailable');
  });

  it('takes data the database refuses (classes 22, 54) for a dead letter, naming the SQLSTATE', () => {
    const tooBig = Object.assign(new Error('query failed'), {
      driverError: pgError('54000', 'index row size 8040 exceeds maximum 2712 for index "pk_inbox"'),
    });
    expect(classifyFailure(tooBig)).toEqual({
      kind: 'refused',
      detail:
        'the database refused the data (SQLSTATE 54000: index row size 8040 exceeds maximum 2712 for index "pk_inbox")',
    });
    expect(classifyFailure(pgError('22P05', 'unsupported Unicode escape sequence')).kind).toBe('refused');
  });

  it('retries a deadlock, and calls everything else a bug', () => {
    expect(classifyFailure(pgError('40P01', 'deadlock detected')).kind).toBe('transient');
    // Two transactions racing on one key raise it too: tried again, not dead-lettered at once.
    expect(classifyFailure(pgError('23505', 'duplicate key')).kind).toBe('transient');
    expect(classifyFailure(new TypeError("Cannot read properties of undefined (reading 'x')"))).toEqual({
      kind: 'bug',
      detail: "TypeError: Cannot read properties of undefined (reading 'x')",
    });
    expect(classifyFailure(pgError('42703', 'column "x" does not exist')).kind).toBe('bug');
  });
});
