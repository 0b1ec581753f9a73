/**
 * Sets beyond what the case files show: SetValue and ScanSet invariants,
 * randomized differential runs against real Redis (low intset limit, so
 * encodings change all the time), SPOP's propagation as SREM/DEL, SPOP and
 * SRANDMEMBER distributions, complete SSCAN walks while the set changes,
 * set algebra on big sets, and the command table against COMMAND INFO.
 */
import { describe, it, expect } from 'vitest';
import { SetValue } from '../src/store/types/set';
import { ScanSet } from '../src/store/types/scantable';
import { connectedServers, recordingServer, redisServerAvailable } from './helpers/servers';
import { bulks, parseReply, pipeline, scanAll } from './helpers/resp';
import type { RespValue } from '../src/protocol/resp-reader';
import { seeded } from './helpers/random';

const EDGES = ['0', '-1', '32767', '-32768', '32768', '-32769', '2147483647', '-2147483648', '2147483648', '-2147483649', '9007199254740991', '-9007199254740991', '9007199254740992', '-9007199254740992', '9223372036854775807', '-9223372036854775808', '4294967296', '-4294967296', '4294967295'];
function pickEdge(rand: () => number): string {
  return EDGES[Math.floor(rand() * EDGES.length)];
}

const numeric = (a: string, b: string): number => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0);

describe('SetValue', () => {
  it('an intset keeps members sorted numerically, 64-bit values included', () => {
    const s = new SetValue();
    const members = ['5', '-3', '9223372036854775807', '-9223372036854775808', '9007199254740993', '9007199254740992', '0', '100'];
    for (const m of members) expect(s.add(m, 512)).toBe(true);
    expect(s.add('5', 512)).toBe(false);
    expect(s.add('9007199254740993', 512)).toBe(false);
    expect(s.encoding()).toBe('intset');
    expect(s.toArray()).toEqual([...members].sort(numeric));
    expect(s.has('9007199254740993')).toBe(true);
    expect(s.has('9007199254740994')).toBe(false);
    expect(s.has('05')).toBe(false);
    expect(s.remove('9007199254740993')).toBe(true);
    expect(s.remove('+5')).toBe(false);
    expect(s.size).toBe(7);
  });

  it('an intset matches a sorted reference through random adds and removes of every width', () => {
    const rand = seeded(5);
    const pool = (): string => {
      const r = rand();
      const sign = rand() < 0.5 ? -1n : 1n;
      if (r < 0.3) return String(sign * BigInt(Math.floor(rand() * 40000)));
      if (r < 0.6) return String(sign * BigInt(Math.floor(rand() * 3e9)));
      if (r < 0.8) return String(sign * BigInt(Math.floor(rand() * 2 ** 53)) * BigInt(1 + Math.floor(rand() * 1000)));
      return pickEdge(rand);
    };
    for (let round = 0; round < 30; round++) {
      const s = new SetValue();
      const ref = new Set<string>();
      for (let i = 0; i < 400; i++) {
        const m = pool();
        if (rand() < 0.7) {
          expect(s.add(m, 100000)).toBe(!ref.has(m));
          ref.add(m);
        } else {
          expect(s.remove(m)).toBe(ref.delete(m));
        }
        if (i % 50 === 0) {
          const probe = pool();
          expect(s.has(probe)).toBe(ref.has(probe));
        }
      }
      expect(s.encoding()).toBe('intset');
      expect(s.size).toBe(ref.size);
      expect(s.toArray()).toEqual([...ref].sort(numeric));
      for (const m of ref) expect(s.has(m)).toBe(true);
      // Draining from both ends and the middle.
      const sorted = [...ref].sort(numeric);
      while (sorted.length > 0) {
        const at = sorted.length % 3 === 0 ? 0 : sorted.length % 3 === 1 ? sorted.length - 1 : sorted.length >> 1;
        expect(s.remove(sorted[at])).toBe(true);
        sorted.splice(at, 1);
      }
      expect(s.size).toBe(0);
    }
  });

  it('converts on a non-integer or past the limit, and never back', () => {
    const s = new SetValue();
    s.add('1', 2);
    s.add('2', 2);
    expect(s.encoding()).toBe('intset');
    s.add('3', 2);
    expect(s.encoding()).toBe('hashtable');
    s.remove('3');
    s.remove('2');
    expect(s.encoding()).toBe('hashtable');
    for (const m of ['01', '-0', '+1', '1.0', ' 1', '9223372036854775808', '']) {
      const t = new SetValue();
      t.add(m, 512);
      expect(t.encoding(), m).toBe('hashtable');
      expect(t.has(m)).toBe(true);
    }
    expect(SetValue.forMember('12').encoding()).toBe('intset');
    expect(SetValue.forMember('x').encoding()).toBe('hashtable');
  });

  it('clones deeply; randomDistinct gives distinct members of the set', () => {
    for (const n of [10, 1000]) {
      const s = SetValue.fromMembers(Array.from({ length: n }, (_, i) => String(i)), 512);
      const c = s.clone();
      c.remove('0');
      expect(s.has('0')).toBe(true);
      expect(c.size).toBe(n - 1);
      for (const k of [1, Math.floor(n / 4), n - 1, n]) {
        const picks = s.randomDistinct(k);
        expect(picks.length).toBe(k);
        expect(new Set(picks).size).toBe(k);
        for (const p of picks) expect(s.has(p)).toBe(true);
      }
    }
  });
});

describe('ScanSet', () => {
  it('a scan returns every member present for the whole walk while the table grows and shrinks', () => {
    const rand = seeded(99);
    for (let round = 0; round < 20; round++) {
      const s = new ScanSet();
      const n = 50 + Math.floor(rand() * 5000);
      for (let i = 0; i < n; i++) s.add(`s${i}`);
      const seen = new Set<string>();
      let cursor = 0;
      let extra = 0;
      let steps = 0;
      do {
        cursor = s.scan(cursor, (k) => seen.add(k), 1 + Math.floor(rand() * 40), 1 + Math.floor(rand() * 5));
        const r = rand();
        if (r < 0.3) for (let j = 0; j < 300; j++) s.add(`x${extra++}`);
        else if (r < 0.5) {
          for (let i = 1; i < n; i += 2) s.delete(`s${i}`);
          for (let j = 0; j < extra; j++) s.delete(`x${j}`);
        }
        steps++;
      } while (cursor !== 0 && steps < 1_000_000);
      expect(cursor).toBe(0);
      for (let i = 0; i < n; i += 2) expect(seen.has(`s${i}`)).toBe(true);
    }
  });

  it('stays consistent through growth and shrinking', () => {
    const s = new ScanSet();
    for (let i = 0; i < 50000; i++) s.add(`m${i}`);
    for (let i = 0; i < 50000; i += 2) expect(s.delete(`m${i}`)).toBe(true);
    expect(s.size).toBe(25000);
    expect(s.toArray().length).toBe(25000);
    for (let i = 1; i < 50000; i += 2) expect(s.has(`m${i}`)).toBe(true);
    for (let i = 0; i < 50000; i += 2) expect(s.has(`m${i}`)).toBe(false);
    for (let i = 1; i < 49990; i += 2) s.delete(`m${i}`);
    expect(s.size).toBe(5);
    expect(s.bucketCount).toBeLessThanOrEqual(4);
    expect(s.toArray().sort()).toEqual(['m49991', 'm49993', 'm49995', 'm49997', 'm49999']);
  });

  it('random picks are uniform (chi-square), sparse tables too', () => {
    const s = new ScanSet();
    for (let i = 0; i < 3000; i++) s.add(`r${i}`);
    for (let i = 1000; i < 3000; i++) s.delete(`r${i}`);
    const n = 1000;
    const counts = new Map<string, number>();
    const draws = 200000;
    for (let i = 0; i < draws; i++) {
      const k = s.random()!;
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    expect(counts.size).toBe(n);
    let chi = 0;
    for (const c of counts.values()) chi += (c - draws / n) ** 2 / (draws / n);
    expect(chi).toBeLessThan(n - 1 + 6 * Math.sqrt(2 * (n - 1)));
  });
});

describe.skipIf(!redisServerAvailable())('sets against real Redis', () => {
  const servers = connectedServers({ ours: ['set-max-intset-entries 8'], theirs: ['--set-max-intset-entries', '8'] });

  const both = (...argv: string[]) => servers.both(...argv);

  const INTS = ['1', '2', '3', '5', '8', '13', '21', '34', '-1', '0', '100', '-9223372036854775808', '9223372036854775807'];
  const MEMBERS = [...INTS, 'a', 'b', 'c', '', '\x00\xff', '01', '1.5'];
  /** Integers only, so that intsets grow past the limit. */
  const ALL_INTS = (m: string): boolean => /^(0|-?[1-9][0-9]{0,18})$/.test(m) && BigInt(m) <= 9223372036854775807n && BigInt(m) >= -9223372036854775808n;

  it('randomized commands give the same replies', async () => {
    const rand = seeded(Number(process.env.RANDOM_SEED ?? 2024));
    const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)];
    const keys = ['s1', 's2', 's3', 's4'];
    let maxIntset = 8;
    await both('FLUSHALL');
    await both('SET', 'str', 'x');
    const someKeys = (): string[] => Array.from({ length: 1 + Math.floor(rand() * 3) }, () => (rand() < 0.03 ? 'str' : rand() < 0.1 ? 'nokey' : pick(keys)));
    const memberPool = (k: string): string[] => (k === 's1' || k === 's2' ? INTS : MEMBERS);
    /** Whether the set at k is an intset on the real server. */
    const isIntset = async (k: string): Promise<boolean> => (await servers.b.call('OBJECT', 'ENCODING', k)).includes('intset');
    for (let step = 0; step < 3000; step++) {
      const key = rand() < 0.03 ? 'str' : pick(keys);
      const r = rand();
      let argv: string[];
      // How the reply's order is decided: 'iter' = iteration of the set in setReply[0] (SMEMBERS,
      // SINTER: the smallest source, SRANDMEMBER), 'result' = a new set built from the members
      // (SUNION, SDIFF, SPOP of everything): numeric when it is an intset. null: not a set reply.
      let order: 'iter' | 'result' | null = null;
      let setReply: string[] = [];
      if (r < 0.22) argv = ['SADD', key, ...Array.from({ length: 1 + Math.floor(rand() * 4) }, () => pick(memberPool(key)))];
      else if (r < 0.32) argv = ['SREM', key, ...Array.from({ length: 1 + Math.floor(rand() * 3) }, () => pick(MEMBERS))];
      else if (r < 0.37) argv = ['SISMEMBER', key, pick(MEMBERS)];
      else if (r < 0.4) argv = ['SMISMEMBER', key, pick(MEMBERS), pick(MEMBERS)];
      else if (r < 0.43) argv = ['SCARD', key];
      else if (r < 0.48) {
        argv = ['SMEMBERS', key];
        order = 'iter';
        setReply = [key];
      } else if (r < 0.53) argv = ['SMOVE', key, pick(keys), pick(MEMBERS)];
      else if (r < 0.58) {
        const ks = someKeys();
        argv = [pick(['SINTER', 'SUNION', 'SDIFF']), ...ks];
        if (argv[0] === 'SINTER') {
          // The smallest source (the first of equal sizes) is walked.
          let best = '';
          let bestN = Infinity;
          for (const k of ks) {
            const c = await servers.b.call('SCARD', k);
            const n = c.startsWith(':') ? Number(c.slice(1, -2)) : 0;
            if (n < bestN) {
              bestN = n;
              best = k;
            }
          }
          order = 'iter';
          setReply = [best];
        } else order = 'result';
      } else if (r < 0.64) argv = [pick(['SINTERSTORE', 'SUNIONSTORE', 'SDIFFSTORE']), pick(keys), ...someKeys()];
      else if (r < 0.67) {
        const ks = someKeys();
        argv = ['SINTERCARD', String(ks.length), ...ks, ...(rand() < 0.5 ? ['LIMIT', pick(['0', '1', '2', '-1'])] : [])];
      } else if (r < 0.71) {
        // Pops are comparable when they take everything or there is nothing to choose.
        const card = await servers.b.call('SCARD', key);
        const n = card.startsWith(':') ? Number(card.slice(1, -2)) : 0;
        if (n <= 1) argv = ['SPOP', key, ...pick([[], ['1'], ['5'], ['0']])];
        else {
          argv = ['SPOP', key, String(n + Math.floor(rand() * 3))];
          order = 'result';
        }
      } else if (r < 0.75) {
        const card = await servers.b.call('SCARD', key);
        const n = card.startsWith(':') ? Number(card.slice(1, -2)) : 0;
        if (n <= 1) argv = ['SRANDMEMBER', key, ...pick([[], ['-3'], ['1'], ['4']])];
        else {
          argv = ['SRANDMEMBER', key, String(n + Math.floor(rand() * 3))];
          order = 'iter';
          setReply = [key];
        }
      } else if (r < 0.79) argv = ['OBJECT', 'ENCODING', key];
      else if (r < 0.83) {
        const enc = await servers.b.call('OBJECT', 'ENCODING', key);
        if (enc.includes('hashtable')) {
          const [x, y] = await Promise.all([scanAll(servers.a, 'SSCAN', key), scanAll(servers.b, 'SSCAN', key)]);
          expect(x.sort(), `step ${step}: SSCAN walk`).toEqual([...new Set(y)].sort());
          continue;
        }
        argv = ['SSCAN', key, '0', ...(rand() < 0.5 ? ['MATCH', pick(['*', '1*', '?', '[a-c]'])] : [])];
      } else if (r < 0.85) argv = ['DEL', key];
      else if (r < 0.87) {
        maxIntset = pick([1, 4, 8, 8, 20]);
        argv = ['CONFIG', 'SET', 'set-max-intset-entries', String(maxIntset)];
      } else if (r < 0.9) argv = ['TYPE', key];
      else argv = ['SCARD', key];
      let exact = true;
      if (order === 'iter') exact = await isIntset(setReply[0]);
      const [x, y] = await both(...argv);
      if (order === 'result') {
        const py = parseReply(y);
        if (py.type === 'array' || py.type === 'set') {
          const ms = bulks(py);
          exact = ms.length <= maxIntset && ms.every(ALL_INTS);
        }
      }
      if (exact) {
        expect(x, `step ${step}: ${JSON.stringify(argv)}`).toBe(y);
      } else {
        const px = parseReply(x);
        const py = parseReply(y);
        expect(px.type, `step ${step}: ${JSON.stringify(argv)}`).toBe(py.type);
        if (px.type === 'error') expect(x).toBe(y);
        else expect(bulks(px).sort(), `step ${step}: ${JSON.stringify(argv)}`).toEqual(bulks(py).sort());
      }
      // Encodings must agree all along.
      if (step % 10 === 0) {
        for (const k of keys) {
          const [ea, eb] = await both('OBJECT', 'ENCODING', k);
          expect(ea, `step ${step}: encoding of ${k}`).toBe(eb);
        }
      }
    }
    await both('CONFIG', 'SET', 'set-max-intset-entries', '8');
  }, 120000);

  it('set algebra on big sets matches', async () => {
    await both('FLUSHALL');
    const cmds: string[][] = [];
    for (const [key, from, to, step] of [
      ['A', 0, 30000, 1],
      ['B', 10000, 50000, 2],
      ['C', 0, 60000, 3],
      ['D', 25000, 26000, 1],
    ] as Array<[string, number, number, number]>) {
      for (let i = from; i < to; i += 1000 * step) {
        const argv = ['SADD', key];
        for (let j = i; j < Math.min(to, i + 1000 * step); j += step) argv.push(`m${j}`);
        cmds.push(argv);
      }
    }
    const [ra, rb] = await Promise.all([pipeline(servers.a, cmds), pipeline(servers.b, cmds)]);
    expect(ra).toEqual(rb);
    const checks: string[][] = [
      ['SINTERCARD', '3', 'A', 'B', 'C'],
      ['SINTERCARD', '2', 'A', 'B', 'LIMIT', '77'],
      ['SINTERSTORE', 'I', 'A', 'B', 'C', 'D'],
      ['SUNIONSTORE', 'U', 'A', 'B', 'C', 'D'],
      ['SDIFFSTORE', 'F', 'C', 'A', 'B'],
      ['SDIFFSTORE', 'G', 'D', 'C'],
      ['SCARD', 'I'],
      ['SCARD', 'U'],
      ['SCARD', 'F'],
      ['OBJECT', 'ENCODING', 'U'],
    ];
    for (const c of checks) {
      const [x, y] = await both(...c);
      expect(x, c.join(' ')).toBe(y);
    }
    for (const c of [['SINTER', 'A', 'B', 'D'], ['SDIFF', 'G'], ['SMEMBERS', 'F'], ['SUNION', 'D', 'G'], ['SDIFF', 'B', 'A', 'C']]) {
      const [x, y] = await both(...c);
      expect(bulks(parseReply(x)).sort(), c.join(' ')).toEqual(bulks(parseReply(y)).sort());
    }
    const walk = await scanAll(servers.a, 'SSCAN', 'U', 500);
    const [ua] = await both('SMEMBERS', 'U');
    expect(walk.sort()).toEqual(bulks(parseReply(ua)).sort());
  }, 60000);

  it('COMMAND INFO of every hash and set command is the real one', async () => {
    const names = 'hset hsetnx hmset hget hmget hgetall hdel hexists hlen hstrlen hkeys hvals hincrby hincrbyfloat hrandfield hscan sadd srem smembers sismember smismember scard spop srandmember smove sinter sintercard sinterstore sunion sunionstore sdiff sdiffstore sscan'.split(' ');
    for (const n of names) {
      const [x, y] = await both('COMMAND', 'INFO', n);
      expect(x, n).toBe(y);
    }
    for (const argv of [
      ['COMMAND', 'GETKEYS', 'SINTERCARD', '2', 'a', 'b', 'LIMIT', '1'],
      ['COMMAND', 'GETKEYS', 'SINTERCARD', '3', 'a', 'b'],
      ['COMMAND', 'GETKEYS', 'SMOVE', 'a', 'b', 'm'],
      ['COMMAND', 'GETKEYSANDFLAGS', 'SDIFFSTORE', 'd', 'a', 'b'],
    ]) {
      const [x, y] = await both(...argv);
      expect(x, argv.join(' ')).toBe(y);
    }
  });
});

describe('sets in tsredis', () => {
  const ts = recordingServer();
  const { fed } = ts;

  /** Replays propagated commands on a fresh set model: what a replica would hold. */
  function replay(initial: string[], stream: Array<[number, string[]]>, key: string): Set<string> | null {
    let s: Set<string> | null = new Set(initial);
    for (const [, argv] of stream) {
      const cmd = argv[0].toUpperCase();
      if (cmd === 'MULTI' || cmd === 'EXEC') continue;
      expect(argv[1]).toBe(key);
      if (cmd === 'SREM') for (const m of argv.slice(2)) s!.delete(m);
      else if (cmd === 'DEL' || cmd === 'UNLINK') s = null;
      else throw new Error('unexpected ' + argv.join(' '));
    }
    return s !== null && s.size === 0 ? null : s;
  }

  it('SPOP propagates SREM of the popped member, or DEL of a set taken whole', async () => {
    const members = Array.from({ length: 100 }, (_, i) => `m${i}`);
    for (const count of [undefined, '1', '3', '50', '90', '99', '100', '1000']) {
      await ts.conn.call('FLUSHALL');
      await ts.conn.call('SADD', 's', ...members);
      fed.length = 0;
      const reply = parseReply(await ts.conn.call('SPOP', 's', ...(count === undefined ? [] : [count])));
      const popped = reply.type === 'bulk' ? [reply.value] : bulks(reply);
      const expectN = count === undefined ? 1 : Math.min(100, Number(count));
      expect(popped.length).toBe(expectN);
      expect(new Set(popped).size).toBe(expectN);
      const left = bulks(parseReply(await ts.conn.call('SMEMBERS', 's')));
      expect(left.length).toBe(100 - expectN);
      for (const m of popped) expect(left.includes(m)).toBe(false);
      const replica = replay(members, fed, 's');
      if (expectN === 100) {
        expect(fed).toEqual([[0, ['DEL', 's']]]);
        expect(replica).toBeNull();
      } else {
        expect([...replica!].sort()).toEqual(left.sort());
        const srems = fed.filter(([, argv]) => argv[0] === 'SREM');
        expect(srems.length).toBe(expectN);
        // Several writes of one command reach replicas as one transaction.
        if (expectN > 1) expect(fed[0][1]).toEqual(['MULTI']);
      }
    }
  });

  it('SPOP with a count inside MULTI propagates its SREMs inside the one transaction', async () => {
    await ts.conn.call('FLUSHALL');
    await ts.conn.call('SADD', 's', 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j');
    fed.length = 0;
    await ts.conn.call('MULTI');
    await ts.conn.call('SPOP', 's', '2');
    await ts.conn.call('SADD', 't', 'x');
    await ts.conn.call('SPOP', 't');
    const exec = parseReply(await ts.conn.call('EXEC')) as { value: RespValue[] };
    const popped = bulks(exec.value[0]);
    const cmds = fed.map(([, argv]) => argv[0].toUpperCase());
    expect(cmds[0]).toBe('MULTI');
    expect(cmds[cmds.length - 1]).toBe('EXEC');
    expect(cmds.filter((c) => c === 'MULTI').length).toBe(1);
    const srems = fed.filter(([, argv]) => argv[0] === 'SREM' && argv[1] === 's').map(([, argv]) => argv[2]);
    expect(srems.sort()).toEqual(popped.sort());
    expect(fed.some(([, argv]) => argv.join(' ') === 'SREM t x')).toBe(true);
    expect(fed.some(([, argv]) => argv[0].toUpperCase() === 'SPOP')).toBe(false);
  });

  it('SPOP of the last member propagates SREM and deletes the key', async () => {
    await ts.conn.call('FLUSHALL');
    await ts.conn.call('SADD', 's', 'x');
    fed.length = 0;
    expect(await ts.conn.call('SPOP', 's')).toBe('$1\r\nx\r\n');
    expect(await ts.conn.call('EXISTS', 's')).toBe(':0\r\n');
    expect(fed).toEqual([[0, ['SREM', 's', 'x']]]);
  });

  it('SPOP that keeps few members rebuilds the set (an intset again when it can)', async () => {
    await ts.conn.call('FLUSHALL');
    await ts.conn.call('SADD', 's', ...Array.from({ length: 1000 }, (_, i) => String(i)));
    expect(await ts.conn.call('OBJECT', 'ENCODING', 's')).toBe('$9\r\nhashtable\r\n');
    await ts.conn.call('EXPIRE', 's', '1000');
    const popped = bulks(parseReply(await ts.conn.call('SPOP', 's', '990')));
    expect(new Set(popped).size).toBe(990);
    expect(await ts.conn.call('OBJECT', 'ENCODING', 's')).toBe('$6\r\nintset\r\n');
    const left = bulks(parseReply(await ts.conn.call('SMEMBERS', 's')));
    expect(left.length).toBe(10);
    expect(new Set([...left, ...popped]).size).toBe(1000);
    // The key keeps its TTL.
    expect(await ts.conn.call('TTL', 's')).toMatch(/^:(1000|999)\r\n$/);
  });

  it('SPOP and SRANDMEMBER are uniform', async () => {
    // SPOP: fill a 10-member set, pop one, many times.
    const counts = new Map<string, number>();
    const rounds = 3000;
    const cmds: string[][] = [];
    for (let r = 0; r < rounds; r++) cmds.push(['DEL', 's'], ['SADD', 's', 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'], ['SPOP', 's']);
    const replies = await pipeline(ts.conn, cmds);
    for (let r = 0; r < rounds; r++) {
      const m = (parseReply(replies[r * 3 + 2]) as { value: string }).value;
      counts.set(m, (counts.get(m) ?? 0) + 1);
    }
    let chi = 0;
    for (const c of counts.values()) chi += (c - rounds / 10) ** 2 / (rounds / 10);
    expect(counts.size).toBe(10);
    expect(chi).toBeLessThan(9 + 6 * Math.sqrt(18));
    // SRANDMEMBER with a negative count, intset and hashtable.
    for (const n of [50, 800]) {
      await ts.conn.call('DEL', 'r');
      await ts.conn.call('SADD', 'r', ...Array.from({ length: n }, (_, i) => String(i)));
      const draws = bulks(parseReply(await ts.conn.call('SRANDMEMBER', 'r', String(-n * 100))));
      const c2 = new Map<string, number>();
      for (const m of draws) c2.set(m, (c2.get(m) ?? 0) + 1);
      expect(c2.size).toBe(n);
      let chi2 = 0;
      for (const c of c2.values()) chi2 += (c - 100) ** 2 / 100;
      expect(chi2).toBeLessThan(n - 1 + 6 * Math.sqrt(2 * (n - 1)));
    }
    // SRANDMEMBER with a positive count: distinct members, each equally likely.
    const c3 = new Map<string, number>();
    for (let r = 0; r < 1000; r++) {
      const picks = bulks(parseReply(await ts.conn.call('SRANDMEMBER', 'r', '40')));
      expect(new Set(picks).size).toBe(40);
      for (const m of picks) c3.set(m, (c3.get(m) ?? 0) + 1);
    }
    let chi3 = 0;
    const e3 = (1000 * 40) / 800;
    for (let i = 0; i < 800; i++) chi3 += ((c3.get(String(i)) ?? 0) - e3) ** 2 / e3;
    expect(chi3).toBeLessThan(799 + 6 * Math.sqrt(2 * 799));
  }, 60000);

  it('SSCAN returns every member present for the whole walk while the set changes', async () => {
    await ts.conn.call('FLUSHALL');
    const n = 5000;
    await pipeline(ts.conn, Array.from({ length: 10 }, (_, i) => ['SADD', 's', ...Array.from({ length: 500 }, (_, j) => `s${i * 500 + j}`)]));
    const seen = new Set<string>();
    let cursor = '0';
    let extra = 0;
    let round = 0;
    do {
      const v = parseReply(await ts.conn.call('SSCAN', 's', cursor, 'COUNT', '15')) as { value: RespValue[] };
      cursor = (v.value[0] as { value: string }).value;
      for (const m of bulks(v.value[1])) seen.add(m);
      round++;
      if (round % 3 === 0) await ts.conn.call('SADD', 's', ...Array.from({ length: 400 }, () => `x${extra++}`));
      if (round % 5 === 0) await ts.conn.call('SREM', 's', ...Array.from({ length: extra }, (_, j) => `x${j}`));
    } while (cursor !== '0');
    for (let i = 0; i < n; i++) expect(seen.has(`s${i}`)).toBe(true);
  }, 60000);

  it('a 300k-member set builds, answers and empties quickly', async () => {
    await ts.conn.call('FLUSHALL');
    const t0 = Date.now();
    const cmds: string[][] = [];
    for (let i = 0; i < 300000; i += 1000) cmds.push(['SADD', 'big', ...Array.from({ length: 1000 }, (_, j) => `member:${i + j}`)]);
    const replies = await pipeline(ts.conn, cmds);
    expect(replies.every((r) => r === ':1000\r\n')).toBe(true);
    expect(await ts.conn.call('SCARD', 'big')).toBe(':300000\r\n');
    expect(await ts.conn.call('SISMEMBER', 'big', 'member:299999')).toBe(':1\r\n');
    expect(await ts.conn.call('SINTERCARD', '2', 'big', 'big')).toBe(':300000\r\n');
    expect(bulks(parseReply(await ts.conn.call('SPOP', 'big', '1000'))).length).toBe(1000);
    expect(await ts.conn.call('SCARD', 'big')).toBe(':299000\r\n');
    expect(bulks(parseReply(await ts.conn.call('SPOP', 'big', '298990'))).length).toBe(298990);
    expect(await ts.conn.call('SCARD', 'big')).toBe(':10\r\n');
    expect(await ts.conn.call('SPOP', 'big', '10')).toMatch(/^\*10\r\n/);
    expect(await ts.conn.call('EXISTS', 'big')).toBe(':0\r\n');
    expect(Date.now() - t0).toBeLessThan(30000);
  }, 60000);

  it('refuses a random reply too big to build instead of running out of memory', async () => {
    await ts.conn.call('FLUSHALL');
    await ts.conn.call('SADD', 's', 'a');
    expect(await ts.conn.call('SRANDMEMBER', 's', '-9223372036854775807')).toMatch(/^-ERR/);
    await ts.conn.call('HSET', 'h', 'a', 'b');
    expect(await ts.conn.call('HRANDFIELD', 'h', '-4611686018427387903', 'WITHVALUES')).toMatch(/^-ERR/);
    expect(await ts.conn.call('PING')).toBe('+PONG\r\n');
  });
});
