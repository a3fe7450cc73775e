import { Controller, Get, Global, INestApplication, Module, Post } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { BRIDGE_CONFIG, BridgeConfig } from '@bridge/config';
import { createTestDatabase, TestDatabase } from '@bridge/testing';
import type { ApiPrincipal } from '../api-keys';
import { ApiKeyService } from '../api-keys';
import { SecurityModule } from '../security.module';
import { CurrentPrincipal, Public, Roles } from './roles.decorator';

@Controller()
class ProbeController {
  @Public()
  @Get('health/live')
  live(): { status: string } {
    return { status: 'ok' };
  }

  @Roles('operator')
  @Get('ops/overview')
  overview(@CurrentPrincipal() principal: ApiPrincipal): ApiPrincipal {
    return principal;
  }

  @Roles('agency')
  @Post('agencies/:code/callback')
  callback(@CurrentPrincipal() principal: ApiPrincipal): { accepted: string } {
    return { accepted: principal.name };
  }

  @Get('keys')
  keys(): { adminOnly: true } {
    return { adminOnly: true };
  }
}

describe('ApiKeyGuard in a Nest app', () => {
  let db: TestDatabase;
  let app: INestApplication;
  let keys: ApiKeyService;
  const server = () => app.getHttpServer() as never;

  beforeAll(async () => {
    db = await createTestDatabase('guard');
    const config = {
      bootstrapAdminKey: 'bootstrap-admin-key-for-tests',
      secretKey: 'k'.repeat(32),
    } as BridgeConfig;
    @Global()
    @Module({
      providers: [
        { provide: DataSource, useValue: db.dataSource },
        { provide: BRIDGE_CONFIG, useValue: config },
      ],
      exports: [DataSource, BRIDGE_CONFIG],
    })
    class TestInfraModule {}
    const moduleRef = await Test.createTestingModule({
      imports: [TestInfraModule, SecurityModule.withGlobalGuard()],
      controllers: [ProbeController],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    keys = app.get(ApiKeyService);
  });

  afterAll(async () => {
    await app.close();
    await db.drop();
  });

  it('lets anyone call a @Public route', async () => {
    await request(server()).get('/health/live').expect(200, { status: 'ok' });
  });

  it('answers 401 with WWW-Authenticate for a missing, malformed, unknown or revoked key', async () => {
    const revoked = await keys.create({ name: 'old', role: 'operator' });
    await keys.revoke(revoked.id);
    const unknown = `pob_AAAAAAAA_${'b'.repeat(32)}`;
    for (const authorization of [
      undefined,
      'Basic abc',
      'Bearer',
      `Bearer ${unknown}`,
      `Bearer ${revoked.key}`,
    ]) {
      const call = request(server()).get('/ops/overview');
      const response = await (authorization ? call.set('Authorization', authorization) : call);
      expect(response.status).toBe(401);
      expect(response.headers['www-authenticate']).toBe('Bearer');
      expect(response.body).toEqual({
        statusCode: 401,
        error: 'Unauthorized',
        message: 'missing or invalid API key',
      });
    }
  });

  it('admits a role the route lists and attaches the principal', async () => {
    const ops = await keys.create({ name: 'trực ca', role: 'operator' });
    const response = await request(server())
      .get('/ops/overview')
      .set('Authorization', `Bearer ${ops.key}`)
      .expect(200);
    expect(response.body).toEqual({ keyId: ops.id, name: 'trực ca', role: 'operator' });
  });

  it('answers 403 naming the role when a known key lacks it', async () => {
    const postal = await keys.create({ name: 'vnpost', role: 'postal' });
    const response = await request(server())
      .get('/ops/overview')
      .set('Authorization', `Bearer ${postal.key}`);
    expect(response.status).toBe(403);
    expect(response.body).toMatchObject({
      statusCode: 403,
      message: 'role postal may not call this route (allowed: admin, operator)',
    });
    const adminOnly = await request(server()).get('/keys').set('Authorization', `Bearer ${postal.key}`);
    expect(adminOnly.status).toBe(403);
  });

  it('lets an agency key call back for its own agency only', async () => {
    const agency = await keys.create({ name: 'Hà Nội', role: 'agency:000.00.00.H26' });
    const auth = `Bearer ${agency.key}`;
    await request(server())
      .post('/agencies/000.00.00.H26/callback')
      .set('Authorization', auth)
      .expect(201, { accepted: 'Hà Nội' });
    const other = await request(server()).post('/agencies/000.00.00.H79/callback').set('Authorization', auth);
    expect(other.status).toBe(403);
    expect((other.body as { message: string }).message).toContain('may not act for agency 000.00.00.H79');
  });

  it('lets the bootstrap admin key do everything', async () => {
    const auth = 'Bearer bootstrap-admin-key-for-tests';
    await request(server()).get('/keys').set('Authorization', auth).expect(200, { adminOnly: true });
    await request(server())
      .post('/agencies/000.00.00.H79/callback')
      .set('Authorization', auth)
      .expect(201, { accepted: 'bootstrap' });
  });
});
