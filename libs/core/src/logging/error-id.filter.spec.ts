import { ArgumentsHost, BadRequestException } from '@nestjs/common';
import { ErrorIdFilter } from './error-id.filter';

/** A minimal express-like response and an HTTP ArgumentsHost around it. */
function httpHost() {
  const sent: { status?: number; body?: unknown } = {};
  const response = {
    headersSent: false,
    status(code: number) {
      sent.status = code;
      return this;
    },
    json(body: unknown) {
      sent.body = body;
      return this;
    },
  };
  const request = { method: 'POST', originalUrl: '/api/v1/postal/events' };
  const host = {
    getType: () => 'http',
    switchToHttp: () => ({ getResponse: () => response, getRequest: () => request }),
  } as unknown as ArgumentsHost;
  return { host, sent };
}

describe('ErrorIdFilter', () => {
  it('answers an unexpected error with only an error id and logs the error in full under it', () => {
    const logged: Record<string, unknown>[] = [];
    const filter = new ErrorIdFilter({ error: (object) => logged.push(object) });
    const { host, sent } = httpHost();
    const error = new Error(
      'duplicate key value violates unique constraint "uq_dossier" (SELECT * FROM dossiers)',
    );

    filter.catch(error, host);

    expect(sent.status).toBe(500);
    const body = sent.body as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(['error', 'errorId', 'statusCode']);
    expect(body).toEqual({ statusCode: 500, error: 'Internal Server Error', errorId: expect.any(String) });
    expect(JSON.stringify(body)).not.toMatch(/duplicate|SELECT|uq_dossier/);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({
      err: error,
      errorId: body.errorId,
      method: 'POST',
      url: '/api/v1/postal/events',
    });
  });

  it("answers the body parsers' client errors as the 4xx they are, naming the limit", () => {
    const filter = new ErrorIdFilter({ error: () => undefined });
    const tooLarge = httpHost();
    const error = Object.assign(new Error('request entity too large'), {
      status: 413,
      expose: true,
      type: 'entity.too.large',
      limit: 5_242_880,
      length: 6_000_000,
    });
    filter.catch(error, tooLarge.host);
    expect(tooLarge.sent).toEqual({
      status: 413,
      body: {
        statusCode: 413,
        error: 'Payload Too Large',
        message: 'the request body is 6000000 bytes, above the limit of 5242880 bytes',
      },
    });
    const badJson = httpHost();
    const syntax = Object.assign(new SyntaxError('Unexpected token } in JSON at position 7'), {
      status: 400,
      expose: true,
      type: 'entity.parse.failed',
    });
    filter.catch(syntax, badJson.host);
    expect(badJson.sent.status).toBe(400);
    expect((badJson.sent.body as { message: string }).message).toBe(
      'the request body is not valid JSON: Unexpected token } in JSON at position 7',
    );
  });

  it('gives each failure its own error id', () => {
    const filter = new ErrorIdFilter({ error: () => undefined });
    const first = httpHost();
    const second = httpHost();
    filter.catch(new Error('a'), first.host);
    filter.catch(new Error('a'), second.host);
    expect((first.sent.body as { errorId: string }).errorId).not.toBe(
      (second.sent.body as { errorId: string }).errorId,
    );
  });

  it('passes an HttpException through unchanged and logs nothing', () => {
    const logged: unknown[] = [];
    const filter = new ErrorIdFilter({ error: (object) => logged.push(object) });
    const { host, sent } = httpHost();
    filter.catch(new BadRequestException('agencyCode must match 000.00.00.H00'), host);
    expect(sent.status).toBe(400);
    expect(sent.body).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: 'agencyCode must match 000.00.00.H00',
    });
    expect(logged).toEqual([]);
  });
});
