/** Hash commands (t_hash.c): HSET, HGET and the rest of the family. */
import { cmd, type CommandArg, type CommandSpec, type KeySpec } from './types';
import { E } from './errors';
import type { Client } from '../server/client';
import { NOTIFY } from '../server/notify';
import { HashValue, hashLimits } from '../store/types/hash';
import { parseInt64 } from '../util/numbers';
import { parseLongDouble, addLongDouble, formatLongDoubleHuman } from '../util/longdouble';
import { parseScanCursor, parseScanOptions, replyEmptyScan, replyScan, scanMatches } from './scan-args';

const ERR_HASH_NOT_INT = 'ERR hash value is not an integer';
const ERR_HASH_NOT_FLOAT = 'ERR hash value is not a float';
const ERR_INCR_NAN_INF = 'ERR value is NaN or Infinity';
const ERR_RESULT_NAN_INF = 'ERR increment would produce NaN or Infinity';
const ERR_RANGE = 'ERR value is out of range';

/**
 * Replies that would not fit in memory (a huge negative count for
 * HRANDFIELD/SRANDMEMBER: Redis would fill its output buffer until the OOM
 * killer or the output limit stops it) are refused up front.
 */
export const MAX_RANDOM_REPLY_ELEMENTS = 1 << 25;
export const ERR_REPLY_TOO_BIG = 'ERR reply would be too large';

/** The hash at `key` for reading: undefined when missing, null after a WRONGTYPE reply. */
function readHash(c: Client, key: string): HashValue | undefined | null {
  const v = c.db.lookupRead(key);
  if (v === undefined) return undefined;
  if (!(v instanceof HashValue)) {
    c.error(E.WRONGTYPE);
    return null;
  }
  return v;
}

/** hashTypeLookupWriteOrCreate: the hash at `key`, created empty when missing; null after a WRONGTYPE reply. */
function writeHash(c: Client, key: string): HashValue | null {
  const v = c.db.lookupWrite(key);
  if (v === undefined) {
    const h = new HashValue();
    c.db.add(key, h);
    return h;
  }
  if (!(v instanceof HashValue)) {
    c.error(E.WRONGTYPE);
    return null;
  }
  return v;
}

function hsetCommand(c: Client, argv: string[]): void {
  if (argv.length % 2 === 1) return c.error(E.WRONG_ARGS(argv[0].toLowerCase() === 'hmset' ? 'hmset' : 'hset'));
  const key = argv[1];
  const h = writeHash(c, key);
  if (h === null) return;
  const limits = hashLimits(c.server.config);
  let created = 0;
  for (let i = 2; i < argv.length; i += 2) if (h.set(argv[i], argv[i + 1], limits)) created++;
  if (argv[0].length === 4) c.int(created); // HSET
  else c.ok(); // HMSET
  c.db.modified(key);
  c.server.notify(NOTIFY.hash, 'hset', key, c.db.id);
  c.server.dirty += (argv.length - 2) / 2;
}

function hsetnxCommand(c: Client, argv: string[]): void {
  const key = argv[1];
  const h = writeHash(c, key);
  if (h === null) return;
  if (h.has(argv[2])) return c.int(0);
  h.set(argv[2], argv[3], hashLimits(c.server.config));
  c.int(1);
  c.db.modified(key);
  c.server.notify(NOTIFY.hash, 'hset', key, c.db.id);
  c.server.dirty++;
}

function hgetCommand(c: Client, argv: string[]): void {
  const h = readHash(c, argv[1]);
  if (h === null) return;
  if (h === undefined) return c.nullBulk();
  c.bulkOrNull(h.get(argv[2]));
}

function hmgetCommand(c: Client, argv: string[]): void {
  const h = readHash(c, argv[1]);
  if (h === null) return;
  c.arrayHeader(argv.length - 2);
  for (let i = 2; i < argv.length; i++) c.bulkOrNull(h === undefined ? undefined : h.get(argv[i]));
}

function hdelCommand(c: Client, argv: string[]): void {
  const key = argv[1];
  const v = c.db.lookupWrite(key);
  if (v === undefined) return c.int(0);
  if (!(v instanceof HashValue)) return c.error(E.WRONGTYPE);
  let deleted = 0;
  for (let i = 2; i < argv.length; i++) {
    if (v.delete(argv[i])) {
      deleted++;
      if (v.size === 0) break;
    }
  }
  if (deleted > 0) {
    const removed = c.db.modifiedOrDeleteIfEmpty(key, v.size);
    c.server.notify(NOTIFY.hash, 'hdel', key, c.db.id);
    if (removed) c.server.notify(NOTIFY.generic, 'del', key, c.db.id);
    c.server.dirty += deleted;
  }
  c.int(deleted);
}

function hlenCommand(c: Client, argv: string[]): void {
  const h = readHash(c, argv[1]);
  if (h === null) return;
  c.int(h === undefined ? 0 : h.size);
}

function hstrlenCommand(c: Client, argv: string[]): void {
  const h = readHash(c, argv[1]);
  if (h === null) return;
  const v = h === undefined ? undefined : h.get(argv[2]);
  c.int(v === undefined ? 0 : v.length);
}

function hexistsCommand(c: Client, argv: string[]): void {
  const h = readHash(c, argv[1]);
  if (h === null) return;
  c.int(h !== undefined && h.has(argv[2]) ? 1 : 0);
}

const GETALL_KEYS = 1;
const GETALL_VALUES = 2;

function hgetallGeneric(c: Client, argv: string[], what: number): void {
  const h = readHash(c, argv[1]);
  if (h === null) return;
  const both = what === (GETALL_KEYS | GETALL_VALUES);
  const n = h === undefined ? 0 : h.size;
  if (both) c.mapHeader(n);
  else c.arrayHeader(n);
  if (h === undefined) return;
  let out = '';
  h.forEachView((f, v) => {
    if (what & GETALL_KEYS) out += '$' + f.length + '\r\n' + f + '\r\n';
    if (what & GETALL_VALUES) out += '$' + v.length + '\r\n' + v + '\r\n';
  });
  c.raw(out);
}

function hincrbyCommand(c: Client, argv: string[]): void {
  const incr = parseInt64(argv[3]);
  if (incr === null) return c.error(E.NOT_INTEGER);
  const key = argv[1];
  const h = writeHash(c, key);
  if (h === null) return;
  const cur = h.get(argv[2]);
  let value: number | bigint = 0;
  if (cur !== undefined) {
    const v = parseInt64(cur);
    if (v === null) return c.error(ERR_HASH_NOT_INT);
    value = v;
  }
  let result: number | bigint;
  if (typeof value === 'number' && typeof incr === 'number' && Number.isSafeInteger(value + incr)) {
    result = value + incr;
  } else {
    const big = BigInt(value) + BigInt(incr);
    if (big > 9223372036854775807n || big < -9223372036854775808n) return c.error(E.OVERFLOW);
    result = big >= -9007199254740991n && big <= 9007199254740991n ? Number(big) : big;
  }
  const text = String(result);
  h.set(argv[2], text, hashLimits(c.server.config));
  c.int(result);
  c.db.modified(key);
  c.server.notify(NOTIFY.hash, 'hincrby', key, c.db.id);
  c.server.dirty++;
}

function hincrbyfloatCommand(c: Client, argv: string[]): void {
  const incr = parseLongDouble(argv[3]);
  if (incr === null) return c.error(E.NOT_FLOAT);
  if (incr.inf) return c.error(ERR_INCR_NAN_INF);
  const key = argv[1];
  const h = writeHash(c, key);
  if (h === null) return;
  const cur = h.get(argv[2]);
  let sum = incr;
  if (cur !== undefined) {
    const v = parseLongDouble(cur);
    if (v === null) return c.error(ERR_HASH_NOT_FLOAT);
    const s = addLongDouble(v, incr);
    if (s === null || s.inf) return c.error(ERR_RESULT_NAN_INF);
    sum = s;
  } else {
    // 0 + incr: the same rounding Redis's addition does (none), and -0 prints as 0.
    const s = addLongDouble({ neg: false, m: 0n, e: 0 }, incr);
    if (s === null || s.inf) return c.error(ERR_RESULT_NAN_INF);
    sum = s;
  }
  const text = formatLongDoubleHuman(sum);
  h.set(argv[2], text, hashLimits(c.server.config));
  c.bulk(text);
  c.db.modified(key);
  c.server.notify(NOTIFY.hash, 'hincrbyfloat', key, c.db.id);
  c.server.dirty++;
  // Replicas and the AOF get the result, not the arithmetic.
  c.server.replaceArgv(['HSET', key, argv[2], text]);
}

function replyPairs(c: Client, pairs: ReadonlyArray<readonly [string, string]>, withValues: boolean): void {
  const n = pairs.length;
  if (withValues && c.resp === 2) c.arrayHeader(n * 2);
  else c.arrayHeader(n);
  let out = '';
  for (let i = 0; i < n; i++) {
    const [f, v] = pairs[i];
    if (withValues) {
      if (c.resp !== 2) out += '*2\r\n';
      out += '$' + f.length + '\r\n' + f + '\r\n$' + v.length + '\r\n' + v + '\r\n';
    } else {
      out += '$' + f.length + '\r\n' + f + '\r\n';
    }
  }
  c.raw(out);
}

function hrandfieldCommand(c: Client, argv: string[]): void {
  if (argv.length === 2) {
    const h = readHash(c, argv[1]);
    if (h === null) return;
    if (h === undefined) return c.nullBulk();
    return c.bulk(h.randomPair()[0]);
  }
  const l = parseInt64(argv[2]);
  if (l === null) return c.error(E.NOT_INTEGER);
  if (l === -9223372036854775808n) return c.error(E.OUT_OF_RANGE_LONG);
  let withValues = false;
  if (argv.length > 4 || (argv.length === 4 && argv[3].toLowerCase() !== 'withvalues')) return c.error(E.SYNTAX);
  if (argv.length === 4) {
    withValues = true;
    if (l < -4611686018427387903n || l > 4611686018427387903n) return c.error(ERR_RANGE);
  }
  const h = readHash(c, argv[1]);
  if (h === null) return;
  if (h === undefined || l === 0) return c.arrayHeader(0);
  const size = h.size;
  if (l < 0) {
    // May repeat: `count` independent picks.
    const count = -Number(l);
    if (count > MAX_RANDOM_REPLY_ELEMENTS) return c.error(ERR_REPLY_TOO_BIG);
    return replyPairs(c, h.randomPairs(count), withValues);
  }
  const count = Number(l);
  if (count >= size) {
    return replyPairs(c, h.pairs(), withValues);
  }
  replyPairs(c, h.randomDistinctPairs(count), withValues);
}

function hscanCommand(c: Client, argv: string[]): void {
  const cursor = parseScanCursor(c, argv[2]);
  if (cursor === null) return;
  const h = readHash(c, argv[1]);
  if (h === null) return;
  if (h === undefined) return replyEmptyScan(c);
  const opts = parseScanOptions(c, argv, 3);
  if (opts === null) return;
  const items: string[] = [];
  const next = h.scan(cursor, opts.count, (f, v) => {
    if (scanMatches(opts, f)) items.push(f, v);
  });
  replyScan(c, next, items);
}

// ------------------------------------------------------------------ the table

const ks = (flags: string[]): KeySpec => ({ flags, beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } });
const KEY: CommandArg = { name: 'key', type: 'key', key_spec_index: 0 };
const FIELD: CommandArg = { name: 'field', type: 'string' };
const FIELDS: CommandArg = { name: 'field', type: 'string', multiple: true };
const FIELD_VALUES: CommandArg = {
  name: 'field_value',
  type: 'block',
  multiple: true,
  arguments: [
    { name: 'field', type: 'string' },
    { name: 'value', type: 'string' },
  ],
};

const hashCmd = (spec: Parameters<typeof cmd>[0]): CommandSpec =>
  cmd({ categories: ['hash'], group: 'hash', since: '2.0.0', firstKey: 1, lastKey: 1, keyStep: 1, ...spec });

export const hashCommands: CommandSpec[] = [
  hashCmd({
    name: 'hset',
    arity: -4,
    flags: ['write', 'denyoom', 'fast'],
    keySpecs: [ks(['RW', 'update'])],
    summary: 'Sets fields of a hash; returns how many were new.',
    complexity: 'O(1) for each field/value pair added.',
    history: [['4.0.0', 'Accepts multiple `field` and `value` arguments.']],
    args: [KEY, FIELD_VALUES],
    handler: hsetCommand,
  }),
  hashCmd({
    name: 'hsetnx',
    arity: 4,
    flags: ['write', 'denyoom', 'fast'],
    keySpecs: [ks(['RW', 'insert'])],
    summary: 'Sets a field of a hash only when it does not exist yet.',
    complexity: 'O(1)',
    args: [KEY, FIELD, { name: 'value', type: 'string' }],
    handler: hsetnxCommand,
  }),
  hashCmd({
    name: 'hmset',
    arity: -4,
    flags: ['write', 'denyoom', 'fast'],
    keySpecs: [ks(['RW', 'update'])],
    summary: 'Sets fields of a hash (replaced by HSET).',
    complexity: 'O(N) in the number of fields set.',
    docFlags: ['deprecated'],
    deprecatedSince: '4.0.0',
    replacedBy: '`HSET` with multiple field-value pairs',
    args: [KEY, FIELD_VALUES],
    handler: hsetCommand,
  }),
  hashCmd({
    name: 'hget',
    arity: 3,
    flags: ['readonly', 'fast'],
    keySpecs: [ks(['RO', 'access'])],
    summary: 'Returns the value of a field of a hash.',
    complexity: 'O(1)',
    args: [KEY, FIELD],
    handler: hgetCommand,
  }),
  hashCmd({
    name: 'hmget',
    arity: -3,
    flags: ['readonly', 'fast'],
    keySpecs: [ks(['RO', 'access'])],
    summary: 'Returns the values of several fields of a hash.',
    complexity: 'O(N) in the number of fields asked for.',
    args: [KEY, FIELDS],
    handler: hmgetCommand,
  }),
  hashCmd({
    name: 'hgetall',
    arity: 2,
    flags: ['readonly'],
    keySpecs: [ks(['RO', 'access'])],
    summary: 'Returns every field and value of a hash.',
    complexity: 'O(N) in the size of the hash.',
    tips: ['nondeterministic_output_order'],
    args: [KEY],
    handler: (c, argv) => hgetallGeneric(c, argv, GETALL_KEYS | GETALL_VALUES),
  }),
  hashCmd({
    name: 'hdel',
    arity: -3,
    flags: ['write', 'fast'],
    keySpecs: [ks(['RW', 'delete'])],
    summary: 'Deletes fields of a hash; returns how many existed.',
    complexity: 'O(N) in the number of fields removed.',
    history: [['2.4.0', 'Accepts multiple `field` arguments.']],
    args: [KEY, FIELDS],
    handler: hdelCommand,
  }),
  hashCmd({
    name: 'hexists',
    arity: 3,
    flags: ['readonly', 'fast'],
    keySpecs: [ks(['RO'])],
    summary: 'Tells whether a field exists in a hash.',
    complexity: 'O(1)',
    args: [KEY, FIELD],
    handler: hexistsCommand,
  }),
  hashCmd({
    name: 'hlen',
    arity: 2,
    flags: ['readonly', 'fast'],
    keySpecs: [ks(['RO'])],
    summary: 'Returns the number of fields of a hash.',
    complexity: 'O(1)',
    args: [KEY],
    handler: hlenCommand,
  }),
  hashCmd({
    name: 'hstrlen',
    arity: 3,
    flags: ['readonly', 'fast'],
    keySpecs: [ks(['RO'])],
    summary: 'Returns the length in bytes of the value of a field of a hash.',
    complexity: 'O(1)',
    since: '3.2.0',
    args: [KEY, FIELD],
    handler: hstrlenCommand,
  }),
  hashCmd({
    name: 'hkeys',
    arity: 2,
    flags: ['readonly'],
    keySpecs: [ks(['RO', 'access'])],
    summary: 'Returns every field of a hash.',
    complexity: 'O(N) in the size of the hash.',
    tips: ['nondeterministic_output_order'],
    args: [KEY],
    handler: (c, argv) => hgetallGeneric(c, argv, GETALL_KEYS),
  }),
  hashCmd({
    name: 'hvals',
    arity: 2,
    flags: ['readonly'],
    keySpecs: [ks(['RO', 'access'])],
    summary: 'Returns every value of a hash.',
    complexity: 'O(N) in the size of the hash.',
    tips: ['nondeterministic_output_order'],
    args: [KEY],
    handler: (c, argv) => hgetallGeneric(c, argv, GETALL_VALUES),
  }),
  hashCmd({
    name: 'hincrby',
    arity: 4,
    flags: ['write', 'denyoom', 'fast'],
    keySpecs: [ks(['RW', 'access', 'update'])],
    summary: 'Adds an integer to the value of a field of a hash.',
    complexity: 'O(1)',
    args: [KEY, FIELD, { name: 'increment', type: 'integer' }],
    handler: hincrbyCommand,
  }),
  hashCmd({
    name: 'hincrbyfloat',
    arity: 4,
    flags: ['write', 'denyoom', 'fast'],
    keySpecs: [ks(['RW', 'access', 'update'])],
    summary: 'Adds a floating point number to the value of a field of a hash.',
    complexity: 'O(1)',
    since: '2.6.0',
    args: [KEY, FIELD, { name: 'increment', type: 'double' }],
    handler: hincrbyfloatCommand,
  }),
  hashCmd({
    name: 'hrandfield',
    arity: -2,
    flags: ['readonly'],
    keySpecs: [ks(['RO', 'access'])],
    summary: 'Returns random fields of a hash, with their values if asked.',
    complexity: 'O(N) in the number of fields returned.',
    since: '6.2.0',
    tips: ['nondeterministic_output'],
    args: [
      KEY,
      {
        name: 'options',
        type: 'block',
        optional: true,
        arguments: [
          { name: 'count', type: 'integer' },
          { name: 'withvalues', type: 'pure-token', token: 'WITHVALUES', optional: true },
        ],
      },
    ],
    handler: hrandfieldCommand,
  }),
  hashCmd({
    name: 'hscan',
    arity: -3,
    flags: ['readonly'],
    keySpecs: [ks(['RO', 'access'])],
    summary: 'Iterates over the fields and values of a hash with a cursor.',
    complexity: 'O(1) per call; O(N) for a complete iteration.',
    since: '2.8.0',
    tips: ['nondeterministic_output'],
    args: [
      KEY,
      { name: 'cursor', type: 'integer' },
      { name: 'pattern', type: 'pattern', token: 'MATCH', optional: true },
      { name: 'count', type: 'integer', token: 'COUNT', optional: true },
    ],
    handler: hscanCommand,
  }),
];
