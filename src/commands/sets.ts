/** Set commands (t_set.c): SADD, SMEMBERS, the set algebra and the rest of the family. */
import { cmd, type CommandArg, type CommandSpec, type KeySpec } from './types';
import { E } from './errors';
import type { Client } from '../server/client';
import { NOTIFY } from '../server/notify';
import { SetValue, setMaxIntsetEntries } from '../store/types/set';
import { parseInt64 } from '../util/numbers';
import { parseScanCursor, parseScanOptions, replyEmptyScan, replyScan, scanMatches } from './scan-args';
import { MAX_RANDOM_REPLY_ELEMENTS, ERR_REPLY_TOO_BIG } from './hashes';

const ERR_NUMKEYS_ARGS = "ERR Number of keys can't be greater than number of args";
const ERR_LIMIT = "ERR LIMIT can't be negative";

/**
 * SPOP with a count switches from popping one by one to rebuilding the set
 * from the members that stay when those are fewer than count / 5 (Redis's
 * SPOP_MOVE_STRATEGY_MUL): observable, since the rebuilt set may be an intset again.
 */
const SPOP_MOVE_STRATEGY_MUL = 5;

/** The set at `key` for reading: undefined when missing, null after a WRONGTYPE reply. */
function readSet(c: Client, key: string): SetValue | undefined | null {
  const v = c.db.lookupRead(key);
  if (v === undefined) return undefined;
  if (!(v instanceof SetValue)) {
    c.error(E.WRONGTYPE);
    return null;
  }
  return v;
}

/** The set at `key` about to be changed: undefined when missing, null after a WRONGTYPE reply. */
function writeSet(c: Client, key: string): SetValue | undefined | null {
  const v = c.db.lookupWrite(key);
  if (v === undefined) return undefined;
  if (!(v instanceof SetValue)) {
    c.error(E.WRONGTYPE);
    return null;
  }
  return v;
}

function bulkText(s: string): string {
  return '$' + s.length + '\r\n' + s + '\r\n';
}

/** A set-typed reply (RESP3 `~`) of members. */
function replyMembers(c: Client, members: readonly string[]): void {
  c.setHeader(members.length);
  let out = '';
  for (let i = 0; i < members.length; i++) out += bulkText(members[i]);
  c.raw(out);
}

function saddCommand(c: Client, argv: string[]): void {
  const key = argv[1];
  let s = writeSet(c, key);
  if (s === null) return;
  if (s === undefined) {
    s = SetValue.forMember(argv[2]);
    c.db.add(key, s);
  }
  const max = setMaxIntsetEntries(c.server.config);
  let added = 0;
  for (let i = 2; i < argv.length; i++) if (s.add(argv[i], max)) added++;
  if (added > 0) {
    c.db.modified(key);
    c.server.notify(NOTIFY.set, 'sadd', key, c.db.id);
    c.server.dirty += added;
  }
  c.int(added);
}

function sremCommand(c: Client, argv: string[]): void {
  const key = argv[1];
  const s = writeSet(c, key);
  if (s === null) return;
  if (s === undefined) return c.int(0);
  let deleted = 0;
  for (let i = 2; i < argv.length; i++) {
    if (s.remove(argv[i])) {
      deleted++;
      if (s.size === 0) break;
    }
  }
  if (deleted > 0) {
    const removed = c.db.modifiedOrDeleteIfEmpty(key, s.size);
    c.server.notify(NOTIFY.set, 'srem', key, c.db.id);
    if (removed) c.server.notify(NOTIFY.generic, 'del', key, c.db.id);
    c.server.dirty += deleted;
  }
  c.int(deleted);
}

function smoveCommand(c: Client, argv: string[]): void {
  const [, srcKey, dstKey, member] = argv;
  const srcV = c.db.lookupWrite(srcKey);
  const dstV = c.db.lookupWrite(dstKey);
  if (srcV === undefined) return c.int(0);
  if (!(srcV instanceof SetValue) || (dstV !== undefined && !(dstV instanceof SetValue))) return c.error(E.WRONGTYPE);
  if (srcV === dstV) return c.int(srcV.has(member) ? 1 : 0);
  if (!srcV.remove(member)) return c.int(0);
  const server = c.server;
  const dbId = c.db.id;
  server.notify(NOTIFY.set, 'srem', srcKey, dbId);
  if (c.db.modifiedOrDeleteIfEmpty(srcKey, srcV.size)) server.notify(NOTIFY.generic, 'del', srcKey, dbId);
  let dst = dstV as SetValue | undefined;
  if (dst === undefined) {
    dst = SetValue.forMember(member);
    c.db.add(dstKey, dst);
  }
  server.dirty++;
  if (dst.add(member, setMaxIntsetEntries(server.config))) {
    server.dirty++;
    c.db.modified(dstKey);
    server.notify(NOTIFY.set, 'sadd', dstKey, dbId);
  }
  c.int(1);
}

function sismemberCommand(c: Client, argv: string[]): void {
  const s = readSet(c, argv[1]);
  if (s === null) return;
  c.int(s !== undefined && s.has(argv[2]) ? 1 : 0);
}

function smismemberCommand(c: Client, argv: string[]): void {
  const s = readSet(c, argv[1]);
  if (s === null) return;
  c.arrayHeader(argv.length - 2);
  let out = '';
  for (let i = 2; i < argv.length; i++) out += s !== undefined && s.has(argv[i]) ? ':1\r\n' : ':0\r\n';
  c.raw(out);
}

function scardCommand(c: Client, argv: string[]): void {
  const s = readSet(c, argv[1]);
  if (s === null) return;
  c.int(s === undefined ? 0 : s.size);
}

function spopCommand(c: Client, argv: string[]): void {
  if (argv.length === 3) return spopWithCount(c, argv);
  if (argv.length > 3) return c.error(E.SYNTAX);
  const key = argv[1];
  const s = writeSet(c, key);
  if (s === null) return;
  if (s === undefined) return c.nullBulk();
  const member = s.random();
  s.remove(member);
  const server = c.server;
  server.notify(NOTIFY.set, 'spop', key, c.db.id);
  // Replicas and the AOF get the member that was chosen.
  server.replaceArgv(['SREM', key, member]);
  c.bulk(member);
  if (c.db.modifiedOrDeleteIfEmpty(key, s.size)) server.notify(NOTIFY.generic, 'del', key, c.db.id);
  server.dirty++;
}

function spopWithCount(c: Client, argv: string[]): void {
  const l = parseInt64(argv[2]);
  if (l === null || l < 0) return c.error(E.OUT_OF_RANGE_POSITIVE);
  const key = argv[1];
  const s = writeSet(c, key);
  if (s === null) return;
  if (s === undefined || l === 0) return c.setHeader(0);
  const server = c.server;
  const db = c.db;
  const size = s.size;
  server.notify(NOTIFY.set, 'spop', key, db.id);
  if (l >= size) {
    // Everything goes: the reply is the whole set (as SUNION of it would
    // show it), the key is deleted, replicas get DEL.
    server.dirty += Number(l);
    replyMembers(c, unionOf(s, setMaxIntsetEntries(server.config)).toArray());
    db.delete(key);
    server.notify(NOTIFY.generic, 'del', key, db.id);
    server.replaceArgv(['DEL', key]);
    server.dirty++;
    return;
  }
  const count = Number(l);
  server.dirty += count;
  // Replicas and the AOF get one SREM per popped member.
  server.preventSelfPropagation();
  const remaining = size - count;
  c.setHeader(count);
  let out = '';
  if (remaining * SPOP_MOVE_STRATEGY_MUL > count) {
    for (let i = 0; i < count; i++) {
      const m = s.random();
      s.remove(m);
      out += bulkText(m);
      server.propagate(db.id, ['SREM', key, m]);
    }
    c.raw(out);
    db.modified(key);
    return;
  }
  // Few members stay: move them to a new set and hand out the old one.
  const keep = s.randomDistinct(remaining);
  const max = setMaxIntsetEntries(server.config);
  const fresh = SetValue.forMember(keep[0]);
  for (const m of keep) {
    fresh.add(m, max);
    s.remove(m);
  }
  s.forEach((m) => {
    out += bulkText(m);
    server.propagate(db.id, ['SREM', key, m]);
  });
  c.raw(out);
  db.replaceValue(key, fresh);
  db.modified(key);
}

/** The set as SUNION builds it: a copy that is an intset when its members allow. */
function unionOf(s: SetValue, max: number): SetValue {
  if (s.isIntset || s.size > max) return s;
  const dst = new SetValue();
  s.forEach((m) => dst.add(m, max));
  return dst;
}

function srandmemberCommand(c: Client, argv: string[]): void {
  if (argv.length === 3) return srandmemberWithCount(c, argv);
  if (argv.length > 3) return c.error(E.SYNTAX);
  const s = readSet(c, argv[1]);
  if (s === null) return;
  if (s === undefined) return c.nullBulk();
  c.bulk(s.random());
}

function srandmemberWithCount(c: Client, argv: string[]): void {
  const l = parseInt64(argv[2]);
  if (l === null) return c.error(E.NOT_INTEGER);
  if (l === -9223372036854775808n) return c.error(E.OUT_OF_RANGE_LONG);
  const s = readSet(c, argv[1]);
  if (s === null) return;
  if (s === undefined || l === 0) return c.arrayHeader(0);
  const size = s.size;
  if (l < 0 || l === 1) {
    // May repeat (or a single pick): independent draws.
    const count = l < 0 ? -Number(l) : 1;
    if (count > MAX_RANDOM_REPLY_ELEMENTS) return c.error(ERR_REPLY_TOO_BIG);
    c.arrayHeader(count);
    let out = '';
    for (let i = 0; i < count; i++) out += bulkText(s.random());
    return c.raw(out);
  }
  const count = Number(l);
  const members = count >= size ? s.toArray() : s.randomDistinct(count);
  c.arrayHeader(members.length);
  let out = '';
  for (let i = 0; i < members.length; i++) out += bulkText(members[i]);
  c.raw(out);
}

/**
 * SINTER, SINTERCARD, SINTERSTORE (and SMEMBERS): walks the smallest set and
 * keeps the members every other set has.
 */
function sinterGeneric(c: Client, keys: string[], dstKey: string | null, cardOnly: boolean, limit: number): void {
  const sets: SetValue[] = [];
  let empty = false;
  for (const key of keys) {
    const s = readSet(c, key);
    if (s === null) return;
    if (s === undefined) empty = true;
    else sets.push(s);
  }
  const server = c.server;
  if (empty) {
    if (dstKey !== null) {
      if (c.db.delete(dstKey)) {
        server.notify(NOTIFY.generic, 'del', dstKey, c.db.id);
        server.dirty++;
      }
      c.int(0);
    } else if (cardOnly) c.int(0);
    else c.setHeader(0);
    return;
  }
  // Stable, like glibc's merge sort: equal sizes keep the argument order.
  sets.sort((a, b) => a.size - b.size);
  const first = sets[0];
  const n = sets.length;
  const inAll = (m: string): boolean => {
    for (let j = 1; j < n; j++) {
      const other = sets[j];
      if (other !== first && !other.has(m)) return false;
    }
    return true;
  };
  if (cardOnly) {
    let card = 0;
    first.some((m) => {
      if (!inAll(m)) return false;
      card++;
      return limit > 0 && card >= limit;
    });
    return c.int(card);
  }
  if (dstKey === null) {
    const out: string[] = [];
    first.forEach((m) => {
      if (inAll(m)) out.push(m);
    });
    return replyMembers(c, out);
  }
  const dst = new SetValue();
  const max = setMaxIntsetEntries(server.config);
  first.forEach((m) => {
    if (inAll(m)) dst.add(m, max);
  });
  storeResult(c, dstKey, dst, 'sinterstore');
}

/** The end of the *STORE commands: the result replaces the destination, or deletes it when empty. */
function storeResult(c: Client, dstKey: string, dst: SetValue, event: string): void {
  const server = c.server;
  if (dst.size > 0) {
    c.db.set(dstKey, dst);
    c.int(dst.size);
    server.notify(NOTIFY.set, event, dstKey, c.db.id);
    server.dirty++;
    return;
  }
  c.int(0);
  if (c.db.delete(dstKey)) {
    server.dirty++;
    server.notify(NOTIFY.generic, 'del', dstKey, c.db.id);
  }
}

const OP_UNION = 0;
const OP_DIFF = 1;

/** SUNION, SDIFF and their STORE forms. */
function sunionDiffGeneric(c: Client, keys: string[], dstKey: string | null, op: number): void {
  const sets: Array<SetValue | null> = [];
  let sameSet = false;
  for (let j = 0; j < keys.length; j++) {
    const s = readSet(c, keys[j]);
    if (s === null) return;
    sets.push(s === undefined ? null : s);
    if (j > 0 && s !== undefined && s === sets[0]) sameSet = true;
  }
  const max = setMaxIntsetEntries(c.server.config);
  const dst = new SetValue();
  if (op === OP_UNION) {
    for (const s of sets) if (s !== null) s.forEach((m) => dst.add(m, max));
  } else if (sets[0] !== null && !sameSet) {
    const first = sets[0];
    const others = sets.slice(1).filter((s): s is SetValue => s !== null);
    // As Redis: walk the first set and probe the others when that is cheaper
    // than copying the first set and removing everything the others hold.
    let work1 = first.size;
    let work2 = first.size;
    for (const s of others) {
      work1 += first.size;
      work2 += s.size;
    }
    if (Math.floor(work1 / 2) <= work2) {
      others.sort((a, b) => b.size - a.size);
      first.forEach((m) => {
        for (const s of others) if (s.has(m)) return;
        dst.add(m, max);
      });
    } else {
      first.forEach((m) => dst.add(m, max));
      for (const s of others) {
        if (dst.size === 0) break;
        s.forEach((m) => dst.remove(m));
      }
    }
  }
  if (dstKey === null) return replyMembers(c, dst.toArray());
  storeResult(c, dstKey, dst, op === OP_UNION ? 'sunionstore' : 'sdiffstore');
}

function sintercardCommand(c: Client, argv: string[]): void {
  const numkeys = parseInt64(argv[1]);
  if (numkeys === null || numkeys < 1) return c.error(E.NUMKEYS);
  if (numkeys > argv.length - 2) return c.error(ERR_NUMKEYS_ARGS);
  const nk = Number(numkeys);
  let limit = 0;
  for (let j = 2 + nk; j < argv.length; j++) {
    const more = argv.length - 1 - j;
    if (argv[j].toLowerCase() === 'limit' && more > 0) {
      j++;
      const l = parseInt64(argv[j]);
      if (l === null || l < 0) return c.error(ERR_LIMIT);
      limit = Number(l);
    } else {
      return c.error(E.SYNTAX);
    }
  }
  sinterGeneric(c, argv.slice(2, 2 + nk), null, true, limit);
}

function sscanCommand(c: Client, argv: string[]): void {
  const cursor = parseScanCursor(c, argv[2]);
  if (cursor === null) return;
  const s = readSet(c, argv[1]);
  if (s === null) return;
  if (s === undefined) return replyEmptyScan(c);
  const opts = parseScanOptions(c, argv, 3);
  if (opts === null) return;
  const items: string[] = [];
  const next = s.scan(cursor, opts.count, (m) => {
    if (scanMatches(opts, m)) items.push(m);
  });
  replyScan(c, next, items);
}

/** The key positions of SINTERCARD numkeys key [key ...] (COMMAND GETKEYS, ACL, cluster). */
function sintercardKeys(argv: string[]): number[] {
  const n = parseInt64(argv[1] ?? '');
  if (n === null || n < 1 || 2 + Number(n) > argv.length) return [];
  const out: number[] = [];
  for (let i = 0; i < Number(n); i++) out.push(2 + i);
  return out;
}

// ------------------------------------------------------------------ the table

const ks = (flags: string[], index = 1, lastKey = 0): KeySpec => ({ flags, beginSearch: { index }, findKeys: { lastKey, keyStep: 1, limit: 0 } });
const KEY: CommandArg = { name: 'key', type: 'key', key_spec_index: 0 };
const KEYS: CommandArg = { name: 'key', type: 'key', key_spec_index: 0, multiple: true };
const MEMBER: CommandArg = { name: 'member', type: 'string' };
const MEMBERS: CommandArg = { name: 'member', type: 'string', multiple: true };
const STORE_ARGS: CommandArg[] = [
  { name: 'destination', type: 'key', key_spec_index: 0 },
  { name: 'key', type: 'key', key_spec_index: 1, multiple: true },
];
const MULTI_MEMBERS_HISTORY: Array<[string, string]> = [['2.4.0', 'Accepts multiple `member` arguments.']];

const setCmd = (spec: Parameters<typeof cmd>[0]): CommandSpec =>
  cmd({ categories: ['set'], group: 'set', since: '1.0.0', firstKey: 1, lastKey: 1, keyStep: 1, ...spec });

export const setCommands: CommandSpec[] = [
  setCmd({
    name: 'sadd',
    arity: -3,
    flags: ['write', 'denyoom', 'fast'],
    keySpecs: [ks(['RW', 'insert'])],
    summary: 'Adds members to a set; returns how many were new.',
    complexity: 'O(1) for each member added.',
    history: MULTI_MEMBERS_HISTORY,
    args: [KEY, MEMBERS],
    handler: saddCommand,
  }),
  setCmd({
    name: 'srem',
    arity: -3,
    flags: ['write', 'fast'],
    keySpecs: [ks(['RW', 'delete'])],
    summary: 'Removes members from a set; returns how many were there.',
    complexity: 'O(N) in the number of members removed.',
    history: MULTI_MEMBERS_HISTORY,
    args: [KEY, MEMBERS],
    handler: sremCommand,
  }),
  setCmd({
    name: 'smembers',
    arity: 2,
    flags: ['readonly'],
    keySpecs: [ks(['RO', 'access'])],
    summary: 'Returns every member of a set.',
    complexity: 'O(N) in the size of the set.',
    tips: ['nondeterministic_output_order'],
    args: [KEY],
    handler: (c, argv) => sinterGeneric(c, [argv[1]], null, false, 0),
  }),
  setCmd({
    name: 'sismember',
    arity: 3,
    flags: ['readonly', 'fast'],
    keySpecs: [ks(['RO'])],
    summary: 'Tells whether a member belongs to a set.',
    complexity: 'O(1)',
    args: [KEY, MEMBER],
    handler: sismemberCommand,
  }),
  setCmd({
    name: 'smismember',
    arity: -3,
    flags: ['readonly', 'fast'],
    keySpecs: [ks(['RO', 'access'])],
    summary: 'Tells for each of several members whether it belongs to a set.',
    complexity: 'O(N) in the number of members checked.',
    since: '6.2.0',
    args: [KEY, MEMBERS],
    handler: smismemberCommand,
  }),
  setCmd({
    name: 'scard',
    arity: 2,
    flags: ['readonly', 'fast'],
    keySpecs: [ks(['RO'])],
    summary: 'Returns the number of members of a set.',
    complexity: 'O(1)',
    args: [KEY],
    handler: scardCommand,
  }),
  setCmd({
    name: 'spop',
    arity: -2,
    flags: ['write', 'fast'],
    keySpecs: [ks(['RW', 'access', 'delete'])],
    summary: 'Removes and returns random members of a set.',
    complexity: 'O(1) without count, O(N) in count otherwise.',
    tips: ['nondeterministic_output'],
    history: [['3.2.0', 'Added the `count` argument.']],
    args: [KEY, { name: 'count', type: 'integer', since: '3.2.0', optional: true }],
    handler: spopCommand,
  }),
  setCmd({
    name: 'srandmember',
    arity: -2,
    flags: ['readonly'],
    keySpecs: [ks(['RO', 'access'])],
    summary: 'Returns random members of a set without removing them.',
    complexity: 'O(1) without count, O(N) in count otherwise.',
    tips: ['nondeterministic_output'],
    history: [['2.6.0', 'Added the optional `count` argument.']],
    args: [KEY, { name: 'count', type: 'integer', since: '2.6.0', optional: true }],
    handler: srandmemberCommand,
  }),
  setCmd({
    name: 'smove',
    arity: 4,
    flags: ['write', 'fast'],
    lastKey: 2,
    keySpecs: [ks(['RW', 'access', 'delete'], 1), ks(['RW', 'insert'], 2)],
    summary: 'Moves a member from one set to another.',
    complexity: 'O(1)',
    args: [
      { name: 'source', type: 'key', key_spec_index: 0 },
      { name: 'destination', type: 'key', key_spec_index: 1 },
      MEMBER,
    ],
    handler: smoveCommand,
  }),
  setCmd({
    name: 'sinter',
    arity: -2,
    flags: ['readonly'],
    lastKey: -1,
    keySpecs: [ks(['RO', 'access'], 1, -1)],
    summary: 'Returns the intersection of sets.',
    complexity: 'O(N*M) worst case, N the size of the smallest set and M the number of sets.',
    tips: ['nondeterministic_output_order'],
    args: [KEYS],
    handler: (c, argv) => sinterGeneric(c, argv.slice(1), null, false, 0),
  }),
  setCmd({
    name: 'sintercard',
    arity: -3,
    flags: ['readonly', 'movablekeys'],
    firstKey: 0,
    lastKey: 0,
    keyStep: 0,
    since: '7.0.0',
    keySpecs: [{ flags: ['RO', 'access'], beginSearch: { index: 1 }, findKeys: { keyNumIdx: 0, firstKey: 1, keyStep: 1 } }],
    getKeys: sintercardKeys,
    summary: 'Returns the number of members of the intersection of sets, up to an optional limit.',
    complexity: 'O(N*M) worst case, N the size of the smallest set and M the number of sets.',
    args: [{ name: 'numkeys', type: 'integer' }, KEYS, { name: 'limit', type: 'integer', token: 'LIMIT', optional: true }],
    handler: sintercardCommand,
  }),
  setCmd({
    name: 'sinterstore',
    arity: -3,
    flags: ['write', 'denyoom'],
    lastKey: -1,
    keySpecs: [ks(['RW', 'update'], 1), ks(['RO', 'access'], 2, -1)],
    summary: 'Stores the intersection of sets in a key.',
    complexity: 'O(N*M) worst case, N the size of the smallest set and M the number of sets.',
    args: STORE_ARGS,
    handler: (c, argv) => sinterGeneric(c, argv.slice(2), argv[1], false, 0),
  }),
  setCmd({
    name: 'sunion',
    arity: -2,
    flags: ['readonly'],
    lastKey: -1,
    keySpecs: [ks(['RO', 'access'], 1, -1)],
    summary: 'Returns the union of sets.',
    complexity: 'O(N) in the total number of members of the sets.',
    tips: ['nondeterministic_output_order'],
    args: [KEYS],
    handler: (c, argv) => sunionDiffGeneric(c, argv.slice(1), null, OP_UNION),
  }),
  setCmd({
    name: 'sunionstore',
    arity: -3,
    flags: ['write', 'denyoom'],
    lastKey: -1,
    keySpecs: [ks(['OW', 'update'], 1), ks(['RO', 'access'], 2, -1)],
    summary: 'Stores the union of sets in a key.',
    complexity: 'O(N) in the total number of members of the sets.',
    args: STORE_ARGS,
    handler: (c, argv) => sunionDiffGeneric(c, argv.slice(2), argv[1], OP_UNION),
  }),
  setCmd({
    name: 'sdiff',
    arity: -2,
    flags: ['readonly'],
    lastKey: -1,
    keySpecs: [ks(['RO', 'access'], 1, -1)],
    summary: 'Returns the members of the first set that no other set has.',
    complexity: 'O(N) in the total number of members of the sets.',
    tips: ['nondeterministic_output_order'],
    args: [KEYS],
    handler: (c, argv) => sunionDiffGeneric(c, argv.slice(1), null, OP_DIFF),
  }),
  setCmd({
    name: 'sdiffstore',
    arity: -3,
    flags: ['write', 'denyoom'],
    lastKey: -1,
    keySpecs: [ks(['OW', 'update'], 1), ks(['RO', 'access'], 2, -1)],
    summary: 'Stores the members of the first set that no other set has in a key.',
    complexity: 'O(N) in the total number of members of the sets.',
    args: STORE_ARGS,
    handler: (c, argv) => sunionDiffGeneric(c, argv.slice(2), argv[1], OP_DIFF),
  }),
  setCmd({
    name: 'sscan',
    arity: -3,
    flags: ['readonly'],
    keySpecs: [ks(['RO', 'access'])],
    summary: 'Iterates over the members of a set with a cursor.',
    complexity: 'O(1) per call; O(N) for a complete iteration.',
    since: '2.8.0',
    tips: ['nondeterministic_output'],
    args: [
      KEY,
      { name: 'cursor', type: 'integer' },
      { name: 'pattern', type: 'pattern', token: 'MATCH', optional: true },
      { name: 'count', type: 'integer', token: 'COUNT', optional: true },
    ],
    handler: sscanCommand,
  }),
];
