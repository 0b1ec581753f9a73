/**
 * Hashes beyond what the case files show: the HashValue and ScanMap
 * invariants, randomized differential runs against real Redis (with low
 * listpack thresholds so encodings change all the time), complete HSCAN
 * walks while the hash changes, HRANDFIELD distributions, propagation, and
 * a big hash.
 */
import { describe, it, expect } from 'vitest';
import { HashValue, type HashLimits } from '../src/store/types/hash';
import { ScanMap } from '../src/store/types/scantable';
import { connectedServers, recordingServer, redisServerAvailable } from './helpers/servers';
import { bulks, parseReply, pipeline, scanAll } from './helpers/resp';
import type { RespValue } from '../src/protocol/resp-reader';
import { seeded } from './helpers/random';

const LIMITS: HashLimits = { maxEntries: 512, maxValue: 64 };

/** Flat [f, v, f, v] -> sorted "f\0v" list. */
function sortedPairs(flat: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < flat.length; i += 2) out.push(flat[i] + '\0' + flat[i + 1]);
  return out.sort();
}

describe('HashValue', () => {
  it('keeps listpack order: appends, replaces in place, closes gaps', () => {
    const h = new HashValue();
    expect(h.set('a', '1', LIMITS)).toBe(true);
    expect(h.set('b', '2', LIMITS)).toBe(true);
    expect(h.set('c', '3', LIMITS)).toBe(true);
    expect(h.set('a', '10', LIMITS)).toBe(false);
    expect(h.delete('b')).toBe(true);
    expect(h.delete('b')).toBe(false);
    h.set('b', '20', LIMITS);
    const seen: string[] = [];
    h.forEach((f, v) => seen.push(`${f}=${v}`));
    expect(seen).toEqual(['a=10', 'c=3', 'b=20']);
    expect(h.encoding()).toBe('listpack');
    expect(h.size).toBe(3);
  });

  it('converts past maxEntries, on long fields or values, also on replacement, and never back', () => {
    const lim = { maxEntries: 3, maxValue: 5 };
    const h = new HashValue();
    for (const f of ['a', 'b', 'c']) h.set(f, 'v', lim);
    expect(h.encoding()).toBe('listpack');
    h.set('d', 'v', lim);
    expect(h.encoding()).toBe('hashtable');
    h.delete('a');
    h.delete('b');
    h.delete('c');
    expect(h.encoding()).toBe('hashtable');
    expect(h.get('d')).toBe('v');

    const long = new HashValue();
    long.set('x', '12345', lim);
    expect(long.encoding()).toBe('listpack');
    long.set('x', '123456', lim);
    expect(long.encoding()).toBe('hashtable');

    const lowered = new HashValue();
    lowered.set('x', '1', lim);
    lowered.set('x', '2', { maxEntries: 0, maxValue: 5 });
    expect(lowered.encoding()).toBe('hashtable');
  });

  it('packs lengths of any size (varints) and binary data in a listpack', () => {
    const lim = { maxEntries: 512, maxValue: 1 << 30 };
    const h = new HashValue();
    const sizes = [0, 1, 127, 128, 129, 255, 256, 16383, 16384, 16385, 300000];
    for (const n of sizes) h.set(`f${n}`, String.fromCharCode(...Array.from({ length: Math.min(n, 1000) }, (_, i) => i & 255)).padEnd(n, '\xff'), lim);
    h.set('\x80\x00\xff', '\x7f\x80', lim);
    expect(h.encoding()).toBe('listpack');
    expect(h.size).toBe(sizes.length + 1);
    for (const n of sizes) expect(h.get(`f${n}`)!.length).toBe(n);
    expect(h.get('\x80\x00\xff')).toBe('\x7f\x80');
    // Replace with other lengths, delete in the middle, at the ends.
    h.set('f128', 'short', lim);
    h.set('f0', 'x'.repeat(20000), lim);
    expect(h.delete('f16384')).toBe(true);
    const order: string[] = [];
    h.forEach((f, v) => order.push(`${f}:${v.length}`));
    expect(order).toEqual(['f0:20000', 'f1:1', 'f127:127', 'f128:5', 'f129:129', 'f255:255', 'f256:256', 'f16383:16383', 'f16385:16385', 'f300000:300000', '\x80\x00\xff:2']);
    expect(h.delete('f0')).toBe(true);
    expect(h.delete('\x80\x00\xff')).toBe(true);
    expect(h.get('f300000')!.length).toBe(300000);
    expect(h.size).toBe(sizes.length - 2);
    // A field that is a prefix of another, and the empty field.
    const p = new HashValue();
    p.set('ab', '1', LIMITS);
    p.set('a', '2', LIMITS);
    p.set('', '3', LIMITS);
    expect([p.get('a'), p.get('ab'), p.get(''), p.get('abc')]).toEqual(['2', '1', '3', undefined]);
  });

  it('clones deeply in both encodings', () => {
    for (const n of [3, 600]) {
      const h = new HashValue();
      for (let i = 0; i < n; i++) h.set(`f${i}`, `v${i}`, LIMITS);
      const c = h.clone();
      c.set('f0', 'changed', LIMITS);
      c.delete('f1');
      expect(h.get('f0')).toBe('v0');
      expect(h.get('f1')).toBe('v1');
      expect(c.size).toBe(n - 1);
      expect(c.encoding()).toBe(h.encoding());
    }
  });

  it('randomDistinctPairs: distinct, right count, listpack order for a listpack', () => {
    const h = new HashValue();
    for (let i = 0; i < 50; i++) h.set(`f${i}`, `v${i}`, LIMITS);
    for (let k = 1; k < 50; k += 7) {
      const pairs = h.randomDistinctPairs(k);
      expect(pairs.length).toBe(k);
      expect(new Set(pairs.map((p) => p[0])).size).toBe(k);
      const idx = pairs.map((p) => Number(p[0].slice(1)));
      expect(idx).toEqual([...idx].sort((a, b) => a - b));
      for (const [f, v] of pairs) expect(h.get(f)).toBe(v);
    }
    const big = new HashValue();
    for (let i = 0; i < 2000; i++) big.set(`f${i}`, `v${i}`, LIMITS);
    for (const k of [1, 10, 600, 700, 1999]) {
      const pairs = big.randomDistinctPairs(k);
      expect(pairs.length).toBe(k);
      expect(new Set(pairs.map((p) => p[0])).size).toBe(k);
      for (const [f, v] of pairs) expect(big.get(f)).toBe(v);
    }
  });
});

describe('ScanMap', () => {
  it('grows, shrinks and keeps every entry reachable', () => {
    const m = new ScanMap<number>();
    for (let i = 0; i < 100000; i++) m.set(`k${i}`, i);
    expect(m.size).toBe(100000);
    expect(m.bucketCount).toBeGreaterThanOrEqual(100000 / 32);
    for (let i = 0; i < 100000; i += 3) expect(m.get(`k${i}`)).toBe(i);
    for (let i = 0; i < 99990; i++) m.delete(`k${i}`);
    expect(m.size).toBe(10);
    expect(m.bucketCount).toBeLessThanOrEqual(8);
    const left: string[] = [];
    m.forEach((k) => left.push(k));
    expect(left.sort()).toEqual(Array.from({ length: 10 }, (_, i) => `k${99990 + i}`).sort());
  });

  it('a scan returns every key present for the whole walk while the table grows and shrinks', () => {
    const rand = seeded(7);
    for (let round = 0; round < 20; round++) {
      const m = new ScanMap<string>();
      const n = 50 + Math.floor(rand() * 3000);
      for (let i = 0; i < n; i++) m.set(`s${i}`, '');
      const stable = new Set<string>();
      for (let i = 0; i < n; i += 2) stable.add(`s${i}`);
      const seen = new Set<string>();
      let cursor = 0;
      let extra = 0;
      let steps = 0;
      do {
        cursor = m.scan(cursor, (k) => seen.add(k), 1 + Math.floor(rand() * 40), 1 + Math.floor(rand() * 5));
        // Between steps: add a lot (growth) or delete the unstable keys (shrinking), at random.
        const r = rand();
        if (r < 0.3) for (let j = 0; j < 200; j++) m.set(`x${extra++}`, '');
        else if (r < 0.5) {
          for (let i = 1; i < n; i += 2) m.delete(`s${i}`);
          for (let j = 0; j < extra; j++) m.delete(`x${j}`);
        }
        steps++;
      } while (cursor !== 0 && steps < 1_000_000);
      expect(cursor).toBe(0);
      for (const k of stable) expect(seen.has(k)).toBe(true);
    }
  });

  it('random picks are uniform (chi-square), also while growing', () => {
    const m = new ScanMap<number>();
    const n = 1000;
    for (let i = 0; i < n; i++) m.set(`r${i}`, i);
    const counts = new Map<string, number>();
    const draws = 200000;
    for (let i = 0; i < draws; i++) {
      const k = m.randomKey()!;
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    expect(counts.size).toBe(n);
    const expected = draws / n;
    let chi = 0;
    for (const c of counts.values()) chi += (c - expected) ** 2 / expected;
    // df = 999: mean 999, sd ~45. A fair generator stays far below this.
    expect(chi).toBeLessThan(1300);
  });
});

describe.skipIf(!redisServerAvailable())('hashes against real Redis', () => {
  const servers = connectedServers({ ours: ['hash-max-listpack-entries 8', 'hash-max-listpack-value 16'], theirs: ['--hash-max-listpack-entries', '8', '--hash-max-listpack-value', '16'] });

  const FIELDS = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', '1', '-2', '', '\x00\xff', 'long-field-name-over-16'];
  const VALUES = ['1', '-2', '0', 'x', '', '3.5', '9223372036854775807', '-9223372036854775808', 'a longer value than 16', '1e3', ' 7'];

  const both = (...argv: string[]) => servers.both(...argv);

  it('randomized commands give the same replies', async () => {
    const rand = seeded(Number(process.env.RANDOM_SEED ?? 12345));
    const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)];
    const keys = ['h1', 'h2', 'h3', 'str'];
    await both('FLUSHALL');
    await both('SET', 'str', 'x');
    for (let step = 0; step < 3000; step++) {
      const key = rand() < 0.03 ? 'str' : pick(keys.slice(0, 3));
      const r = rand();
      let argv: string[];
      let whole: 'map' | 'array' | null = null;
      if (r < 0.25) {
        argv = ['HSET', key];
        const n = 1 + Math.floor(rand() * 3);
        for (let i = 0; i < n; i++) argv.push(pick(FIELDS), pick(VALUES));
      } else if (r < 0.3) argv = ['HSETNX', key, pick(FIELDS), pick(VALUES)];
      else if (r < 0.42) {
        argv = ['HDEL', key];
        const n = 1 + Math.floor(rand() * 3);
        for (let i = 0; i < n; i++) argv.push(pick(FIELDS));
      } else if (r < 0.47) argv = ['HGET', key, pick(FIELDS)];
      else if (r < 0.5) argv = ['HMGET', key, pick(FIELDS), pick(FIELDS)];
      else if (r < 0.55) {
        argv = ['HGETALL', key];
        whole = 'map';
      } else if (r < 0.58) {
        argv = [pick(['HKEYS', 'HVALS']), key];
        whole = 'array';
      } else if (r < 0.62) argv = [pick(['HLEN', 'HEXISTS', 'HSTRLEN']), key, pick(FIELDS)].slice(0, rand() < 0.3 ? 2 : 3);
      else if (r < 0.7) argv = ['HINCRBY', key, pick(FIELDS), pick(['1', '-1', '100', '9223372036854775807', '-9223372036854775808', 'x'])];
      else if (r < 0.76) argv = ['HINCRBYFLOAT', key, pick(FIELDS), pick(['0.1', '-0.3', '1e10', '2.5', 'inf', 'x', '1'])];
      else if (r < 0.8) {
        argv = ['HRANDFIELD', key, '1000', ...(rand() < 0.5 ? ['WITHVALUES'] : [])];
        whole = argv.length === 4 ? 'map' : 'array';
      } else if (r < 0.83) {
        // Random picks are comparable when there is at most one field to pick.
        const len = await servers.b.call('HLEN', key);
        argv = len === ':1\r\n' || len === ':0\r\n' ? ['HRANDFIELD', key, ...pick([[], ['-3'], ['1'], ['-2', 'WITHVALUES']])] : ['HRANDFIELD', key, pick(['0', 'x'])];
      }
      else if (r < 0.86) argv = ['OBJECT', 'ENCODING', key];
      else if (r < 0.88) argv = ['DEL', key];
      else if (r < 0.9) argv = ['EXISTS', key];
      else if (r < 0.93) {
        // A whole scan of a listpack is one call; of a hashtable it is compared as a set below.
        const enc = await servers.b.call('OBJECT', 'ENCODING', key);
        if (enc.includes('hashtable')) {
          const [x, y] = await Promise.all([scanAll(servers.a, 'HSCAN', key), scanAll(servers.b, 'HSCAN', key)]);
          expect(sortedPairs(x), `step ${step}: HSCAN walk`).toEqual([...new Set(sortedPairs(y))].sort());
          continue;
        }
        argv = ['HSCAN', key, '0', ...(rand() < 0.5 ? ['MATCH', pick(['*', 'a*', '?', '[a-c]'])] : [])];
      } else if (r < 0.95) argv = ['CONFIG', 'SET', 'hash-max-listpack-entries', pick(['2', '8', '8', '20'])];
      else argv = ['HLEN', key];
      if (whole !== null) {
        const enc = await servers.b.call('OBJECT', 'ENCODING', key);
        if (enc.includes('hashtable')) {
          const [x, y] = await both(...argv);
          const px = parseReply(x);
          const py = parseReply(y);
          expect(px.type, `step ${step}: ${argv.join(' ')}`).toBe(py.type);
          if (px.type === 'error') expect(x).toBe(y);
          else {
            const sx = whole === 'map' ? sortedPairs(bulks(px)) : bulks(px).sort();
            const sy = whole === 'map' ? sortedPairs(bulks(py)) : bulks(py).sort();
            expect(sx, `step ${step}: ${argv.join(' ')}`).toEqual(sy);
          }
          continue;
        }
      }
      const [x, y] = await both(...argv);
      expect(x, `step ${step}: ${JSON.stringify(argv)}`).toBe(y);
    }
    await both('CONFIG', 'SET', 'hash-max-listpack-entries', '8');
  }, 120000);

  it('a big hash: same size, same fields, a complete HSCAN walk', async () => {
    await both('FLUSHALL');
    const cmds: string[][] = [];
    for (let i = 0; i < 20000; i += 100) {
      const argv = ['HSET', 'big'];
      for (let j = i; j < i + 100; j++) argv.push(`field:${j}`, `value:${j * 7}`);
      cmds.push(argv);
    }
    const [ra, rb] = await Promise.all([pipeline(servers.a, cmds), pipeline(servers.b, cmds)]);
    expect(ra).toEqual(rb);
    const [la, lb] = await both('HLEN', 'big');
    expect(la).toBe(lb);
    const [ga, gb] = await both('HGETALL', 'big');
    expect(sortedPairs(bulks(parseReply(ga)))).toEqual(sortedPairs(bulks(parseReply(gb))));
    const walk = await scanAll(servers.a, 'HSCAN', 'big', 100);
    expect(walk.length).toBe(40000);
    expect(sortedPairs(walk)).toEqual(sortedPairs(bulks(parseReply(gb))));
    const [ma, mb] = await both('HSCAN', 'big', '0', 'MATCH', 'field:1999*', 'COUNT', '100000');
    expect(sortedPairs(bulks((parseReply(ma) as { value: RespValue[] }).value[1]))).toEqual(sortedPairs(bulks((parseReply(mb) as { value: RespValue[] }).value[1])));
  }, 60000);
});

describe('hashes in tsredis', () => {
  const ts = recordingServer();
  const { fed } = ts;

  it('propagates HINCRBYFLOAT as HSET of the result, the rest as themselves', async () => {
    await ts.conn.call('FLUSHALL');
    fed.length = 0;
    expect(await ts.conn.call('HINCRBYFLOAT', 'h', 'f', '0.1')).toBe('$3\r\n0.1\r\n');
    expect(await ts.conn.call('HINCRBYFLOAT', 'h', 'f', '0.2')).toBe('$3\r\n0.3\r\n');
    await ts.conn.call('HINCRBY', 'h', 'n', '5');
    await ts.conn.call('HINCRBY', 'h', 'f', '5'); // error: not propagated
    await ts.conn.call('HSETNX', 'h', 'n', 'x'); // no change: not propagated
    await ts.conn.call('HDEL', 'h', 'nosuch');
    await ts.conn.call('HDEL', 'h', 'n');
    await ts.conn.call('HGET', 'h', 'f');
    expect(fed).toEqual([
      [0, ['HSET', 'h', 'f', '0.1']],
      [0, ['HSET', 'h', 'f', '0.3']],
      [0, ['HINCRBY', 'h', 'n', '5']],
      [0, ['HDEL', 'h', 'n']],
    ]);
  });

  it('counts changes in dirty as Redis does', async () => {
    await ts.conn.call('FLUSHALL');
    const d0 = ts.server.dirty;
    await ts.conn.call('HSET', 'h', 'a', '1', 'b', '2', 'a', '3');
    expect(ts.server.dirty - d0).toBe(3);
    await ts.conn.call('HDEL', 'h', 'a', 'b', 'zz');
    expect(ts.server.dirty - d0).toBe(5);
    await ts.conn.call('HGETALL', 'h');
    expect(ts.server.dirty - d0).toBe(5);
  });

  it('HRANDFIELD with a negative count is uniform, listpack and hashtable', async () => {
    for (const n of [10, 700]) {
      await ts.conn.call('FLUSHALL');
      const argv = ['HSET', 'h'];
      for (let i = 0; i < n; i++) argv.push(`f${i}`, 'v');
      await ts.conn.call(...argv);
      const draws = n * 200;
      const reply = bulks(parseReply(await ts.conn.call('HRANDFIELD', 'h', String(-draws))));
      expect(reply.length).toBe(draws);
      const counts = new Map<string, number>();
      for (const f of reply) counts.set(f, (counts.get(f) ?? 0) + 1);
      expect(counts.size).toBe(n);
      let chi = 0;
      for (const c of counts.values()) chi += (c - 200) ** 2 / 200;
      // Mean n - 1, sd sqrt(2(n - 1)): allow 6 sd.
      expect(chi).toBeLessThan(n - 1 + 6 * Math.sqrt(2 * (n - 1)));
    }
  });

  it('HRANDFIELD with a positive count: distinct, every field equally likely', async () => {
    await ts.conn.call('FLUSHALL');
    await ts.conn.call('HSET', 'h', ...Array.from({ length: 20 }, (_, i) => [`f${i}`, `${i}`]).flat());
    const counts = new Map<string, number>();
    const rounds = 2000;
    for (let r = 0; r < rounds; r++) {
      const pairs = bulks(parseReply(await ts.conn.call('HRANDFIELD', 'h', '5', 'WITHVALUES')));
      expect(pairs.length).toBe(10);
      const fields = pairs.filter((_, i) => i % 2 === 0);
      expect(new Set(fields).size).toBe(5);
      // Listpack: the picks come in the hash's order.
      const idx = fields.map((f) => Number(f.slice(1)));
      expect(idx).toEqual([...idx].sort((x, y) => x - y));
      for (let i = 0; i < pairs.length; i += 2) expect(pairs[i + 1]).toBe(pairs[i].slice(1));
      for (const f of fields) counts.set(f, (counts.get(f) ?? 0) + 1);
    }
    const expected = (rounds * 5) / 20;
    let chi = 0;
    for (const c of counts.values()) chi += (c - expected) ** 2 / expected;
    expect(chi).toBeLessThan(19 + 6 * Math.sqrt(38));
  });

  it('HSCAN returns every field present for the whole walk while the hash changes', async () => {
    await ts.conn.call('FLUSHALL');
    const n = 5000;
    const cmds: string[][] = [];
    for (let i = 0; i < n; i += 500) cmds.push(['HSET', 'h', ...Array.from({ length: 500 }, (_, j) => [`s${i + j}`, 'v']).flat()]);
    await pipeline(ts.conn, cmds);
    const seen = new Set<string>();
    let cursor = '0';
    let extra = 0;
    let round = 0;
    do {
      const v = parseReply(await ts.conn.call('HSCAN', 'h', cursor, 'COUNT', '20')) as { value: RespValue[] };
      cursor = (v.value[0] as { value: string }).value;
      const items = bulks(v.value[1]);
      for (let i = 0; i < items.length; i += 2) seen.add(items[i]);
      round++;
      if (round % 3 === 0) await ts.conn.call('HSET', 'h', ...Array.from({ length: 300 }, () => [`x${extra++}`, 'v']).flat());
      if (round % 7 === 0) await ts.conn.call('HDEL', 'h', ...Array.from({ length: extra }, (_, j) => `x${j}`));
    } while (cursor !== '0');
    for (let i = 0; i < n; i++) expect(seen.has(`s${i}`)).toBe(true);
  }, 60000);

  it('a 200k-field hash builds, answers and empties quickly', async () => {
    await ts.conn.call('FLUSHALL');
    const t0 = Date.now();
    const cmds: string[][] = [];
    for (let i = 0; i < 200000; i += 1000) cmds.push(['HSET', 'big', ...Array.from({ length: 1000 }, (_, j) => [`f${i + j}`, `${i + j}`]).flat()]);
    const replies = await pipeline(ts.conn, cmds);
    expect(replies.every((r) => r === ':1000\r\n')).toBe(true);
    expect(await ts.conn.call('HLEN', 'big')).toBe(':200000\r\n');
    expect(await ts.conn.call('HGET', 'big', 'f123456')).toBe('$6\r\n123456\r\n');
    expect(await ts.conn.call('OBJECT', 'ENCODING', 'big')).toBe('$9\r\nhashtable\r\n');
    const keys = bulks(parseReply(await ts.conn.call('HKEYS', 'big')));
    expect(new Set(keys).size).toBe(200000);
    const del: string[][] = [];
    for (let i = 0; i < 200000; i += 1000) del.push(['HDEL', 'big', ...Array.from({ length: 1000 }, (_, j) => `f${i + j}`)]);
    await pipeline(ts.conn, del);
    expect(await ts.conn.call('EXISTS', 'big')).toBe(':0\r\n');
    expect(Date.now() - t0).toBeLessThan(30000);
  }, 60000);
});
