/**
 * Sorted sets beyond the case files:
 * - the zset case files replayed with every sorted set forced into the
 *   skiplist encoding (a member longer than zset-max-listpack-value, added
 *   and removed right after the key's first ZADD);
 * - a randomized differential run against real Redis;
 * - encodings under CONFIG SET zset-max-listpack-*;
 * - blocking pops with several clients, diffed against real Redis;
 * - ZSCAN over big sets, propagation of pops, big-set performance, and the
 *   %.17g score formatter.
 */
import * as path from 'node:path';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { bothServers, startTsredis, redisServerAvailable, type TsredisHandle } from './helpers/servers';
import { RawConnection } from './helpers/resp';
import { sameTranscript, type Step } from './helpers/multiconn';
import { caseFiles, parseCaseFile, runCase, type Case, type Step as CaseStep } from '../conformance/harness';
import { readReply } from '../src/protocol/resp-reader';
import { formatScore } from '../src/commands/zsets';
import { formatDouble17g } from '../src/util/numbers';
import { seeded } from './helpers/random';

const available = redisServerAvailable();
const LONG = 'L'.repeat(70);

/** The case with each key converted to a skiplist right after its first ZADD; ZSCAN replies (dict order) are not compared. */
function toSkiplistVariant(c: Case): Case {
  const converted = new Set<string>();
  const steps: CaseStep[] = [];
  for (const s of c.steps) {
    if (s.kind !== 'cmd') {
      steps.push(s);
      continue;
    }
    const name = s.argv[0]?.toUpperCase();
    steps.push(name === 'ZSCAN' ? { ...s, compare: 'skip' } : s);
    if (name === 'ZADD' && s.argv.length >= 4 && !converted.has(s.argv[1])) {
      converted.add(s.argv[1]);
      const key = s.argv[1];
      steps.push({ kind: 'cmd', argv: ['ZADD', key, '0', LONG], compare: 'exact', line: s.line, text: `(convert ${key})` });
      steps.push({ kind: 'cmd', argv: ['ZREM', key, LONG], compare: 'exact', line: s.line, text: `(convert ${key})` });
    }
  }
  return { name: c.name, steps };
}

describe.skipIf(!available)('sorted sets against real Redis', () => {
  const servers = bothServers();

  describe('case files in the skiplist encoding', () => {
    const files = caseFiles().filter((f) => path.basename(f).startsWith('zset') || path.basename(f).startsWith('sort'));
    for (const file of files) {
      for (const c of parseCaseFile(file)) {
        it(`${path.basename(file)}: ${c.name}`, async () => {
          const m = await runCase(toSkiplistVariant(c), servers.ours.port, servers.theirs.port);
          if (m) expect.soft(m.actual, `line ${m.line}: ${m.command}`).toBe(m.expected);
          expect(m).toBeNull();
        });
      }
    }
  });

  describe('randomized differential', () => {
    const SCORES = ['0', '1', '-1', '2', '2.5', '0.1', '-3.75', '1e3', 'inf', '-inf', '10', '7', '1.1', '-0'];
    const BOUNDS = ['-inf', '+inf', '0', '1', '(1', '2', '(2.5', '5', '(10', '-1', '1e3', '(-inf'];
    const LEX = ['-', '+', '[a', '(a', '[m10', '(m20', '[m5', '[z', '(', '['];

    function randomCommand(r: () => number, pool: number): string[] {
      const pick = <T>(a: T[]): T => a[Math.floor(r() * a.length)];
      // 'lex' keeps equal scores (lex ranges assume them): only lex commands, pops and reads touch it.
      const keys = ['z1', 'z2', 'z3', 'lex'];
      const wkeys = ['z1', 'z2', 'z3'];
      const key = r() < 0.25 ? 'lex' : pick(wkeys);
      const member = () => 'm' + Math.floor(r() * pool);
      const score = () => pick(SCORES);
      const int = (lo: number, hi: number) => String(lo + Math.floor(r() * (hi - lo + 1)));
      const x = r();
      if (key === 'lex' && x < 0.3) {
        const out = ['ZADD', 'lex'];
        const n = 1 + Math.floor(r() * 5);
        for (let i = 0; i < n; i++) out.push('0', member());
        return out;
      }
      if (x < 0.25) {
        const out = ['ZADD', key === 'lex' ? 'z1' : key];
        const opts = [[], [], ['NX'], ['XX'], ['GT'], ['LT'], ['CH'], ['XX', 'GT', 'CH'], ['INCR']];
        const o = pick(opts);
        out.push(...o);
        const n = o.includes('INCR') ? 1 : 1 + Math.floor(r() * 6);
        for (let i = 0; i < n; i++) out.push(score(), member());
        return out;
      }
      const w = Math.floor(r() * 30);
      switch (w) {
        case 0:
          return ['ZINCRBY', pick(wkeys), score(), member()];
        case 1:
          return ['ZREM', key, member(), member()];
        case 2:
          return ['ZRANGE', key, int(-5, 5), int(-5, 50), ...(r() < 0.5 ? ['WITHSCORES'] : []), ...(r() < 0.3 ? ['REV'] : [])];
        case 3:
          return ['ZRANGE', key, pick(BOUNDS), pick(BOUNDS), 'BYSCORE', ...(r() < 0.5 ? ['LIMIT', int(-1, 5), int(-1, 5)] : []), ...(r() < 0.5 ? ['WITHSCORES'] : [])];
        case 4:
          return ['ZRANGE', key, pick(BOUNDS), pick(BOUNDS), 'BYSCORE', 'REV', ...(r() < 0.5 ? ['LIMIT', int(0, 5), int(-1, 5)] : [])];
        case 5:
          return ['ZRANGE', 'lex', pick(LEX), pick(LEX), 'BYLEX', ...(r() < 0.4 ? ['REV'] : []), ...(r() < 0.5 ? ['LIMIT', int(0, 5), int(-1, 5)] : [])];
        case 6:
          return ['ZCOUNT', key, pick(BOUNDS), pick(BOUNDS)];
        case 7:
          return ['ZLEXCOUNT', 'lex', pick(LEX), pick(LEX)];
        case 8:
          return [pick(['ZRANK', 'ZREVRANK']), key, member()];
        case 9:
          return ['ZSCORE', key, member()];
        case 10:
          return ['ZMSCORE', key, member(), member(), member()];
        case 11:
          return ['ZREMRANGEBYRANK', key, int(-5, 5), int(-5, 5)];
        case 12:
          return ['ZREMRANGEBYSCORE', key, pick(BOUNDS), pick(BOUNDS)];
        case 13:
          return ['ZREMRANGEBYLEX', 'lex', pick(LEX), pick(LEX)];
        case 14:
          return [pick(['ZPOPMIN', 'ZPOPMAX']), key, ...(r() < 0.5 ? [int(0, 4)] : [])];
        case 15:
          return ['ZMPOP', '2', key, pick(keys), pick(['MIN', 'MAX']), 'COUNT', int(1, 4)];
        case 16:
          return [pick(['ZUNION', 'ZINTER']), '2', key, pick(keys), ...(r() < 0.5 ? ['WEIGHTS', pick(SCORES.slice(0, 8)), pick(SCORES.slice(0, 8))] : []), 'AGGREGATE', pick(['SUM', 'MIN', 'MAX']), 'WITHSCORES'];
        case 17:
          return ['ZDIFF', '2', key, pick(keys), 'WITHSCORES'];
        case 18:
          return [pick(['ZUNIONSTORE', 'ZINTERSTORE', 'ZDIFFSTORE']), pick(wkeys), '2', key, pick(keys)];
        case 19:
          return ['ZINTERCARD', '2', key, pick(keys), 'LIMIT', int(0, 5)];
        case 20:
          return ['ZRANGESTORE', pick(wkeys), key, int(-5, 5), int(-5, 50)];
        case 21:
          return ['ZCARD', key];
        case 22:
          return ['OBJECT', 'ENCODING', key];
        case 23:
          return ['ZRANGEBYSCORE', key, pick(BOUNDS), pick(BOUNDS), 'WITHSCORES'];
        case 24:
          return ['ZREVRANGEBYSCORE', key, pick(BOUNDS), pick(BOUNDS), 'LIMIT', int(0, 3), int(-1, 3)];
        case 25:
          return ['ZREVRANGE', key, int(-10, 10), int(-10, 10), 'WITHSCORES'];
        case 26:
          return ['ZRANDMEMBER', key, String(Math.max(1000, pool * 2))];
        case 27:
          return ['SORT', key, ...(r() < 0.5 ? ['BY', 'nosort'] : []), ...(r() < 0.5 ? ['DESC'] : []), 'LIMIT', int(0, 5), int(-1, 5)];
        case 28:
          return ['ZRANGE', key, '0', '-1', 'WITHSCORES'];
        default:
          return ['ZADD', pick(wkeys), 'GT', 'CH', score(), member(), score(), member()];
      }
    }

    // ZSET_FUZZ=<rounds> runs longer (more seeds, more commands each).
    const rounds = Number(process.env.ZSET_FUZZ ?? 1);
    const runs: Array<[number, number]> = [];
    for (let k = 0; k < rounds; k++) runs.push([1 + 4 * k, 20], [2 + 4 * k, 80], [3 + 4 * k, 400], [4 + 4 * k, 1500]);
    for (const [seed, pool] of runs) {
      it(`matches real Redis reply for reply (seed ${seed}, ${pool} members)`, async () => {
        const a = await RawConnection.connect(servers.ours.port);
        const b = await RawConnection.connect(servers.theirs.port);
        try {
          await a.call('FLUSHALL');
          await b.call('FLUSHALL');
          const r = seeded(seed);
          // Grow the sets first so that big pools reach the skiplist encoding.
          for (let i = 0; i < pool; i += 50) {
            for (const key of ['z1', 'z2', 'lex']) {
              const argv = ['ZADD', key];
              for (let j = i; j < Math.min(pool, i + 50); j++) if (r() < 0.6) argv.push(key === 'lex' ? '0' : SCORES[Math.floor(r() * SCORES.length)], 'm' + j);
              if (argv.length > 2) {
                const [ra, rb] = await Promise.all([a.call(...argv), b.call(...argv)]);
                expect(ra).toBe(rb);
              }
            }
          }
          const history: string[] = [];
          for (let i = 0; i < 1500 * Math.min(rounds, 4); i++) {
            const argv = randomCommand(r, pool);
            history.push(argv.join(' '));
            const [ra, rb] = await Promise.all([a.call(...argv), b.call(...argv)]);
            if (ra !== rb) {
              expect.soft(ra, `command #${i}: ${argv.join(' ')}\nlast commands:\n${history.slice(-15).join('\n')}`).toBe(rb);
              break;
            }
          }
          // The final state is the same.
          for (const key of ['z1', 'z2', 'z3', 'lex']) {
            const [ra, rb] = await Promise.all([a.call('ZRANGE', key, '0', '-1', 'WITHSCORES'), b.call('ZRANGE', key, '0', '-1', 'WITHSCORES')]);
            expect(ra).toBe(rb);
          }
        } finally {
          a.close();
          b.close();
        }
      }, 60000);
    }
  });

  it('follows zset-max-listpack-entries and zset-max-listpack-value like Redis', async () => {
    const steps: string[][] = [
      ['CONFIG', 'SET', 'zset-max-listpack-entries', '4'],
      ['CONFIG', 'SET', 'zset-max-listpack-value', '8'],
      ['ZADD', 'a', '1', 'x', '2', 'y', '3', 'z', '4', 'w'],
      ['OBJECT', 'ENCODING', 'a'],
      ['ZADD', 'a', '5', 'v'],
      ['OBJECT', 'ENCODING', 'a'],
      ['ZPOPMIN', 'a', '4'],
      ['OBJECT', 'ENCODING', 'a'],
      ['ZADD', 'b', '1', '12345678'],
      ['OBJECT', 'ENCODING', 'b'],
      ['ZADD', 'b', '1', '123456789'],
      ['OBJECT', 'ENCODING', 'b'],
      ['ZADD', 'c', '1', 'a', '2', 'b', '3', 'c', '4', 'd', '5', 'e', '6', 'f'],
      ['OBJECT', 'ENCODING', 'c'],
      ['ZUNIONSTORE', 'u', '1', 'c'],
      ['OBJECT', 'ENCODING', 'u'],
      ['ZRANGESTORE', 'r', 'c', '0', '3'],
      ['OBJECT', 'ENCODING', 'r'],
      ['ZRANGESTORE', 'r', 'c', '0', '4'],
      ['OBJECT', 'ENCODING', 'r'],
      ['ZINTERSTORE', 'i', '2', 'c', 'c'],
      ['OBJECT', 'ENCODING', 'i'],
      ['ZDIFFSTORE', 'd', '1', 'b'],
      ['OBJECT', 'ENCODING', 'd'],
      ['ZREMRANGEBYRANK', 'c', '0', '3'],
      ['OBJECT', 'ENCODING', 'c'],
      ['ZUNIONSTORE', 'u', '1', 'c'],
      ['OBJECT', 'ENCODING', 'u'],
      ['CONFIG', 'SET', 'zset-max-listpack-entries', '0'],
      ['ZADD', 'e', '1', 'x'],
      ['OBJECT', 'ENCODING', 'e'],
      ['ZINCRBY', 'f', '1', 'x'],
      ['OBJECT', 'ENCODING', 'f'],
      ['ZUNIONSTORE', 'g', '1', 'e'],
      ['OBJECT', 'ENCODING', 'g'],
      ['CONFIG', 'SET', 'zset-max-listpack-entries', '128'],
      ['CONFIG', 'SET', 'zset-max-listpack-value', '64'],
    ];
    const a = await RawConnection.connect(servers.ours.port);
    const b = await RawConnection.connect(servers.theirs.port);
    try {
      await a.call('FLUSHALL');
      await b.call('FLUSHALL');
      for (const argv of steps) {
        const [ra, rb] = await Promise.all([a.call(...argv), b.call(...argv)]);
        expect(ra, argv.join(' ')).toBe(rb);
      }
    } finally {
      a.close();
      b.close();
    }
  });

  it('ZSCAN walks a big set completely, with the same items as Redis', async () => {
    const a = await RawConnection.connect(servers.ours.port);
    const b = await RawConnection.connect(servers.theirs.port);
    try {
      for (const conn of [a, b]) {
        await conn.call('FLUSHALL');
        for (let i = 0; i < 1000; i += 100) {
          const argv = ['ZADD', 'big'];
          for (let j = i; j < i + 100; j++) argv.push(String(j % 17 === 0 ? j + 0.5 : j), 'member:' + j);
          await conn.call(...argv);
        }
      }
      const collect = async (conn: RawConnection, extra: string[]): Promise<Map<string, string>> => {
        const seen = new Map<string, string>();
        let cursor = '0';
        let calls = 0;
        do {
          const reply = readReply(await conn.call('ZSCAN', 'big', cursor, ...extra))!.value;
          if (reply.type !== 'array') throw new Error('bad reply');
          const [cur, items] = reply.value;
          cursor = String(cur.value);
          const list = (items as { value: Array<{ value: string }> }).value;
          expect(list.length % 2).toBe(0);
          for (let i = 0; i < list.length; i += 2) seen.set(list[i].value, list[i + 1].value);
          calls++;
        } while (cursor !== '0' && calls < 10000);
        return seen;
      };
      for (const extra of [[], ['COUNT', '3'], ['MATCH', '*7*', 'COUNT', '50']]) {
        const ma = await collect(a, extra);
        const mb = await collect(b, extra);
        expect(ma.size).toBeGreaterThan(0);
        expect([...ma.entries()].sort()).toEqual([...mb.entries()].sort());
      }
    } finally {
      a.close();
      b.close();
    }
  });

  describe('blocking pops with several clients', () => {
    const scenarios: Record<string, Step[]> = {
      'BZPOPMIN is served by a later ZADD': [
        { on: 1, cmd: ['BZPOPMIN', 'z', '0'], replies: 0 },
        { on: 0, cmd: ['ZADD', 'z', '2', 'b', '1', 'a'] },
        { on: 0, cmd: ['ZRANGE', 'z', '0', '-1', 'WITHSCORES'] },
      ],
      'clients are served first come first served': [
        { on: 1, cmd: ['BZPOPMIN', 'z', '0'], replies: 0 },
        { on: 2, cmd: ['BZPOPMAX', 'z', '0'], replies: 0 },
        { on: 0, cmd: ['ZADD', 'z', '1', 'a'] },
        { on: 0, cmd: ['ZADD', 'z', '2', 'b', '3', 'c'] },
        { on: 0, cmd: ['ZRANGE', 'z', '0', '-1'] },
      ],
      'several keys, the one that gets data serves': [
        { on: 1, cmd: ['BZPOPMAX', 'k1', 'k2', 'k3', '0'], replies: 0 },
        { on: 0, cmd: ['ZADD', 'k2', '5', 'x', '6', 'y'] },
        { on: 0, cmd: ['ZCARD', 'k2'] },
      ],
      'other types do not serve; the key must be a sorted set': [
        { on: 1, cmd: ['BZPOPMIN', 'z', '0'], replies: 0 },
        { on: 0, cmd: ['SET', 'z', 'str'] },
        { on: 0, cmd: ['DEL', 'z'] },
        { on: 0, cmd: ['RPUSH', 'z', 'a'] },
        { on: 0, cmd: ['DEL', 'z'] },
        { on: 0, cmd: ['ZADD', 'z', '1', 'a'] },
      ],
      'a transaction serves with the state at EXEC': [
        { on: 1, cmd: ['BZPOPMIN', 'z', '0'], replies: 0 },
        { on: 0, cmd: ['MULTI'] },
        { on: 0, cmd: ['ZADD', 'z', '1', 'a'] },
        { on: 0, cmd: ['ZREM', 'z', 'a'] },
        { on: 0, cmd: ['ZADD', 'z', '2', 'b'] },
        { on: 0, cmd: ['EXEC'] },
      ],
      'a key emptied in the same transaction does not serve': [
        { on: 1, cmd: ['BZPOPMIN', 'z', '0'], replies: 0 },
        { on: 0, cmd: ['MULTI'] },
        { on: 0, cmd: ['ZADD', 'z', '1', 'a'] },
        { on: 0, cmd: ['ZPOPMIN', 'z'] },
        { on: 0, cmd: ['EXEC'] },
        { on: 0, cmd: ['ZADD', 'z', '2', 'b'] },
      ],
      'BZMPOP with COUNT takes several, the next client waits': [
        { on: 1, cmd: ['BZMPOP', '0', '2', 'a', 'b', 'MAX', 'COUNT', '2'], replies: 0 },
        { on: 2, cmd: ['BZMPOP', '0', '1', 'b', 'MIN'], replies: 0 },
        { on: 0, cmd: ['ZADD', 'b', '1', 'x', '2', 'y', '3', 'z'] },
        { on: 0, cmd: ['ZADD', 'b', '9', 'w'] },
      ],
      'store commands serve waiting clients': [
        { on: 1, cmd: ['BZPOPMIN', 'dst', '0'], replies: 0 },
        { on: 2, cmd: ['BZPOPMAX', 'dst2', '0'], replies: 0 },
        { on: 0, cmd: ['ZADD', 'src', '1', 'a', '2', 'b'] },
        { on: 0, cmd: ['ZUNIONSTORE', 'dst', '1', 'src'] },
        { on: 0, cmd: ['ZRANGESTORE', 'dst2', 'src', '0', '-1'] },
        { on: 0, cmd: ['ZRANGE', 'dst', '0', '-1'] },
      ],
      'RESP3 replies when served': [
        { resp3: 1 },
        { on: 1, cmd: ['BZPOPMIN', 'z', '0'], replies: 0 },
        { on: 0, cmd: ['ZADD', 'z', '1.5', 'a'] },
        { on: 1, cmd: ['BZMPOP', '0', '1', 'z', 'MIN', 'COUNT', '3'], replies: 0 },
        { on: 0, cmd: ['ZADD', 'z', '1', 'a', '2', 'b'] },
      ],
      'a timeout answers a null array': [
        { on: 1, cmd: ['BZPOPMIN', 'z', '0.1'], replies: 0 },
        { sleep: 400 },
        { on: 1, cmd: ['BZMPOP', '0.1', '1', 'z', 'MIN'], replies: 0 },
        { sleep: 400 },
        { on: 0, cmd: ['ZADD', 'z', '1', 'a'] },
      ],
      'a closed waiting client is forgotten': [
        { on: 1, cmd: ['BZPOPMIN', 'z', '0'], replies: 0 },
        { on: 2, cmd: ['BZPOPMIN', 'z', '0'], replies: 0 },
        { close: 1 },
        { on: 0, cmd: ['ZADD', 'z', '1', 'a'] },
        { on: 0, cmd: ['EXISTS', 'z'] },
      ],
      'commands pipelined after a blocked pop run once it is served': [
        { on: 1, cmd: ['BZPOPMIN', 'z', '0'], replies: 0 },
        { on: 1, cmd: ['ZCARD', 'z'], replies: 0 },
        { on: 0, cmd: ['ZADD', 'z', '1', 'a', '2', 'b'] },
        { on: 1, cmd: ['PING'] },
      ],
    };
    for (const [name, steps] of Object.entries(scenarios)) {
      it(name, async () => {
        await sameTranscript(servers, 3, steps);
      });
    }
  });
});

describe('sorted sets in-process', () => {
  let h: TsredisHandle;
  let conn: RawConnection;
  const fed: string[][] = [];
  beforeAll(async () => {
    h = await startTsredis();
    h.server.propagationTargets.push({ feed: (_db, argv) => fed.push([...argv]) });
    conn = await RawConnection.connect(h.port);
  });
  afterAll(async () => {
    conn.close();
    await h.stop();
  });

  it('propagates pops deterministically and skips no-op writes', async () => {
    await conn.call('FLUSHALL');
    fed.length = 0;
    await conn.call('ZADD', 'z', '1', 'a', '2', 'b', '3', 'c', '4', 'd');
    await conn.call('ZADD', 'z', 'NX', '5', 'a');
    await conn.call('ZADD', 'z', 'XX', '5', 'nosuch');
    await conn.call('ZREM', 'z', 'nosuch');
    await conn.call('ZMPOP', '1', 'z', 'MIN');
    await conn.call('ZMPOP', '1', 'z', 'MAX', 'COUNT', '2');
    await conn.call('BZPOPMIN', 'z', '0');
    await conn.call('ZADD', 'y', '1', 'a', '2', 'b');
    await conn.call('BZMPOP', '0', '1', 'y', 'MAX', 'COUNT', '5');
    await conn.call('ZMPOP', '1', 'nokey', 'MIN');
    await conn.call('ZUNIONSTORE', 'dst', '1', 'nokey');
    expect(fed).toEqual([
      ['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c', '4', 'd'],
      ['ZPOPMIN', 'z', '1'],
      ['ZPOPMAX', 'z', '2'],
      ['ZPOPMIN', 'z'],
      ['ZADD', 'y', '1', 'a', '2', 'b'],
      ['ZPOPMAX', 'y', '5'],
    ]);
  });

  it('propagates a pop served to a blocked client', async () => {
    await conn.call('FLUSHALL');
    const waiter = await RawConnection.connect(h.port);
    try {
      waiter.write('*3\r\n$8\r\nBZPOPMAX\r\n$1\r\nq\r\n$1\r\n0\r\n');
      waiter.write('*6\r\n$6\r\nBZMPOP\r\n$1\r\n0\r\n$1\r\n1\r\n$1\r\nq\r\n$3\r\nMIN\r\n$5\r\nCOUNT\r\n');
      await new Promise((r) => setTimeout(r, 50));
      fed.length = 0;
      await conn.call('ZADD', 'q', '1', 'a', '2', 'b');
      expect(await waiter.read()).toBe('*3\r\n$1\r\nq\r\n$1\r\nb\r\n$1\r\n2\r\n');
      expect(fed).toEqual([
        ['ZADD', 'q', '1', 'a', '2', 'b'],
        ['ZPOPMAX', 'q'],
      ]);
    } finally {
      waiter.close();
    }
  });

  it('handles big sets quickly', async () => {
    await conn.call('FLUSHALL');
    const t0 = Date.now();
    const N = 100000;
    for (let i = 0; i < N; i += 1000) {
      const argv = ['ZADD', 'big'];
      for (let j = i; j < i + 1000; j++) argv.push(String((j * 7919) % N), 'member:' + j);
      await conn.call(...argv);
    }
    expect(await conn.call('ZCARD', 'big')).toBe(':100000\r\n');
    expect(await conn.call('OBJECT', 'ENCODING', 'big')).toBe('$8\r\nskiplist\r\n');
    // Score s belongs to the member j with j*7919 = s (mod N): rank s.
    expect(await conn.call('ZRANK', 'big', 'member:0')).toBe(':0\r\n');
    const r = readReply(await conn.call('ZRANGE', 'big', '50000', '50002', 'WITHSCORES'))!.value;
    expect(JSON.stringify(r)).toContain('"50000"');
    expect(await conn.call('ZCOUNT', 'big', '(1000', '2000')).toBe(':1000\r\n');
    expect(await conn.call('ZREMRANGEBYSCORE', 'big', '0', '49999')).toBe(':50000\r\n');
    expect(await conn.call('ZCARD', 'big')).toBe(':50000\r\n');
    for (let i = 0; i < 200; i++) await conn.call('ZINCRBY', 'big', '-1', 'member:' + i);
    expect(await conn.call('ZPOPMIN', 'big', '3')).toContain('member:');
    expect(Date.now() - t0).toBeLessThan(15000);
  });

  it('formats scores exactly like %.17g', () => {
    const r = seeded(99);
    const samples: number[] = [0, -0, 1, -1, 0.1, 1.1, 1e-4, 9.9999e-5, 1e-5, 1e16, 1e17, 2 ** 53, 2 ** 53 + 2, 2 ** 60, 123456789.123, -7.25, 5e-324, 1.7976931348623157e308];
    for (let i = 0; i < 20000; i++) {
      const kind = r();
      if (kind < 0.3) samples.push((r() - 0.5) * 10 ** Math.floor(r() * 40 - 20));
      else if (kind < 0.5) samples.push(Math.round((r() - 0.5) * 1e6) / 1000);
      else if (kind < 0.7) samples.push(Math.floor((r() - 0.5) * 2 ** Math.floor(r() * 64)));
      else {
        const buf = new DataView(new ArrayBuffer(8));
        buf.setUint32(0, Math.floor(r() * 0x100000000));
        buf.setUint32(4, Math.floor(r() * 0x100000000));
        const d = buf.getFloat64(0);
        if (Number.isFinite(d)) samples.push(d);
      }
    }
    for (const d of samples) expect(formatScore(d), String(d)).toBe(formatDouble17g(d));
    expect(formatScore(Infinity)).toBe('inf');
    expect(formatScore(-Infinity)).toBe('-inf');
    expect(formatScore(1.1)).toBe('1.1000000000000001');
    expect(formatScore(1e16)).toBe('10000000000000000');
  });
});
