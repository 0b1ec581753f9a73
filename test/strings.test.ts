/**
 * String and bit commands beyond what the case files show: a seeded random
 * differential run against real Redis (replies, keyspace notifications and
 * the propagated write stream compared with real Redis's AOF), COMMAND
 * metadata, proto-max-bulk-len limits, big values, and long double
 * arithmetic of INCRBYFLOAT.
 *
 * STRINGS_SEED=<n> replays a run; STRINGS_OPS=<n> sets its length.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { bothServers, startTsredis, startRealRedis, redisServerAvailable, type TsredisHandle, type RunningServer } from './helpers/servers';
import { RawConnection } from './helpers/resp';
import { readReply, type RespValue } from '../src/protocol/resp-reader';
import { CommandTable } from '../src/commands/table';
import { ReplyWriter } from '../src/protocol/reply';
import { writeCommandInfo, writeCommandDocs } from '../src/commands/command-docs';
import { incrByFloatText, parseLongDouble, formatLongDoubleHuman } from '../src/util/longdouble';
import { formatLongDouble } from '../src/util/numbers';
import { NOTIFY } from '../src/server/notify';
import { seeded } from './helpers/random';

const available = redisServerAvailable();

const STRING_COMMANDS =
  'get set setnx setex psetex getset getdel getex mget mset msetnx incr decr incrby decrby incrbyfloat append strlen getrange setrange substr lcs setbit getbit bitcount bitpos bitop bitfield bitfield_ro'.split(
    ' ',
  );

/** Random string-family commands over a small key space, avoiding anything timing-dependent. */
function commandGenerator(rnd: () => number): () => string[] {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  const keys = ['k0', 'k1', 'k2', 'k3', 'k4', 'z'];
  const key = () => pick(keys);
  const ints = ['0', '1', '-1', '2', '7', '8', '15', '16', '100', '-100', '255', '256', '9223372036854775807', '-9223372036854775808', '9223372036854775806', '4611686018427387904', '9007199254740993', 'abc', '', '1.5', '+1', '01', ' 1'];
  const smallInt = () => (rnd() < 0.8 ? String(Math.floor(rnd() * 40) - 10) : pick(ints));
  const floats = ['0.1', '-0.1', '1.5', '1e3', '-2.5e-3', '3', '0x10', 'inf', 'nan', 'abc', '1e400', '1e5000', '.5', '5.', '123456789.123456789', '-0'];
  const randBytes = () => {
    const n = Math.floor(rnd() * 12);
    let s = '';
    for (let i = 0; i < n; i++) s += String.fromCharCode(rnd() < 0.5 ? 97 + Math.floor(rnd() * 4) : Math.floor(rnd() * 256));
    return s;
  };
  const value = () => {
    const r = rnd();
    if (r < 0.35) return smallInt();
    if (r < 0.45) return pick(floats);
    return randBytes();
  };
  const expireOpt = (): string[] => {
    const r = rnd();
    if (r < 0.2) return ['EX', pick(['100', '1000', '0', '-1', 'abc', '9223372036854775807'])];
    if (r < 0.4) return ['PX', pick(['100000', '200000', '0', 'x', '9223372036854775807'])];
    if (r < 0.6) return ['EXAT', pick(['1', '4102444800', '0', '9223372036854776'])];
    if (r < 0.8) return ['PXAT', pick(['1000', '4102444800000', '-5'])];
    return ['KEEPTTL'];
  };
  const unit = () => (rnd() < 0.5 ? [] : [pick(['BIT', 'BYTE', 'bit', 'foo'])]);
  const bfType = () => (rnd() < 0.9 ? pick(['u', 'i']) + String(1 + Math.floor(rnd() * (rnd() < 0.5 ? 8 : 64))) : pick(['u64', 'i65', 'x8', 'u0']));
  const bfOffset = () => (rnd() < 0.2 ? '#' + Math.floor(rnd() * 6) : String(Math.floor(rnd() * 70)));
  const gens: Array<() => string[]> = [
    () => ['GET', key()],
    () => ['SET', key(), value()],
    () => {
      const argv = ['SET', key(), value()];
      const n = Math.floor(rnd() * 3) + 1;
      for (let i = 0; i < n; i++) {
        const r = rnd();
        if (r < 0.2) argv.push(pick(['NX', 'nx']));
        else if (r < 0.4) argv.push('XX');
        else if (r < 0.6) argv.push('GET');
        else if (r < 0.95) argv.push(...expireOpt());
        else argv.push('foo');
      }
      return argv;
    },
    () => ['SETNX', key(), value()],
    () => ['SETEX', key(), pick(['100', '0', 'abc', '-3']), value()],
    () => ['PSETEX', key(), pick(['100000', '0', 'x']), value()],
    () => ['GETSET', key(), value()],
    () => ['GETDEL', key()],
    () => {
      const r = rnd();
      const argv = ['GETEX', key()];
      if (r < 0.2) return argv;
      if (r < 0.35) return [...argv, 'PERSIST'];
      if (r < 0.95) {
        const o = expireOpt();
        return o[0] === 'KEEPTTL' ? [...argv, 'PERSIST', 'EX', '5'] : [...argv, ...o];
      }
      return [...argv, 'NX'];
    },
    () => ['MGET', key(), key(), key()],
    () => (rnd() < 0.9 ? ['MSET', key(), value(), key(), value()] : ['MSET', key()]),
    () => ['MSETNX', key(), value(), key(), value()],
    () => ['INCR', key()],
    () => ['DECR', key()],
    () => ['INCRBY', key(), smallInt()],
    () => ['DECRBY', key(), smallInt()],
    () => ['INCRBYFLOAT', key(), pick(floats)],
    () => ['APPEND', key(), randBytes()],
    () => ['STRLEN', key()],
    () => [pick(['GETRANGE', 'SUBSTR']), key(), smallInt(), smallInt()],
    () => ['SETRANGE', key(), rnd() < 0.9 ? String(Math.floor(rnd() * 30)) : pick(['-1', 'abc', '536870912']), randBytes()],
    () => {
      const argv = ['LCS', key(), key()];
      const opts = [['LEN'], ['IDX'], ['WITHMATCHLEN'], ['MINMATCHLEN', smallInt()]];
      const n = Math.floor(rnd() * 3);
      for (let i = 0; i < n; i++) argv.push(...pick(opts));
      return argv;
    },
    () => ['SETBIT', key(), rnd() < 0.9 ? String(Math.floor(rnd() * 100)) : pick(['-1', 'x', '4294967296']), rnd() < 0.9 ? pick(['0', '1']) : pick(['2', 'x'])],
    () => ['GETBIT', key(), rnd() < 0.9 ? String(Math.floor(rnd() * 100)) : pick(['-1', 'x'])],
    () => {
      const r = rnd();
      if (r < 0.3) return ['BITCOUNT', key()];
      return ['BITCOUNT', key(), smallInt(), smallInt(), ...unit()];
    },
    () => {
      const argv = ['BITPOS', key(), rnd() < 0.9 ? pick(['0', '1']) : '2'];
      const n = Math.floor(rnd() * 3);
      if (n >= 1) argv.push(smallInt());
      if (n >= 2) argv.push(smallInt(), ...unit());
      return argv;
    },
    () => {
      const op = pick(['AND', 'OR', 'XOR', 'NOT', 'and', 'foo']);
      if (op === 'NOT' && rnd() < 0.8) return ['BITOP', op, key(), key()];
      return ['BITOP', op, key(), key(), key()];
    },
    () => {
      const argv = [rnd() < 0.8 ? 'BITFIELD' : 'BITFIELD_RO', key()];
      const n = Math.floor(rnd() * 4);
      for (let i = 0; i < n; i++) {
        const r = rnd();
        if (r < 0.35) argv.push('GET', bfType(), bfOffset());
        else if (r < 0.6) argv.push('SET', bfType(), bfOffset(), smallInt());
        else if (r < 0.85) argv.push('INCRBY', bfType(), bfOffset(), smallInt());
        else argv.push('OVERFLOW', pick(['WRAP', 'SAT', 'FAIL', 'fail', 'bad']));
      }
      return argv;
    },
    () => ['TTL', key()],
    () => ['EXISTS', key()],
    () => ['TYPE', key()],
  ];
  return () => pick(gens)();
}

/** Parses an AOF's commands (arrays of bulk strings). */
function parseCommands(text: string): string[][] {
  const out: string[][] = [];
  let pos = 0;
  for (;;) {
    const r = readReply(text, pos);
    if (r === null) break;
    pos = r.end;
    if (r.value.type === 'array') out.push(r.value.value.map((v) => (v.type === 'bulk' ? v.value : '?')));
  }
  return out;
}

/** Replaces absolute ms timestamps by a marker after checking they are within a few seconds of each other. */
function normalizeTimes(a: string[][], b: string[][]): [string[][], string[][]] {
  const norm = (x: string[][], y: string[][]) =>
    x.map((argv, i) =>
      argv.map((arg, j) => {
        const prev = argv[j - 1]?.toUpperCase();
        if ((prev === 'PXAT' || (argv[0].toUpperCase() === 'PEXPIREAT' && j === 2)) && /^\d{13}$/.test(arg)) {
          const other = y[i]?.[j];
          if (other !== undefined && /^\d{13}$/.test(other) && Math.abs(Number(other) - Number(arg)) < 10000) return '<time>';
        }
        return arg;
      }),
    );
  return [norm(a, b), norm(b, a)];
}

function plain(v: RespValue): unknown {
  switch (v.type) {
    case 'array':
    case 'set':
    case 'push':
      return v.value.map(plain);
    case 'map':
      return v.value.map(([k, x]) => [plain(k), plain(x)]);
    case 'int':
      return Number(v.value);
    case 'null':
      return null;
    default:
      return (v as { value: unknown }).value;
  }
}

/** The `arguments` entry of a COMMAND DOCS reply, as plain data. */
function docArguments(raw: string): unknown {
  const top = plain(readReply(raw)!.value) as unknown[];
  const fields = top[1] as unknown[];
  for (let i = 0; i < fields.length; i += 2) if (fields[i] === 'arguments') return fields[i + 1];
  return undefined;
}

describe.skipIf(!available)('string commands against real Redis', () => {
  let ours: TsredisHandle;
  let theirs: RunningServer;
  let aofDir: string;
  const propagated: string[][] = [];

  beforeAll(async () => {
    aofDir = fs.mkdtempSync(path.join(os.tmpdir(), 'strings-aof-'));
    ours = await startTsredis(['notify-keyspace-events KEAnm']);
    // CONFIG shows 'n' nowhere ("AKEm", as Redis 7.0 does): make sure the flag itself is on.
    ours.server.notifyFlags |= NOTIFY.newKey;
    ours.server.propagationTargets.push({
      feed(dbId, argv) {
        if (dbId === 0) propagated.push([...argv]);
      },
    });
    theirs = (await startRealRedis(['--appendonly', 'yes', '--appendfsync', 'always', '--dir', aofDir, '--notify-keyspace-events', 'KEAnm']))!;
  });
  afterAll(async () => {
    await ours?.stop();
    await theirs?.stop();
  });

  it('COMMAND INFO of every string and bit command is identical', async () => {
    const conn = await RawConnection.connect(theirs.port);
    const table = new CommandTable();
    try {
      for (const name of STRING_COMMANDS) {
        const w = new ReplyWriter();
        w.arrayHeader(1);
        writeCommandInfo(w, table.lookup(name)!);
        expect(w.out, name).toBe(await conn.call('COMMAND', 'INFO', name));
      }
    } finally {
      conn.close();
    }
  });

  it('COMMAND DOCS arguments of every string and bit command are identical', async () => {
    const conn = await RawConnection.connect(theirs.port);
    const table = new CommandTable();
    try {
      for (const name of STRING_COMMANDS) {
        const w = new ReplyWriter();
        w.mapHeader(1);
        w.bulk(name);
        writeCommandDocs(w, table.lookup(name)!);
        expect(docArguments(w.out), name).toEqual(docArguments(await conn.call('COMMAND', 'DOCS', name)));
      }
    } finally {
      conn.close();
    }
  });

  it('random command sequences: replies, notifications and propagation match', async () => {
    const seed = Number(process.env.STRINGS_SEED ?? Math.floor(Math.random() * 2 ** 31));
    const count = Number(process.env.STRINGS_OPS ?? 2500);
    const next = commandGenerator(seeded(seed));
    const a = await RawConnection.connect(ours.port);
    const b = await RawConnection.connect(theirs.port);
    const subA = await RawConnection.connect(ours.port);
    const subB = await RawConnection.connect(theirs.port);
    let restore = () => {};
    try {
      await Promise.all([a.call('FLUSHALL'), b.call('FLUSHALL')]);
      // Keys given a past expiry time must expire lazily, on access, in both servers: no active expiry.
      const cycle = ours.server.activeExpireCycle;
      ours.server.activeExpireCycle = () => {};
      restore = () => (ours.server.activeExpireCycle = cycle);
      expect(await b.call('DEBUG', 'SET-ACTIVE-EXPIRE', '0')).toBe('+OK\r\n');
      // A key of another type, for WRONGTYPE paths (created before listening: not part of the comparison).
      await Promise.all([a.call('ZADD', 'z', '1', 'm'), b.call('ZADD', 'z', '1', 'm')]);
      await Promise.all([subA.call('PSUBSCRIBE', '__key*__:*'), subB.call('PSUBSCRIBE', '__key*__:*')]);
      propagated.length = 0;
      const aofFile = path.join(aofDir, 'appendonlydir', 'appendonly.aof.1.incr.aof');
      const aofStart = fs.existsSync(aofFile) ? fs.statSync(aofFile).size : 0;
      const history: string[] = [];
      for (let i = 0; i < count; i++) {
        const argv = next();
        history.push(JSON.stringify(argv));
        const [ra, rb] = await Promise.all([a.call(...argv), b.call(...argv)]).catch((e: Error) => {
          throw new Error(`seed ${seed}, command #${i}: ${JSON.stringify(argv)}: ${e.message}`);
        });
        if (ra !== rb) {
          throw new Error(`seed ${seed}, command #${i}: ${JSON.stringify(argv)}\n tsredis: ${JSON.stringify(ra)}\n redis:   ${JSON.stringify(rb)}\n last commands:\n ${history.slice(-15).join('\n ')}`);
        }
        if (process.env.STRINGS_DEBUG) {
          await new Promise((r) => setTimeout(r, 5));
          if (subA.pending !== subB.pending) throw new Error(`notifications after ${JSON.stringify(argv)}:\n${JSON.stringify(subA.pending.slice(-300))}\n${JSON.stringify(subB.pending.slice(-300))}\n ${history.slice(-5).join('\n ')}`);
        }
      }
      // Keyspace notifications: the same messages in the same order.
      await new Promise((r) => setTimeout(r, 300));
      expect(subA.pending.length).toBeGreaterThan(0);
      if (subA.pending !== subB.pending) {
        const la = subA.pending.split('\r\n');
        const lb = subB.pending.split('\r\n');
        let k = 0;
        while (k < la.length && la[k] === lb[k]) k++;
        throw new Error(`seed ${seed}: notifications differ at line ${k}:\n tsredis: ${la.slice(k - 6, k + 6).join(' ')}\n redis:   ${lb.slice(k - 6, k + 6).join(' ')}`);
      }
      // Propagation: what tsredis sends to replicas/AOF equals real Redis's AOF.
      const aof = fs.readFileSync(aofFile, 'latin1').slice(aofStart);
      const real = parseCommands(aof).filter((argv) => argv[0].toUpperCase() !== 'SELECT' && argv[0].toUpperCase() !== 'FLUSHALL');
      const mine = propagated.filter((argv) => argv[0].toUpperCase() !== 'FLUSHALL');
      const [nm, nr] = normalizeTimes(mine, real);
      for (let i = 0; i < Math.max(nm.length, nr.length); i++) {
        if (JSON.stringify(nm[i]) !== JSON.stringify(nr[i])) {
          throw new Error(`seed ${seed}: propagated command #${i} differs:\n tsredis: ${JSON.stringify(nm.slice(i - 3, i + 3))}\n redis:   ${JSON.stringify(nr.slice(i - 3, i + 3))}`);
        }
      }
      expect(nm.length).toBeGreaterThan(count / 10);
    } finally {
      restore();
      await b.call('DEBUG', 'SET-ACTIVE-EXPIRE', '1');
      a.close();
      b.close();
      subA.close();
      subB.close();
    }
  }, 600_000);

  it('big values: appends, bit counting and bit operations on a megabyte', async () => {
    const a = await RawConnection.connect(ours.port);
    const b = await RawConnection.connect(theirs.port);
    const both = async (...argv: string[]) => {
      const [ra, rb] = await Promise.all([a.call(...argv), b.call(...argv)]);
      expect(ra, argv.join(' ').slice(0, 80)).toBe(rb);
      return ra;
    };
    try {
      await both('FLUSHALL');
      const rnd = seeded(42);
      let big = '';
      for (let i = 0; i < 1 << 20; i++) big += String.fromCharCode(Math.floor(rnd() * 256));
      await both('SET', 'big', big);
      await both('BITCOUNT', 'big');
      await both('BITCOUNT', 'big', '1000', '-1000');
      await both('BITCOUNT', 'big', '12345', '7654321', 'BIT');
      await both('BITPOS', 'big', '0', '100');
      await both('SETRANGE', 'zeros', '1000000', '\x01');
      await both('BITPOS', 'zeros', '1');
      await both('BITPOS', 'zeros', '1', '0', '-1', 'BIT');
      await both('BITOP', 'XOR', 'x', 'big', 'zeros');
      await both('GET', 'x');
      await both('BITOP', 'NOT', 'n', 'big');
      await both('BITCOUNT', 'n');
      // Many appends: each is cheap and the result is exact.
      for (let i = 0; i < 3000; i++) {
        const piece = 'p' + (i % 97);
        a.write(`*3\r\n$6\r\nAPPEND\r\n$3\r\nacc\r\n$${piece.length}\r\n${piece}\r\n`);
        b.write(`*3\r\n$6\r\nAPPEND\r\n$3\r\nacc\r\n$${piece.length}\r\n${piece}\r\n`);
      }
      for (let i = 0; i < 3000; i++) expect(await a.read()).toBe(await b.read());
      await both('GET', 'acc');
      await both('SETBIT', 'bits', '8000000', '1');
      for (let i = 0; i < 200; i++) await both('SETBIT', 'bits', String(Math.floor(rnd() * 8000000)), String(i & 1));
      await both('BITCOUNT', 'bits');
      await both('GET', 'bits');
      const s1 = Array.from({ length: 400 }, () => 'ACGT'[Math.floor(rnd() * 4)]).join('');
      const s2 = Array.from({ length: 350 }, () => 'ACGT'[Math.floor(rnd() * 4)]).join('');
      await both('MSET', 'l1', s1, 'l2', s2);
      await both('LCS', 'l1', 'l2');
      await both('LCS', 'l1', 'l2', 'IDX', 'MINMATCHLEN', '4', 'WITHMATCHLEN');
    } finally {
      a.close();
      b.close();
    }
  });
});

describe.skipIf(!available)('proto-max-bulk-len limits', () => {
  const servers = bothServers({ ours: ['proto-max-bulk-len 1mb'], theirs: ['--proto-max-bulk-len', '1mb'] });

  it('rejects what would grow past the limit, exactly as Redis', async () => {
    const a = await RawConnection.connect(servers.ours.port);
    const b = await RawConnection.connect(servers.theirs.port);
    const script: string[][] = [
      ['SETRANGE', 'k', '1048575', 'x'],
      ['SETRANGE', 'k', '1048575', 'xy'],
      ['SETRANGE', 'k', '1048576', 'x'],
      ['STRLEN', 'k'],
      ['APPEND', 'k', 'y'],
      ['SETBIT', 'b', '8388607', '1'],
      ['SETBIT', 'b', '8388608', '1'],
      ['GETBIT', 'b', '8388608'],
      ['BITFIELD', 'b', 'SET', 'u8', '8388600', '1'],
      ['BITFIELD', 'b', 'SET', 'u8', '8388608', '1'],
      ['BITFIELD', 'b', 'GET', 'i64', '#131071'],
      ['BITFIELD', 'b', 'GET', 'i64', '#131072'],
      ['SET', 'l1', 'a'.repeat(600)],
      ['SET', 'l2', 'a'.repeat(600)],
      ['LCS', 'l1', 'l2'],
      ['SET', 'l2', 'a'.repeat(400)],
      ['LCS', 'l1', 'l2', 'LEN'],
      // (511+1) * (511+1) * 4 bytes is exactly 1mb: allowed; one more column is not.
      ['MSET', 'l1', 'a'.repeat(511), 'l2', 'b'.repeat(511)],
      ['LCS', 'l1', 'l2', 'LEN'],
      ['SET', 'l2', 'b'.repeat(512)],
      ['LCS', 'l1', 'l2', 'IDX'],
    ];
    try {
      await Promise.all([a.call('FLUSHALL'), b.call('FLUSHALL')]);
      for (const argv of script) {
        const [ra, rb] = await Promise.all([a.call(...argv), b.call(...argv)]);
        expect(ra, argv.join(' ').slice(0, 60)).toBe(rb);
      }
    } finally {
      a.close();
      b.close();
    }
  });
});

describe.skipIf(!available)('propagation of rewritten commands', () => {
  it('uses UNLINK for GETDEL and expired GETEX with lazy freeing, as Redis', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'strings-aof-'));
    const ours = await startTsredis(['lazyfree-lazy-user-del yes', 'lazyfree-lazy-expire yes']);
    const theirs = (await startRealRedis(['--appendonly', 'yes', '--appendfsync', 'always', '--dir', dir, '--lazyfree-lazy-user-del', 'yes', '--lazyfree-lazy-expire', 'yes']))!;
    const log: string[][] = [];
    ours.server.propagationTargets.push({ feed: (_db, argv) => log.push([...argv]) });
    const a = await RawConnection.connect(ours.port);
    const b = await RawConnection.connect(theirs.port);
    try {
      for (const argv of [
        ['SET', 'k', 'v'],
        ['GETDEL', 'k'],
        ['SET', 'k', 'v'],
        ['GETEX', 'k', 'PXAT', '1'],
        ['SET', 'k', 'v', 'GET', 'XX'],
        ['SET', 'k', 'v', 'GET', 'get'],
        ['getset', 'k', 'w'],
        ['INCRBYFLOAT', 'f', '0.1'],
        ['INCRBYFLOAT', 'f', '0.2'],
      ]) {
        const [ra, rb] = await Promise.all([a.call(...argv), b.call(...argv)]);
        expect(ra).toBe(rb);
      }
      const real = parseCommands(fs.readFileSync(path.join(dir, 'appendonlydir', 'appendonly.aof.1.incr.aof'), 'latin1')).filter((x) => x[0] !== 'SELECT');
      expect(log).toEqual(real);
      expect(log).toContainEqual(['UNLINK', 'k']);
      expect(log).toContainEqual(['SET', 'f', '0.3', 'KEEPTTL']);
    } finally {
      a.close();
      b.close();
      await ours.stop();
      await theirs.stop();
    }
  });
});

describe('long double arithmetic of INCRBYFLOAT', () => {
  it('adds in 64-bit mantissa precision and prints %.17Lf trimmed', () => {
    expect(incrByFloatText('0.1', '0.2')).toBe('0.3');
    expect(incrByFloatText(undefined, '10.5')).toBe('10.5');
    expect(incrByFloatText('10.5', '0.1')).toBe('10.6');
    expect(incrByFloatText('5.0e3', '2.0e3')).toBe('7000');
    expect(incrByFloatText(undefined, '1e20')).toBe('100000000000000000000');
    expect(incrByFloatText('1e20', '1')).toBe('100000000000000000000');
    expect(incrByFloatText('1e18', '1')).toBe('1000000000000000001');
    expect(incrByFloatText(undefined, '-0')).toBe('0');
    expect(incrByFloatText(undefined, '-1e-20')).toBe('0');
    expect(incrByFloatText(undefined, '0x1p-2')).toBe('0.25');
    // The nearest long double to 1e4000 is a little below it (Redis prints these 4000 digits).
    expect(incrByFloatText(undefined, '1e4000')!.slice(0, 30)).toBe('999999999999999999996546387309');
    expect(incrByFloatText(undefined, '1e4000')!.length).toBe(4000);
    expect(incrByFloatText('1e4932', '1e4932')).toBe('naninf');
    expect(incrByFloatText(undefined, 'inf')).toBe('naninf');
    for (const bad of ['', ' 1', '1 ', 'nan', '1e', '0x', '1e5000', '1e-5000', '1\x00', 'abc']) expect(incrByFloatText(undefined, bad), bad).toBe('float');
    expect(incrByFloatText('abc', '1')).toBe('float');
  });

  it('parses with correct rounding, including subnormals', () => {
    // 2^-16445 is the smallest subnormal; half of it rounds to zero (rejected), a bit more rounds up.
    expect(parseLongDouble('0x1p-16445')).not.toBeNull();
    expect(parseLongDouble('0x1p-16446')).toBeNull();
    expect(parseLongDouble('0x1.8p-16446')).not.toBeNull();
    expect(parseLongDouble('0x1.fffffffffffffffep16383')).not.toBeNull();
    expect(parseLongDouble('0x1p16384')).toBeNull();
    expect(formatLongDoubleHuman(parseLongDouble('0.1')!)).toBe('0.1');
    expect(formatLongDoubleHuman(parseLongDouble('123456789012345678901234567890')!)).toBe(formatLongDoubleHuman(parseLongDouble('1.2345678901234567890123456789e29')!));
    expect(formatLongDoubleHuman(parseLongDouble('18446744073709551615')!)).toBe('18446744073709551615');
    expect(formatLongDoubleHuman(parseLongDouble('18446744073709551617')!)).toBe('18446744073709551616');
  });

  it('formats a double exactly with formatLongDouble', () => {
    expect(formatLongDouble(0.1)).toBe('0.10000000000000001');
    expect(formatLongDouble(1.5)).toBe('1.5');
    expect(formatLongDouble(-0)).toBe('0');
    expect(formatLongDouble(1e21)).toBe('1000000000000000000000');
    expect(formatLongDouble(Infinity)).toBe('inf');
  });
});
