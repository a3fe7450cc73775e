import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

/**
 * A Lua script run by its SHA1 (`EVALSHA`), sent whole (`EVAL`) only when the server does not
 * know it yet (first use, a restarted or flushed Redis). The gate runs two or three scripts per
 * job: sending their source every time cost both sides a parse of a kilobyte of text and a hash.
 * ioredis does the same for `defineCommand`, but only as untyped methods added to a connection
 * that several owners share; this keeps the call sites typed and the connection untouched.
 */
export class LuaScript {
  private readonly sha: string;

  constructor(readonly source: string) {
    this.sha = createHash('sha1').update(source).digest('hex');
  }

  async run(redis: Redis, numKeys: number, ...args: (string | number)[]): Promise<unknown> {
    try {
      return await redis.evalsha(this.sha, numKeys, ...args);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return redis.eval(this.source, numKeys, ...args);
    }
  }
}
