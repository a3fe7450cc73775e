import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { LuaScript } from './lua-script';
import { TEST_REDIS_URL } from './testing/queue-test-harness';

describe('LuaScript (real Redis)', () => {
  let redis: Redis;
  const key = `lua-script-test:${randomUUID()}`;

  beforeAll(() => {
    redis = new Redis(TEST_REDIS_URL);
  });
  afterEach(() => jest.restoreAllMocks());
  afterAll(async () => {
    await redis.del(key);
    await redis.quit();
  });

  it('sends the source once, when Redis does not know the script, and its hash afterwards', async () => {
    // A source no one ran before, so the server cannot have it cached.
    const script = new LuaScript(`-- ${randomUUID()}\nreturn redis.call('INCRBY', KEYS[1], ARGV[1])`);
    const evalSpy = jest.spyOn(redis, 'eval');
    const shaSpy = jest.spyOn(redis, 'evalsha');

    expect(await script.run(redis, 1, key, 2)).toBe(2);
    expect(evalSpy).toHaveBeenCalledTimes(1);

    expect(await script.run(redis, 1, key, 3)).toBe(5);
    expect(await script.run(redis, 1, key, 4)).toBe(9);
    expect(evalSpy).toHaveBeenCalledTimes(1);
    expect(shaSpy).toHaveBeenCalledTimes(3);
  });

  it("passes the script's own errors on instead of sending it again", async () => {
    const script = new LuaScript(`-- ${randomUUID()}\nreturn redis.error_reply('GATE broken')`);
    await script.run(redis, 0).catch(() => undefined); // loads it
    const evalSpy = jest.spyOn(redis, 'eval');
    await expect(script.run(redis, 0)).rejects.toThrow('GATE broken');
    expect(evalSpy).not.toHaveBeenCalled();
  });
});
