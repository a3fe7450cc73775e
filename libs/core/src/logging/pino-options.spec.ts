import { Writable } from 'node:stream';
import { CorrelationContext } from './correlation-context';
import { createBridgeLogger } from './pino-options';

/** Collects the JSON lines a logger writes. */
function capture(): { stream: Writable; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString('utf8'));
      done();
    },
  });
  const lines = () =>
    chunks
      .join('')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { stream, lines };
}

describe('bridge logger', () => {
  it('masks citizen ids and phone numbers in messages and logged objects', () => {
    const { stream, lines } = capture();
    const logger = createBridgeLogger({ level: 'info', destination: stream });
    logger.info('applicant 001089012345 phone 0912345689 submitted');
    logger.info(
      { applicant: { citizenId: '079203001234', phones: ['+84 912 345 689'] } },
      'dossier collected',
    );
    const [first, second] = lines();
    expect(first.msg).toBe('applicant 0010******** phone 09******89 submitted');
    expect(JSON.stringify(second)).not.toMatch(/079203001234|912 345 689/);
    expect(second.applicant).toEqual({ citizenId: '0792********', phones: ['+84*******89'] });
  });

  it('masks personal data in a logged error and redacts secret-named fields', () => {
    const { stream, lines } = capture();
    const logger = createBridgeLogger({ level: 'info', destination: stream });
    logger.error(
      { err: new Error('agency refused CCCD 001089012345'), auth: { password: 'p4ss', user: 'hn' } },
      'failed',
    );
    const [line] = lines();
    const text = JSON.stringify(line);
    expect(text).not.toMatch(/001089012345|p4ss/);
    expect((line.err as { message: string }).message).toBe('agency refused CCCD 0010********');
    expect(line.auth).toEqual({ password: '[REDACTED]', user: 'hn' });
    expect(line.level).toBe('error');
  });

  it('puts the current correlation id on every line and none outside a context', () => {
    const { stream, lines } = capture();
    const logger = createBridgeLogger({ level: 'debug', destination: stream });
    CorrelationContext.run('corr-42', () => logger.debug('inside'));
    logger.info('outside');
    const [inside, outside] = lines();
    expect(inside.correlationId).toBe('corr-42');
    expect(outside).not.toHaveProperty('correlationId');
  });

  it('drops lines below the configured level', () => {
    const { stream, lines } = capture();
    const logger = createBridgeLogger({ level: 'warn', destination: stream });
    logger.info('quiet');
    logger.warn('loud');
    expect(lines().map((line) => line.msg)).toEqual(['loud']);
  });
});
