/**
 * SORT beyond the case files: a randomized differential run against real
 * Redis (lists, sets, sorted sets; BY, GET, hash fields, LIMIT, ALPHA, DESC,
 * STORE), SORT inside scripts, key extraction, and the partial quicksort.
 */
import { describe, it, expect } from 'vitest';
import { connectedServers, startTsredis, redisServerAvailable } from './helpers/servers';
import { RawConnection } from './helpers/resp';
import { readReply, type RespValue } from '../src/protocol/resp-reader';
import { pqsort } from '../src/commands/sort';
import { CommandTable } from '../src/commands/table';
import { seeded } from './helpers/random';

const available = redisServerAvailable();

function sortedForm(raw: string): string {
  const v = readReply(raw)!.value;
  if (v.type !== 'array') return raw;
  return JSON.stringify(v.value.map((x: RespValue) => JSON.stringify(x)).sort());
}

describe.skipIf(!available)('SORT against real Redis', () => {
  const servers = connectedServers();
  const both = (...argv: string[]) => servers.both(...argv);

  for (let seed = 1; seed <= 6; seed++) {
    it(`randomized SORT matches (seed ${seed})`, async () => {
      const r = seeded(seed * 31337);
      const pick = <T>(xs: T[]): T => xs[Math.floor(r() * xs.length)];
      await both('FLUSHALL');
      // Elements: numbers for numeric sorts, words for ALPHA (no NUL: strcoll stops there).
      const n = 5 + Math.floor(r() * 60);
      const numeric: string[] = [];
      const words: string[] = [];
      for (let i = 0; i < n; i++) {
        numeric.push(pick([String(Math.floor(r() * 50) - 25), (r() * 100).toFixed(2), String(i), '1e' + Math.floor(r() * 5), '-inf', '0x1f']));
        words.push(pick(['apple', 'Banana', 'cherry', 'kiwi', 'fig', 'date', 'b\xc3\xa9', 'z', 'aa', 'A']) + (r() < 0.7 ? String(i) : ''));
      }
      await both('RPUSH', 'lnum', ...numeric);
      await both('RPUSH', 'lword', ...words);
      await both('SADD', 'snum', ...numeric);
      await both('SADD', 'sword', ...words);
      const zargs: string[] = [];
      words.forEach((w, i) => zargs.push(String(Math.floor(r() * 10)), w + ':' + i));
      await both('ZADD', 'zword', ...zargs);
      // Weights: numeric weights (ties allowed: broken by the element), distinct alpha weights.
      const all = new Set<string>([...numeric, ...words, ...words.map((w, i) => w + ':' + i)]);
      let k = 0;
      for (const e of all) {
        k++;
        if (r() < 0.85) await both('SET', 'w_' + e, String(Math.floor(r() * 20)));
        await both('SET', 'u_' + e, 'u' + String(k).padStart(4, '0') + (r() < 0.5 ? 'x' : ''));
        if (r() < 0.7) await both('HSET', 'h_' + e, 'f', String(Math.floor(r() * 20)), 'g', 'g' + k);
        if (r() < 0.5) await both('SET', 'o_' + e, 'obj' + k);
      }
      for (let q = 0; q < 120; q++) {
        const key = pick(['lnum', 'lword', 'snum', 'sword', 'zword', 'nokey']);
        const isSet = key === 'snum' || key === 'sword';
        const argv = ['SORT', key];
        const by = pick([null, null, 'w_*', 'u_*', 'h_*->f', 'nosort', 'missing_*']);
        let alpha = key.includes('word') ? r() < 0.8 : r() < 0.1;
        if (by === 'u_*') alpha = true;
        // ALPHA with BY on unordered inputs would order ties by load order: only unique-valued u_* there.
        if (alpha && by !== null && by !== 'u_*' && by !== 'nosort' && key !== 'lnum' && key !== 'lword') continue;
        if (by !== null) argv.push('BY', by);
        if (alpha) argv.push('ALPHA');
        if (r() < 0.4) argv.push(pick(['ASC', 'DESC']));
        const nosortSet = by === 'nosort' && isSet;
        if (r() < 0.5 && !nosortSet) argv.push('LIMIT', String(Math.floor(r() * 10) - 2), String(Math.floor(r() * 12) - 2));
        const gets = Math.floor(r() * 3);
        for (let g = 0; g < gets; g++) argv.push('GET', pick(['#', 'o_*', 'h_*->g', 'w_*', 'nope_*']));
        const store = r() < 0.25;
        if (store) argv.push('STORE', 'dst');
        const [ra, rb] = await both(...argv);
        if (nosortSet && !store) {
          expect(sortedForm(ra), argv.join(' ')).toBe(sortedForm(rb));
        } else {
          expect(ra, argv.join(' ')).toBe(rb);
        }
        if (store) {
          const [la, lb] = await both('LRANGE', 'dst', '0', '-1');
          expect(la, 'LRANGE after ' + argv.join(' ')).toBe(lb);
        }
        if (r() < 0.1) {
          const [ro_a, ro_b] = await both('SORT_RO', key, ...(alpha ? ['ALPHA'] : []));
          expect(ro_a).toBe(ro_b);
        }
      }
    }, 60000);
  }

  it('sorts a big sorted set and list the same way', async () => {
    await both('FLUSHALL');
    const args: string[] = [];
    const list: string[] = [];
    for (let i = 0; i < 3000; i++) {
      args.push(String((i * 37) % 1000), 'e' + i);
      list.push(String((i * 7919) % 3001));
    }
    await both('ZADD', 'z', ...args);
    await both('RPUSH', 'l', ...list);
    for (const argv of [
      ['SORT', 'z', 'BY', 'nosort', 'LIMIT', '100', '10'],
      ['SORT', 'z', 'BY', 'nosort', 'DESC', 'LIMIT', '2990', '50'],
      ['SORT', 'z', 'ALPHA', 'LIMIT', '1500', '5'],
      ['SORT', 'l', 'LIMIT', '0', '20'],
      ['SORT', 'l', 'DESC', 'LIMIT', '1000', '20'],
      ['SORT', 'l', 'BY', 'nosort', 'DESC', 'LIMIT', '5', '5'],
      ['OBJECT', 'ENCODING', 'z'],
    ]) {
      const [ra, rb] = await both(...argv);
      expect(ra, argv.join(' ')).toBe(rb);
    }
  });

  it('sorts a set given BY nosort inside a script', async () => {
    const [probe] = await both('EVAL', 'return 1', '0');
    if (!probe.startsWith(':')) return; // scripting not available yet
    await both('FLUSHALL');
    await both('SADD', 's', 'c', 'a', 'b', '10', '2');
    const [ra, rb] = await both('EVAL', "return redis.call('sort', KEYS[1], 'by', 'nosort')", '1', 's');
    expect(ra).toBe(rb);
    const [sa, sb] = await both('EVAL', "return redis.call('sort', KEYS[1], 'by', 'nosort', 'desc', 'limit', 1, 2)", '1', 's');
    expect(sa).toBe(sb);
  });
});

describe('SORT internals', () => {
  it('pqsort orders the requested range like a full sort', () => {
    const r = seeded(7);
    for (let round = 0; round < 500; round++) {
      const n = 1 + Math.floor(r() * 120);
      const values = Array.from({ length: n }, () => Math.floor(r() * 1000) + r());
      const full = values.slice().sort((x, y) => x - y);
      const lo = Math.floor(r() * n);
      const hi = Math.min(n - 1, lo + Math.floor(r() * 20));
      const part = values.slice();
      pqsort(part, (x, y) => x - y, lo, hi);
      expect(part.slice(lo, hi + 1)).toEqual(full.slice(lo, hi + 1));
      // Everything is still there.
      expect(part.slice().sort((x, y) => x - y)).toEqual(full);
    }
  });

  it('finds the keys of SORT and SORT_RO as Redis does', () => {
    const table = new CommandTable();
    const sort = table.lookup('sort')!;
    const ro = table.lookup('sort_ro')!;
    expect(sort.getKeys!(['SORT', 'k'])).toEqual([1]);
    expect(sort.getKeys!(['SORT', 'k', 'BY', 'x', 'STORE', 'dst', 'GET', 'y'])).toEqual([1, 5]);
    expect(sort.getKeys!(['SORT', 'k', 'LIMIT', '0', '1', 'STORE', 'dst'])).toEqual([1, 6]);
    expect(sort.getKeys!(['SORT', 'k', 'STORE'])).toEqual([1]);
    expect(sort.getKeys!(['SORT', 'k', 'STORE', 'a', 'STORE', 'b'])).toEqual([1, 5]);
    expect(sort.getKeys!(['SORT', 'k', 'GET', 'STORE', 'STORE', 'x'])).toEqual([1, 5]);
    expect(ro.getKeys!(['SORT_RO', 'k', 'BY', 'x'])).toEqual([1]);
  });

  it('writes the result list and the sortstore event', async () => {
    const h = await startTsredis(['notify-keyspace-events KEA']);
    const sub = await RawConnection.connect(h.port);
    const conn = await RawConnection.connect(h.port);
    try {
      await sub.call('SUBSCRIBE', '__keyevent@0__:sortstore');
      await conn.call('RPUSH', 'l', '3', '1', '2');
      expect(await conn.call('SORT', 'l', 'STORE', 'd')).toBe(':3\r\n');
      expect(await sub.read()).toBe('*3\r\n$7\r\nmessage\r\n$24\r\n__keyevent@0__:sortstore\r\n$1\r\nd\r\n');
      expect(await conn.call('LRANGE', 'd', '0', '-1')).toBe('*3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n');
      expect(await conn.call('OBJECT', 'ENCODING', 'd')).toBe('$9\r\nquicklist\r\n');
    } finally {
      sub.close();
      conn.close();
      await h.stop();
    }
  });
});
