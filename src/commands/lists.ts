/**
 * List commands (t_list.c): pushes and pops at both ends, index and range
 * access, LINSERT/LREM/LTRIM/LPOS, moves between lists, the multi-key pops
 * (LMPOP), and the blocking forms (BLPOP, BRPOP, BLMOVE, BRPOPLPUSH, BLMPOP).
 *
 * Replies carry elements as the list stores them (already RESP-encoded), so
 * LRANGE and the pops copy no element. Blocked clients are served through
 * server.blocking; a served pop is propagated as its non-blocking form
 * (LPOP/RPOP key [count], LMOVE, RPOPLPUSH), as Redis does.
 */
import { cmd, type CommandArg, type CommandSpec, type KeySpec } from './types';
import { E } from './errors';
import { NOTIFY } from '../server/notify';
import { parseInt64, parseSafeInt } from '../util/numbers';
import { ListValue, decodeElement } from '../store/types/list';
import { parseBlockingTimeout } from './blocking-args';
import type { Client } from '../server/client';
import type { Database } from '../store/db';

const RANK_ZERO =
  "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list";
const LLONG_MIN = -9223372036854775808n;

// ====================================================================== helpers

/** LEFT/RIGHT (case-insensitive): true for LEFT (head), false for RIGHT, null otherwise. */
function whereArg(s: string): boolean | null {
  if (s.length === 4 && s.toLowerCase() === 'left') return true;
  if (s.length === 5 && s.toLowerCase() === 'right') return false;
  return null;
}

/**
 * The list at `key` for a write: the value, undefined when absent, or null
 * after replying WRONGTYPE.
 */
function listForWrite(c: Client, key: string): ListValue | undefined | null {
  const v = c.db.lookupWrite(key);
  if (v === undefined) return undefined;
  if (!(v instanceof ListValue)) {
    c.error(E.WRONGTYPE);
    return null;
  }
  return v;
}

function listForRead(c: Client, key: string): ListValue | undefined | null {
  const v = c.db.lookupRead(key);
  if (v === undefined) return undefined;
  if (!(v instanceof ListValue)) {
    c.error(E.WRONGTYPE);
    return null;
  }
  return v;
}

/** After elements were removed from `list`: the "del" event and deletion when it emptied, else the change signal. */
function afterRemoval(c: Client, db: Database, key: string, list: ListValue): void {
  if (list.size === 0) {
    db.modifiedOrDeleteIfEmpty(key, 0);
    c.server.notify(NOTIFY.generic, 'del', key, db.id);
  } else {
    db.modified(key);
  }
}

/** Pushes one already-encoded element to `dstKey` (creating the list), with its notification. LMOVE's second half. */
function pushToDestination(c: Client, db: Database, dstKey: string, dst: ListValue | undefined, enc: string, head: boolean): void {
  if (dst === undefined) {
    dst = new ListValue();
    dst.pushEncoded(enc, head);
    db.add(dstKey, dst);
  } else {
    dst.pushEncoded(enc, head);
    db.modified(dstKey);
  }
  c.server.notify(NOTIFY.list, head ? 'lpush' : 'rpush', dstKey, db.id);
}

/**
 * Moves one element from `src` (known non-empty) to `dstKey` and replies
 * with it: LMOVE and friends, blocking or not. `dst` was looked up (and
 * type-checked) before the pop, as Redis does.
 */
function moveElement(c: Client, db: Database, srcKey: string, src: ListValue, dstKey: string, dst: ListValue | undefined, from: boolean, to: boolean): void {
  const enc = src.popEncoded(from)!;
  pushToDestination(c, db, dstKey, dst, enc, to);
  c.server.notify(NOTIFY.list, from ? 'lpop' : 'rpop', srcKey, db.id);
  afterRemoval(c, db, srcKey, src);
  c.server.dirty++;
  c.raw(enc);
}

/**
 * Pops up to `count` elements from one end of a non-empty list and replies
 * [key, [elements]] (LMPOP, BLMPOP). Returns how many were popped.
 */
function popManyWithKey(c: Client, db: Database, key: string, list: ListValue, head: boolean, count: number): number {
  const { n, data } = list.popManyEncoded(count, head);
  c.arrayHeader(2);
  c.bulk(key);
  c.arrayHeader(n);
  c.raw(data);
  c.server.notify(NOTIFY.list, head ? 'lpop' : 'rpop', key, db.id);
  afterRemoval(c, db, key, list);
  c.server.dirty += n;
  return n;
}

/** Pops one element and replies [key, element] (BLPOP, BRPOP). */
function popOneWithKey(c: Client, db: Database, key: string, list: ListValue, head: boolean): void {
  const enc = list.popEncoded(head)!;
  c.arrayHeader(2);
  c.bulk(key);
  c.raw(enc);
  c.server.notify(NOTIFY.list, head ? 'lpop' : 'rpop', key, db.id);
  afterRemoval(c, db, key, list);
  c.server.dirty++;
}

// ====================================================================== pushes

function pushCommand(c: Client, argv: string[], head: boolean, onlyIfExists: boolean): void {
  const key = argv[1];
  const db = c.db;
  const existing = listForWrite(c, key);
  if (existing === null) return;
  let list = existing;
  if (list === undefined) {
    if (onlyIfExists) return c.int(0);
    list = new ListValue();
    for (let i = 2; i < argv.length; i++) list.push(argv[i], head);
    db.add(key, list);
  } else {
    for (let i = 2; i < argv.length; i++) list.push(argv[i], head);
    db.modified(key);
  }
  c.int(list.size);
  c.server.notify(NOTIFY.list, head ? 'lpush' : 'rpush', key, db.id);
  c.server.dirty += argv.length - 2;
}

// ====================================================================== pops

function popCommand(c: Client, argv: string[], head: boolean): void {
  if (argv.length > 3) return c.error(E.WRONG_ARGS(argv[0].toLowerCase()));
  const hasCount = argv.length === 3;
  let count = 1;
  if (hasCount) {
    const v = parseSafeInt(argv[2]);
    if (v === null || v < 0) return c.error(E.OUT_OF_RANGE_POSITIVE);
    count = v;
  }
  const key = argv[1];
  const list = listForWrite(c, key);
  if (list === null) return;
  if (list === undefined) return hasCount ? c.nullArray() : c.nullBulk();
  if (!hasCount) {
    c.raw(list.popEncoded(head)!);
    c.server.dirty++;
  } else {
    if (count === 0) return c.arrayHeader(0);
    const { n, data } = list.popManyEncoded(count, head);
    c.arrayHeader(n);
    c.raw(data);
    c.server.dirty += n;
  }
  const db = c.db;
  c.server.notify(NOTIFY.list, head ? 'lpop' : 'rpop', key, db.id);
  afterRemoval(c, db, key, list);
}

// ====================================================================== reads

function llenCommand(c: Client, argv: string[]): void {
  const list = listForRead(c, argv[1]);
  if (list === null) return;
  c.int(list === undefined ? 0 : list.size);
}

/** Above this many reply bytes pending, a long LRANGE sends what it has (a V8 string cannot exceed ~512 MB). */
const BIG_REPLY = 64 * 1024 * 1024;

function lrangeCommand(c: Client, argv: string[]): void {
  let start = parseSafeInt(argv[2]);
  let end = parseSafeInt(argv[3]);
  if (start === null || end === null) return c.error(E.NOT_INTEGER);
  const list = listForRead(c, argv[1]);
  if (list === null) return;
  if (list === undefined) return c.arrayHeader(0);
  const llen = list.size;
  if (start < 0) start += llen;
  if (end < 0) end += llen;
  if (start < 0) start = 0;
  if (start > end || start >= llen) return c.arrayHeader(0);
  if (end >= llen) end = llen - 1;
  c.arrayHeader(end - start + 1);
  if (end - start < 100000 || c.socket === null) {
    list.writeRange(c, start, end);
    return;
  }
  // Huge ranges: write in slices, sending what accumulated when it gets big.
  const canFlush = c.replyMode === 'on' && c.multi === null;
  for (let from = start; from <= end; from += 100000) {
    list.writeRange(c, from, Math.min(end, from + 99999));
    if (canFlush && c.out.length > BIG_REPLY) c.flush();
  }
}

function lindexCommand(c: Client, argv: string[]): void {
  const list = listForRead(c, argv[1]);
  if (list === null) return;
  if (list === undefined) return c.nullBulk();
  const index = parseSafeInt(argv[2]);
  if (index === null) return c.error(E.NOT_INTEGER);
  const enc = list.getEncoded(index);
  if (enc === undefined) return c.nullBulk();
  c.raw(enc);
}

// ====================================================================== changes in the middle

function lsetCommand(c: Client, argv: string[]): void {
  const key = argv[1];
  const list = listForWrite(c, key);
  if (list === null) return;
  if (list === undefined) return c.error(E.NO_SUCH_KEY);
  const index = parseSafeInt(argv[2]);
  if (index === null) return c.error(E.NOT_INTEGER);
  if (!list.set(index, argv[3])) return c.error(E.OUT_OF_RANGE);
  const db = c.db;
  db.modified(key);
  c.server.notify(NOTIFY.list, 'lset', key, db.id);
  c.server.dirty++;
  c.ok();
}

function linsertCommand(c: Client, argv: string[]): void {
  const where = argv[2].toLowerCase();
  let after: boolean;
  if (where === 'after') after = true;
  else if (where === 'before') after = false;
  else return c.error(E.SYNTAX);
  const key = argv[1];
  const list = listForWrite(c, key);
  if (list === null) return;
  if (list === undefined) return c.int(0);
  const at = list.indexOf(argv[3]);
  if (at < 0) return c.int(-1);
  list.insertAt(after ? at + 1 : at, argv[4]);
  const db = c.db;
  db.modified(key);
  c.server.notify(NOTIFY.list, 'linsert', key, db.id);
  c.server.dirty++;
  c.int(list.size);
}

function lremCommand(c: Client, argv: string[]): void {
  const count = parseSafeInt(argv[2]);
  if (count === null) return c.error(E.NOT_INTEGER);
  const key = argv[1];
  const list = listForWrite(c, key);
  if (list === null) return;
  if (list === undefined) return c.int(0);
  const removed = list.removeMatching(argv[3], count);
  if (removed > 0) {
    const db = c.db;
    c.server.notify(NOTIFY.list, 'lrem', key, db.id);
    afterRemoval(c, db, key, list);
    c.server.dirty += removed;
  }
  c.int(removed);
}

function ltrimCommand(c: Client, argv: string[]): void {
  let start = parseSafeInt(argv[2]);
  let end = parseSafeInt(argv[3]);
  if (start === null || end === null) return c.error(E.NOT_INTEGER);
  const key = argv[1];
  const list = listForWrite(c, key);
  if (list === null) return;
  if (list === undefined) return c.ok();
  const llen = list.size;
  if (start < 0) start += llen;
  if (end < 0) end += llen;
  if (start < 0) start = 0;
  let ltrim: number;
  let rtrim: number;
  if (start > end || start >= llen) {
    ltrim = llen;
    rtrim = 0;
  } else {
    if (end >= llen) end = llen - 1;
    ltrim = start;
    rtrim = llen - end - 1;
  }
  list.removeHead(ltrim);
  list.removeTail(rtrim);
  const db = c.db;
  c.server.notify(NOTIFY.list, 'ltrim', key, db.id);
  afterRemoval(c, db, key, list);
  c.server.dirty += ltrim + rtrim;
  c.ok();
}

function lposCommand(c: Client, argv: string[]): void {
  let rank = 1;
  let rankIsMin = false;
  let count = -1; // -1: no COUNT given
  let maxlen = 0;
  for (let j = 3; j < argv.length; j++) {
    const opt = argv[j].toLowerCase();
    const more = j + 1 < argv.length;
    if (opt === 'rank' && more) {
      const raw = parseInt64(argv[++j]);
      if (raw === null) return c.error(E.NOT_INTEGER);
      if (raw === 0) return c.error(RANK_ZERO);
      // RANK LLONG_MIN cannot be negated in C: Redis then takes every match from the tail.
      rankIsMin = typeof raw === 'bigint' && raw === LLONG_MIN;
      rank = typeof raw === 'bigint' ? (raw > 0n ? Number.MAX_SAFE_INTEGER : -Number.MAX_SAFE_INTEGER) : raw;
    } else if (opt === 'count' && more) {
      const v = parseSafeInt(argv[++j]);
      if (v === null || v < 0) return c.error("ERR COUNT can't be negative");
      count = v;
    } else if (opt === 'maxlen' && more) {
      const v = parseSafeInt(argv[++j]);
      if (v === null || v < 0) return c.error("ERR MAXLEN can't be negative");
      maxlen = v;
    } else {
      return c.error(E.SYNTAX);
    }
  }
  const list = listForRead(c, argv[1]);
  if (list === null) return;
  if (list === undefined) return count !== -1 ? c.arrayHeader(0) : c.nullBulk();
  const fromTail = rank < 0;
  const skipMatches = rankIsMin ? 0 : Math.abs(rank) - 1;
  const limit = count === -1 ? 1 : rankIsMin ? 0 : count;
  const found = list.positions(argv[2], fromTail, skipMatches, limit, maxlen);
  if (count === -1) {
    if (found.length === 0) return c.nullBulk();
    return c.int(found[0]);
  }
  c.arrayHeader(found.length);
  for (const p of found) c.int(p);
}

// ====================================================================== moves

function lmoveCommand(c: Client, argv: string[], from: boolean, to: boolean): void {
  const srcKey = argv[1];
  const dstKey = argv[2];
  const src = listForWrite(c, srcKey);
  if (src === null) return;
  if (src === undefined) return c.nullBulk();
  const dst = listForWrite(c, dstKey);
  if (dst === null) return;
  moveElement(c, c.db, srcKey, src, dstKey, dst, from, to);
}

// ====================================================================== LMPOP

interface MpopArgs {
  keys: string[];
  head: boolean;
  count: number;
}

/** Parses "numkeys key... LEFT|RIGHT [COUNT n]" starting at argv[idx]; null after replying an error. */
function parseMpop(c: Client, argv: string[], idx: number): MpopArgs | null {
  const numkeys = parseSafeInt(argv[idx]);
  if (numkeys === null || numkeys < 1) {
    c.error(E.NUMKEYS);
    return null;
  }
  const whereIdx = idx + 1 + numkeys;
  if (numkeys > argv.length - idx - 1 || whereIdx >= argv.length) {
    c.error(E.SYNTAX);
    return null;
  }
  const head = whereArg(argv[whereIdx]);
  if (head === null) {
    c.error(E.SYNTAX);
    return null;
  }
  let count = -1;
  for (let j = whereIdx + 1; j < argv.length; j++) {
    if (count === -1 && argv[j].toLowerCase() === 'count' && j + 1 < argv.length) {
      const v = parseSafeInt(argv[++j]);
      if (v === null || v < 1) {
        c.error(E.COUNT_POSITIVE);
        return null;
      }
      count = v;
    } else {
      c.error(E.SYNTAX);
      return null;
    }
  }
  return { keys: argv.slice(idx + 1, whereIdx), head, count: count === -1 ? 1 : count };
}

/** Pops from the first non-empty list of `keys`; returns the key served, undefined when none, null after WRONGTYPE. */
function mpopFirst(c: Client, p: MpopArgs): string | undefined | null {
  const db = c.db;
  for (const key of p.keys) {
    const list = listForWrite(c, key);
    if (list === null) return null;
    if (list === undefined) continue;
    const n = popManyWithKey(c, db, key, list, p.head, p.count);
    c.server.replaceArgv([p.head ? 'LPOP' : 'RPOP', key, String(n)]);
    return key;
  }
  return undefined;
}

function lmpopCommand(c: Client, argv: string[]): void {
  const p = parseMpop(c, argv, 1);
  if (p === null) return;
  if (mpopFirst(c, p) === undefined) c.nullArray();
}

/** Key positions of a "numkeys key..." command for COMMAND GETKEYS (empty when the count is invalid). */
function numkeysKeys(argv: string[], idx: number): number[] {
  const n = idx < argv.length ? parseSafeInt(argv[idx]) : null;
  if (n === null || n < 1 || n > argv.length - idx - 1) return [];
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(idx + 1 + i);
  return out;
}

// ====================================================================== blocking pops

function blockingPopCommand(c: Client, argv: string[], head: boolean): void {
  const timeout = parseBlockingTimeout(c, argv[argv.length - 1]);
  if (timeout === null) return;
  const keys = argv.slice(1, -1);
  const db = c.db;
  for (const key of keys) {
    const list = listForWrite(c, key);
    if (list === null) return;
    if (list === undefined) continue;
    popOneWithKey(c, db, key, list, head);
    c.server.replaceArgv([head ? 'LPOP' : 'RPOP', key]);
    return;
  }
  if (c.denyBlocking) return c.nullArray();
  const server = c.server;
  server.blocking.block(
    {
      client: c,
      db,
      keys,
      serve(key) {
        const v = db.lookupWrite(key);
        if (!(v instanceof ListValue) || v.size === 0) return false;
        popOneWithKey(c, db, key, v, head);
        server.propagate(db.id, [head ? 'LPOP' : 'RPOP', key]);
        return true;
      },
      onTimeout: (cl) => cl.nullArray(),
    },
    timeout,
  );
}

function blmpopCommand(c: Client, argv: string[]): void {
  // The pop arguments are checked before the timeout, as in Redis.
  const p = parseMpop(c, argv, 2);
  if (p === null) return;
  const timeout = parseBlockingTimeout(c, argv[1]);
  if (timeout === null) return;
  const served = mpopFirst(c, p);
  if (served !== undefined) return;
  if (c.denyBlocking) return c.nullArray();
  const server = c.server;
  const db = c.db;
  server.blocking.block(
    {
      client: c,
      db,
      keys: p.keys,
      serve(key) {
        const v = db.lookupWrite(key);
        if (!(v instanceof ListValue) || v.size === 0) return false;
        const n = popManyWithKey(c, db, key, v, p.head, p.count);
        server.propagate(db.id, [p.head ? 'LPOP' : 'RPOP', key, String(n)]);
        return true;
      },
      onTimeout: (cl) => cl.nullArray(),
    },
    timeout,
  );
}

/** BLMOVE and BRPOPLPUSH. `propagated` is the non-blocking command to replicate. */
function blockingMoveCommand(c: Client, argv: string[], from: boolean, to: boolean, timeoutArg: string, propagated: string[]): void {
  const timeout = parseBlockingTimeout(c, timeoutArg);
  if (timeout === null) return;
  const srcKey = argv[1];
  const dstKey = argv[2];
  const db = c.db;
  const src = listForWrite(c, srcKey);
  if (src === null) return;
  if (src !== undefined) {
    const dst = listForWrite(c, dstKey);
    if (dst === null) return;
    moveElement(c, db, srcKey, src, dstKey, dst, from, to);
    c.server.replaceArgv(propagated);
    return;
  }
  if (c.denyBlocking) return c.nullBulk();
  const server = c.server;
  server.blocking.block(
    {
      client: c,
      db,
      keys: [srcKey],
      serve(key) {
        const v = db.peek(key);
        if (!(v instanceof ListValue) || v.size === 0) return false;
        const d = db.peek(dstKey);
        if (d !== undefined && !(d instanceof ListValue)) {
          // The destination changed type meanwhile: the waiter gets the error, the element stays.
          c.error(E.WRONGTYPE);
          return true;
        }
        db.lookupWrite(key);
        if (d !== undefined) db.lookupWrite(dstKey);
        moveElement(c, db, key, v, dstKey, d, from, to);
        server.propagate(db.id, propagated);
        return true;
      },
      onTimeout: (cl) => cl.nullArray(),
    },
    timeout,
  );
}

// ====================================================================== the table

const ks = (flags: string[], index = 1, lastKey = 0): KeySpec => ({ flags, beginSearch: { index }, findKeys: { lastKey, keyStep: 1, limit: 0 } });
const ksNum = (flags: string[], index: number): KeySpec => ({ flags, beginSearch: { index }, findKeys: { keyNumIdx: 0, firstKey: 1, keyStep: 1 } });
const MOVE_SPECS: KeySpec[] = [ks(['RW', 'access', 'delete'], 1), ks(['RW', 'insert'], 2)];

const KEY: CommandArg = { name: 'key', type: 'key', key_spec_index: 0 };
const KEYS: CommandArg = { name: 'key', type: 'key', key_spec_index: 0, multiple: true };
const ELEMENTS: CommandArg = { name: 'element', type: 'string', multiple: true };
const SIDE = (name: string): CommandArg => ({
  name,
  type: 'oneof',
  arguments: [
    { name: 'left', type: 'pure-token', token: 'LEFT' },
    { name: 'right', type: 'pure-token', token: 'RIGHT' },
  ],
});
const SRC_DST: CommandArg[] = [
  { name: 'source', type: 'key', key_spec_index: 0 },
  { name: 'destination', type: 'key', key_spec_index: 1 },
];
const TIMEOUT: CommandArg = { name: 'timeout', type: 'double' };
const MPOP_ARGS: CommandArg[] = [
  { name: 'numkeys', type: 'integer' },
  KEYS,
  SIDE('where'),
  { name: 'count', type: 'integer', token: 'COUNT', optional: true },
];
const TIMEOUT_HISTORY: Array<[string, string]> = [['6.0.0', 'The timeout is a double, no longer an integer.']];

const listCmd = (spec: Parameters<typeof cmd>[0]): CommandSpec =>
  cmd({ categories: ['list'], group: 'list', firstKey: 1, lastKey: 1, keyStep: 1, ...spec });

export const listCommands: CommandSpec[] = [
  listCmd({
    name: 'lpush',
    arity: -3,
    flags: ['write', 'denyoom', 'fast'],
    keySpecs: [ks(['RW', 'insert'])],
    summary: 'Adds elements at the head of a list (creating it); returns the new length.',
    complexity: 'O(1) per element pushed.',
    history: [['2.4.0', 'Several elements at once.']],
    args: [KEY, ELEMENTS],
    handler: (c, argv) => pushCommand(c, argv, true, false),
  }),
  listCmd({
    name: 'rpush',
    arity: -3,
    flags: ['write', 'denyoom', 'fast'],
    keySpecs: [ks(['RW', 'insert'])],
    summary: 'Adds elements at the tail of a list (creating it); returns the new length.',
    complexity: 'O(1) per element pushed.',
    history: [['2.4.0', 'Several elements at once.']],
    args: [KEY, ELEMENTS],
    handler: (c, argv) => pushCommand(c, argv, false, false),
  }),
  listCmd({
    name: 'lpushx',
    arity: -3,
    flags: ['write', 'denyoom', 'fast'],
    keySpecs: [ks(['RW', 'insert'])],
    summary: 'Adds elements at the head of a list only when the list exists.',
    since: '2.2.0',
    complexity: 'O(1) per element pushed.',
    history: [['4.0.0', 'Several elements at once.']],
    args: [KEY, ELEMENTS],
    handler: (c, argv) => pushCommand(c, argv, true, true),
  }),
  listCmd({
    name: 'rpushx',
    arity: -3,
    flags: ['write', 'denyoom', 'fast'],
    keySpecs: [ks(['RW', 'insert'])],
    summary: 'Adds elements at the tail of a list only when the list exists.',
    since: '2.2.0',
    complexity: 'O(1) per element pushed.',
    history: [['4.0.0', 'Several elements at once.']],
    args: [KEY, ELEMENTS],
    handler: (c, argv) => pushCommand(c, argv, false, true),
  }),
  listCmd({
    name: 'lpop',
    arity: -2,
    flags: ['write', 'fast'],
    keySpecs: [ks(['RW', 'access', 'delete'])],
    summary: 'Removes and returns the first element(s) of a list.',
    complexity: 'O(N) in the number of elements popped.',
    history: [['6.2.0', 'The count argument.']],
    args: [KEY, { name: 'count', type: 'integer', since: '6.2.0', optional: true }],
    handler: (c, argv) => popCommand(c, argv, true),
  }),
  listCmd({
    name: 'rpop',
    arity: -2,
    flags: ['write', 'fast'],
    keySpecs: [ks(['RW', 'access', 'delete'])],
    summary: 'Removes and returns the last element(s) of a list.',
    complexity: 'O(N) in the number of elements popped.',
    history: [['6.2.0', 'The count argument.']],
    args: [KEY, { name: 'count', type: 'integer', since: '6.2.0', optional: true }],
    handler: (c, argv) => popCommand(c, argv, false),
  }),
  listCmd({
    name: 'llen',
    arity: 2,
    flags: ['readonly', 'fast'],
    keySpecs: [ks(['RO'])],
    summary: 'Returns the number of elements of a list.',
    complexity: 'O(1)',
    args: [KEY],
    handler: llenCommand,
  }),
  listCmd({
    name: 'lrange',
    arity: 4,
    flags: ['readonly'],
    keySpecs: [ks(['RO', 'access'])],
    summary: 'Returns the elements of a list between two indexes (negative ones count from the end).',
    complexity: 'O(S+N): S to reach the start from the nearer end, N elements returned.',
    args: [KEY, { name: 'start', type: 'integer' }, { name: 'stop', type: 'integer' }],
    handler: lrangeCommand,
  }),
  listCmd({
    name: 'lindex',
    arity: 3,
    flags: ['readonly'],
    keySpecs: [ks(['RO', 'access'])],
    summary: 'Returns the element of a list at an index (negative counts from the end).',
    complexity: 'O(N) in the distance from the nearer end.',
    args: [KEY, { name: 'index', type: 'integer' }],
    handler: lindexCommand,
  }),
  listCmd({
    name: 'lset',
    arity: 4,
    flags: ['write', 'denyoom'],
    keySpecs: [ks(['RW', 'update'])],
    summary: 'Replaces the element of a list at an index.',
    complexity: 'O(N) in the distance from the nearer end.',
    args: [KEY, { name: 'index', type: 'integer' }, { name: 'element', type: 'string' }],
    handler: lsetCommand,
  }),
  listCmd({
    name: 'linsert',
    arity: 5,
    flags: ['write', 'denyoom'],
    keySpecs: [ks(['RW', 'insert'])],
    summary: 'Inserts an element before or after the first occurrence of a pivot element.',
    since: '2.2.0',
    complexity: 'O(N) in the elements walked before the pivot.',
    args: [
      KEY,
      {
        name: 'where',
        type: 'oneof',
        arguments: [
          { name: 'before', type: 'pure-token', token: 'BEFORE' },
          { name: 'after', type: 'pure-token', token: 'AFTER' },
        ],
      },
      { name: 'pivot', type: 'string' },
      { name: 'element', type: 'string' },
    ],
    handler: linsertCommand,
  }),
  listCmd({
    name: 'lrem',
    arity: 4,
    flags: ['write'],
    keySpecs: [ks(['RW', 'delete'])],
    summary: 'Removes occurrences of an element: the first count, the last -count, or all (0).',
    complexity: 'O(N+M): N elements walked, M removed.',
    args: [KEY, { name: 'count', type: 'integer' }, { name: 'element', type: 'string' }],
    handler: lremCommand,
  }),
  listCmd({
    name: 'ltrim',
    arity: 4,
    flags: ['write'],
    keySpecs: [ks(['RW', 'delete'])],
    summary: 'Keeps only the elements of a list between two indexes.',
    complexity: 'O(N) in the number of elements removed.',
    args: [KEY, { name: 'start', type: 'integer' }, { name: 'stop', type: 'integer' }],
    handler: ltrimCommand,
  }),
  listCmd({
    name: 'lpos',
    arity: -3,
    flags: ['readonly'],
    keySpecs: [ks(['RO', 'access'])],
    summary: 'Returns the index (or indexes, with COUNT) of elements equal to a value.',
    since: '6.0.6',
    complexity: 'O(N) in the elements walked; MAXLEN bounds it.',
    args: [
      KEY,
      { name: 'element', type: 'string' },
      { name: 'rank', type: 'integer', token: 'RANK', optional: true },
      { name: 'num-matches', type: 'integer', token: 'COUNT', optional: true },
      { name: 'len', type: 'integer', token: 'MAXLEN', optional: true },
    ],
    handler: lposCommand,
  }),
  listCmd({
    name: 'lmove',
    arity: 5,
    flags: ['write', 'denyoom'],
    lastKey: 2,
    keySpecs: MOVE_SPECS,
    summary: 'Moves an element from one end of a list to one end of another; returns it.',
    since: '6.2.0',
    complexity: 'O(1)',
    args: [...SRC_DST, SIDE('wherefrom'), SIDE('whereto')],
    handler(c, argv) {
      const from = whereArg(argv[3]);
      const to = whereArg(argv[4]);
      if (from === null || to === null) return c.error(E.SYNTAX);
      lmoveCommand(c, argv, from, to);
    },
  }),
  listCmd({
    name: 'rpoplpush',
    arity: 3,
    flags: ['write', 'denyoom'],
    lastKey: 2,
    keySpecs: MOVE_SPECS,
    summary: 'Moves the last element of a list to the head of another; returns it.',
    since: '1.2.0',
    complexity: 'O(1)',
    docFlags: ['deprecated'],
    deprecatedSince: '6.2.0',
    replacedBy: '`LMOVE` with `RIGHT` and `LEFT`',
    args: SRC_DST,
    handler: (c, argv) => lmoveCommand(c, argv, false, true),
  }),
  listCmd({
    name: 'lmpop',
    arity: -4,
    flags: ['write', 'movablekeys'],
    firstKey: 0,
    lastKey: 0,
    keyStep: 0,
    keySpecs: [ksNum(['RW', 'access', 'delete'], 1)],
    getKeys: (argv) => numkeysKeys(argv, 1),
    summary: 'Pops elements from the first non-empty list among several keys.',
    since: '7.0.0',
    complexity: 'O(N+M): N keys looked at, M elements popped.',
    args: MPOP_ARGS,
    handler: lmpopCommand,
  }),
  listCmd({
    name: 'blpop',
    arity: -3,
    flags: ['write', 'noscript', 'blocking'],
    lastKey: -2,
    keySpecs: [ks(['RW', 'access', 'delete'], 1, -2)],
    summary: 'Pops the first element of the first non-empty list, waiting for one if all are empty.',
    since: '2.0.0',
    complexity: 'O(N) in the number of keys.',
    history: TIMEOUT_HISTORY,
    args: [KEYS, TIMEOUT],
    handler: (c, argv) => blockingPopCommand(c, argv, true),
  }),
  listCmd({
    name: 'brpop',
    arity: -3,
    flags: ['write', 'noscript', 'blocking'],
    lastKey: -2,
    keySpecs: [ks(['RW', 'access', 'delete'], 1, -2)],
    summary: 'Pops the last element of the first non-empty list, waiting for one if all are empty.',
    since: '2.0.0',
    complexity: 'O(N) in the number of keys.',
    history: TIMEOUT_HISTORY,
    args: [KEYS, TIMEOUT],
    handler: (c, argv) => blockingPopCommand(c, argv, false),
  }),
  listCmd({
    name: 'blmove',
    arity: 6,
    flags: ['write', 'denyoom', 'noscript', 'blocking'],
    lastKey: 2,
    keySpecs: MOVE_SPECS,
    summary: 'LMOVE that waits for the source list to have an element.',
    since: '6.2.0',
    complexity: 'O(1)',
    args: [...SRC_DST, SIDE('wherefrom'), SIDE('whereto'), TIMEOUT],
    handler(c, argv) {
      const from = whereArg(argv[3]);
      if (from === null) return c.error(E.SYNTAX);
      const to = whereArg(argv[4]);
      if (to === null) return c.error(E.SYNTAX);
      blockingMoveCommand(c, argv, from, to, argv[5], ['LMOVE', argv[1], argv[2], argv[3], argv[4]]);
    },
  }),
  listCmd({
    name: 'brpoplpush',
    arity: 4,
    flags: ['write', 'denyoom', 'noscript', 'blocking'],
    lastKey: 2,
    keySpecs: MOVE_SPECS,
    summary: 'RPOPLPUSH that waits for the source list to have an element.',
    since: '2.2.0',
    complexity: 'O(1)',
    docFlags: ['deprecated'],
    deprecatedSince: '6.2.0',
    replacedBy: '`BLMOVE` with `RIGHT` and `LEFT`',
    history: TIMEOUT_HISTORY,
    args: [...SRC_DST, TIMEOUT],
    handler: (c, argv) => blockingMoveCommand(c, argv, false, true, argv[3], ['RPOPLPUSH', argv[1], argv[2]]),
  }),
  listCmd({
    name: 'blmpop',
    arity: -5,
    flags: ['write', 'blocking', 'movablekeys'],
    firstKey: 0,
    lastKey: 0,
    keyStep: 0,
    keySpecs: [ksNum(['RW', 'access', 'delete'], 2)],
    getKeys: (argv) => numkeysKeys(argv, 2),
    summary: 'LMPOP that waits for one of the lists to have elements.',
    since: '7.0.0',
    complexity: 'O(N+M): N keys looked at, M elements popped.',
    args: [TIMEOUT, ...MPOP_ARGS],
    handler: blmpopCommand,
  }),
];

/** For other modules (SORT, scripts, persistence): the element values of a list value. */
export function listElements(v: ListValue): string[] {
  return v.toArray();
}

export { decodeElement };
