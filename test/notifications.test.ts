/**
 * Keyspace notifications diffed against real Redis: one connection
 * subscribes to `__key*__:*`, another runs commands, and the message
 * streams must be identical (event names, classes, order, databases,
 * keyspace vs keyevent channels, `new`, `keymiss`, lazy and active `expired`).
 *
 * Families other helpers own are covered once their commands exist in
 * tsredis (a family whose commands are missing is skipped, not faked).
 */
import { describe, it, expect } from 'vitest';
import { bothServers, redisServerAvailable, type TsredisHandle } from './helpers/servers';
import { sameStreams, sameTranscript, type Step } from './helpers/multiconn';
import { CommandTable } from '../src/commands/table';
import { Server } from '../src/server/server';
import { Config } from '../src/config/config';
import { Logger } from '../src/server/log';
import { NOTIFY, parseNotifyFlags } from '../src/server/notify';

const available = redisServerAvailable();
const table = new CommandTable();
const has = (names: string[]) => names.every((n) => table.lookup(n) !== undefined);

/** Commands per family, each touching keys in ways that fire (or not) events. */
const FAMILIES: Record<string, string[][]> = {
  strings: [
    ['SET', 's1', 'v'],
    ['SET', 's1', 'v2'],
    ['SET', 's1', 'v3', 'NX'],
    ['SET', 's1', 'v3', 'XX', 'EX', '100'],
    ['SET', 's2', 'v', 'PX', '100000', 'GET'],
    ['SET', 's2', 'v', 'KEEPTTL'],
    ['SETNX', 's3', 'a'],
    ['SETNX', 's3', 'b'],
    ['SETEX', 's4', '100', 'x'],
    ['PSETEX', 's5', '100000', 'x'],
    ['MSET', 'm1', '1', 'm2', '2'],
    ['MSETNX', 'm3', '1', 'm1', '2'],
    ['MSETNX', 'm4', '1', 'm5', '2'],
    ['APPEND', 's1', 'more'],
    ['APPEND', 'new-append', 'x'],
    ['INCR', 'n'],
    ['INCRBY', 'n', '5'],
    ['DECR', 'n'],
    ['DECRBY', 'n', '2'],
    ['INCRBYFLOAT', 'f', '1.5'],
    ['INCR', 's1'],
    ['SETRANGE', 's1', '2', 'XY'],
    ['SETRANGE', 'sr', '3', 'abc'],
    ['SETRANGE', 'sr-empty', '0', ''],
    ['GETSET', 's1', 'gs'],
    ['GETDEL', 's1'],
    ['GETDEL', 's1'],
    ['GETEX', 's3', 'EX', '100'],
    ['GETEX', 's3', 'PERSIST'],
    ['GETEX', 's3'],
    ['SETBIT', 'b', '7', '1'],
    ['SETBIT', 'b', '7', '1'],
    ['BITOP', 'OR', 'bo', 'b', 'nokey'],
    ['BITOP', 'AND', 'bo', 'nokey1', 'nokey2'],
    ['BITFIELD', 'bf', 'SET', 'u8', '0', '255'],
    ['BITFIELD', 'bf', 'GET', 'u8', '0'],
    ['GET', 'nokey'],
  ],
  generic: [
    ['SET', 'a', '1'],
    ['SET', 'b', '2'],
    ['EXPIRE', 'a', '100'],
    ['PEXPIRE', 'a', '100000'],
    ['EXPIREAT', 'a', '99999999999'],
    ['PEXPIREAT', 'a', '99999999999999'],
    ['EXPIRE', 'a', '100', 'NX'],
    ['PERSIST', 'a'],
    ['PERSIST', 'a'],
    ['EXPIRE', 'nokey', '100'],
    ['RENAME', 'a', 'c'],
    ['RENAME', 'c', 'b'],
    ['RENAME', 'b', 'b'],
    ['RENAMENX', 'b', 'd'],
    ['SET', 'e', '1'],
    ['RENAMENX', 'd', 'e'],
    ['COPY', 'd', 'f'],
    ['COPY', 'd', 'f', 'REPLACE'],
    ['MOVE', 'f', '1'],
    ['DEL', 'd', 'e', 'nokey'],
    ['UNLINK', 'f'],
    ['SET', 'g', '1'],
    ['EXPIRE', 'g', '-1'],
    ['SET', 'h', '1'],
    ['PEXPIREAT', 'h', '1'],
    ['SET', 'i', '1'],
    ['EXPIRE', 'i', '0'],
    ['TYPE', 'nokey'],
    ['EXISTS', 'nokey'],
    ['TTL', 'nokey'],
  ],
  lists: [
    ['LPUSH', 'l', 'a', 'b'],
    ['RPUSH', 'l', 'c'],
    ['LPUSHX', 'l', 'x'],
    ['RPUSHX', 'nolist', 'x'],
    ['LINSERT', 'l', 'BEFORE', 'c', 'z'],
    ['LINSERT', 'l', 'BEFORE', 'nothere', 'z'],
    ['LSET', 'l', '0', 'y'],
    ['LREM', 'l', '0', 'z'],
    ['LTRIM', 'l', '0', '2'],
    ['LPOP', 'l'],
    ['RPOP', 'l', '1'],
    ['RPUSH', 'src', '1', '2'],
    ['RPOPLPUSH', 'src', 'dst'],
    ['LMOVE', 'src', 'dst', 'LEFT', 'RIGHT'],
    ['LMOVE', 'dst', 'dst', 'LEFT', 'RIGHT'],
    ['LMPOP', '1', 'dst', 'LEFT', 'COUNT', '10'],
    ['RPUSH', 'tr', 'a'],
    ['LTRIM', 'tr', '1', '0'],
    ['LPOP', 'l', '10'],
    ['BLPOP', 'l', 'src', '0.01'],
    ['RPUSH', 'bl', 'x'],
    ['BLPOP', 'bl', '0'],
    ['LRANGE', 'nolist', '0', '-1'],
  ],
  hashes: [
    ['HSET', 'h', 'f1', 'v1', 'f2', 'v2'],
    ['HSET', 'h', 'f1', 'v1'],
    ['HSETNX', 'h', 'f3', 'v'],
    ['HSETNX', 'h', 'f3', 'v'],
    ['HMSET', 'h', 'f4', 'v'],
    ['HINCRBY', 'h', 'n', '3'],
    ['HINCRBYFLOAT', 'h', 'fl', '1.5'],
    ['HDEL', 'h', 'f1', 'nothere'],
    ['HDEL', 'h', 'nothere'],
    ['HDEL', 'h', 'f2', 'f3', 'f4', 'n', 'fl'],
    ['HGET', 'nohash', 'f'],
  ],
  sets: [
    ['SADD', 's', 'a', 'b', 'c'],
    ['SADD', 's', 'a'],
    ['SREM', 's', 'a', 'zz'],
    ['SREM', 's', 'zz'],
    ['SMOVE', 's', 't', 'b'],
    ['SMOVE', 's', 't', 'zz'],
    ['SADD', 'u', 'c', 'd'],
    ['SINTERSTORE', 'i', 's', 'u'],
    ['SUNIONSTORE', 'un', 's', 'u'],
    ['SDIFFSTORE', 'di', 's', 'u'],
    ['SINTERSTORE', 'un', 'nokey', 'u'],
    ['SREM', 'u', 'c'],
    // SPOP picks at random: pop from single-element sets so both servers agree.
    ['SPOP', 'u'],
    ['SPOP', 't', '5'],
    ['SREM', 's', 'c'],
    ['SISMEMBER', 'noset', 'x'],
  ],
  zsets: [
    ['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c', '4', 'd'],
    ['ZADD', 'z', '1', 'a'],
    ['ZADD', 'z', 'INCR', '5', 'a'],
    ['ZINCRBY', 'z', '1', 'b'],
    ['ZREM', 'z', 'c', 'zz'],
    ['ZREM', 'z', 'zz'],
    ['ZADD', 'z2', '1', 'x', '2', 'y', '3', 'w'],
    ['ZUNIONSTORE', 'zu', '2', 'z', 'z2'],
    ['ZINTERSTORE', 'zi', '2', 'z', 'z2'],
    ['ZDIFFSTORE', 'zd', '2', 'z', 'z2'],
    ['ZRANGESTORE', 'zr', 'z', '0', '1'],
    ['ZREMRANGEBYSCORE', 'z2', '1', '1'],
    ['ZREMRANGEBYRANK', 'z2', '0', '0'],
    ['ZADD', 'zl', '0', 'a', '0', 'b'],
    ['ZREMRANGEBYLEX', 'zl', '[a', '[a'],
    ['ZPOPMIN', 'z'],
    ['ZPOPMAX', 'z', '10'],
    ['BZPOPMIN', 'zu', '0'],
    ['ZMPOP', '1', 'zu', 'MIN', 'COUNT', '10'],
    ['ZREMRANGEBYLEX', 'zl', '-', '+'],
    ['ZSCORE', 'nozset', 'x'],
  ],
};

describe.skipIf(!available)('keyspace notifications differential', () => {
  const servers = bothServers();
  const same = (nconn: number, steps: Step[]) => sameTranscript(servers, nconn, steps);

  /** Subscriber on connection 1, commands on connection 0 under `flags`. */
  function scenario(flags: string, commands: string[][], extra: Step[] = []): Step[] {
    return [
      { config: ['notify-keyspace-events', flags] },
      { on: 1, cmd: ['PSUBSCRIBE', '__key*__:*'] },
      ...commands.map((cmd): Step => ({ on: 0, cmd })),
      ...extra,
      { config: ['notify-keyspace-events', ''] },
    ];
  }

  for (const [family, commands] of Object.entries(FAMILIES)) {
    const names = [...new Set(commands.map((c) => c[0].toLowerCase()))];
    it.skipIf(!has(names))(`${family}: every event with KEA`, async () => {
      const t = await same(2, scenario('KEA', commands));
      expect(t.join('\n')).toContain('pmessage');
    });
    // Not 'KEAnm': Redis shows it as 'AKEm' in CONFIG GET, yet still sends `new` (see the report on config).
    it.skipIf(!has(names))(`${family}: new keys and misses with KEg$lshzxnm`, async () => {
      await same(2, scenario('KEg$lshzxnm', commands));
    });
  }

  // Each event must belong to the right class: with one class letter on, only its events come.
  for (const letter of ['g', '$', 'l', 's', 'h', 'z', 'x']) {
    it(`class ${letter} alone selects its events`, async () => {
      const commands: string[][] = [];
      for (const list of Object.values(FAMILIES)) {
        const names = [...new Set(list.map((c) => c[0].toLowerCase()))];
        if (has(names)) commands.push(...list.slice(0, 12));
      }
      commands.push(['DEL', 's1', 'a', 'l', 'h', 's', 'z']);
      await sameStreams(servers, 2, scenario('E' + letter, commands), 15);
    });
  }

  it('strings basics: set, keyspace vs keyevent, databases, binary keys', async () => {
    const t = await same(2, [
      { config: ['notify-keyspace-events', 'KE$'] },
      { on: 1, cmd: ['PSUBSCRIBE', '__key*__:*'] },
      { on: 0, cmd: ['SET', 'a', '1'] },
      { on: 0, cmd: ['SET', 'a\x00\xff\r\n', '1'] },
      { on: 0, cmd: ['SELECT', '7'] },
      { on: 0, cmd: ['SET', 'a', '1'] },
      { config: ['notify-keyspace-events', 'K$'] },
      { on: 0, cmd: ['SET', 'only-keyspace', '1'] },
      { config: ['notify-keyspace-events', 'E$'] },
      { on: 0, cmd: ['SET', 'only-keyevent', '1'] },
      { config: ['notify-keyspace-events', '$'] },
      { on: 0, cmd: ['SET', 'neither', '1'] },
      { config: ['notify-keyspace-events', 'KE'] },
      { on: 0, cmd: ['SET', 'no-class', '1'] },
      { config: ['notify-keyspace-events', 'KEg'] },
      { on: 0, cmd: ['SET', 'generic-only', '1'] },
      { config: ['notify-keyspace-events', ''] },
      { on: 0, cmd: ['SET', 'off', '1'] },
    ]);
    expect(t.join('\n')).toContain('__keyspace@7__:a');
  });

  it('new (n): only when a key is created, before the command event', async () => {
    await same(2, [
      { config: ['notify-keyspace-events', 'KEn$'] },
      { on: 1, cmd: ['PSUBSCRIBE', '__key*__:*'] },
      { on: 0, cmd: ['SET', 'a', '1'] },
      { on: 0, cmd: ['SET', 'a', '2'] },
      { config: ['notify-keyspace-events', 'Kn'] },
      { on: 0, cmd: ['SET', 'b', '1'] },
      { config: ['notify-keyspace-events', 'En'] },
      { on: 0, cmd: ['SET', 'c', '1'] },
      { config: ['notify-keyspace-events', 'n'] },
      { on: 0, cmd: ['SET', 'd', '1'] },
      { config: ['notify-keyspace-events', 'KE$'] },
      { on: 0, cmd: ['SET', 'e', '1'] },
      { config: ['notify-keyspace-events', ''] },
    ]);
  });

  it('new (n) next to A: still delivered though CONFIG GET hides it', async () => {
    await same(2, [
      { config: ['notify-keyspace-events', 'KEAn'] },
      { on: 1, cmd: ['PSUBSCRIBE', '__key*__:*'] },
      { on: 0, cmd: ['SET', 'a', '1'] },
      { on: 0, cmd: ['CONFIG', 'GET', 'notify-keyspace-events'] },
      { config: ['notify-keyspace-events', 'KEA'] },
      { on: 0, cmd: ['SET', 'b', '1'] },
      { config: ['notify-keyspace-events', ''] },
    ]);
  });

  it('keymiss (m): read misses only', async () => {
    await same(2, [
      { config: ['notify-keyspace-events', 'KEm'] },
      { on: 1, cmd: ['PSUBSCRIBE', '__key*__:*'] },
      { on: 0, cmd: ['GET', 'nokey'] },
      { on: 0, cmd: ['SET', 'k', 'v'] },
      { on: 0, cmd: ['GET', 'k'] },
      { on: 0, cmd: ['SELECT', '3'] },
      { on: 0, cmd: ['GET', 'k'] },
      { config: ['notify-keyspace-events', 'Em'] },
      { on: 0, cmd: ['GET', 'other'] },
      { config: ['notify-keyspace-events', ''] },
      { on: 0, cmd: ['GET', 'nokey'] },
    ]);
  });

  it('expired: lazily on access (or actively: only the order of each stream is compared)', async (ctx) => {
    if (!probeSetPx(servers.ours)) return ctx.skip();
    // One expiring key at a time, so lazy and active expiry give the same order.
    const t = await sameStreams(servers, 2, [
      { config: ['notify-keyspace-events', 'KEA'] },
      { on: 1, cmd: ['PSUBSCRIBE', '__key*__:*'] },
      { on: 0, cmd: ['SET', 'e1', 'v', 'PX', '30'] },
      { sleep: 80 },
      { on: 0, cmd: ['GET', 'e1'] },
      // Overwriting an expired key: expired first.
      { on: 0, cmd: ['SET', 'e2', 'v', 'PX', '30'] },
      { sleep: 80 },
      { on: 0, cmd: ['SET', 'e2', 'again'] },
      { config: ['notify-keyspace-events', 'KEx'] },
      { on: 0, cmd: ['SET', 'e3', 'v', 'PX', '30'] },
      { sleep: 80 },
      { on: 0, cmd: ['GET', 'e3'] },
      { config: ['notify-keyspace-events', 'KEg$lshzxnm'] },
      { on: 0, cmd: ['SET', 'e4', 'v', 'PX', '30'] },
      { sleep: 80 },
      { on: 0, cmd: ['GET', 'e4'] },
      { on: 0, cmd: ['SET', 'e5', 'v', 'PX', '30'] },
      { sleep: 80 },
      { on: 0, cmd: ['SET', 'e5', 'v'] },
      { config: ['notify-keyspace-events', ''] },
    ]);
    expect(t[1]).toContain('__keyevent@0__:expired');
  });

  it('expired: by the active expire cycle, with nobody reading', async (ctx) => {
    if (!probeSetPx(servers.ours)) return ctx.skip();
    await same(2, [
      { config: ['notify-keyspace-events', 'Ex'] },
      { on: 1, cmd: ['SUBSCRIBE', '__keyevent@0__:expired'] },
      { on: 0, cmd: ['SET', 'gone', 'v', 'PX', '20'] },
      { sleep: 600 },
      { config: ['notify-keyspace-events', ''] },
    ]);
  });

  it('events of a transaction arrive at EXEC, to several subscribers', async () => {
    await same(3, [
      { config: ['notify-keyspace-events', 'KEA'] },
      { on: 1, cmd: ['PSUBSCRIBE', '__key*__:*'] },
      { on: 2, cmd: ['SUBSCRIBE', '__keyevent@0__:set'] },
      { on: 0, cmd: ['MULTI'] },
      { on: 0, cmd: ['SET', 'a', '1'] },
      { on: 0, cmd: ['SET', 'b', '2'] },
      { on: 0, cmd: ['GET', 'a'] },
      { on: 0, cmd: ['EXEC'] },
      { config: ['notify-keyspace-events', ''] },
    ]);
  });

  it('FLUSHALL and FLUSHDB send no key events', async () => {
    await same(2, [
      { config: ['notify-keyspace-events', 'KEA'] },
      { on: 1, cmd: ['PSUBSCRIBE', '__key*__:*'] },
      { on: 0, cmd: ['SET', 'a', '1'] },
      { on: 0, cmd: ['FLUSHDB'] },
      { on: 0, cmd: ['FLUSHALL'] },
      { config: ['notify-keyspace-events', ''] },
    ]);
  });

  it('RESP3 subscriber gets notifications as pushes', async () => {
    await same(2, [
      { config: ['notify-keyspace-events', 'KEA'] },
      { resp3: 1 },
      { on: 1, cmd: ['SUBSCRIBE', '__keyspace@0__:k'] },
      { on: 0, cmd: ['SET', 'k', '1'] },
      // A RESP3 client gets the notifications of its own commands before their reply.
      { on: 1, cmd: ['SET', 'k', '2'], replies: 2 },
      { config: ['notify-keyspace-events', ''] },
    ]);
  });
});

/** Whether tsredis's SET takes PX yet (strings family). */
function probeSetPx(h: TsredisHandle): boolean {
  const c = h.server.createClient(null);
  c.server.processCommand(c, ['SET', '__probe__', 'v', 'PX', '1000']);
  const ok = c.take() === '+OK\r\n';
  c.server.processCommand(c, ['FLUSHALL']);
  c.take();
  return ok;
}

describe('notification flags', () => {
  it('parse every class letter', () => {
    expect(parseNotifyFlags('K')).toBe(NOTIFY.keyspace);
    expect(parseNotifyFlags('E')).toBe(NOTIFY.keyevent);
    expect(parseNotifyFlags('g$lshzxetdmn')).toBe(
      NOTIFY.generic | NOTIFY.string | NOTIFY.list | NOTIFY.set | NOTIFY.hash | NOTIFY.zset | NOTIFY.expired | NOTIFY.evicted | NOTIFY.stream | NOTIFY.module | NOTIFY.keyMiss | NOTIFY.newKey,
    );
    // A covers the type classes, not keymiss nor new.
    const a = parseNotifyFlags('A');
    expect(a & NOTIFY.keyMiss).toBe(0);
    expect(a & NOTIFY.newKey).toBe(0);
    expect(a & NOTIFY.string).toBe(NOTIFY.string);
    expect(a & NOTIFY.keyspace).toBe(0);
  });

  it('server.notify publishes on both channels only for enabled classes', () => {
    const config = new Config();
    const server = new Server(config, new Logger({ level: 'warning', pretty: false, file: '' }));
    const sub = server.createClient(null);
    server.pubsub.subscribe(sub, 'pattern', '*');
    sub.take();
    server.notifyFlags = parseNotifyFlags('Kl');
    server.notify(NOTIFY.string, 'set', 'k', 0);
    expect(sub.take()).toBe('');
    server.notify(NOTIFY.list, 'lpush', 'k', 2);
    expect(sub.take()).toBe('*4\r\n$8\r\npmessage\r\n$1\r\n*\r\n$16\r\n__keyspace@2__:k\r\n$5\r\nlpush\r\n');
    server.notifyFlags = parseNotifyFlags('El');
    server.notify(NOTIFY.list, 'lpush', 'k', 0);
    expect(sub.take()).toBe('*4\r\n$8\r\npmessage\r\n$1\r\n*\r\n$20\r\n__keyevent@0__:lpush\r\n$1\r\nk\r\n');
    server.close();
  });
});
