/**
 * Keyspace commands (Redis's db.c, expire.c, object.c): DEL, UNLINK, EXISTS,
 * TYPE, RENAME(NX), KEYS, SCAN, RANDOMKEY, MOVE, COPY, TOUCH, OBJECT, the
 * EXPIRE family, TTL family, PERSIST, DBSIZE, SWAPDB, FLUSHDB, FLUSHALL.
 *
 * Freeing is never a stall here: a deleted value, or a flushed database, is
 * just dropped (O(1)); V8 reclaims the memory later, mostly on its
 * concurrent GC threads. That is what Redis's lazy free (UNLINK, ASYNC)
 * achieves with a background thread, so SYNC and ASYNC behave the same.
 */
import { cmd, type CommandArg, type CommandSpec, type KeySpec } from './types';
import { E } from './errors';
import type { Client } from '../server/client';
import type { Server } from '../server/server';
import type { KeyWaiter } from '../server/blocking';
import type { Database } from '../store/db';
import { NOTIFY } from '../server/notify';
import { typeOf, stringEncoding, type RedisValue, type StringKind } from '../store/value';
import { globMatch } from '../util/glob';
import { parseInt64 } from '../util/numbers';
import { enableAccessTracking } from '../store/access';

// ------------------------------------------------------------------ helpers

const SAME_OBJECT = 'ERR source and destination objects are the same';
const INT_RANGE = 'ERR value is out of range, value must between -2147483648 and 2147483647';
const INVALID_CURSOR = 'ERR invalid cursor';
const LFU_NOT_SELECTED =
  'ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.';
const LFU_SELECTED =
  'ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.';

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;
const LLONG_MAX = 9223372036854775807n;
const LLONG_MIN = -9223372036854775808n;
/** Below these magnitudes, seconds * 1000 + now (or ms + now) stays an exact JS integer. */
const SAFE_SECONDS = 9e12;
const SAFE_MS = 8e15;

/** An argument as C sees it through strcasecmp or %s: up to the first NUL byte. */
function cstr(s: string): string {
  const i = s.indexOf('\0');
  return i < 0 ? s : s.slice(0, i);
}

/** ASCII-only lower case (C's tolower), for option names compared with strcasecmp. */
function lowerAscii(s: string): string {
  for (let i = 0; i < s.length; i++) {
    const ch = s.charCodeAt(i);
    if (ch >= 65 && ch <= 90) {
      let out = s.slice(0, i);
      for (let j = i; j < s.length; j++) {
        const d = s.charCodeAt(j);
        out += d >= 65 && d <= 90 ? String.fromCharCode(d + 32) : s[j];
      }
      return out;
    }
  }
  return s;
}

/** strcasecmp(arg, word) === 0, for a lower-case ASCII `word`. */
function isOpt(arg: string, word: string): boolean {
  return arg.length >= word.length && lowerAscii(cstr(arg)) === word;
}

/**
 * getIntFromObjectOrReply: a 32-bit integer, or the error to reply.
 * With `msg`, every failure answers `msg` (as SWAPDB does).
 */
function parseInt32(s: string, msg?: string): number | string {
  const v = parseInt64(s);
  if (v === null) return msg ?? E.NOT_INTEGER;
  if (typeof v === 'bigint' || v < INT32_MIN || v > INT32_MAX) return msg ?? INT_RANGE;
  return v;
}

/**
 * A SCAN cursor as strtoul reads it (base 10, optional sign, a negative value
 * wraps modulo 2^64, no leading space, nothing after the digits but a NUL;
 * the empty string is 0). Only its low bits matter to the Dict (whose tables
 * have at most 2^30 buckets), so it is returned modulo 2^32; null when invalid.
 */
export function parseScanCursor(arg: string): number | null {
  if (arg.length > 0) {
    const c0 = arg.charCodeAt(0);
    if (c0 === 32 || (c0 >= 9 && c0 <= 13)) return null;
  }
  const s = cstr(arg);
  if (s.length === 0) return 0;
  let i = 0;
  let neg = false;
  if (s[0] === '+' || s[0] === '-') {
    neg = s[0] === '-';
    i = 1;
  }
  if (i === s.length) return null; // no digits: strtoul consumed nothing
  for (let j = i; j < s.length; j++) {
    const d = s.charCodeAt(j);
    if (d < 48 || d > 57) return null;
  }
  const digits = s.slice(i);
  if (digits.length <= 15) {
    const v = Number(digits) % 2 ** 32;
    return neg && v !== 0 ? 2 ** 32 - v : v;
  }
  const big = BigInt(digits);
  if (big > 18446744073709551615n) return null;
  return Number(BigInt.asUintN(32, neg ? -big : big));
}

/** lookupKeyReadWithFlags(LOOKUP_NOTOUCH): lazy expiry and hit/miss stats, no access-time update. */
function lookupNoTouch(c: Client, key: string, notifyMiss = true): RedisValue | undefined {
  const v = c.db.peek(key);
  if (v === undefined && notifyMiss) c.server.keyspaceLookup(false, c.db, key);
  else c.server.keyspaceLookup(v !== undefined);
  return v;
}

function lazyExpire(server: Server): boolean {
  return server.config.getBool('lazyfree-lazy-expire');
}

/** Tells clients blocked on keys of `db` to look again (SWAPDB brought new contents). */
function signalBlockedInDb(server: Server, db: Database): void {
  if (!server.blocking.hasWaiters) return;
  for (const cl of server.clients.values()) {
    const b = cl.blocked;
    if (b === null || b.kind !== 'keys') continue;
    const w = b.data as KeyWaiter | undefined;
    if (w === undefined || w.db !== db) continue;
    for (const k of w.keys) if (db.keys.has(k)) server.blocking.signalKeyAsReady(db, k);
  }
}

/** Redis's addReplyHelp: the header line, the command's lines, and HELP. */
function replyHelp(c: Client, name: string, lines: string[]): void {
  c.arrayHeader(lines.length + 3);
  c.status(`${name} <subcommand> [<arg> [value] [opt] ...]. Subcommands are:`);
  for (const l of lines) c.status(l);
  c.status('HELP');
  c.status('    Prints this help.');
}

// ------------------------------------------------------------------ key specs and docs

function spec(flags: string[], index: number, lastKey = 0): KeySpec {
  return { flags, beginSearch: { index }, findKeys: { lastKey, keyStep: 1, limit: 0 } };
}
const KEY: CommandArg = { name: 'key', type: 'key', key_spec_index: 0 };
const KEYS_MULTI: CommandArg = { name: 'key', type: 'key', key_spec_index: 0, multiple: true };
const EXPIRE_CONDITION: CommandArg = {
  name: 'condition',
  type: 'oneof',
  since: '7.0.0',
  optional: true,
  arguments: [
    { name: 'nx', type: 'pure-token', token: 'NX' },
    { name: 'xx', type: 'pure-token', token: 'XX' },
    { name: 'gt', type: 'pure-token', token: 'GT' },
    { name: 'lt', type: 'pure-token', token: 'LT' },
  ],
};
const FLUSH_MODE: CommandArg = {
  name: 'async',
  type: 'oneof',
  optional: true,
  arguments: [
    { name: 'async', type: 'pure-token', token: 'ASYNC', since: '4.0.0' },
    { name: 'sync', type: 'pure-token', token: 'SYNC', since: '6.2.0' },
  ],
};
const MULTI_KEY_TIPS = ['request_policy:multi_shard', 'response_policy:agg_sum'];

// ------------------------------------------------------------------ DEL

function delCommand(c: Client, argv: string[]): void {
  const db = c.db;
  let n = 0;
  for (let j = 1; j < argv.length; j++) {
    if (db.delete(argv[j])) {
      c.server.notify(NOTIFY.generic, 'del', argv[j], db.id);
      c.server.dirty++;
      n++;
    }
  }
  c.int(n);
}

// ------------------------------------------------------------------ RENAME, MOVE, COPY

function renameGeneric(c: Client, argv: string[], nx: boolean): void {
  const db = c.db;
  const src = argv[1];
  const dst = argv[2];
  const v = db.lookupWrite(src);
  if (v === undefined) return c.error(E.NO_SUCH_KEY);
  if (src === dst) return nx ? c.int(0) : c.ok();
  const ttl = db.getExpire(src);
  if (db.lookupWrite(dst) !== undefined && nx) return c.int(0);
  // The value moves with its access data (it is the same object in Redis).
  const access = db.access !== null ? db.access.get(src) : undefined;
  const kind = db.stringKind(src); // the same object moves: a raw string stays raw
  // An existing destination is deleted first: Redis then re-adds it (the `new` event fires).
  db.delete(dst);
  db.set(dst, v);
  db.setStringKind(dst, kind);
  if (ttl !== undefined) db.setExpire(dst, ttl);
  db.delete(src);
  if (access !== undefined && db.access !== null) db.access.set(dst, access);
  c.server.notify(NOTIFY.generic, 'rename_from', src, db.id);
  c.server.notify(NOTIFY.generic, 'rename_to', dst, db.id);
  c.server.dirty++;
  if (nx) c.int(1);
  else c.ok();
}

function moveCommand(c: Client, argv: string[]): void {
  const key = argv[1];
  const id = parseInt32(argv[2]);
  if (typeof id === 'string') return c.error(id);
  const src = c.db;
  const dst = id >= 0 ? c.server.db(id) : undefined;
  if (dst === undefined) return c.error(E.DB_INDEX);
  if (src === dst) return c.error(SAME_OBJECT);
  const v = src.lookupWrite(key);
  if (v === undefined) return c.int(0);
  const ttl = src.getExpire(key);
  if (dst.lookupWrite(key) !== undefined) return c.int(0);
  const access = src.access !== null ? src.access.get(key) : undefined;
  dst.add(key, v);
  dst.setStringKind(key, src.stringKind(key));
  if (ttl !== undefined) dst.setExpire(key, ttl);
  src.delete(key);
  if (access !== undefined && dst.access !== null) dst.access.set(key, access);
  c.server.notify(NOTIFY.generic, 'move_from', key, src.id);
  c.server.notify(NOTIFY.generic, 'move_to', key, dst.id);
  c.server.dirty++;
  c.int(1);
}

function copyCommand(c: Client, argv: string[]): void {
  const src = c.db;
  let dst = c.db;
  let replace = false;
  for (let j = 3; j < argv.length; j++) {
    const additional = argv.length - j - 1;
    if (isOpt(argv[j], 'replace')) {
      replace = true;
    } else if (isOpt(argv[j], 'db') && additional >= 1) {
      const id = parseInt32(argv[j + 1]);
      if (typeof id === 'string') return c.error(id);
      const db = id >= 0 ? c.server.db(id) : undefined;
      if (db === undefined) return c.error(E.DB_INDEX);
      dst = db;
      j++;
    } else {
      return c.error(E.SYNTAX);
    }
  }
  const key = argv[1];
  const newkey = argv[2];
  if (src === dst && key === newkey) return c.error(SAME_OBJECT);
  const v = src.lookupRead(key);
  if (v === undefined) return c.int(0);
  const ttl = src.getExpire(key);
  if (dst.lookupWrite(newkey) !== undefined && !replace) return c.int(0);
  const copy = typeof v === 'string' ? v : v.clone();
  // REPLACE deletes the old value first: Redis then re-adds it (the `new` event fires).
  dst.delete(newkey);
  dst.set(newkey, copy);
  dst.setStringKind(newkey, src.stringKind(key)); // a copy keeps the encoding (dupStringObject)
  if (ttl !== undefined) dst.setExpire(newkey, ttl);
  c.server.notify(NOTIFY.generic, 'copy_to', newkey, dst.id);
  c.server.dirty++;
  c.int(1);
}

// ------------------------------------------------------------------ KEYS, SCAN, RANDOMKEY

/** True when `p` has no glob syntax, so that it can only match itself. */
function isLiteralPattern(p: string): boolean {
  for (let i = 0; i < p.length; i++) {
    const ch = p.charCodeAt(i);
    if (ch === 42 || ch === 63 || ch === 91 || ch === 92) return false; // * ? [ \
  }
  return true;
}

/** "$<len>\r\n" for the usual key lengths: KEYS writes one per key. */
const BULK_PREFIX: string[] = [];
for (let i = 0; i < 512; i++) BULK_PREFIX.push('$' + i + '\r\n');

function keysCommand(c: Client, argv: string[]): void {
  const pattern = argv[1];
  const db = c.db;
  const now = c.server.now();
  const expires = db.expires;
  // Logically expired keys are hidden, not deleted (keyIsExpired).
  const live = (k: string): boolean => {
    if (expires.size === 0) return true;
    const when = expires.get(k);
    return when === undefined || when > now;
  };
  if (isLiteralPattern(pattern)) {
    // Only one key can match: no need to walk the keyspace.
    if (db.keys.has(pattern) && live(pattern)) c.bulkArray([pattern]);
    else c.arrayHeader(0);
    return;
  }
  const all = pattern === '*';
  let n = 0;
  let out = '';
  db.keys.forEach((k) => {
    if (!all && !globMatch(pattern, k)) return;
    if (!live(k)) return;
    const len = k.length;
    out += (len < BULK_PREFIX.length ? BULK_PREFIX[len] : '$' + len + '\r\n') + k + '\r\n';
    n++;
  });
  c.arrayHeader(n);
  c.raw(out);
}

function scanCommand(c: Client, argv: string[]): void {
  const cursor = parseScanCursor(argv[1]);
  if (cursor === null) return c.error(INVALID_CURSOR);
  let count = 10;
  let pattern: string | null = null;
  let typeName: string | null = null;
  for (let i = 2; i < argv.length; ) {
    const left = argv.length - i;
    if (isOpt(argv[i], 'count') && left >= 2) {
      const n = parseInt64(argv[i + 1]);
      if (n === null) return c.error(E.NOT_INTEGER);
      if (n < 1) return c.error(E.SYNTAX);
      count = Number(n);
      i += 2;
    } else if (isOpt(argv[i], 'match') && left >= 2) {
      pattern = argv[i + 1];
      i += 2;
    } else if (isOpt(argv[i], 'type') && left >= 2) {
      typeName = lowerAscii(cstr(argv[i + 1]));
      i += 2;
    } else {
      return c.error(E.SYNTAX);
    }
  }
  const usePattern = pattern !== null && pattern !== '*';
  const db = c.db;
  const found: string[] = [];
  const collect = (k: string): void => {
    found.push(k);
  };
  let next = cursor;
  let maxIterations = count * 10;
  do {
    next = db.keys.scan(next, collect);
  } while (next !== 0 && maxIterations-- > 0 && found.length < count);

  const out: string[] = [];
  for (const k of found) {
    if (usePattern && !globMatch(pattern!, k)) continue;
    if (typeName !== null) {
      const v = lookupNoTouch(c, k);
      if ((v === undefined ? 'none' : typeOf(v)) !== typeName) continue;
    }
    if (db.expires.size > 0 && db.expireIfNeeded(k)) continue;
    out.push(k);
  }
  c.arrayHeader(2);
  c.bulk(String(next));
  c.bulkArray(out);
}

function randomkeyCommand(c: Client): void {
  const db = c.db;
  const allVolatile = db.keys.size === db.expires.size;
  let tries = 100;
  for (;;) {
    const k = db.keys.randomKey();
    if (k === undefined) return c.nullBulk();
    if (db.expires.size > 0 && db.expires.has(k)) {
      // A replica full of expired keys cannot delete them: give up after a while and return one.
      if (allVolatile && c.server.isReplica && --tries === 0) return c.bulk(k);
      if (db.expireIfNeeded(k)) continue;
    }
    return c.bulk(k);
  }
}

// ------------------------------------------------------------------ OBJECT

function objectLookup(c: Client, key: string): RedisValue | undefined {
  const v = lookupNoTouch(c, key, false);
  if (v === undefined) c.nullBulk();
  return v;
}

function isLfu(server: Server): boolean {
  return server.config.get('maxmemory-policy').includes('lfu');
}

/** Redis shares the objects of small integers (0..9999), unless an LRU/LFU maxmemory policy needs per-key data. */
function sharedInteger(server: Server, v: string, kind: StringKind): boolean {
  if (v.length > 4 || stringEncoding(v, kind) !== 'int') return false;
  if (v[0] === '-') return false;
  const policy = server.config.get('maxmemory-policy');
  return server.config.get('maxmemory') === '0' || !(policy.includes('lru') || policy.includes('lfu'));
}

const OBJECT_HELP = [
  'ENCODING <key>',
  '    Return the kind of internal representation used in order to store the value',
  '    associated with a <key>.',
  'FREQ <key>',
  '    Return the access frequency index of the <key>. The returned integer is',
  '    proportional to the logarithm of the recent access frequency of the key.',
  'IDLETIME <key>',
  '    Return the idle time of the <key>, that is the approximated number of',
  '    seconds elapsed since the last access to the key.',
  'REFCOUNT <key>',
  '    Return the number of references of the value associated with the specified',
  '    <key>.',
];

// ------------------------------------------------------------------ EXPIRE family

const EXPIRE_NX = 1;
const EXPIRE_XX = 2;
const EXPIRE_GT = 4;
const EXPIRE_LT = 8;

/**
 * EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT. `relative`: the time counts from
 * now; `seconds`: the unit. Propagated as PEXPIREAT with the absolute time
 * in ms, or as DEL when the time is already past.
 */
function expireGeneric(c: Client, argv: string[], relative: boolean, seconds: boolean, name: string): void {
  let flags = 0;
  for (let j = 3; j < argv.length; j++) {
    const opt = lowerAscii(cstr(argv[j]));
    if (opt === 'nx') flags |= EXPIRE_NX;
    else if (opt === 'xx') flags |= EXPIRE_XX;
    else if (opt === 'gt') flags |= EXPIRE_GT;
    else if (opt === 'lt') flags |= EXPIRE_LT;
    else return c.error(`ERR Unsupported option ${cstr(argv[j])}`);
  }
  if (flags & EXPIRE_NX && flags & (EXPIRE_XX | EXPIRE_GT | EXPIRE_LT)) {
    return c.error('ERR NX and XX, GT or LT options at the same time are not compatible');
  }
  if (flags & EXPIRE_GT && flags & EXPIRE_LT) return c.error('ERR GT and LT options at the same time are not compatible');

  const parsed = parseInt64(argv[2]);
  if (parsed === null) return c.error(E.NOT_INTEGER);
  const server = c.server;
  const base = relative ? server.now() : 0;
  let when: number | bigint;
  if (typeof parsed === 'number' && Math.abs(parsed) <= (seconds ? SAFE_SECONDS : SAFE_MS)) {
    when = (seconds ? parsed * 1000 : parsed) + base;
  } else {
    let w = BigInt(parsed);
    if (seconds) {
      if (w > LLONG_MAX / 1000n || w < LLONG_MIN / 1000n) return c.error(E.INVALID_EXPIRE(name));
      w *= 1000n;
    }
    if (w > LLONG_MAX - BigInt(base)) return c.error(E.INVALID_EXPIRE(name));
    when = w + BigInt(base);
  }

  const db = c.db;
  const key = argv[1];
  if (db.lookupWrite(key) === undefined) return c.int(0);

  if (flags !== 0) {
    const cur = db.getExpire(key) ?? -1;
    if (flags & EXPIRE_NX && cur !== -1) return c.int(0);
    if (flags & EXPIRE_XX && cur === -1) return c.int(0);
    // No TTL counts as an infinite one: GT always fails on it, LT always passes.
    if (flags & EXPIRE_GT && (when <= cur || cur === -1)) return c.int(0);
    if (flags & EXPIRE_LT && cur !== -1 && when >= cur) return c.int(0);
  }

  if (when <= server.now() && !server.isReplica) {
    db.delete(key);
    server.dirty++;
    server.replaceArgv([lazyExpire(server) ? 'UNLINK' : 'DEL', key]);
    server.notify(NOTIFY.generic, 'del', key, db.id);
    c.int(1);
    return;
  }
  db.setExpire(key, Number(when));
  c.int(1);
  if (name !== 'pexpireat') {
    const prop = argv.slice();
    prop[0] = 'PEXPIREAT';
    if (relative || seconds) prop[2] = String(when);
    server.replaceArgv(prop);
  }
  server.notify(NOTIFY.generic, 'expire', key, db.id);
  server.dirty++;
}

/** TTL, PTTL, EXPIRETIME, PEXPIRETIME. */
function ttlGeneric(c: Client, argv: string[], ms: boolean, absolute: boolean): void {
  const key = argv[1];
  if (lookupNoTouch(c, key) === undefined) return c.int(-2);
  const when = c.db.getExpire(key);
  if (when === undefined) return c.int(-1);
  if (when > Number.MAX_SAFE_INTEGER) {
    // Times are stored as doubles; beyond 2^53 the shortest decimal that reads back
    // as the same double is the time as it was given (PEXPIREAT k 9223372036854770000).
    let ttl = BigInt(String(when));
    if (!absolute) ttl -= BigInt(c.server.now());
    return c.int(ms ? ttl : (ttl + 500n) / 1000n);
  }
  let ttl = absolute ? when : when - c.server.now();
  if (ttl < 0) ttl = 0;
  c.int(ms ? ttl : Math.floor((ttl + 500) / 1000));
}

// ------------------------------------------------------------------ FLUSHDB, FLUSHALL, SWAPDB

function parseFlushMode(c: Client, argv: string[]): boolean {
  if (argv.length === 1) return true;
  if (argv.length === 2 && (isOpt(argv[1], 'sync') || isOpt(argv[1], 'async'))) return true;
  c.error(E.SYNTAX);
  return false;
}

function flush(c: Client, argv: string[], all: boolean): void {
  if (!parseFlushMode(c, argv)) return;
  const server = c.server;
  const dbs = all ? server.dbs : [c.db];
  // Watchers are signalled before the keys go (only watches of keys that existed fail).
  server.watches.touchDb(all ? undefined : c.db.id);
  let removed = 0;
  // Dropping the tables is O(1) whatever their size (SYNC and ASYNC alike): V8 frees them later.
  for (const db of dbs) removed += db.flush();
  server.dirty += removed;
  if (all) server.dirty++;
  else if (removed === 0) server.propagate(c.db.id, argv); // an empty FLUSHDB still reaches replicas and the AOF
  c.ok();
}

function swapdbCommand(c: Client, argv: string[]): void {
  const id1 = parseInt32(argv[1], 'ERR invalid first DB index');
  if (typeof id1 === 'string') return c.error(id1);
  const id2 = parseInt32(argv[2], 'ERR invalid second DB index');
  if (typeof id2 === 'string') return c.error(id2);
  const server = c.server;
  const a = id1 >= 0 ? server.db(id1) : undefined;
  const b = id2 >= 0 ? server.db(id2) : undefined;
  if (a === undefined || b === undefined) return c.error(E.DB_INDEX);
  if (a !== b) {
    server.watches.touchSwap(a, b);
    a.swapWith(b);
    // Clients stay in their database number and may now find the keys they wait for.
    signalBlockedInDb(server, a);
    signalBlockedInDb(server, b);
  }
  server.dirty++;
  c.ok();
}

// ------------------------------------------------------------------ the table

function expireSpec(name: string, since: string, relative: boolean, seconds: boolean, summary: string, arg: CommandArg): CommandSpec {
  return cmd({
    name,
    arity: -3,
    flags: ['write', 'fast'],
    firstKey: 1,
    lastKey: 1,
    keyStep: 1,
    categories: ['keyspace'],
    summary,
    since,
    complexity: 'O(1)',
    history: [['7.0.0', 'Added the NX, XX, GT and LT options.']],
    keySpecs: [spec(['RW', 'update'], 1)],
    args: [KEY, arg, EXPIRE_CONDITION],
    handler: (c, argv) => expireGeneric(c, argv, relative, seconds, name),
  });
}

function ttlSpec(name: string, since: string, ms: boolean, absolute: boolean, summary: string, tips?: string[], history?: Array<[string, string]>): CommandSpec {
  return cmd({
    name,
    arity: 2,
    flags: ['readonly', 'fast'],
    firstKey: 1,
    lastKey: 1,
    keyStep: 1,
    categories: ['keyspace'],
    summary,
    since,
    complexity: 'O(1)',
    tips,
    history,
    keySpecs: [spec(['RO', 'access'], 1)],
    args: [KEY],
    handler: (c, argv) => ttlGeneric(c, argv, ms, absolute),
  });
}

function objectSub(name: string, since: string, summary: string, handler: (c: Client, key: string) => void): CommandSpec {
  return cmd({
    name,
    arity: 3,
    flags: ['readonly'],
    firstKey: 2,
    lastKey: 2,
    keyStep: 1,
    categories: ['keyspace'],
    summary,
    since,
    complexity: 'O(1)',
    tips: ['nondeterministic_output'],
    keySpecs: [spec(['RO'], 2)],
    args: [KEY],
    handler: (c, argv) => handler(c, argv[2]),
  });
}

const MISSING_KEY_HISTORY: Array<[string, string]> = [['2.8.0', 'Answers -2 for a missing key.']];

export const keyspaceCommands: CommandSpec[] = [
  cmd({
    name: 'del',
    arity: -2,
    flags: ['write'],
    firstKey: 1,
    lastKey: -1,
    keyStep: 1,
    categories: ['keyspace'],
    summary: 'Deletes keys; returns how many existed.',
    complexity: 'O(N) in the number of keys (memory is reclaimed later by the GC).',
    tips: MULTI_KEY_TIPS,
    keySpecs: [spec(['RM', 'delete'], 1, -1)],
    args: [KEYS_MULTI],
    handler: delCommand,
  }),
  cmd({
    name: 'unlink',
    arity: -2,
    flags: ['write', 'fast'],
    firstKey: 1,
    lastKey: -1,
    keyStep: 1,
    categories: ['keyspace'],
    summary: 'Deletes keys, freeing their memory in the background.',
    since: '4.0.0',
    complexity: 'O(1) per key.',
    tips: MULTI_KEY_TIPS,
    keySpecs: [spec(['RM', 'delete'], 1, -1)],
    args: [KEYS_MULTI],
    handler: delCommand,
  }),
  cmd({
    name: 'exists',
    arity: -2,
    flags: ['readonly', 'fast'],
    firstKey: 1,
    lastKey: -1,
    keyStep: 1,
    categories: ['keyspace'],
    summary: 'Counts how many of the given keys exist.',
    complexity: 'O(N) in the number of keys.',
    history: [['3.0.3', 'Several keys may be given.']],
    tips: MULTI_KEY_TIPS,
    keySpecs: [spec(['RO'], 1, -1)],
    args: [KEYS_MULTI],
    handler(c, argv) {
      let n = 0;
      for (let j = 1; j < argv.length; j++) if (lookupNoTouch(c, argv[j]) !== undefined) n++;
      c.int(n);
    },
  }),
  cmd({
    name: 'type',
    arity: 2,
    flags: ['readonly', 'fast'],
    firstKey: 1,
    lastKey: 1,
    keyStep: 1,
    categories: ['keyspace'],
    summary: 'Tells the type of the value at a key.',
    complexity: 'O(1)',
    keySpecs: [spec(['RO'], 1)],
    args: [KEY],
    handler(c, argv) {
      const v = lookupNoTouch(c, argv[1]);
      c.status(v === undefined ? 'none' : typeOf(v));
    },
  }),
  cmd({
    name: 'touch',
    arity: -2,
    flags: ['readonly', 'fast'],
    firstKey: 1,
    lastKey: -1,
    keyStep: 1,
    categories: ['keyspace'],
    summary: 'Marks keys as accessed; returns how many exist.',
    since: '3.2.1',
    complexity: 'O(N) in the number of keys.',
    tips: MULTI_KEY_TIPS,
    keySpecs: [spec(['RO'], 1, -1)],
    args: [KEYS_MULTI],
    handler(c, argv) {
      let n = 0;
      for (let j = 1; j < argv.length; j++) if (c.db.lookupRead(argv[j]) !== undefined) n++;
      c.int(n);
    },
  }),
  cmd({
    name: 'rename',
    arity: 3,
    flags: ['write'],
    firstKey: 1,
    lastKey: 2,
    keyStep: 1,
    categories: ['keyspace'],
    summary: 'Gives a key a new name, replacing any key of that name.',
    complexity: 'O(1)',
    keySpecs: [spec(['RW', 'access', 'delete'], 1), spec(['OW', 'update'], 2)],
    args: [KEY, { name: 'newkey', type: 'key', key_spec_index: 1 }],
    handler: (c, argv) => renameGeneric(c, argv, false),
  }),
  cmd({
    name: 'renamenx',
    arity: 3,
    flags: ['write', 'fast'],
    firstKey: 1,
    lastKey: 2,
    keyStep: 1,
    categories: ['keyspace'],
    summary: 'Gives a key a new name, unless that name is taken.',
    complexity: 'O(1)',
    history: [['3.2.0', 'No longer an error when source and destination are the same.']],
    keySpecs: [spec(['RW', 'access', 'delete'], 1), spec(['OW', 'insert'], 2)],
    args: [KEY, { name: 'newkey', type: 'key', key_spec_index: 1 }],
    handler: (c, argv) => renameGeneric(c, argv, true),
  }),
  cmd({
    name: 'keys',
    arity: 2,
    flags: ['readonly'],
    categories: ['keyspace', 'dangerous'],
    summary: 'Lists the keys matching a glob-style pattern.',
    complexity: 'O(N) in the number of keys of the database.',
    tips: ['request_policy:all_shards', 'nondeterministic_output_order'],
    args: [{ name: 'pattern', type: 'pattern' }],
    handler: keysCommand,
  }),
  cmd({
    name: 'scan',
    arity: -2,
    flags: ['readonly'],
    categories: ['keyspace'],
    summary: 'Walks the keyspace a few keys at a time with a cursor.',
    since: '2.8.0',
    complexity: 'O(1) per call, O(N) for a whole iteration.',
    history: [['6.0.0', 'Added TYPE.']],
    tips: ['nondeterministic_output', 'request_policy:special'],
    args: [
      { name: 'cursor', type: 'integer' },
      { name: 'pattern', type: 'pattern', token: 'MATCH', optional: true },
      { name: 'count', type: 'integer', token: 'COUNT', optional: true },
      { name: 'type', type: 'string', token: 'TYPE', since: '6.0.0', optional: true },
    ],
    handler: scanCommand,
  }),
  cmd({
    name: 'randomkey',
    arity: 1,
    flags: ['readonly'],
    categories: ['keyspace'],
    summary: 'Returns a key chosen at random.',
    complexity: 'O(1)',
    tips: ['request_policy:all_shards', 'nondeterministic_output'],
    handler: randomkeyCommand,
  }),
  cmd({
    name: 'move',
    arity: 3,
    flags: ['write', 'fast'],
    firstKey: 1,
    lastKey: 1,
    keyStep: 1,
    categories: ['keyspace'],
    summary: 'Moves a key to another database.',
    complexity: 'O(1)',
    keySpecs: [spec(['RW', 'access', 'update'], 1)],
    args: [KEY, { name: 'db', type: 'integer' }],
    handler: moveCommand,
  }),
  cmd({
    name: 'copy',
    arity: -3,
    flags: ['write', 'denyoom'],
    firstKey: 1,
    lastKey: 2,
    keyStep: 1,
    categories: ['keyspace'],
    summary: 'Copies the value of a key to another key, possibly in another database.',
    since: '6.2.0',
    complexity: 'O(N) in the number of elements copied.',
    keySpecs: [spec(['RO', 'access'], 1), spec(['OW', 'update'], 2)],
    args: [
      { name: 'source', type: 'key', key_spec_index: 0 },
      { name: 'destination', type: 'key', key_spec_index: 1 },
      { name: 'destination-db', type: 'integer', token: 'DB', optional: true },
      { name: 'replace', type: 'pure-token', token: 'REPLACE', optional: true },
    ],
    handler: copyCommand,
  }),
  cmd({
    name: 'object',
    arity: -2,
    flags: [],
    categories: [],
    summary: 'Inspects how a value is stored.',
    since: '2.2.3',
    complexity: 'Depends on the subcommand.',
    handler: (c, argv) => c.error(`ERR unknown subcommand '${(argv[1] ?? '').slice(0, 128)}'. Try OBJECT HELP.`),
    subcommands: [
      objectSub('encoding', '2.2.3', 'Tells the internal representation of a value.', (c, key) => {
        const v = objectLookup(c, key);
        if (v === undefined) return;
        c.bulk(typeof v === 'string' ? stringEncoding(v, c.db.stringKind(key)) : v.encoding(c.server.config));
      }),
      objectSub('refcount', '2.2.3', 'Tells how many references the value of a key has.', (c, key) => {
        const v = objectLookup(c, key);
        if (v === undefined) return;
        c.int(typeof v === 'string' && sharedInteger(c.server, v, c.db.stringKind(key)) ? INT32_MAX : 1);
      }),
      objectSub('idletime', '2.2.3', 'Tells how many seconds ago a key was last accessed.', (c, key) => {
        const v = objectLookup(c, key);
        if (v === undefined) return;
        if (isLfu(c.server)) return c.error(LFU_SELECTED);
        if (c.db.access === null) enableAccessTracking(c.server);
        const access = c.db.access!;
        access.clock.refresh();
        c.int(access.idleSeconds(key));
      }),
      objectSub('freq', '4.0.0', 'Tells the logarithmic access frequency counter of a key.', (c, key) => {
        const v = objectLookup(c, key);
        if (v === undefined) return;
        if (!isLfu(c.server)) return c.error(LFU_NOT_SELECTED);
        if (c.db.access === null) enableAccessTracking(c.server);
        const access = c.db.access!;
        access.clock.refresh();
        c.int(access.frequency(key));
      }),
      cmd({
        name: 'help',
        arity: 2,
        flags: ['loading', 'stale'],
        categories: ['keyspace'],
        summary: 'Lists the OBJECT subcommands.',
        since: '6.2.0',
        complexity: 'O(1)',
        handler: (c) => replyHelp(c, 'OBJECT', OBJECT_HELP),
      }),
    ],
  }),
  expireSpec('expire', '1.0.0', true, true, 'Sets a key to expire in a number of seconds.', { name: 'seconds', type: 'integer' }),
  expireSpec('pexpire', '2.6.0', true, false, 'Sets a key to expire in a number of milliseconds.', { name: 'milliseconds', type: 'integer' }),
  expireSpec('expireat', '1.2.0', false, true, 'Sets a key to expire at a Unix time in seconds.', { name: 'unix-time-seconds', type: 'unix-time' }),
  expireSpec('pexpireat', '2.6.0', false, false, 'Sets a key to expire at a Unix time in milliseconds.', { name: 'unix-time-milliseconds', type: 'unix-time' }),
  ttlSpec('ttl', '1.0.0', false, false, 'Tells the seconds left before a key expires.', ['nondeterministic_output'], MISSING_KEY_HISTORY),
  ttlSpec('pttl', '2.6.0', true, false, 'Tells the milliseconds left before a key expires.', ['nondeterministic_output'], MISSING_KEY_HISTORY),
  ttlSpec('expiretime', '7.0.0', false, true, 'Tells the Unix time in seconds at which a key expires.'),
  ttlSpec('pexpiretime', '7.0.0', true, true, 'Tells the Unix time in milliseconds at which a key expires.'),
  cmd({
    name: 'persist',
    arity: 2,
    flags: ['write', 'fast'],
    firstKey: 1,
    lastKey: 1,
    keyStep: 1,
    categories: ['keyspace'],
    summary: 'Removes the expiry time of a key.',
    since: '2.2.0',
    complexity: 'O(1)',
    keySpecs: [spec(['RW', 'update'], 1)],
    args: [KEY],
    handler(c, argv) {
      const key = argv[1];
      if (c.db.lookupWrite(key) === undefined || !c.db.persist(key)) return c.int(0);
      c.server.notify(NOTIFY.generic, 'persist', key, c.db.id);
      c.server.dirty++;
      c.int(1);
    },
  }),
  cmd({
    name: 'dbsize',
    arity: 1,
    flags: ['readonly', 'fast'],
    categories: ['keyspace'],
    group: 'server',
    summary: 'Counts the keys of the selected database.',
    complexity: 'O(1)',
    tips: ['request_policy:all_shards', 'response_policy:agg_sum'],
    handler: (c) => c.int(c.db.size),
  }),
  cmd({
    name: 'swapdb',
    arity: 3,
    flags: ['write', 'fast'],
    categories: ['keyspace', 'dangerous'],
    group: 'server',
    summary: 'Exchanges the contents of two databases.',
    since: '4.0.0',
    complexity: 'O(N) in the clients watching or blocked on keys of the two databases.',
    args: [
      { name: 'index1', type: 'integer' },
      { name: 'index2', type: 'integer' },
    ],
    handler: swapdbCommand,
  }),
  cmd({
    name: 'flushdb',
    arity: -1,
    flags: ['write'],
    categories: ['keyspace', 'dangerous'],
    group: 'server',
    summary: 'Removes every key of the selected database.',
    complexity: 'O(1): the memory is reclaimed later by the GC.',
    history: [
      ['4.0.0', 'Added ASYNC.'],
      ['6.2.0', 'Added SYNC.'],
    ],
    tips: ['request_policy:all_shards', 'response_policy:all_succeeded'],
    args: [FLUSH_MODE],
    handler: (c, argv) => flush(c, argv, false),
  }),
  cmd({
    name: 'flushall',
    arity: -1,
    flags: ['write'],
    categories: ['keyspace', 'dangerous'],
    group: 'server',
    summary: 'Removes every key of every database.',
    complexity: 'O(1): the memory is reclaimed later by the GC.',
    history: [
      ['4.0.0', 'Added ASYNC.'],
      ['6.2.0', 'Added SYNC.'],
    ],
    tips: ['request_policy:all_shards', 'response_policy:all_succeeded'],
    args: [FLUSH_MODE],
    handler: (c, argv) => flush(c, argv, true),
  }),
];
