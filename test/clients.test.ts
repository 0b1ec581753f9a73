/**
 * Real clients against tsredis: ioredis (RESP2) and node-redis (RESP2 and
 * RESP3) doing what applications do with them: plain commands, pipelines,
 * MULTI/EXEC and WATCH through the client APIs, pub/sub, binary values as
 * Buffers, 10 MB values, reconnecting after CLIENT KILL; and
 * `redis-benchmark -q` (its default suite) with no error in its output.
 *
 * Parts needing commands tsredis does not have yet are skipped with a
 * warning naming the commands.
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import Redis from 'ioredis';
import { createClient, RESP_TYPES } from 'redis';
import { startTsredis, type TsredisHandle } from './helpers/servers';
import { RawConnection } from './helpers/resp';

let t: TsredisHandle;
let admin: RawConnection;

beforeAll(async () => {
  t = await startTsredis();
  admin = await RawConnection.connect(t.port);
});
afterAll(async () => {
  admin.close();
  await t.stop();
});

/** Commands asked about that tsredis does not know (reported once per name). */
const missing = new Set<string>();
async function have(...names: string[]): Promise<boolean> {
  let ok = true;
  for (const n of names) {
    const info = await admin.call('COMMAND', 'INFO', n);
    if (info.startsWith('*1\r\n*-1') || info.startsWith('*1\r\n$-1')) {
      if (!missing.has(n)) console.warn(`clients.test: '${n}' is not implemented yet: the parts using it are skipped`);
      missing.add(n);
      ok = false;
    }
  }
  return ok;
}

function waitFor(cond: () => boolean, ms = 5000): Promise<void> {
  return new Promise((resolve, reject) => {
    const end = Date.now() + ms;
    const tick = () => {
      if (cond()) return resolve();
      if (Date.now() > end) return reject(new Error('condition not met in time'));
      setTimeout(tick, 10);
    };
    tick();
  });
}

/** Every byte value, and a CRLF in the middle: binary safety. */
const ALL_BYTES = Buffer.concat([Buffer.from(Array.from({ length: 256 }, (_, i) => i)), Buffer.from('\r\n$-1\r\n*0\r\n')]);

/** Kills the connection whose CLIENT ID is `id` from the admin connection. */
async function kill(id: number | string): Promise<void> {
  expect(await admin.call('CLIENT', 'KILL', 'ID', String(id))).toBe(':1\r\n');
}

// ------------------------------------------------------------------ ioredis

describe('ioredis', () => {
  let r: Redis;
  beforeAll(async () => {
    r = new Redis({ port: t.port, host: '127.0.0.1', lazyConnect: true });
    await r.connect();
  });
  afterAll(() => {
    r.disconnect();
  });

  it('connects (ready check reads INFO) and runs plain commands', async () => {
    expect(r.status).toBe('ready');
    expect(await r.ping()).toBe('PONG');
    expect(await r.set('io:k', 'v')).toBe('OK');
    expect(await r.get('io:k')).toBe('v');
    expect(await r.set('io:k', 'w', 'EX', 100, 'GET')).toBe('v');
    expect(await r.ttl('io:k')).toBeGreaterThan(90);
    expect(await r.incrby('io:n', 5)).toBe(5);
    expect(await r.incrbyfloat('io:n', 0.5)).toBe('5.5');
    expect(await r.hset('io:h', { a: '1', b: '2' })).toBe(2);
    expect(await r.hgetall('io:h')).toEqual({ a: '1', b: '2' });
    expect(await r.sadd('io:s', 'x', 'y', 'z')).toBe(3);
    expect((await r.smembers('io:s')).sort()).toEqual(['x', 'y', 'z']);
    expect(await r.exists('io:k', 'io:h', 'nope')).toBe(2);
    expect(await r.type('io:h')).toBe('hash');
    expect(await r.del('io:k', 'io:n', 'io:h', 'io:s')).toBe(4);
    await expect(r.hget('io:missing', 'f')).resolves.toBeNull();
    await r.set('io:str', 'abc');
    await expect(r.lpush('io:str', 'x')).rejects.toThrow(/^WRONGTYPE Operation against a key holding the wrong kind of value$/);
    await expect(r.call('NOSUCHCOMMAND', 'a')).rejects.toThrow(/^ERR unknown command 'NOSUCHCOMMAND'/);
    const info = await r.info('server');
    expect(info).toMatch(/redis_version:7\.0\.15/);
    if (await have('rpush', 'lrange')) {
      await r.rpush('io:l', 'a', 'b', 'c');
      expect(await r.lrange('io:l', 0, -1)).toEqual(['a', 'b', 'c']);
    }
    if (await have('zadd', 'zrange')) {
      await r.zadd('io:z', 2, 'b', 1, 'a');
      expect(await r.zrange('io:z', 0, -1, 'WITHSCORES')).toEqual(['a', '1', 'b', '2']);
    }
    await r.del('io:str', 'io:l', 'io:z');
  });

  it('pipelines, with errors in the middle, and a 10000-command pipeline', async () => {
    await r.set('io:p:str', 'text');
    const res = await r.pipeline().set('io:p', '1').incr('io:p').incr('io:p:str').get('io:p').exec();
    expect(res).toEqual([
      [null, 'OK'],
      [null, 2],
      [expect.objectContaining({ message: 'ERR value is not an integer or out of range' })],
      [null, '2'],
    ]);
    const p = r.pipeline();
    for (let i = 0; i < 10000; i++) p.set(`io:pp:${i}`, String(i));
    for (let i = 0; i < 10000; i++) p.get(`io:pp:${i}`);
    const all = (await p.exec())!;
    expect(all.length).toBe(20000);
    expect(all.slice(10000).map(([e, v]) => (e === null ? v : 'error'))).toEqual(Array.from({ length: 10000 }, (_, i) => String(i)));
    expect(await r.dbsize()).toBeGreaterThanOrEqual(10002);
    await r.flushdb();
  });

  it('MULTI/EXEC, WATCH conflicts and EXECABORT through the client API', async () => {
    expect(await r.multi().set('io:m', '1').incr('io:m').get('io:m').exec()).toEqual([
      [null, 'OK'],
      [null, 2],
      [null, '2'],
    ]);
    // A queued command failing at run time is an error inside EXEC's array.
    await r.set('io:m:str', 'x');
    const mixed = await r.multi().incr('io:m:str').incr('io:m').exec();
    expect(mixed![0][0]).toBeInstanceOf(Error);
    expect((mixed![0][0] as Error).message).toBe('ERR value is not an integer or out of range');
    expect(mixed![1]).toEqual([null, 3]);
    // WATCH: another client's write makes EXEC return null.
    const other = new Redis({ port: t.port, host: '127.0.0.1' });
    await r.watch('io:w');
    await other.set('io:w', 'changed');
    expect(await r.multi().set('io:w', 'mine').exec()).toBeNull();
    expect(await r.get('io:w')).toBe('changed');
    await r.watch('io:w');
    expect(await r.multi().set('io:w', 'mine').exec()).toEqual([[null, 'OK']]);
    other.disconnect();
    // A command rejected while queueing aborts the whole transaction.
    await expect(r.multi().set('io:m', '1').call('NOSUCHCOMMAND').exec()).rejects.toThrow(/EXECABORT Transaction discarded because of previous errors/);
    expect(await r.get('io:m')).toBe('3');
    await r.flushdb();
  });

  it('pub/sub: channels, patterns, and the subscriber survives CLIENT KILL (auto-resubscribe)', async () => {
    const sub = new Redis({ port: t.port, host: '127.0.0.1' });
    const got: string[] = [];
    sub.on('message', (ch: string, msg: string) => got.push(`${ch}:${msg}`));
    sub.on('pmessage', (pat: string, ch: string, msg: string) => got.push(`${pat}>${ch}:${msg}`));
    expect(await sub.subscribe('io:ch1', 'io:ch2')).toBe(2);
    expect(await sub.psubscribe('io:news.*')).toBe(3);
    expect(await r.publish('io:ch1', 'hello')).toBe(1);
    expect(await r.publish('io:news.tech', 'fresh')).toBe(1);
    expect(await r.publish('io:nobody', 'lost')).toBe(0);
    await waitFor(() => got.length === 2);
    expect(got).toEqual(['io:ch1:hello', 'io:news.*>io:news.tech:fresh']);
    expect(await r.pubsub('NUMSUB', 'io:ch1', 'io:ch2')).toEqual(['io:ch1', 1, 'io:ch2', 1]);
    // While subscribed, ordinary commands are refused by the client itself (RESP2 rules).
    await expect(sub.get('x')).rejects.toThrow(/Connection in subscriber mode/);

    // The server drops the subscriber: ioredis reconnects and subscribes again.
    const ids = (await r.call('CLIENT', 'LIST', 'TYPE', 'pubsub')) as string;
    const id = /id=(\d+)/.exec(ids)![1];
    let ready = 0;
    sub.on('ready', () => ready++);
    await kill(id);
    await waitFor(() => ready >= 1);
    // The subscriptions are sent again right after the reconnection: publish until one is delivered.
    let delivered = 0;
    await waitFor(() => {
      void r.publish('io:ch2', 'again').then((n) => (delivered = Math.max(delivered, n)));
      return delivered === 1;
    });
    await waitFor(() => got.length >= 3);
    expect(got[2]).toBe('io:ch2:again');
    // (Without arguments the client waits for one reply per channel it knows, on real Redis too: name them.)
    expect(await sub.unsubscribe('io:ch1', 'io:ch2')).toBe(1);
    expect(await sub.punsubscribe('io:news.*')).toBe(0);
    expect(await r.publish('io:ch1', 'none')).toBe(0);
    sub.disconnect();
  });

  it('binary keys and values as Buffers', async () => {
    const key = Buffer.concat([Buffer.from('io:bin:'), ALL_BYTES]);
    expect(await r.set(key, ALL_BYTES)).toBe('OK');
    expect(Buffer.compare((await r.getBuffer(key))!, ALL_BYTES)).toBe(0);
    expect(await r.strlen(key)).toBe(ALL_BYTES.length);
    expect(await r.append(key, Buffer.from([0, 255]))).toBe(ALL_BYTES.length + 2);
    expect(Buffer.compare((await r.getrangeBuffer(key, -2, -1))!, Buffer.from([0, 255]))).toBe(0);
    await r.hset('io:binh', ALL_BYTES, ALL_BYTES);
    const h = await r.hgetallBuffer('io:binh');
    expect(Object.keys(h).length).toBe(1);
    expect(Buffer.compare(Object.values(h)[0], ALL_BYTES)).toBe(0);
    await r.sadd('io:bins', Buffer.from([0xff, 0x00]), Buffer.from([0x00, 0xff]));
    const members = (await r.smembersBuffer('io:bins')).map((b) => b.toString('hex')).sort();
    expect(members).toEqual(['00ff', 'ff00']);
    const keys = await r.keysBuffer('io:bin:*');
    expect(keys.length).toBe(1);
    expect(Buffer.compare(keys[0], key)).toBe(0);
    await r.flushdb();
  });

  it('10 MB values, as Buffer and as string', async () => {
    const big = randomBytes(10 * 1024 * 1024);
    expect(await r.set('io:big', big)).toBe('OK');
    const back = await r.getBuffer('io:big');
    expect(back!.length).toBe(big.length);
    expect(Buffer.compare(back!, big)).toBe(0);
    expect(await r.strlen('io:big')).toBe(big.length);
    const text = 'x'.repeat(10 * 1024 * 1024 - 1) + 'y';
    await r.set('io:bigs', text);
    expect(await r.get('io:bigs')).toBe(text);
    // Many big replies in one pipeline.
    const res = (await r.pipeline().getBuffer('io:big').getBuffer('io:big').getBuffer('io:big').exec())!;
    for (const [e, v] of res) {
      expect(e).toBeNull();
      expect(Buffer.compare(v as Buffer, big)).toBe(0);
    }
    await r.flushdb();
  });

  it('reconnects after CLIENT KILL and queues commands meanwhile', async () => {
    const c = new Redis({ port: t.port, host: '127.0.0.1', retryStrategy: () => 20 });
    const events: string[] = [];
    c.on('close', () => events.push('close'));
    c.on('ready', () => events.push('ready'));
    c.on('error', () => {});
    await c.set('io:rc', '1');
    const id = Number(await c.client('ID'));
    await kill(id);
    // Commands sent while the link is down are queued and sent after reconnection.
    expect(await c.incr('io:rc')).toBe(2);
    const newId = Number(await c.client('ID'));
    expect(newId).not.toBe(id);
    expect(events).toContain('close');
    expect(events.filter((e) => e === 'ready').length).toBeGreaterThanOrEqual(2);
    // CLIENT KILL by address too.
    const addr = /addr=(\S+)/.exec((await c.client('INFO')) as string)![1];
    expect(await admin.call('CLIENT', 'KILL', addr)).toBe('+OK\r\n');
    expect(await c.get('io:rc')).toBe('2');
    c.disconnect();
  });

  it('scanStream, and Lua through defineCommand (EVALSHA falling back to EVAL)', async () => {
    for (let i = 0; i < 500; i++) await r.set(`io:scan:${i}`, 'v');
    const seen = new Set<string>();
    await new Promise<void>((resolve, reject) => {
      const s = r.scanStream({ match: 'io:scan:*', count: 50 });
      s.on('data', (keys: string[]) => keys.forEach((k) => seen.add(k)));
      s.on('end', resolve);
      s.on('error', reject);
    });
    expect(seen.size).toBe(500);
    if (await have('eval', 'evalsha', 'script')) {
      await r.script('FLUSH');
      r.defineCommand('addTwo', { numberOfKeys: 1, lua: "return redis.call('incrby', KEYS[1], ARGV[1]) + ARGV[1]" });
      const withCommand = r as Redis & { addTwo(key: string, n: number): Promise<number> };
      expect(await withCommand.addTwo('io:lua', 2)).toBe(4);
      expect(await withCommand.addTwo('io:lua', 2)).toBe(6);
    }
    await r.flushdb();
  });
});

// ------------------------------------------------------------------ node-redis

for (const RESP of [2, 3] as const) {
  describe(`node-redis, RESP${RESP}`, () => {
    const url = () => ({ socket: { port: t.port, host: '127.0.0.1', reconnectStrategy: () => 20 }, RESP });
    type Client = ReturnType<typeof createClient>;
    let c: Client;
    const p = `nr${RESP}:`;
    beforeAll(async () => {
      c = createClient(url()) as Client;
      c.on('error', () => {});
      await c.connect();
    });
    afterAll(async () => {
      c.destroy();
    });

    it('speaks the protocol it asked for and runs plain commands', async () => {
      const hello = (await c.sendCommand(['CLIENT', 'INFO'])) as string;
      expect(hello).toMatch(new RegExp(`resp=${RESP}`));
      expect(await c.ping()).toBe('PONG');
      expect(await c.set(`${p}k`, 'v', { expiration: { type: 'EX', value: 100 } })).toBe('OK');
      expect(await c.get(`${p}k`)).toBe('v');
      expect(await c.ttl(`${p}k`)).toBeGreaterThan(90);
      expect(await c.incrBy(`${p}n`, 7)).toBe(7);
      expect(await c.hSet(`${p}h`, { a: '1', b: '2' })).toBe(2);
      expect({ ...(await c.hGetAll(`${p}h`)) }).toEqual({ a: '1', b: '2' });
      expect(await c.sAdd(`${p}s`, ['x', 'y'])).toBe(2);
      expect([...(await c.sMembers(`${p}s`))].sort()).toEqual(['x', 'y']);
      expect(await c.sIsMember(`${p}s`, 'x')).toBe(1);
      expect(await c.exists([`${p}k`, `${p}nope`])).toBe(1);
      expect(await c.get(`${p}nope`)).toBeNull();
      await expect(c.hGet(`${p}k`, 'f')).rejects.toThrow(/^WRONGTYPE/);
      const info = await c.info('keyspace');
      expect(info).toMatch(/db0:keys=\d+,expires=\d+,avg_ttl=\d+/);
      // Doubles: a RESP3 double reply decodes as a number, RESP2 as a string.
      expect(await c.incrByFloat(`${p}f`, 1.5)).toBe('1.5');
      if (await have('zadd', 'zscore', 'zrange')) {
        await c.zAdd(`${p}z`, [
          { score: 1, value: 'a' },
          { score: 2.5, value: 'b' },
        ]);
        expect(await c.zScore(`${p}z`, 'b')).toBe(2.5);
        expect(await c.zRange(`${p}z`, 0, -1)).toEqual(['a', 'b']);
      }
      if (await have('rpush', 'lrange', 'lpop')) {
        await c.rPush(`${p}l`, ['a', 'b', 'c']);
        expect(await c.lRange(`${p}l`, 0, -1)).toEqual(['a', 'b', 'c']);
        expect(await c.lPop(`${p}l`)).toBe('a');
      }
      await c.flushDb();
    });

    it('pipelines: auto-pipelined promises and execAsPipeline', async () => {
      const sets = Array.from({ length: 5000 }, (_, i) => c.set(`${p}ap:${i}`, String(i)));
      expect((await Promise.all(sets)).every((r) => r === 'OK')).toBe(true);
      const gets = await Promise.all(Array.from({ length: 5000 }, (_, i) => c.get(`${p}ap:${i}`)));
      expect(gets).toEqual(Array.from({ length: 5000 }, (_, i) => String(i)));
      const res = await c.multi().set(`${p}x`, '1').incr(`${p}x`).get(`${p}x`).execAsPipeline();
      expect(res).toEqual(['OK', 2, '2']);
      await c.flushDb();
    });

    it('MULTI/EXEC and WATCH through the client API', async () => {
      expect(await c.multi().set(`${p}m`, '1').incr(`${p}m`).hSet(`${p}mh`, 'f', 'v').exec()).toEqual(['OK', 2, 1]);
      // An isolated connection for WATCH, as node-redis 5 wants.
      const w = c.duplicate();
      w.on('error', () => {});
      await w.connect();
      await w.watch(`${p}w`);
      await c.set(`${p}w`, 'other');
      await expect(w.multi().set(`${p}w`, 'mine').exec()).rejects.toThrow(/watch/i);
      await w.watch(`${p}w`);
      expect(await w.multi().set(`${p}w`, 'mine').exec()).toEqual(['OK']);
      expect(await c.get(`${p}w`)).toBe('mine');
      // A queued error: EXEC still runs the rest, the client reports the error.
      await c.set(`${p}str`, 'x');
      const failed = await c
        .multi()
        .incr(`${p}str`)
        .incr(`${p}m`)
        .exec()
        .then(
          () => ({ replies: [] as unknown[], errorIndexes: [] as number[] }),
          (e: unknown) => e as { replies: unknown[]; errorIndexes: number[] },
        );
      expect(failed.errorIndexes).toEqual([0]);
      expect(String(failed.replies[0])).toMatch(/ERR value is not an integer or out of range/);
      expect(failed.replies[1]).toBe(3);
      expect(await c.get(`${p}m`)).toBe('3');
      w.destroy();
      await c.flushDb();
    });

    it('pub/sub through subscribe/pSubscribe, and the subscriber survives CLIENT KILL', async () => {
      const sub = c.duplicate({ name: `${p}sub` });
      sub.on('error', () => {});
      await sub.connect();
      const got: string[] = [];
      await sub.subscribe(`${p}ch`, (msg, ch) => got.push(`${ch}:${msg}`));
      await sub.pSubscribe(`${p}news.*`, (msg, ch) => got.push(`*${ch}:${msg}`));
      expect(await c.publish(`${p}ch`, 'one')).toBe(1);
      expect(await c.publish(`${p}news.x`, 'two')).toBe(1);
      await waitFor(() => got.length === 2);
      expect(got).toEqual([`${p}ch:one`, `*${p}news.x:two`]);
      expect(await c.pubSubNumSub([`${p}ch`])).toEqual({ [`${p}ch`]: 1 });
      // Binary messages.
      const bin: Buffer[] = [];
      await sub.subscribe(`${p}bin`, (msg) => bin.push(msg), true);
      expect(await c.publish(`${p}bin`, ALL_BYTES)).toBe(1);
      await waitFor(() => bin.length === 1);
      expect(Buffer.compare(bin[0], ALL_BYTES)).toBe(0);
      if (RESP === 3) {
        // RESP3: the subscribed connection still runs ordinary commands.
        expect(await sub.ping()).toBe('PONG');
        expect(await sub.get(`${p}nokey`)).toBeNull();
      }
      // Killed by the server: node-redis reconnects and subscribes again.
      const list = (await c.sendCommand(['CLIENT', 'LIST'])) as string;
      await kill(new RegExp(`id=(\\d+)[^\\n]*name=${p}sub `).exec(list)![1]);
      await waitFor(() => sub.isReady && got.length === 2);
      let delivered = 0;
      await waitFor(() => {
        void c.publish(`${p}ch`, 'three').then((n) => (delivered = Math.max(delivered, n)));
        return delivered === 1;
      });
      await waitFor(() => got.includes(`${p}ch:three`));
      // (Without arguments node-redis waits forever after a resubscription, on real Redis too: name them.)
      await sub.unsubscribe([`${p}ch`, `${p}bin`]);
      await sub.pUnsubscribe(`${p}news.*`);
      expect(await c.publish(`${p}ch`, 'none')).toBe(0);
      sub.destroy();
    });

    it('binary values as Buffers, and 10 MB values', async () => {
      const b = c.withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer });
      const key = Buffer.concat([Buffer.from(`${p}bin:`), ALL_BYTES]);
      expect(await c.set(key, ALL_BYTES)).toBe('OK');
      const back = (await b.get(key)) as unknown as Buffer;
      expect(Buffer.isBuffer(back)).toBe(true);
      expect(Buffer.compare(back, ALL_BYTES)).toBe(0);
      await c.hSet(`${p}binh`, ALL_BYTES, ALL_BYTES);
      const fields = (await b.hGet(`${p}binh`, ALL_BYTES)) as unknown as Buffer;
      expect(Buffer.compare(fields, ALL_BYTES)).toBe(0);

      const big = randomBytes(10 * 1024 * 1024);
      expect(await c.set(`${p}big`, big)).toBe('OK');
      const bigBack = (await b.get(`${p}big`)) as unknown as Buffer;
      expect(bigBack.length).toBe(big.length);
      expect(Buffer.compare(bigBack, big)).toBe(0);
      const text = 'z'.repeat(10 * 1024 * 1024);
      await c.set(`${p}bigs`, text);
      expect(await c.get(`${p}bigs`)).toBe(text);
      expect(await c.strLen(`${p}bigs`)).toBe(text.length);
      await c.flushDb();
    });

    it('reconnects after CLIENT KILL', async () => {
      const k = c.duplicate();
      const events: string[] = [];
      k.on('error', () => events.push('error'));
      k.on('ready', () => events.push('ready'));
      k.on('reconnecting', () => events.push('reconnecting'));
      await k.connect();
      await k.set(`${p}rc`, '1');
      const id = Number(await k.clientId());
      await kill(id);
      await waitFor(() => events.filter((e) => e === 'ready').length >= 2);
      expect(await k.incr(`${p}rc`)).toBe(2);
      expect(Number(await k.clientId())).not.toBe(id);
      expect(events).toContain('reconnecting');
      // The RESP version chosen at connect time is chosen again.
      expect((await k.sendCommand(['CLIENT', 'INFO'])) as string).toMatch(new RegExp(`resp=${RESP}`));
      k.destroy();
      await c.flushDb();
    });
  });
}

// ------------------------------------------------------------------ redis-benchmark

const benchAvailable = spawnSync('redis-benchmark', ['--version'], { stdio: 'ignore' }).status === 0;

/** The tests of redis-benchmark's default suite (for -t) and the commands each needs. */
const BENCH_TESTS: Array<[string, string[]]> = [
  ['ping', ['ping']],
  ['set', ['set']],
  ['get', ['get']],
  ['incr', ['incr']],
  ['lpush', ['lpush']],
  ['rpush', ['rpush']],
  ['lpop', ['lpop']],
  ['rpop', ['rpop']],
  ['sadd', ['sadd']],
  ['hset', ['hset']],
  ['spop', ['spop']],
  ['zadd', ['zadd']],
  ['zpopmin', ['zpopmin']],
  ['lrange', ['lpush', 'lrange']],
  ['mset', ['mset']],
];

describe.skipIf(!benchAvailable)('redis-benchmark', () => {
  it('runs the default suite (-q -n 2000) without an error line', async () => {
    const tests: string[] = [];
    for (const [name, cmds] of BENCH_TESTS) if (await have(...cmds)) tests.push(name);
    const args = ['-p', String(t.port), '-h', '127.0.0.1', '-q', '-n', '2000'];
    // The whole default suite when everything is there, as a user would run it.
    if (tests.length < BENCH_TESTS.length) args.push('-t', tests.join(','));
    const out = await new Promise<{ code: number | null; text: string }>((resolve, reject) => {
      const child = spawn('redis-benchmark', args, { stdio: ['ignore', 'pipe', 'pipe'] });
      let text = '';
      child.stdout.on('data', (d) => (text += d));
      child.stderr.on('data', (d) => (text += d));
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`redis-benchmark timed out: ${text}`));
      }, 120_000);
      child.on('exit', (code) => {
        clearTimeout(timer);
        resolve({ code, text });
      });
    });
    const lines = out.text
      .split(/[\r\n]+/)
      .map((l) => l.trim())
      .filter((l) => l !== '' && !l.includes('rps='));
    expect(out.code).toBe(0);
    expect(lines.filter((l) => /error|warn|unknown/i.test(l))).toEqual([]);
    const results = lines.filter((l) => /: [\d.]+ requests per second/.test(l));
    // 20 result lines for the whole suite (PING twice, LPUSH again for LRANGE, 4 LRANGEs).
    if (tests.length === BENCH_TESTS.length) expect(results.length).toBe(20);
    else expect(results.length).toBeGreaterThanOrEqual(tests.length);
    expect(await admin.call('DBSIZE')).not.toBe(':0\r\n');
    await admin.call('FLUSHALL');
  });
});
