/**
 * MEMORY: the estimates of MEMORY USAGE checked against what the V8 heap
 * really grows by (after a full GC), the sampling rule, the reply shapes of
 * STATS / DOCTOR / MALLOC-STATS in RESP2 and RESP3, STATS field names and
 * order against the real redis-server, and consistency with INFO memory.
 */
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { Database, type KeyspaceHooks } from '../src/store/db';
import { HashValue } from '../src/store/types/hash';
import { SetValue } from '../src/store/types/set';
import type { RedisValue } from '../src/store/value';
import { ZSet } from '../src/store/types/zset';
import { ListValue } from '../src/store/types/list';
import { Config } from '../src/config/config';
import { keyMemoryUsage, valueMemoryUsage } from '../src/server/memstats';
import { startTsredis, startRealRedis, type TsredisHandle, type RunningServer } from './helpers/servers';
import { RawConnection } from './helpers/resp';
import { readReply, type RespValue } from '../src/protocol/resp-reader';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

/** The V8 heap plus what lives outside it for JS objects (typed arrays' buffers). */
function heapUsed(): number {
  gc();
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.external;
}

const hooks: KeyspaceHooks = {
  now: () => Date.now(),
  expireOnAccess: true,
  beforeWrite() {},
  keyModified() {},
  keyExpired() {},
  keyspaceLookup() {},
};

/** A fresh, flat string (not a slice or a rope of its parts). */
function flat(...parts: string[]): string {
  return parts.join('');
}

/**
 * Fills a database with `n` keys made by `make`; returns the sum of their
 * MEMORY USAGE estimates (SAMPLES 0: every element) and what the heap holds
 * for them: the heap with the database minus the heap once it is dropped,
 * both read after a full GC (a difference taken at once, so that garbage
 * left by earlier work cannot blur it).
 */
function measure(n: number, make: (i: number, db: Database) => void, samples = 0): { real: number; estimate: number } {
  const holder: { db: Database | null } = { db: null };
  const estimate = fill(holder, n, make, samples);
  const withDb = heapUsed();
  holder.db = null;
  const without = heapUsed();
  return { real: withDb - without, estimate };
}

/** Builds the database into holder.db (a function of its own: no register of the caller keeps it). */
function fill(holder: { db: Database | null }, n: number, make: (i: number, db: Database) => void, samples: number): number {
  const db = new Database(0, hooks);
  holder.db = db;
  for (let i = 0; i < n; i++) make(i, db);
  sum = { db, samples, total: 0 };
  db.keys.forEach(addEstimate);
  const estimate = sum.total;
  sum = null;
  return estimate;
}

/** The running sum of fill(), kept outside any closure so that nothing but holder.db refers to the database. */
let sum: { db: Database; samples: number; total: number } | null = null;
function addEstimate(k: string, v: RedisValue): void {
  sum!.total += keyMemoryUsage(sum!.db, k, v, sum!.samples);
}

/** The estimate is within `tolerance` (a fraction) of the heap growth. */
function expectClose(r: { real: number; estimate: number }, tolerance: number): void {
  const ratio = r.estimate / r.real;
  if (process.env.MEMORY_RATIOS) console.log(`estimate/heap ${ratio.toFixed(3)}`);
  expect(ratio, `estimate ${r.estimate} vs heap ${r.real}`).toBeGreaterThan(1 - tolerance);
  expect(ratio, `estimate ${r.estimate} vs heap ${r.real}`).toBeLessThan(1 + tolerance);
}

const LIMITS = { maxEntries: 128, maxValue: 64 };

describe('MEMORY USAGE estimates against the V8 heap', () => {
  it('short and long strings', () => {
    expectClose(
      measure(100_000, (i, db) => db.add(flat('key:', String(i)), flat('value-', String(i * 7)))),
      0.15,
    );
    expectClose(
      measure(2000, (i, db) => db.add(flat('big:', String(i)), flat(String(i), 'x'.repeat(3000 + (i % 100))))),
      0.1,
    );
  });

  it('keys with a TTL', () => {
    const when = Date.now() + 1e9;
    expectClose(
      measure(100_000, (i, db) => {
        const k = flat('key:', String(i));
        db.add(k, flat('v', String(i)));
        db.setExpire(k, when + i);
      }),
      0.15,
    );
  });

  it('listpack and hashtable hashes, small and big', () => {
    expectClose(
      measure(20_000, (i, db) => {
        const h = new HashValue();
        for (let f = 0; f < 6; f++) h.set(flat('field', String(f)), flat('value', String(i + f)), LIMITS);
        db.add(flat('h:', String(i)), h);
      }),
      0.15,
    );
    // Small hashtables: the buckets' fixed costs dominate.
    expectClose(
      measure(5000, (i, db) => {
        const h = new HashValue();
        h.set('a', flat('x'.repeat(70), String(i)), LIMITS);
        h.set('b', '1', LIMITS);
        db.add(flat('h:', String(i)), h);
      }),
      0.15,
    );
    expectClose(
      measure(4, (i, db) => {
        const h = new HashValue();
        for (let f = 0; f < 50_000; f++) h.set(flat('field:', String(f)), flat('value:', String(f * i)), LIMITS);
        db.add(flat('h:', String(i)), h);
      }),
      0.15,
    );
  });

  it('intsets and hashtable sets, small and big', () => {
    expectClose(
      measure(20_000, (i, db) => {
        const s = new SetValue();
        for (let m = 0; m < 20; m++) s.add(String(i * 100 + m), 512);
        db.add(flat('s:', String(i)), s);
      }),
      0.15,
    );
    expectClose(
      measure(5000, (i, db) => {
        const s = SetValue.forMember('a');
        s.add(flat('member-', String(i)), 512);
        s.add('b', 512);
        db.add(flat('s:', String(i)), s);
      }),
      0.15,
    );
    expectClose(
      measure(4, (i, db) => {
        const s = SetValue.forMember('m');
        for (let m = 0; m < 50_000; m++) s.add(flat('member:', String(m), ':', String(i)), 512);
        db.add(flat('s:', String(i)), s);
      }),
      0.15,
    );
  });

  it('sorted sets (generic estimate) and lists (their own figure) within 35%', () => {
    const config = new Config();
    const zset = (members: number) => (i: number, db: Database) => {
      const z = new ZSet();
      for (let m = 0; m < members; m++) z.add(flat('member', String(m)), m * 1.5 + i, 0, config);
      db.add(flat('z:', String(i)), z);
    };
    expectClose(measure(2000, zset(100)), 0.35);
    expectClose(measure(100, zset(2000)), 0.35);
    const list = (elements: number) => (i: number, db: Database) => {
      const l = new ListValue();
      for (let e = 0; e < elements; e++) l.pushTail(flat('element', String(e + i)));
      db.add(flat('l:', String(i)), l);
    };
    expectClose(measure(2000, list(100)), 0.35);
    expectClose(measure(20, list(10_000)), 0.35);
  });

  it('samples a few elements of a big collection and extrapolates, as Redis', () => {
    const h = new HashValue();
    for (let f = 0; f < 10_000; f++) h.set(flat('f', String(f).padStart(6, '0')), 'v'.repeat(100), LIMITS);
    const all = valueMemoryUsage(h, 0);
    const five = valueMemoryUsage(h, 5);
    expect(Math.abs(five - all) / all).toBeLessThan(0.05);
    // A collection with elements of very different sizes: sampling only some of them can miss the big ones.
    const s = SetValue.forMember('x');
    for (let m = 0; m < 1000; m++) s.add(m % 2 === 0 ? flat('s', String(m)) : flat('L', String(m), 'y'.repeat(1000)), 512);
    const sAll = valueMemoryUsage(s, 0);
    expect(sAll).toBeGreaterThan(500 * 1000);
    expect(valueMemoryUsage(s, 100_000)).toBe(sAll);
    // The compact encodings are measured whole, whatever the sample count.
    const small = new HashValue();
    small.set('a', 'b', LIMITS);
    expect(valueMemoryUsage(small, 1)).toBe(valueMemoryUsage(small, 0));
  });
});

// ------------------------------------------------------------------ over the wire

function parse(raw: string): RespValue {
  return readReply(raw)!.value;
}

/** A RESP2 flat array or a RESP3 map as [name, value] pairs. */
function pairs(v: RespValue): Array<[string, RespValue]> {
  if (v.type === 'map') return v.value.map(([k, val]) => [(k as { value: string }).value, val]);
  if (v.type !== 'array') throw new Error(`not a map: ${v.type}`);
  const out: Array<[string, RespValue]> = [];
  for (let i = 0; i < v.value.length; i += 2) out.push([(v.value[i] as { value: string }).value, v.value[i + 1]]);
  return out;
}

function num(v: RespValue | undefined): number {
  if (v === undefined) throw new Error('missing');
  if (v.type === 'int') return Number(v.value);
  if (v.type === 'bulk' || v.type === 'double') return Number(v.value);
  throw new Error(`not a number: ${v.type}`);
}

describe('MEMORY over the wire', () => {
  let t: TsredisHandle;
  let real: RunningServer | null;
  let c: RawConnection;
  beforeAll(async () => {
    t = await startTsredis();
    real = await startRealRedis();
    c = await RawConnection.connect(t.port);
  });
  afterAll(async () => {
    c.close();
    await t.stop();
    await real?.stop();
  });

  it('USAGE grows with the value and counts the TTL', async () => {
    await c.call('FLUSHALL');
    await c.call('SET', 'small', 'x');
    await c.call('SET', 'big', 'x'.repeat(100_000));
    const small = num(parse(await c.call('MEMORY', 'USAGE', 'small')));
    const big = num(parse(await c.call('MEMORY', 'USAGE', 'big')));
    expect(small).toBeGreaterThan(40);
    expect(small).toBeLessThan(200);
    expect(big).toBeGreaterThan(100_000);
    expect(big).toBeLessThan(100_300);
    await c.call('EXPIRE', 'small', '1000');
    expect(num(parse(await c.call('MEMORY', 'USAGE', 'small')))).toBeGreaterThan(small);
    expect(await c.call('MEMORY', 'USAGE', 'nokey')).toBe('$-1\r\n');
    // As Redis, a key past its TTL but not yet deleted is still measured, and not deleted by it.
    await c.call('DEBUG', 'SET-ACTIVE-EXPIRE', '0');
    await c.call('PSETEX', 'gone', '1', 'x');
    await new Promise((r) => setTimeout(r, 10));
    expect(parse(await c.call('MEMORY', 'USAGE', 'gone')).type).toBe('int');
    expect(await c.call('EXISTS', 'gone')).toBe(':0\r\n');
    expect(await c.call('MEMORY', 'USAGE', 'gone')).toBe('$-1\r\n');
    await c.call('DEBUG', 'SET-ACTIVE-EXPIRE', '1');
    // A key in another database is not seen.
    await c.call('SELECT', '3');
    expect(await c.call('MEMORY', 'USAGE', 'big')).toBe('$-1\r\n');
    await c.call('SELECT', '0');
  });

  it('USAGE of collections, SAMPLES', async () => {
    await c.call('FLUSHALL');
    const args: string[] = [];
    for (let i = 0; i < 2000; i++) args.push(`field:${i}`, 'v'.repeat(50));
    await c.call('HSET', 'h', ...args);
    const h5 = num(parse(await c.call('MEMORY', 'USAGE', 'h')));
    const hAll = num(parse(await c.call('MEMORY', 'USAGE', 'h', 'SAMPLES', '0')));
    expect(hAll).toBeGreaterThan(2000 * 100);
    expect(Math.abs(h5 - hAll) / hAll).toBeLessThan(0.1);
    await c.call('SADD', 's', '1', '2', '3');
    const intset = num(parse(await c.call('MEMORY', 'USAGE', 's')));
    await c.call('SADD', 's', 'not-an-integer');
    expect(num(parse(await c.call('MEMORY', 'USAGE', 's')))).toBeGreaterThan(intset);
    expect(await c.call('MEMORY', 'USAGE', 'h', 'SAMPLES', '-1')).toBe('-ERR syntax error\r\n');
    expect(await c.call('MEMORY', 'USAGE', 'h', 'SAMPLES', 'x')).toBe('-ERR value is not an integer or out of range\r\n');
    expect(await c.call('MEMORY', 'USAGE', 'h', 'SAMPLES')).toBe('-ERR syntax error\r\n');
    expect(parse(await c.call('MEMORY', 'USAGE', 'h', 'SAMPLES', '1', 'samples', '99999999999999999')).type).toBe('int');
    // Types without their own estimate still answer.
    if (!(await c.call('RPUSH', 'l', 'a', 'b', 'c')).startsWith('-')) expect(num(parse(await c.call('MEMORY', 'USAGE', 'l')))).toBeGreaterThan(0);
    if (!(await c.call('ZADD', 'z', '1', 'a', '2', 'b')).startsWith('-')) expect(num(parse(await c.call('MEMORY', 'USAGE', 'z')))).toBeGreaterThan(0);
  });

  it('STATS: the fields, in RESP2 and RESP3, with per-database entries', async () => {
    await c.call('FLUSHALL');
    await c.call('DEBUG', 'POPULATE', '1000');
    await c.call('SELECT', '5');
    await c.call('SET', 'a', '1');
    await c.call('EXPIRE', 'a', '100');
    await c.call('SELECT', '0');
    const two = pairs(parse(await c.call('MEMORY', 'STATS')));
    const map = new Map(two);
    expect(num(map.get('keys.count'))).toBe(1001);
    expect(pairs(map.get('db.0')!).map(([k]) => k)).toEqual(['overhead.hashtable.main', 'overhead.hashtable.expires', 'overhead.hashtable.slot-to-keys']);
    expect(num(new Map(pairs(map.get('db.5')!)).get('overhead.hashtable.expires'))).toBeGreaterThan(0);
    expect(num(new Map(pairs(map.get('db.0')!)).get('overhead.hashtable.expires'))).toBe(0);
    expect(map.has('db.1')).toBe(false);
    const total = num(map.get('total.allocated'));
    expect(num(map.get('peak.allocated'))).toBeGreaterThanOrEqual(total);
    expect(num(map.get('dataset.bytes'))).toBe(Math.max(0, total - num(map.get('overhead.total'))));
    expect(num(map.get('overhead.total'))).toBeGreaterThanOrEqual(num(map.get('startup.allocated')));
    // Ratios are doubles: a RESP2 bulk string, a RESP3 `,`.
    expect(map.get('fragmentation')!.type).toBe('bulk');
    expect(num(map.get('fragmentation'))).toBeGreaterThan(0);

    const c3 = await RawConnection.connect(t.port);
    await c3.call('HELLO', '3');
    const raw3 = await c3.call('MEMORY', 'STATS');
    expect(raw3.startsWith('%29\r\n')).toBe(true); // 27 fields and db.0, db.5
    const three = pairs(parse(raw3));
    expect(three.map(([k]) => k)).toEqual(two.map(([k]) => k));
    expect(new Map(three).get('fragmentation')!.type).toBe('double');
    expect(new Map(three).get('db.0')!.type).toBe('map');
    // DOCTOR and MALLOC-STATS are verbatim text in RESP3, bulk strings in RESP2.
    expect((await c3.call('MEMORY', 'DOCTOR')).startsWith('=')).toBe(true);
    expect((await c3.call('MEMORY', 'MALLOC-STATS')).startsWith('=')).toBe(true);
    expect(await c3.call('MEMORY', 'USAGE', 'nokey')).toBe('_\r\n');
    c3.close();
    expect((await c.call('MEMORY', 'DOCTOR')).startsWith('$')).toBe(true);
    expect(await c.call('MEMORY', 'MALLOC-STATS')).toContain('heap');
    expect(await c.call('MEMORY', 'PURGE')).toBe('+OK\r\n');
  });

  it('STATS has the field names of real Redis, in its order', async () => {
    if (real === null) return console.warn('redis-server not installed: STATS field comparison skipped');
    const r = await RawConnection.connect(real.port);
    for (const conn of [r, c]) {
      await conn.call('FLUSHALL');
      await conn.call('SET', 'k', 'v');
      await conn.call('SELECT', '2');
      await conn.call('SET', 'k', 'v');
      await conn.call('SELECT', '0');
    }
    const theirs = pairs(parse(await r.call('MEMORY', 'STATS')));
    const ours = pairs(parse(await c.call('MEMORY', 'STATS')));
    expect(ours.map(([k, v]) => [k, v.type])).toEqual(theirs.map(([k, v]) => [k, v.type]));
    const theirDb = pairs(new Map(theirs).get('db.2')!).map(([k]) => k);
    expect(pairs(new Map(ours).get('db.2')!).map(([k]) => k)).toEqual(theirDb);
    r.close();
  });

  it('INFO memory tells the same story', async () => {
    await c.call('FLUSHALL');
    await c.call('DEBUG', 'POPULATE', '5000');
    const stats = new Map(pairs(parse(await c.call('MEMORY', 'STATS'))));
    const info = (parse(await c.call('INFO', 'memory')) as { value: string }).value;
    const field = (name: string) => Number(new RegExp(`^${name}:(\\d+)`, 'm').exec(info)![1]);
    expect(field('used_memory_startup')).toBe(num(stats.get('startup.allocated')));
    // Client buffers differ between the two calls by a few hundred bytes at most.
    expect(Math.abs(field('used_memory_overhead') - num(stats.get('overhead.total')))).toBeLessThan(20_000);
    expect(field('used_memory_peak')).toBeGreaterThanOrEqual(num(stats.get('peak.allocated')));
    // The per-key table overhead is part of the overhead, not of the dataset.
    expect(field('used_memory_overhead') - field('used_memory_startup')).toBeGreaterThan(5000 * 40);
  });

  it('DOCTOR finds no data on an empty server and reports on a big one', async () => {
    await c.call('FLUSHALL');
    const empty = (parse(await c.call('MEMORY', 'DOCTOR')) as { value: string }).value;
    expect(empty).toMatch(/almost no data/);
    await c.call('DEBUG', 'POPULATE', '200000', 'doc', '50');
    const full = (parse(await c.call('MEMORY', 'DOCTOR')) as { value: string }).value;
    expect(full).not.toMatch(/almost no data/);
    expect(full).toMatch(/^(No memory problems found|Memory report: \d+ possible problem)/);
    await c.call('FLUSHALL');
  });
});
