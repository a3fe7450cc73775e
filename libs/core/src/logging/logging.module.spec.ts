import { Controller, Get, INestApplication, Logger as NestLogger, NotFoundException } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Logger } from 'nestjs-pino';
import { Writable } from 'node:stream';
import request from 'supertest';
import { CorrelationContext } from './correlation-context';
import { LoggingModule } from './logging.module';

@Controller('demo')
class DemoController {
  private readonly logger = new NestLogger('DemoController');

  @Get('ok')
  ok(): { correlationId: string | undefined } {
    this.logger.log('handled dossier of citizen 001089012345, phone 0912345689');
    return { correlationId: CorrelationContext.current() };
  }

  @Get('boom')
  boom(): never {
    throw new Error('connection to 10.0.0.5 refused while saving dossier');
  }

  @Get('missing')
  missing(): never {
    throw new NotFoundException('dossier EA123456785VN not found');
  }
}

describe('LoggingModule in a Nest app', () => {
  const chunks: string[] = [];
  const destination = new Writable({
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
  let app: INestApplication;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [LoggingModule.forRoot({ level: 'info', destination })],
      controllers: [DemoController],
    }).compile();
    app = moduleRef.createNestApplication({ bufferLogs: true });
    app.useLogger(app.get(Logger));
    await app.init();
  });

  afterAll(async () => {
    await app.close();
  });

  beforeEach(() => chunks.splice(0));

  it('uses the caller X-Correlation-Id in the handler, the response header and every log line', async () => {
    const response = await request(app.getHttpServer() as never)
      .get('/demo/ok')
      .set('X-Correlation-Id', 'postal-batch-77')
      .set('Authorization', 'Bearer pob_secret');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ correlationId: 'postal-batch-77' });
    expect(response.headers['x-correlation-id']).toBe('postal-batch-77');
    const logged = lines();
    const handled = logged.find((line) => String(line.msg).startsWith('handled dossier'));
    expect(handled).toMatchObject({ correlationId: 'postal-batch-77', context: 'DemoController' });
    expect(handled?.msg).toBe('handled dossier of citizen 0010********, phone 09******89');
    const completed = logged.find((line) => line.msg === 'request completed');
    expect(completed).toMatchObject({ correlationId: 'postal-batch-77', req: { id: 'postal-batch-77' } });
    expect(JSON.stringify(logged)).not.toMatch(/pob_secret|001089012345|0912345689/);
  });

  it('generates a correlation id when the header is missing or unsafe', async () => {
    const unsafe = await request(app.getHttpServer() as never)
      .get('/demo/ok')
      .set('X-Correlation-Id', 'x" injected="1');
    const missing = await request(app.getHttpServer() as never).get('/demo/ok');
    for (const response of [unsafe, missing]) {
      const id = response.headers['x-correlation-id'];
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect(response.body).toEqual({ correlationId: id });
    }
    expect(unsafe.headers['x-correlation-id']).not.toBe(missing.headers['x-correlation-id']);
  });

  it('answers a crash with only an error id that the log line carries with the full error', async () => {
    const response = await request(app.getHttpServer() as never).get('/demo/boom');
    expect(response.status).toBe(500);
    expect(response.body).toEqual({
      statusCode: 500,
      error: 'Internal Server Error',
      errorId: expect.any(String),
    });
    const errorId = (response.body as { errorId: string }).errorId;
    const line = lines().find((entry) => entry.errorId === errorId);
    expect(line).toBeDefined();
    expect((line?.err as { message: string; stack: string }).message).toContain(
      'connection to 10.0.0.5 refused',
    );
    expect((line?.err as { stack: string }).stack).toContain('DemoController.boom');
  });

  it('passes an HTTP 404 through with its message', async () => {
    const response = await request(app.getHttpServer() as never).get('/demo/missing');
    expect(response.status).toBe(404);
    expect(response.body).toEqual({
      statusCode: 404,
      error: 'Not Found',
      message: 'dossier EA123456785VN not found',
    });
  });
});
