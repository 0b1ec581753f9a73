/**
 * A real workload on the Lua engine: rate-limiter-flexible's
 * RateLimiterRedis (its counter is a Lua script sent with EVALSHA, falling
 * back to EVAL) through ioredis and through node-redis, against tsredis and
 * the real redis-server. The same scenario must give the same decisions on
 * both: points consumed and remaining, refusals, blocks, penalties and
 * rewards, and the number of requests let through under concurrency.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import Redis from 'ioredis';
import { createClient } from 'redis';
import { RateLimiterRedis, RateLimiterRes, BurstyRateLimiter } from 'rate-limiter-flexible';
import { startTsredis, startRealRedis, redisServerAvailable, type RunningServer, type TsredisHandle } from './helpers/servers';

type Outcome = Record<string, unknown>;

/** What a limiter call gave, without the timing that differs from run to run. */
function describeResult(r: unknown, durationMs: number): Outcome {
  if (r instanceof RateLimiterRes) {
    return {
      remaining: r.remainingPoints,
      consumed: r.consumedPoints,
      first: r.isFirstInDuration,
      // The time to wait is a clock reading: only its range is compared.
      msOk: r.msBeforeNext >= 0 && r.msBeforeNext <= durationMs,
    };
  }
  if (r === null) return { result: null };
  if (r instanceof Error) return { error: r.message };
  return { value: r as never };
}

async function settle<T>(p: Promise<T>, durationMs: number): Promise<Outcome> {
  try {
    return { ok: true, ...describeResult(await p, durationMs) };
  } catch (e) {
    return { ok: false, ...describeResult(e, durationMs) };
  }
}

/** The scenario: every decision the limiters take, in order. */
async function scenario(storeClient: unknown, useRedisPackage: boolean): Promise<Outcome[]> {
  const out: Outcome[] = [];
  const limiter = new RateLimiterRedis({ storeClient, useRedisPackage, keyPrefix: 'rl', points: 5, duration: 10 });
  const D = 10000;
  for (let i = 0; i < 7; i++) out.push(await settle(limiter.consume('user1'), D));
  out.push(await settle(limiter.get('user1'), D));
  out.push(await settle(limiter.consume('user2', 3), D));
  out.push(await settle(limiter.consume('user2', 3), D));
  out.push(await settle(limiter.penalty('user3', 2), D));
  out.push(await settle(limiter.reward('user3', 1), D));
  out.push(await settle(limiter.consume('user3', 1), D));
  out.push(await settle(limiter.get('nobody'), D));
  out.push(await settle(limiter.delete('user1'), D));
  out.push(await settle(limiter.delete('user1'), D));
  out.push(await settle(limiter.consume('user1'), D));
  out.push(await settle(limiter.set('user4', 4, 20), D * 2));
  out.push(await settle(limiter.consume('user4', 1), D * 2));
  out.push(await settle(limiter.consume('user4', 1), D * 2));
  out.push(await settle(limiter.block('user5', 30), D * 3));
  out.push(await settle(limiter.consume('user5'), D * 3));
  out.push(await settle(limiter.consume('user6', 0.5), D));
  out.push(await settle(limiter.consume('user6', '2'), D));
  out.push(await settle(limiter.consume('user6', 'x2'), D));

  // Blocking on excess: the sixth request blocks the key for the block duration.
  const blocking = new RateLimiterRedis({ storeClient, useRedisPackage, keyPrefix: 'rlb', points: 2, duration: 5, blockDuration: 60 });
  for (let i = 0; i < 4; i++) out.push(await settle(blocking.consume('ip'), 60000));
  out.push(await settle(blocking.get('ip'), 60000));

  // A burst limiter on top of a regular one.
  const bursty = new BurstyRateLimiter(
    new RateLimiterRedis({ storeClient, useRedisPackage, keyPrefix: 'rlx', points: 2, duration: 1 }),
    new RateLimiterRedis({ storeClient, useRedisPackage, keyPrefix: 'rlxb', points: 3, duration: 10 }),
  );
  for (let i = 0; i < 7; i++) out.push(await settle(bursty.consume('burst'), 10000));

  // Concurrency: 50 requests at once, exactly `points` of them get through.
  const concurrent = new RateLimiterRedis({ storeClient, useRedisPackage, keyPrefix: 'rlc', points: 17, duration: 30 });
  const results = await Promise.allSettled(Array.from({ length: 50 }, () => concurrent.consume('hot')));
  out.push({ concurrentOk: results.filter((r) => r.status === 'fulfilled').length });
  const consumed = results
    .map((r) => (r.status === 'fulfilled' ? r.value : r.reason))
    .filter((r): r is RateLimiterRes => r instanceof RateLimiterRes)
    .map((r) => r.consumedPoints)
    .sort((a, b) => a - b);
  out.push({ consumedSeen: consumed });
  return out;
}

describe.skipIf(!redisServerAvailable())('rate-limiter-flexible on tsredis and Redis', () => {
  let ours: TsredisHandle;
  let theirs: RunningServer;
  beforeAll(async () => {
    ours = await startTsredis();
    theirs = (await startRealRedis())!;
  });
  afterAll(async () => {
    await ours?.stop();
    await theirs?.stop();
  });

  it('takes the same decisions through ioredis', async () => {
    const run = async (port: number) => {
      const client = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 1 });
      await client.connect();
      await client.flushall();
      await client.script('FLUSH');
      try {
        return await scenario(client, false);
      } finally {
        client.disconnect();
      }
    };
    const [a, b] = [await run(ours.port), await run(theirs.port)];
    expect(a).toEqual(b);
    // The scenario exercised what it should: refusals, blocks and the concurrency cap.
    expect(a.filter((o) => o.ok === false).length).toBeGreaterThan(5);
    expect(a).toContainEqual({ concurrentOk: 17 });
  }, 30000);

  it('takes the same decisions through node-redis', async () => {
    const run = async (port: number) => {
      const client = createClient({ socket: { port, host: '127.0.0.1' } });
      await client.connect();
      await client.flushAll();
      await client.scriptFlush();
      try {
        return await scenario(client, true);
      } finally {
        await client.quit();
      }
    };
    const [a, b] = [await run(ours.port), await run(theirs.port)];
    expect(a).toEqual(b);
    expect(a).toContainEqual({ concurrentOk: 17 });
  }, 30000);

  it('keeps the counter and its TTL as Redis does', async () => {
    const results: string[][] = [];
    for (const port of [ours.port, theirs.port]) {
      const client = new Redis({ port, host: '127.0.0.1' });
      await client.flushall();
      const limiter = new RateLimiterRedis({ storeClient: client, keyPrefix: 'ttl', points: 10, duration: 100 });
      await limiter.consume('k', 3);
      await limiter.consume('k', 2);
      const value = await client.get('ttl:k');
      const ttl = await client.ttl('ttl:k');
      results.push([String(value), String(ttl > 90 && ttl <= 100)]);
      client.disconnect();
    }
    expect(results[0]).toEqual(results[1]);
    expect(results[0]).toEqual(['5', 'true']);
  });
});
