/**
 * String commands (t_string.c): GET, SET and the rest of the family. The bit
 * commands (SETBIT, BITCOUNT, BITFIELD, ...) live in bitops.ts, which shares
 * the helpers exported here.
 *
 * Values are latin1 strings (one char per byte). Integers follow Redis's
 * signed 64-bit rules exactly (BigInt only outside the safe range), and
 * INCRBYFLOAT computes in emulated long double like Redis does.
 */
import { cmd, type CommandArg, type CommandSpec, type KeySpec } from './types';
import { E } from './errors';
import { NOTIFY } from '../server/notify';
import type { Client } from '../server/client';
import type { Database } from '../store/db';
import { parseInt64 } from '../util/numbers';
import { incrByFloatText } from '../util/longdouble';
import { stringEncoding, STR_NOT_INT, STR_RAW } from '../store/value';

const LLONG_MAX = 9223372036854775807n;
const LLONG_MIN = -9223372036854775808n;
/** The longest string V8 can hold (a little under 512 MiB). */
export const MAX_JS_STRING = (require('node:buffer') as typeof import('node:buffer')).constants.MAX_STRING_LENGTH;

export const ERR_STRING_TOO_LONG = 'ERR string exceeds maximum allowed size (proto-max-bulk-len)';
const ERR_OFFSET_RANGE = 'ERR offset is out of range';
const ERR_DECR_OVERFLOW = 'ERR decrement would overflow';
const ERR_NAN_INF = 'ERR increment would produce NaN or Infinity';
const ERR_LCS_TYPE = 'ERR The specified keys must contain string values';
const ERR_LCS_IDX_LEN = 'ERR If you want both the length and indexes, please just use IDX.';
const ERR_LCS_MEMORY = 'ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len';

// Flags of SET / GETEX options, as parseExtendedStringArgumentsOrReply's.
const F_NX = 1;
const F_XX = 2;
const F_GET = 4;
const F_KEEPTTL = 8;
const F_PERSIST = 16;
const F_EX = 32;
const F_PX = 64;
const F_EXAT = 128;
const F_PXAT = 256;
const F_ANY_EXPIRE = F_EX | F_PX | F_EXAT | F_PXAT;

/** An argument as C code sees it through its char pointer: up to the first NUL byte. */
export function cstr(s: string): string {
  const z = s.indexOf('\0');
  return z < 0 ? s : s.slice(0, z);
}

/** ASCII case-insensitive equality with a lower-case word, C-string style (stops at NUL). */
export function optIs(arg: string, word: string): boolean {
  if (arg.length < word.length) return false;
  const a = arg.length === word.length ? arg : cstr(arg);
  return a.length === word.length && a.toLowerCase() === word;
}

/**
 * Whether the length limit applies to this client: the primary's stream is
 * applied whatever its size (Redis's mustObeyClient).
 */
export function obeysLimits(c: Client): boolean {
  return c.kind !== 'master';
}

/** checkStringLength: false (and an error reply) when size + append would exceed proto-max-bulk-len. */
export function checkStringLength(c: Client, size: number | bigint, append: number): boolean {
  const total = typeof size === 'bigint' ? size + BigInt(append) : size + append;
  if ((obeysLimits(c) && total > c.server.config.protoMaxBulkLen) || total > MAX_JS_STRING) {
    c.error(ERR_STRING_TOO_LONG);
    return false;
  }
  return true;
}

/** Redis's setKey(): overwrite or create, dropping the TTL unless keepTtl (db.set reclaims an expired key first). */
export function setKey(db: Database, key: string, value: string, keepTtl = false): void {
  db.set(key, value, keepTtl);
}

/** A key specification starting at argv[index] (COMMAND INFO's key_specs). */
export function ks(flags: string[], index = 1, lastKey = 0, keyStep = 1, notes?: string): KeySpec {
  return { flags, ...(notes ? { notes } : {}), beginSearch: { index }, findKeys: { lastKey, keyStep, limit: 0 } };
}

/** Makes V8 turn a rope (cons string) into one flat string, in place. */
function flatten(s: string): void {
  s.charCodeAt(0);
}

/** Stores a new string value for a key read with lookupWrite (undefined: create), keeping its TTL. */
function overwrite(db: Database, key: string, old: unknown, value: string): void {
  if (old === undefined) db.add(key, value);
  else {
    db.replaceValue(key, value);
    db.modified(key);
  }
}

interface ExtendedArgs {
  flags: number;
  expire: string | undefined;
}

/**
 * Parses SET's options (from argv[3]) or GETEX's (from argv[2]), with the
 * same conflicts as Redis: any conflicting or unknown option is a syntax error.
 */
function parseExtendedArgs(c: Client, argv: string[], isSet: boolean): ExtendedArgs | null {
  let flags = 0;
  let expire: string | undefined;
  const n = argv.length;
  for (let j = isSet ? 3 : 2; j < n; j++) {
    const opt = cstr(argv[j]).toLowerCase();
    const hasNext = j < n - 1;
    if (opt === 'nx' && isSet && !(flags & F_XX)) flags |= F_NX;
    else if (opt === 'xx' && isSet && !(flags & F_NX)) flags |= F_XX;
    else if (opt === 'get' && isSet) flags |= F_GET;
    else if (opt === 'keepttl' && isSet && !(flags & (F_PERSIST | F_ANY_EXPIRE))) flags |= F_KEEPTTL;
    else if (opt === 'persist' && !isSet && !(flags & (F_ANY_EXPIRE | F_KEEPTTL))) flags |= F_PERSIST;
    else if (opt === 'ex' && hasNext && !(flags & (F_KEEPTTL | F_PERSIST | F_EXAT | F_PX | F_PXAT))) {
      flags |= F_EX;
      expire = argv[++j];
    } else if (opt === 'px' && hasNext && !(flags & (F_KEEPTTL | F_PERSIST | F_EX | F_EXAT | F_PXAT))) {
      flags |= F_PX;
      expire = argv[++j];
    } else if (opt === 'exat' && hasNext && !(flags & (F_KEEPTTL | F_PERSIST | F_EX | F_PX | F_PXAT))) {
      flags |= F_EXAT;
      expire = argv[++j];
    } else if (opt === 'pxat' && hasNext && !(flags & (F_KEEPTTL | F_PERSIST | F_EX | F_EXAT | F_PX))) {
      flags |= F_PXAT;
      expire = argv[++j];
    } else {
      c.error(E.SYNTAX);
      return null;
    }
  }
  return { flags, expire };
}

/**
 * Turns an expire argument into an absolute unix time in ms, with Redis's
 * checks (positive, no overflow once scaled and made absolute). Returns the
 * time as text (exact, for propagation) and as a number, or null after
 * replying with an error.
 */
function expireTime(c: Client, arg: string, seconds: boolean, relative: boolean, cmdName: string): { ms: number; text: string } | null {
  const v = parseInt64(arg);
  if (v === null) {
    c.error(E.NOT_INTEGER);
    return null;
  }
  if (typeof v === 'number' && v > 0 && v < 1e12) {
    const ms = (seconds ? v * 1000 : v) + (relative ? c.server.now() : 0);
    return { ms, text: String(ms) };
  }
  const big = BigInt(v);
  if (big <= 0n || (seconds && big > LLONG_MAX / 1000n)) {
    c.error(E.INVALID_EXPIRE(cmdName));
    return null;
  }
  let ms = seconds ? big * 1000n : big;
  if (relative) ms += BigInt(c.server.now());
  if (ms > LLONG_MAX) {
    // The C sum wraps to a negative number.
    c.error(E.INVALID_EXPIRE(cmdName));
    return null;
  }
  return { ms: Number(ms), text: ms.toString() };
}

/**
 * The shared body of SET, SETNX, SETEX and PSETEX (setGenericCommand).
 * `integerReplies` selects SETNX's :1/:0 instead of +OK/null.
 */
function setGeneric(c: Client, argv: string[], flags: number, key: string, value: string, expire: string | undefined, cmdName: string, integerReplies: boolean): void {
  const db = c.db;
  let when: { ms: number; text: string } | null = null;
  if (expire !== undefined) {
    when = expireTime(c, expire, (flags & (F_EX | F_EXAT)) !== 0, (flags & (F_EX | F_PX)) !== 0, cmdName);
    if (when === null) return;
  }
  if (flags & F_GET) {
    const old = db.lookupRead(key);
    if (old === undefined) c.nullBulk();
    else if (typeof old !== 'string') return c.error(E.WRONGTYPE);
    else c.bulk(old);
  }
  if (flags & (F_NX | F_XX)) {
    const found = db.peek(key) !== undefined;
    if ((flags & F_NX && found) || (flags & F_XX && !found)) {
      if (!(flags & F_GET)) {
        if (integerReplies) c.int(0);
        else c.nullBulk();
      }
      return;
    }
  }
  setKey(db, key, value, (flags & F_KEEPTTL) !== 0);
  const server = c.server;
  server.dirty++;
  server.notify(NOTIFY.string, 'set', key, db.id);
  if (when !== null) {
    db.setExpire(key, when.ms);
    server.replaceArgv(['SET', key, value, 'PXAT', when.text]);
    server.notify(NOTIFY.generic, 'expire', key, db.id);
  }
  if (!(flags & F_GET)) {
    if (integerReplies) c.int(1);
    else c.ok();
  } else if (when === null) {
    // Propagate without the GET tokens.
    const out: string[] = [];
    for (let j = 0; j < argv.length; j++) {
      if (j >= 3 && optIs(argv[j], 'get')) continue;
      out.push(argv[j]);
    }
    server.replaceArgv(out);
  }
}

/** Replies with a string key's value (GET's getGenericCommand); false after an error reply. */
function getGeneric(c: Client, key: string): boolean {
  const v = c.db.lookupRead(key);
  if (v === undefined) {
    c.nullBulk();
    return true;
  }
  if (typeof v !== 'string') {
    c.error(E.WRONGTYPE);
    return false;
  }
  c.bulk(v);
  return true;
}

/** INCR/DECR/INCRBY/DECRBY with exact signed 64-bit overflow detection. */
function incrDecr(c: Client, key: string, incr: number | bigint): void {
  const db = c.db;
  const v = db.lookupWrite(key);
  let cur: number | bigint = 0;
  if (v !== undefined) {
    if (typeof v !== 'string') return c.error(E.WRONGTYPE);
    const p = parseInt64(v);
    if (p === null) return c.error(E.NOT_INTEGER);
    cur = p;
  }
  let result: number | bigint;
  if (typeof cur === 'number' && typeof incr === 'number' && Number.isSafeInteger((result = cur + incr))) {
    // exact
  } else {
    const r = BigInt(cur) + BigInt(incr);
    if (r > LLONG_MAX || r < LLONG_MIN) return c.error(E.OVERFLOW);
    result = r;
  }
  const text = String(result);
  overwrite(db, key, v, text);
  const server = c.server;
  server.notify(NOTIFY.string, 'incrby', key, db.id);
  server.dirty++;
  c.int(result);
}

/** GETRANGE/SUBSTR. */
function getrange(c: Client, argv: string[]): void {
  const start0 = parseInt64(argv[2]);
  if (start0 === null) return c.error(E.NOT_INTEGER);
  const end0 = parseInt64(argv[3]);
  if (end0 === null) return c.error(E.NOT_INTEGER);
  const v = c.db.lookupRead(argv[1]);
  if (v === undefined) return c.bulk('');
  if (typeof v !== 'string') return c.error(E.WRONGTYPE);
  if (start0 < 0 && end0 < 0 && start0 > end0) return c.bulk('');
  const len = v.length;
  let start = clampBig(start0);
  let end = clampBig(end0);
  if (start < 0) start = len + start;
  if (end < 0) end = len + end;
  if (start < 0) start = 0;
  if (end < 0) end = 0;
  if (end >= len) end = len - 1;
  if (start > end || len === 0) return c.bulk('');
  c.bulk(start === 0 && end === len - 1 ? v : v.slice(start, end + 1));
}

/** Maps a 64-bit index to a number; beyond 2^53 it only has to stay beyond any string length. */
export function clampBig(v: number | bigint): number {
  if (typeof v === 'number') return v;
  return v < 0n ? -(2 ** 62) : 2 ** 62;
}

/** LCS: the vanilla dynamic programming table, then a walk back from its corner. */
function lcs(c: Client, argv: string[]): void {
  const db = c.db;
  const oa = db.lookupRead(argv[1]);
  const ob = db.lookupRead(argv[2]);
  if ((oa !== undefined && typeof oa !== 'string') || (ob !== undefined && typeof ob !== 'string')) return c.error(ERR_LCS_TYPE);
  const a = (oa as string | undefined) ?? '';
  const b = (ob as string | undefined) ?? '';
  let getlen = false;
  let getidx = false;
  let withmatchlen = false;
  let minmatchlen: number | bigint = 0;
  for (let j = 3; j < argv.length; j++) {
    const opt = cstr(argv[j]).toLowerCase();
    const moreargs = argv.length - 1 - j;
    if (opt === 'idx') getidx = true;
    else if (opt === 'len') getlen = true;
    else if (opt === 'withmatchlen') withmatchlen = true;
    else if (opt === 'minmatchlen' && moreargs > 0) {
      const v = parseInt64(argv[j + 1]);
      if (v === null) return c.error(E.NOT_INTEGER);
      minmatchlen = v < 0 ? 0 : v;
      j++;
    } else return c.error(E.SYNTAX);
  }
  if (getidx && getlen) return c.error(ERR_LCS_IDX_LEN);
  const alen = a.length;
  const blen = b.length;
  const cells = (alen + 1) * (blen + 1);
  if (cells * 4 > c.server.config.protoMaxBulkLen) return c.error(ERR_LCS_MEMORY);
  // Entries never exceed min(alen, blen): pick the narrowest array that holds them.
  const small = Math.min(alen, blen);
  const dp = small < 256 ? new Uint8Array(cells) : small < 65536 ? new Uint16Array(cells) : new Uint32Array(cells);
  const w = blen + 1;
  for (let i = 1; i <= alen; i++) {
    const ac = a.charCodeAt(i - 1);
    const row = i * w;
    const prev = row - w;
    for (let j = 1; j <= blen; j++) {
      if (ac === b.charCodeAt(j - 1)) dp[row + j] = dp[prev + j - 1] + 1;
      else {
        const l1 = dp[prev + j];
        const l2 = dp[row + j - 1];
        dp[row + j] = l1 > l2 ? l1 : l2;
      }
    }
  }
  const total = dp[alen * w + blen];
  const computelcs = getidx || !getlen;
  if (!computelcs) return c.int(total);
  const result: number[] = new Array(total);
  let idx = total;
  // Ranges are emitted while walking back, into a separate buffer, because
  // their count is only known at the end.
  const ranges: string[] = [];
  let arangeStart = alen;
  let arangeEnd = 0;
  let brangeStart = 0;
  let brangeEnd = 0;
  let i = alen;
  let j = blen;
  while (i > 0 && j > 0) {
    let emit = false;
    const ch = a.charCodeAt(i - 1);
    if (ch === b.charCodeAt(j - 1)) {
      result[idx - 1] = ch;
      if (arangeStart === alen) {
        arangeStart = i - 1;
        arangeEnd = i - 1;
        brangeStart = j - 1;
        brangeEnd = j - 1;
      } else if (arangeStart === i && brangeStart === j) {
        arangeStart--;
        brangeStart--;
      } else {
        emit = true;
      }
      if (arangeStart === 0 || brangeStart === 0) emit = true;
      idx--;
      i--;
      j--;
    } else {
      const l1 = dp[(i - 1) * w + j];
      const l2 = dp[i * w + j - 1];
      if (l1 > l2) i--;
      else j--;
      if (arangeStart !== alen) emit = true;
    }
    if (emit) {
      const matchLen = arangeEnd - arangeStart + 1;
      if (getidx && (minmatchlen === 0 || matchLen >= minmatchlen)) {
        let r = (withmatchlen ? '*3\r\n' : '*2\r\n') + `*2\r\n:${arangeStart}\r\n:${arangeEnd}\r\n*2\r\n:${brangeStart}\r\n:${brangeEnd}\r\n`;
        if (withmatchlen) r += `:${matchLen}\r\n`;
        ranges.push(r);
      }
      arangeStart = alen;
    }
  }
  if (getidx) {
    c.mapHeader(2);
    c.bulk('matches');
    c.arrayHeader(ranges.length);
    for (const r of ranges) c.raw(r);
    c.bulk('len');
    c.int(total);
    return;
  }
  let s = '';
  for (let k = 0; k < result.length; k += 4096) s += String.fromCharCode.apply(null, result.slice(k, k + 4096));
  c.bulk(s);
}

// ---------------------------------------------------------------- COMMAND DOCS arguments

const key = (name = 'key'): CommandArg => ({ name, type: 'key', key_spec_index: 0 });
const str = (name: string): CommandArg => ({ name, type: 'string' });
const int = (name: string, token?: string, optional?: boolean): CommandArg => ({ name, type: 'integer', ...(token ? { token } : {}), ...(optional ? { optional } : {}) });
const tok = (name: string, token: string, extra: Partial<CommandArg> = {}): CommandArg => ({ name, type: 'pure-token', token, ...extra });

const SET_ARGS: CommandArg[] = [
  key(),
  str('value'),
  { name: 'condition', type: 'oneof', since: '2.6.12', optional: true, arguments: [tok('nx', 'NX'), tok('xx', 'XX')] },
  tok('get', 'GET', { since: '6.2.0', optional: true }),
  {
    name: 'expiration',
    type: 'oneof',
    optional: true,
    arguments: [
      { name: 'seconds', type: 'integer', token: 'EX', since: '2.6.12' },
      { name: 'milliseconds', type: 'integer', token: 'PX', since: '2.6.12' },
      { name: 'unix-time-seconds', type: 'unix-time', token: 'EXAT', since: '6.2.0' },
      { name: 'unix-time-milliseconds', type: 'unix-time', token: 'PXAT', since: '6.2.0' },
      tok('keepttl', 'KEEPTTL', { since: '6.0.0' }),
    ],
  },
];

const GETEX_ARGS: CommandArg[] = [
  key(),
  {
    name: 'expiration',
    type: 'oneof',
    optional: true,
    arguments: [
      { name: 'seconds', type: 'integer', token: 'EX' },
      { name: 'milliseconds', type: 'integer', token: 'PX' },
      { name: 'unix-time-seconds', type: 'unix-time', token: 'EXAT' },
      { name: 'unix-time-milliseconds', type: 'unix-time', token: 'PXAT' },
      tok('persist', 'PERSIST'),
    ],
  },
];

const KEY_VALUE_PAIRS: CommandArg[] = [{ name: 'key_value', type: 'block', multiple: true, arguments: [key(), str('value')] }];

const common = { firstKey: 1, lastKey: 1, keyStep: 1, categories: ['string'], group: 'string' } as const;

export const stringCommands: CommandSpec[] = [
  cmd({
    ...common,
    categories: ['string'],
    name: 'get',
    keySpecs: [ks(['RO', 'access'])],
    arity: 2,
    flags: ['readonly', 'fast'],
    summary: 'Returns the string value stored at a key.',
    complexity: 'O(1)',
    args: [key()],
    handler(c, argv) {
      const v = c.db.lookupRead(argv[1]);
      if (v === undefined) return c.nullBulk();
      if (typeof v !== 'string') return c.error(E.WRONGTYPE);
      c.bulk(v);
    },
  }),
  cmd({
    ...common,
    categories: ['string'],
    name: 'set',
    keySpecs: [ks(['RW', 'access', 'update', 'variable_flags'], 1, 0, 1, 'RW and ACCESS due to the optional `GET` argument')],
    history: [
      ['2.6.12', 'EX, PX, NX and XX options.'],
      ['6.0.0', 'KEEPTTL option.'],
      ['6.2.0', 'GET, EXAT and PXAT options.'],
      ['7.0.0', 'NX and GET may be combined.'],
    ],
    arity: -3,
    flags: ['write', 'denyoom'],
    summary: 'Stores a string value at a key, with optional conditions and expiry.',
    complexity: 'O(1)',
    args: SET_ARGS,
    handler(c, argv) {
      const key = argv[1];
      if (argv.length === 3) {
        const db = c.db;
        db.set(key, argv[2]);
        const server = c.server;
        server.dirty++;
        server.notify(NOTIFY.string, 'set', key, db.id);
        c.ok();
        return;
      }
      const opts = parseExtendedArgs(c, argv, true);
      if (opts === null) return;
      setGeneric(c, argv, opts.flags, key, argv[2], opts.expire, 'set', false);
    },
  }),
  cmd({
    ...common,
    categories: ['string'],
    name: 'setnx',
    keySpecs: [ks(['OW', 'insert'])],
    arity: 3,
    flags: ['write', 'denyoom', 'fast'],
    summary: 'Stores a string value at a key only when the key does not exist yet.',
    complexity: 'O(1)',
    args: [key(), str('value')],
    handler(c, argv) {
      setGeneric(c, argv, F_NX, argv[1], argv[2], undefined, 'setnx', true);
    },
  }),
  cmd({
    ...common,
    categories: ['string'],
    name: 'setex',
    keySpecs: [ks(['OW', 'update'])],
    arity: 4,
    flags: ['write', 'denyoom'],
    since: '2.0.0',
    summary: 'Stores a string value at a key with a time to live in seconds.',
    complexity: 'O(1)',
    args: [key(), int('seconds'), str('value')],
    handler(c, argv) {
      setGeneric(c, argv, F_EX, argv[1], argv[3], argv[2], 'setex', false);
    },
  }),
  cmd({
    ...common,
    categories: ['string'],
    name: 'psetex',
    keySpecs: [ks(['OW', 'update'])],
    arity: 4,
    flags: ['write', 'denyoom'],
    since: '2.6.0',
    summary: 'Stores a string value at a key with a time to live in milliseconds.',
    complexity: 'O(1)',
    args: [key(), int('milliseconds'), str('value')],
    handler(c, argv) {
      setGeneric(c, argv, F_PX, argv[1], argv[3], argv[2], 'psetex', false);
    },
  }),
  cmd({
    ...common,
    categories: ['string'],
    name: 'getset',
    keySpecs: [ks(['RW', 'access', 'update'])],
    docFlags: ['deprecated'],
    deprecatedSince: '6.2.0',
    replacedBy: '`SET` with the `!GET` argument',
    arity: 3,
    flags: ['write', 'denyoom', 'fast'],
    summary: 'Stores a new string value at a key and returns the previous one.',
    complexity: 'O(1)',
    args: [key(), str('value')],
    handler(c, argv) {
      const key = argv[1];
      if (!getGeneric(c, key)) return;
      const db = c.db;
      setKey(db, key, argv[2]);
      const server = c.server;
      server.notify(NOTIFY.string, 'set', key, db.id);
      server.dirty++;
      server.replaceArgv(['SET', key, argv[2]]);
    },
  }),
  cmd({
    ...common,
    categories: ['string'],
    name: 'getdel',
    keySpecs: [ks(['RW', 'access', 'delete'])],
    arity: 2,
    flags: ['write', 'fast'],
    since: '6.2.0',
    summary: 'Returns the string value of a key and deletes the key.',
    complexity: 'O(1)',
    args: [key()],
    handler(c, argv) {
      const key = argv[1];
      if (!getGeneric(c, key)) return;
      const db = c.db;
      if (db.delete(key)) {
        const server = c.server;
        server.replaceArgv([server.config.getBool('lazyfree-lazy-user-del') ? 'UNLINK' : 'DEL', key]);
        server.notify(NOTIFY.generic, 'del', key, db.id);
        server.dirty++;
      }
    },
  }),
  cmd({
    ...common,
    categories: ['string'],
    name: 'getex',
    keySpecs: [ks(['RW', 'access', 'update'], 1, 0, 1, 'RW and UPDATE because it changes the TTL')],
    arity: -2,
    flags: ['write', 'fast'],
    since: '6.2.0',
    summary: 'Returns the string value of a key and changes or removes its time to live.',
    complexity: 'O(1)',
    args: GETEX_ARGS,
    handler(c, argv) {
      const opts = parseExtendedArgs(c, argv, false);
      if (opts === null) return;
      const key = argv[1];
      const db = c.db;
      const v = db.lookupRead(key);
      if (v === undefined) return c.nullBulk();
      if (typeof v !== 'string') return c.error(E.WRONGTYPE);
      const flags = opts.flags;
      let when: { ms: number; text: string } | null = null;
      if (opts.expire !== undefined) {
        when = expireTime(c, opts.expire, (flags & (F_EX | F_EXAT)) !== 0, (flags & (F_EX | F_PX)) !== 0, 'getex');
        if (when === null) return;
      }
      c.bulk(v);
      const server = c.server;
      if (when !== null && flags & (F_EXAT | F_PXAT) && when.ms <= server.now() && !server.isReplica) {
        db.delete(key);
        server.replaceArgv([server.config.getBool('lazyfree-lazy-expire') ? 'UNLINK' : 'DEL', key]);
        server.notify(NOTIFY.generic, 'del', key, db.id);
        server.dirty++;
      } else if (when !== null) {
        db.setExpire(key, when.ms);
        server.replaceArgv(['PEXPIREAT', key, when.text]);
        server.notify(NOTIFY.generic, 'expire', key, db.id);
        server.dirty++;
      } else if (flags & F_PERSIST) {
        if (db.persist(key)) {
          server.replaceArgv(['PERSIST', key]);
          server.notify(NOTIFY.generic, 'persist', key, db.id);
          server.dirty++;
        }
      }
    },
  }),
  cmd({
    ...common,
    categories: ['string'],
    name: 'mget',
    keySpecs: [ks(['RO', 'access'], 1, -1, 1)],
    arity: -2,
    lastKey: -1,
    flags: ['readonly', 'fast'],
    summary: 'Returns the string values of several keys.',
    complexity: 'O(N) where N is the number of keys.',
    tips: ['request_policy:multi_shard'],
    args: [{ ...key(), multiple: true }],
    handler(c, argv) {
      const db = c.db;
      c.arrayHeader(argv.length - 1);
      for (let j = 1; j < argv.length; j++) {
        const v = db.lookupRead(argv[j]);
        if (typeof v === 'string') c.bulk(v);
        else c.nullBulk();
      }
    },
  }),
  cmd({
    ...common,
    categories: ['string'],
    name: 'mset',
    keySpecs: [ks(['OW', 'update'], 1, -1, 2)],
    arity: -3,
    lastKey: -1,
    keyStep: 2,
    flags: ['write', 'denyoom'],
    since: '1.0.1',
    summary: 'Stores string values at several keys.',
    complexity: 'O(N) where N is the number of keys.',
    tips: ['request_policy:multi_shard', 'response_policy:all_succeeded'],
    args: KEY_VALUE_PAIRS,
    handler(c, argv) {
      msetGeneric(c, argv, false);
    },
  }),
  cmd({
    ...common,
    categories: ['string'],
    name: 'msetnx',
    keySpecs: [ks(['OW', 'insert'], 1, -1, 2)],
    arity: -3,
    lastKey: -1,
    keyStep: 2,
    flags: ['write', 'denyoom'],
    since: '1.0.1',
    summary: 'Stores string values at several keys only when none of the keys exists.',
    complexity: 'O(N) where N is the number of keys.',
    tips: ['request_policy:multi_shard', 'response_policy:agg_min'],
    args: KEY_VALUE_PAIRS,
    handler(c, argv) {
      msetGeneric(c, argv, true);
    },
  }),
  cmd({
    ...common,
    categories: ['string'],
    name: 'incr',
    keySpecs: [ks(['RW', 'access', 'update'])],
    arity: 2,
    flags: ['write', 'denyoom', 'fast'],
    summary: 'Adds one to the integer stored at a key.',
    complexity: 'O(1)',
    args: [key()],
    handler(c, argv) {
      incrDecr(c, argv[1], 1);
    },
  }),
  cmd({
    ...common,
    categories: ['string'],
    name: 'decr',
    keySpecs: [ks(['RW', 'access', 'update'])],
    arity: 2,
    flags: ['write', 'denyoom', 'fast'],
    summary: 'Subtracts one from the integer stored at a key.',
    complexity: 'O(1)',
    args: [key()],
    handler(c, argv) {
      incrDecr(c, argv[1], -1);
    },
  }),
  cmd({
    ...common,
    categories: ['string'],
    name: 'incrby',
    keySpecs: [ks(['RW', 'access', 'update'])],
    arity: 3,
    flags: ['write', 'denyoom', 'fast'],
    summary: 'Adds an integer to the integer stored at a key.',
    complexity: 'O(1)',
    args: [key(), int('increment')],
    handler(c, argv) {
      const incr = parseInt64(argv[2]);
      if (incr === null) return c.error(E.NOT_INTEGER);
      incrDecr(c, argv[1], incr);
    },
  }),
  cmd({
    ...common,
    categories: ['string'],
    name: 'decrby',
    keySpecs: [ks(['RW', 'access', 'update'])],
    arity: 3,
    flags: ['write', 'denyoom', 'fast'],
    summary: 'Subtracts an integer from the integer stored at a key.',
    complexity: 'O(1)',
    args: [key(), int('decrement')],
    handler(c, argv) {
      const decr = parseInt64(argv[2]);
      if (decr === null) return c.error(E.NOT_INTEGER);
      if (decr === LLONG_MIN) return c.error(ERR_DECR_OVERFLOW);
      incrDecr(c, argv[1], -decr);
    },
  }),
  cmd({
    ...common,
    categories: ['string'],
    name: 'incrbyfloat',
    keySpecs: [ks(['RW', 'access', 'update'])],
    arity: 3,
    flags: ['write', 'denyoom', 'fast'],
    since: '2.6.0',
    summary: 'Adds a floating point number to the number stored at a key.',
    complexity: 'O(1)',
    args: [key(), { name: 'increment', type: 'double' }],
    handler(c, argv) {
      const key = argv[1];
      const db = c.db;
      const v = db.lookupWrite(key);
      if (v !== undefined && typeof v !== 'string') return c.error(E.WRONGTYPE);
      const r = incrByFloatText(v, argv[2]);
      if (r === 'float') return c.error(E.NOT_FLOAT);
      if (r === 'naninf') return c.error(ERR_NAN_INF);
      overwrite(db, key, v, r);
      // The result is kept as text, never as an integer: "3" is embstr, not int.
      if (stringEncoding(r) === 'int') db.setStringKind(key, STR_NOT_INT);
      const server = c.server;
      server.notify(NOTIFY.string, 'incrbyfloat', key, db.id);
      server.dirty++;
      c.bulk(r);
      // Replicas and the AOF get the result, never the arithmetic.
      server.replaceArgv(['SET', key, r, 'KEEPTTL']);
    },
  }),
  cmd({
    ...common,
    categories: ['string'],
    name: 'append',
    keySpecs: [ks(['RW', 'insert'])],
    arity: 3,
    flags: ['write', 'denyoom', 'fast'],
    since: '2.0.0',
    summary: 'Appends a string to the value of a key, creating the key if needed.',
    complexity: 'O(1), amortized, when the appended value is small.',
    args: [key(), str('value')],
    handler(c, argv) {
      const key = argv[1];
      const add = argv[2];
      const db = c.db;
      const v = db.lookupWrite(key);
      let total: number;
      if (v === undefined) {
        db.add(key, add);
        total = add.length;
      } else {
        if (typeof v !== 'string') return c.error(E.WRONGTYPE);
        if (!checkStringLength(c, v.length, add.length)) return;
        const nv = v + add;
        // V8 keeps `v + add` as a rope: flatten it about 8 times per doubling of
        // its length, so many small appends neither pile up rope nodes (5x the
        // memory) nor copy the whole value each time.
        const len = nv.length;
        if (len > 4096) {
          const step = 2 ** (Math.floor(Math.log2(len)) - 3);
          if (Math.floor(len / step) !== Math.floor(v.length / step)) flatten(nv);
        }
        db.replaceValue(key, nv);
        db.setStringKind(key, STR_RAW); // appended in place: Redis's raw encoding
        db.modified(key);
        total = nv.length;
      }
      const server = c.server;
      server.notify(NOTIFY.string, 'append', key, db.id);
      server.dirty++;
      c.int(total);
    },
  }),
  cmd({
    ...common,
    categories: ['string'],
    name: 'strlen',
    keySpecs: [ks(['RO'])],
    arity: 2,
    flags: ['readonly', 'fast'],
    since: '2.2.0',
    summary: 'Returns the length of the string stored at a key.',
    complexity: 'O(1)',
    args: [key()],
    handler(c, argv) {
      const v = c.db.lookupRead(argv[1]);
      if (v === undefined) return c.int(0);
      if (typeof v !== 'string') return c.error(E.WRONGTYPE);
      c.int(v.length);
    },
  }),
  cmd({
    ...common,
    categories: ['string'],
    name: 'getrange',
    keySpecs: [ks(['RO', 'access'])],
    arity: 4,
    flags: ['readonly'],
    since: '2.4.0',
    summary: 'Returns a substring of the string stored at a key.',
    complexity: 'O(N) where N is the length of the returned string.',
    args: [key(), int('start'), int('end')],
    handler: getrange,
  }),
  cmd({
    ...common,
    categories: ['string'],
    name: 'substr',
    keySpecs: [ks(['RO', 'access'])],
    docFlags: ['deprecated'],
    deprecatedSince: '2.0.0',
    replacedBy: '`GETRANGE`',
    arity: 4,
    flags: ['readonly'],
    summary: 'Returns a substring of the string stored at a key (old name of GETRANGE).',
    complexity: 'O(N) where N is the length of the returned string.',
    args: [key(), int('start'), int('end')],
    handler: getrange,
  }),
  cmd({
    ...common,
    categories: ['string'],
    name: 'setrange',
    keySpecs: [ks(['RW', 'update'])],
    arity: 4,
    flags: ['write', 'denyoom'],
    since: '2.2.0',
    summary: 'Overwrites part of a string value from an offset, padding with zero bytes.',
    complexity: 'O(1), plus the time to copy the new bytes in place.',
    args: [key(), int('offset'), str('value')],
    handler(c, argv) {
      const off = parseInt64(argv[2]);
      if (off === null) return c.error(E.NOT_INTEGER);
      if (off < 0) return c.error(ERR_OFFSET_RANGE);
      const key = argv[1];
      const value = argv[3];
      const db = c.db;
      const v = db.lookupWrite(key);
      if (v === undefined) {
        if (value.length === 0) return c.int(0);
        if (!checkStringLength(c, off, value.length)) return;
      } else {
        if (typeof v !== 'string') return c.error(E.WRONGTYPE);
        if (value.length === 0) return c.int(v.length);
        if (!checkStringLength(c, off, value.length)) return;
      }
      const offset = Number(off);
      const old = v ?? '';
      const end = offset + value.length;
      const head = offset <= old.length ? old.slice(0, offset) : old + '\0'.repeat(offset - old.length);
      const nv = end < old.length ? head + value + old.slice(end) : head + value;
      overwrite(db, key, v, nv);
      db.setStringKind(key, STR_RAW); // written in place (a new key too): Redis's raw encoding
      const server = c.server;
      server.notify(NOTIFY.string, 'setrange', key, db.id);
      server.dirty++;
      c.int(nv.length);
    },
  }),
  cmd({
    ...common,
    categories: ['string'],
    name: 'lcs',
    keySpecs: [ks(['RO', 'access'], 1, 1, 1)],
    arity: -3,
    lastKey: 2,
    flags: ['readonly'],
    since: '7.0.0',
    summary: 'Finds the longest common subsequence of two string values.',
    complexity: 'O(N*M) where N and M are the lengths of the two strings.',
    args: [
      key('key1'),
      key('key2'),
      tok('len', 'LEN', { optional: true }),
      tok('idx', 'IDX', { optional: true }),
      { name: 'len', type: 'integer', token: 'MINMATCHLEN', optional: true },
      tok('withmatchlen', 'WITHMATCHLEN', { optional: true }),
    ],
    handler: lcs,
  }),
];

function msetGeneric(c: Client, argv: string[], nx: boolean): void {
  if (argv.length % 2 === 0) return c.error(E.WRONG_ARGS(nx ? 'msetnx' : 'mset'));
  const db = c.db;
  if (nx) {
    for (let j = 1; j < argv.length; j += 2) {
      if (db.peek(argv[j]) !== undefined) return c.int(0);
    }
  }
  const server = c.server;
  for (let j = 1; j < argv.length; j += 2) {
    setKey(db, argv[j], argv[j + 1]);
    server.notify(NOTIFY.string, 'set', argv[j], db.id);
  }
  server.dirty += (argv.length - 1) / 2;
  if (nx) c.int(1);
  else c.ok();
}
