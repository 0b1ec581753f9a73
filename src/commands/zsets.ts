/** Sorted set commands (t_zset.c): ZADD, ZRANGE and the rest of the family, and the blocking pops. */
import { cmd, type CommandArg, type CommandSpec, type KeySpec } from './types';
import { E } from './errors';
import type { Client } from '../server/client';
import type { Database } from '../store/db';
import type { RedisValue } from '../store/value';
import { NOTIFY } from '../server/notify';
import { formatDouble17g, parseInt64, parseSafeInt } from '../util/numbers';
import { SetValue } from '../store/types/set';
import { parseBlockingTimeout } from './blocking-args';
import { parseScanCursor, parseScanOptions, replyEmptyScan, scanMatches } from './scan-args';
import {
  ZSet,
  ZADD_ADDED,
  ZADD_UPDATED,
  ZADD_NOP,
  ZADD_NAN,
  ZADD_IN_INCR,
  ZADD_IN_NX,
  ZADD_IN_XX,
  ZADD_IN_GT,
  ZADD_IN_LT,
  parseScore,
  parseScoreRange,
  parseLexRange,
  zsetMaxEntries,
  zsetMaxValue,
  type ScoreRange,
  type LexRange,
} from '../store/types/zset';

const ERR_NAN = 'ERR resulting score is not a number (NaN)';
const ERR_MINMAX_FLOAT = 'ERR min or max is not a float';
const ERR_MINMAX_LEX = 'ERR min or max not valid string range item';

// ====================================================================== score formatting

/** %.17g as Redis 7.0 prints scores, with fast paths for integers and ordinary magnitudes. */
export function formatScore(d: number): string {
  if (Number.isSafeInteger(d)) return d === 0 && 1 / d < 0 ? '-0' : String(d);
  const a = d < 0 ? -d : d;
  if (a >= 1e-4 && a < 1e17) {
    const s = d.toPrecision(17);
    if (s.indexOf('e') >= 0) return formatDouble17g(d);
    if (s.indexOf('.') < 0) return s;
    let end = s.length;
    while (s.charCodeAt(end - 1) === 48) end--;
    if (s.charCodeAt(end - 1) === 46) end--;
    return end === s.length ? s : s.slice(0, end);
  }
  return formatDouble17g(d);
}

/** A score reply: RESP2 bulk string, RESP3 double. */
function scoreText(resp3: boolean, d: number): string {
  const s = formatScore(d);
  return resp3 ? ',' + s + '\r\n' : BULK_PREFIX[s.length] + s + '\r\n';
}

function replyScore(c: Client, d: number): void {
  c.raw(scoreText(c.resp === 3, d));
}

/** "$<len>\r\n" for short strings, built once. */
const BULK_PREFIX: string[] = [];
for (let i = 0; i < 1024; i++) BULK_PREFIX.push('$' + i + '\r\n');

function bulkText(s: string): string {
  const n = s.length;
  return (n < 1024 ? BULK_PREFIX[n] : '$' + n + '\r\n') + s + '\r\n';
}

// Reply accumulation for ranges, shared by all commands (no closure per call).
let outBody = '';
let outCount = 0;
let outResp3 = false;
let outWithScores = false;

function beginOut(c: Client, withScores: boolean): void {
  outBody = '';
  outCount = 0;
  outResp3 = c.resp === 3;
  outWithScores = withScores;
}

function emit(member: string, score: number): void {
  if (outWithScores) {
    if (outResp3) outBody += '*2\r\n' + bulkText(member) + scoreText(true, score);
    else outBody += bulkText(member) + scoreText(false, score);
  } else {
    outBody += bulkText(member);
  }
  outCount++;
}

/** Writes what was accumulated as an array (flat with scores in RESP2, pairs in RESP3). */
function endOut(c: Client): void {
  const n = outWithScores && !outResp3 ? outCount * 2 : outCount;
  c.raw('*' + n + '\r\n' + outBody);
  outBody = '';
}

// Collection for stores.
let stMembers: string[] = [];
let stScores: number[] = [];
function collect(member: string, score: number): void {
  stMembers.push(member);
  stScores.push(score);
}

// ====================================================================== argument helpers

function eqi(s: string, lower: string): boolean {
  return s.length === lower.length && s.toLowerCase() === lower;
}

function isZSet(v: RedisValue): v is ZSet {
  return v instanceof ZSet;
}

/** The sorted set at `key` for reading: undefined when missing, null after a WRONGTYPE reply. */
function readZSet(c: Client, key: string): ZSet | undefined | null {
  const v = c.db.lookupRead(key);
  if (v === undefined) return undefined;
  if (!(v instanceof ZSet)) {
    c.error(E.WRONGTYPE);
    return null;
  }
  return v;
}

/** The sorted set at `key` about to be changed: undefined when missing, null after a WRONGTYPE reply. */
function writeZSet(c: Client, key: string): ZSet | undefined | null {
  const v = c.db.lookupWrite(key);
  if (v === undefined) return undefined;
  if (!(v instanceof ZSet)) {
    c.error(E.WRONGTYPE);
    return null;
  }
  return v;
}

// ====================================================================== ZADD / ZINCRBY

let scoreScratch: number[] = [];

function zaddGeneric(c: Client, argv: string[], baseFlags: number): void {
  let flags = baseFlags;
  let ch = false;
  let i = 2;
  const argc = argv.length;
  for (; i < argc; i++) {
    const o = argv[i];
    const c0 = o.charCodeAt(0) | 32;
    // Options start with a letter; scores (the usual next argument) never with n, x, c, g or l.
    if (o.length === 2 && (c0 === 110 || c0 === 120 || c0 === 99 || c0 === 103 || c0 === 108)) {
      const l = o.toLowerCase();
      if (l === 'nx') flags |= ZADD_IN_NX;
      else if (l === 'xx') flags |= ZADD_IN_XX;
      else if (l === 'ch') ch = true;
      else if (l === 'gt') flags |= ZADD_IN_GT;
      else if (l === 'lt') flags |= ZADD_IN_LT;
      else break;
    } else if (o.length === 4 && c0 === 105 && o.toLowerCase() === 'incr') {
      flags |= ZADD_IN_INCR;
    } else {
      break;
    }
  }
  const elements = argc - i;
  if (elements === 0 || elements % 2 !== 0) return c.error(E.SYNTAX);
  const pairs = elements / 2;
  const incr = (flags & ZADD_IN_INCR) !== 0;
  if (flags & ZADD_IN_NX && flags & ZADD_IN_XX) return c.error('ERR XX and NX options at the same time are not compatible');
  if ((flags & ZADD_IN_GT && flags & ZADD_IN_NX) || (flags & ZADD_IN_LT && flags & ZADD_IN_NX) || (flags & ZADD_IN_GT && flags & ZADD_IN_LT)) {
    return c.error('ERR GT, LT, and/or NX options at the same time are not compatible');
  }
  if (incr && pairs > 1) return c.error('ERR INCR option supports a single increment-element pair');
  const scores = scoreScratch;
  scores.length = 0;
  for (let j = 0; j < pairs; j++) {
    const s = parseScore(argv[i + j * 2]);
    if (s === null) return c.error(E.NOT_FLOAT);
    scores.push(s);
  }
  const key = argv[1];
  const db = c.db;
  let z = writeZSet(c, key);
  if (z === null) return;
  let created = false;
  if (z === undefined) {
    if (flags & ZADD_IN_XX) {
      if (incr) c.nullBulk();
      else c.int(0);
      return;
    }
    z = new ZSet();
    created = true;
  }
  const config = c.server.config;
  let added = 0;
  let updated = 0;
  let processed = 0;
  let score = 0;
  let nan = false;
  for (let j = 0; j < pairs; j++) {
    const r = z.add(argv[i + j * 2 + 1], scores[j], flags, config);
    if (r & ZADD_NAN) {
      nan = true;
      break;
    }
    if (r & ZADD_ADDED) added++;
    if (r & ZADD_UPDATED) updated++;
    if (!(r & ZADD_NOP)) {
      processed++;
      score = z.lastScore;
    }
  }
  if (created) {
    if (z.size > 0) db.add(key, z);
  } else if (added + updated > 0) {
    db.modified(key);
  }
  if (added + updated > 0) {
    c.server.dirty += added + updated;
    c.server.notify(NOTIFY.zset, incr ? 'zincr' : 'zadd', key, db.id);
  }
  if (nan) return c.error(ERR_NAN);
  if (incr) {
    if (processed > 0) replyScore(c, score);
    else c.nullBulk();
  } else {
    c.int(ch ? added + updated : added);
  }
}

// ====================================================================== ZREM and removals by range

function zremCommand(c: Client, argv: string[]): void {
  const key = argv[1];
  const z = writeZSet(c, key);
  if (z === null) return;
  if (z === undefined) return c.int(0);
  let deleted = 0;
  let keyRemoved = false;
  for (let j = 2; j < argv.length; j++) {
    if (z.remove(argv[j])) deleted++;
    if (z.size === 0) {
      keyRemoved = true;
      break;
    }
  }
  if (deleted > 0) {
    c.db.modifiedOrDeleteIfEmpty(key, z.size);
    c.server.notify(NOTIFY.zset, 'zrem', key, c.db.id);
    if (keyRemoved) c.server.notify(NOTIFY.generic, 'del', key, c.db.id);
    c.server.dirty += deleted;
  }
  c.int(deleted);
}

type RangeKind = 'rank' | 'score' | 'lex';

function zremrangeGeneric(c: Client, argv: string[], kind: RangeKind): void {
  let start = 0;
  let end = 0;
  let sr: ScoreRange | null = null;
  let lr: LexRange | null = null;
  if (kind === 'rank') {
    const s = parseSafeInt(argv[2]);
    const e = s === null ? null : parseSafeInt(argv[3]);
    if (s === null || e === null) return c.error(E.NOT_INTEGER);
    start = s;
    end = e;
  } else if (kind === 'score') {
    sr = parseScoreRange(argv[2], argv[3]);
    if (sr === null) return c.error(ERR_MINMAX_FLOAT);
  } else {
    lr = parseLexRange(argv[2], argv[3]);
    if (lr === null) return c.error(ERR_MINMAX_LEX);
  }
  const key = argv[1];
  const z = writeZSet(c, key);
  if (z === null) return;
  if (z === undefined) return c.int(0);
  let deleted: number;
  if (kind === 'rank') {
    const llen = z.size;
    if (start < 0) start += llen;
    if (end < 0) end += llen;
    if (start < 0) start = 0;
    if (start > end || start >= llen) return c.int(0);
    if (end >= llen) end = llen - 1;
    deleted = z.removeRangeByRank(start, end);
  } else if (kind === 'score') {
    deleted = z.removeRangeByScore(sr!);
  } else {
    deleted = z.removeRangeByLex(lr!);
  }
  if (deleted > 0) {
    const removed = c.db.modifiedOrDeleteIfEmpty(key, z.size);
    c.server.notify(NOTIFY.zset, 'zremrangeby' + kind, key, c.db.id);
    if (removed) c.server.notify(NOTIFY.generic, 'del', key, c.db.id);
    c.server.dirty += deleted;
  }
  c.int(deleted);
}

// ====================================================================== ZRANGE family

const DIR_AUTO = 0;
const DIR_FORWARD = 1;
const DIR_REVERSE = 2;

/**
 * Redis's zrangeGenericCommand: `argStart` is the index of the source key;
 * `store` is the destination for ZRANGESTORE.
 */
function zrangeGeneric(c: Client, argv: string[], argStart: number, store: string | null, fixedKind: RangeKind | null, fixedDir: number): void {
  const key = argv[argStart];
  let minIdx = argStart + 1;
  let maxIdx = argStart + 2;
  let withScores = false;
  let offset = 0;
  let limit = -1;
  let kind: RangeKind | null = fixedKind;
  let dir = fixedDir;
  const argc = argv.length;
  for (let j = argStart + 3; j < argc; j++) {
    const left = argc - j - 1;
    const a = argv[j];
    if (store === null && eqi(a, 'withscores')) {
      withScores = true;
    } else if (left >= 2 && eqi(a, 'limit')) {
      const o = parseSafeInt(argv[j + 1]);
      const l = o === null ? null : parseSafeInt(argv[j + 2]);
      if (o === null || l === null) return c.error(E.NOT_INTEGER);
      offset = o;
      limit = l;
      j += 2;
    } else if (dir === DIR_AUTO && eqi(a, 'rev')) {
      dir = DIR_REVERSE;
    } else if (kind === null && eqi(a, 'bylex')) {
      kind = 'lex';
    } else if (kind === null && eqi(a, 'byscore')) {
      kind = 'score';
    } else {
      return c.error(E.SYNTAX);
    }
  }
  if (dir === DIR_AUTO) dir = DIR_FORWARD;
  if (kind === null) kind = 'rank';
  if (limit !== -1 && kind === 'rank') return c.error('ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX');
  if (withScores && kind === 'lex') return c.error('ERR syntax error, WITHSCORES not supported in combination with BYLEX');
  const reverse = dir === DIR_REVERSE;
  if (reverse && kind !== 'rank') {
    const t = minIdx;
    minIdx = maxIdx;
    maxIdx = t;
  }
  let start = 0;
  let end = 0;
  let sr: ScoreRange | null = null;
  let lr: LexRange | null = null;
  if (kind === 'rank') {
    const s = parseSafeInt(argv[minIdx]);
    const e = s === null ? null : parseSafeInt(argv[maxIdx]);
    if (s === null || e === null) return c.error(E.NOT_INTEGER);
    start = s;
    end = e;
  } else if (kind === 'score') {
    sr = parseScoreRange(argv[minIdx], argv[maxIdx]);
    if (sr === null) return c.error(ERR_MINMAX_FLOAT);
  } else {
    lr = parseLexRange(argv[minIdx], argv[maxIdx]);
    if (lr === null) return c.error(ERR_MINMAX_LEX);
  }
  const z = readZSet(c, key);
  if (z === null) return;
  if (store !== null) {
    stMembers = [];
    stScores = [];
    if (z !== undefined) rangeInto(z, kind, start, end, sr, lr, reverse, offset, limit, collect);
    finishRangeStore(c, store, reverse);
    return;
  }
  if (z === undefined) return c.raw('*0\r\n');
  beginOut(c, withScores);
  rangeInto(z, kind, start, end, sr, lr, reverse, offset, limit, emit);
  endOut(c);
}

function rangeInto(
  z: ZSet,
  kind: RangeKind,
  start: number,
  end: number,
  sr: ScoreRange | null,
  lr: LexRange | null,
  reverse: boolean,
  offset: number,
  limit: number,
  fn: (m: string, s: number) => void,
): void {
  const llen = z.size;
  if (kind === 'rank') {
    if (start < 0) start += llen;
    if (end < 0) end += llen;
    if (start < 0) start = 0;
    if (start > end || start >= llen) return;
    if (end >= llen) end = llen - 1;
    z.rangeByRank(start, end, reverse, fn);
    return;
  }
  if (offset > 0 && offset >= llen) return;
  if (kind === 'score') z.rangeByScore(sr!, reverse, offset, limit, fn);
  else z.rangeByLex(lr!, reverse, offset, limit, fn);
}

function finishRangeStore(c: Client, dst: string, reverse: boolean): void {
  const n = stMembers.length;
  const db = c.db;
  if (n > 0) {
    if (reverse) {
      stMembers.reverse();
      stScores.reverse();
    }
    const config = c.server.config;
    const z = ZSet.fromSorted(stMembers, stScores, zsetMaxEntries(config), zsetMaxValue(config));
    stMembers = [];
    stScores = [];
    db.set(dst, z);
    c.int(n);
    c.server.notify(NOTIFY.zset, 'zrangestore', dst, db.id);
    c.server.dirty++;
  } else {
    c.int(0);
    if (db.delete(dst)) {
      c.server.notify(NOTIFY.generic, 'del', dst, db.id);
      c.server.dirty++;
    }
  }
}

// ====================================================================== ZUNION / ZINTER / ZDIFF

const OP_UNION = 0;
const OP_INTER = 1;
const OP_DIFF = 2;
const AGG_SUM = 0;
const AGG_MIN = 1;
const AGG_MAX = 2;

interface OpSource {
  z: ZSet | null;
  /** A plain set (scores are 1). */
  set: SetValue | null;
  size: number;
  weight: number;
}

function aggregate(target: number, v: number, agg: number): number {
  if (agg === AGG_SUM) {
    const r = target + v;
    return Number.isNaN(r) ? 0 : r;
  }
  // As Redis: the current value stays unless the new one is strictly smaller (larger); -0 vs 0 keeps the first.
  if (agg === AGG_MIN) return v < target ? v : target;
  return v > target ? v : target;
}

function sourceScore(src: OpSource, member: string): number | undefined {
  if (src.z !== null) return src.z.score(member);
  if (src.set !== null) return src.set.has(member) ? 1 : undefined;
  return undefined;
}

function forEachSource(src: OpSource, fn: (m: string, s: number) => void): void {
  if (src.z !== null) src.z.forEach(fn);
  else if (src.set !== null) src.set.forEach((m) => fn(m, 1));
}

/**
 * Redis's zunionInterDiffGenericCommand. `numkeysIdx` is the index of
 * numkeys; `dst` the destination key of the *STORE variants.
 */
function zsetOpGeneric(c: Client, argv: string[], numkeysIdx: number, dst: string | null, op: number, cardinalityOnly: boolean): void {
  const name = c.currentCommand?.fullName ?? argv[0].toLowerCase();
  const setnum = parseSafeInt(argv[numkeysIdx]);
  if (setnum === null) return c.error(E.NOT_INTEGER);
  if (setnum < 1) return c.error(`ERR at least 1 input key is needed for '${name}' command`);
  if (setnum > argv.length - (numkeysIdx + 1)) return c.error(E.SYNTAX);
  const srcs: OpSource[] = [];
  let j = numkeysIdx + 1;
  for (let i = 0; i < setnum; i++, j++) {
    const v = c.db.lookupRead(argv[j]);
    const src: OpSource = { z: null, set: null, size: 0, weight: 1 };
    if (v !== undefined) {
      if (v instanceof ZSet) {
        src.z = v;
        src.size = v.size;
      } else if (v instanceof SetValue) {
        src.set = v;
        src.size = v.size;
      } else {
        return c.error(E.WRONGTYPE);
      }
    }
    srcs.push(src);
  }
  let agg = AGG_SUM;
  let withScores = false;
  let limit = 0;
  let remaining = argv.length - j;
  while (remaining > 0) {
    const a = argv[j];
    if (op !== OP_DIFF && !cardinalityOnly && remaining >= setnum + 1 && eqi(a, 'weights')) {
      j++;
      remaining--;
      for (let i = 0; i < setnum; i++, j++, remaining--) {
        const w = parseScore(argv[j]);
        if (w === null) return c.error('ERR weight value is not a float');
        srcs[i].weight = w;
      }
    } else if (op !== OP_DIFF && !cardinalityOnly && remaining >= 2 && eqi(a, 'aggregate')) {
      const m = argv[j + 1].toLowerCase();
      if (m === 'sum') agg = AGG_SUM;
      else if (m === 'min') agg = AGG_MIN;
      else if (m === 'max') agg = AGG_MAX;
      else return c.error(E.SYNTAX);
      j += 2;
      remaining -= 2;
    } else if (remaining >= 1 && dst === null && !cardinalityOnly && eqi(a, 'withscores')) {
      j++;
      remaining--;
      withScores = true;
    } else if (cardinalityOnly && remaining >= 2 && eqi(a, 'limit')) {
      const l = parseSafeInt(argv[j + 1]);
      if (l === null || l < 0) return c.error("ERR LIMIT can't be negative");
      limit = l;
      j += 2;
      remaining -= 2;
    } else {
      return c.error(E.SYNTAX);
    }
  }

  // Results: members with their scores (insertion order does not matter; sorted below).
  const members: string[] = [];
  const scores: number[] = [];
  let cardinality = 0;
  if (op === OP_UNION) {
    const order = srcs.slice().sort((a, b) => a.size - b.size);
    const acc = new Map<string, number>();
    for (const src of order) {
      if (src.size === 0) continue;
      const w = src.weight;
      forEachSource(src, (m, s) => {
        let v = w * s;
        if (Number.isNaN(v)) v = 0;
        const prev = acc.get(m);
        acc.set(m, prev === undefined ? v : aggregate(prev, v, agg));
      });
    }
    for (const [m, s] of acc) {
      members.push(m);
      scores.push(s);
    }
  } else if (op === OP_INTER) {
    const order = srcs.slice().sort((a, b) => a.size - b.size);
    const first = order[0];
    if (first.size > 0) {
      let stop = false;
      const visit = (m: string, s: number): void => {
        if (stop) return;
        let score = first.weight * s;
        if (Number.isNaN(score)) score = 0;
        for (let k = 1; k < order.length; k++) {
          const other = order[k];
          const v = other === first || (other.z !== null && other.z === first.z) ? s : sourceScore(other, m);
          if (v === undefined) return;
          score = aggregate(score, v * other.weight, agg);
        }
        if (cardinalityOnly) {
          cardinality++;
          if (limit > 0 && cardinality >= limit) stop = true;
          return;
        }
        members.push(m);
        scores.push(score);
      };
      forEachSource(first, visit);
    }
  } else {
    const first = srcs[0];
    if (first.size > 0) {
      forEachSource(first, (m, s) => {
        for (let k = 1; k < srcs.length; k++) {
          const other = srcs[k];
          if (other.size > 0 && sourceScore(other, m) !== undefined) return;
        }
        members.push(m);
        scores.push(s);
      });
    }
  }

  if (cardinalityOnly) return c.int(cardinality);

  // Sort by (score, member).
  const n = members.length;
  const idx: number[] = new Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  idx.sort((a, b) => {
    const sa = scores[a];
    const sb = scores[b];
    if (sa < sb) return -1;
    if (sa > sb) return 1;
    const ma = members[a];
    const mb = members[b];
    return ma < mb ? -1 : ma > mb ? 1 : 0;
  });
  const sortedM: string[] = new Array(n);
  const sortedS: number[] = new Array(n);
  for (let i = 0; i < n; i++) {
    sortedM[i] = members[idx[i]];
    sortedS[i] = scores[idx[i]];
  }

  const db = c.db;
  if (dst !== null) {
    if (n > 0) {
      const config = c.server.config;
      const z = ZSet.fromSorted(sortedM, sortedS, zsetMaxEntries(config), zsetMaxValue(config));
      db.set(dst, z);
      c.int(n);
      c.server.notify(NOTIFY.zset, op === OP_UNION ? 'zunionstore' : op === OP_INTER ? 'zinterstore' : 'zdiffstore', dst, db.id);
      c.server.dirty++;
    } else {
      c.int(0);
      if (db.delete(dst)) {
        c.server.notify(NOTIFY.generic, 'del', dst, db.id);
        c.server.dirty++;
      }
    }
    return;
  }
  beginOut(c, withScores);
  for (let i = 0; i < n; i++) emit(sortedM[i], sortedS[i]);
  endOut(c);
}

// ====================================================================== pops

/**
 * Redis's genericZpopCommand: pops from the first non-empty key of `keys`.
 * `count` -1 means a single pop without COUNT. Returns the key popped from
 * (null when nothing was popped or on error).
 */
function genericZpop(
  c: Client,
  db: Database,
  keys: string[],
  max: boolean,
  emitKey: boolean,
  count: number,
  nested: boolean,
  nullWhenEmpty: boolean,
): string | null {
  let z: ZSet | null = null;
  let key = '';
  for (let i = 0; i < keys.length; i++) {
    key = keys[i];
    const v = db.lookupWrite(key);
    if (v === undefined) continue;
    if (!(v instanceof ZSet)) {
      c.error(E.WRONGTYPE);
      return null;
    }
    z = v;
    break;
  }
  if (z === null) {
    if (nullWhenEmpty) c.nullArray();
    else c.raw('*0\r\n');
    return null;
  }
  if (count === 0) {
    c.raw('*0\r\n');
    return null;
  }
  if (count === -1) count = 1;
  const llen = z.size;
  const rangelen = count > llen ? llen : count;
  const resp3 = c.resp === 3;
  let out: string;
  if (!nested && !emitKey) out = '*' + rangelen * 2 + '\r\n';
  else if (nested && !emitKey) out = '*' + rangelen + '\r\n';
  else if (!nested && emitKey) out = '*' + (rangelen * 2 + 1) + '\r\n$' + key.length + '\r\n' + key + '\r\n';
  else out = '*2\r\n$' + key.length + '\r\n' + key + '\r\n*' + rangelen + '\r\n';
  z.pop(rangelen, max, (m, s) => {
    if (nested) out += '*2\r\n';
    out += '$' + m.length + '\r\n' + m + '\r\n' + scoreText(resp3, s);
  });
  c.raw(out);
  const removed = db.modifiedOrDeleteIfEmpty(key, z.size);
  c.server.notify(NOTIFY.zset, max ? 'zpopmax' : 'zpopmin', key, db.id);
  if (removed) c.server.notify(NOTIFY.generic, 'del', key, db.id);
  c.server.dirty += rangelen;
  return key;
}

function zpopCommand(c: Client, argv: string[], max: boolean): void {
  if (argv.length > 3) return c.error(E.SYNTAX);
  let count = -1;
  if (argv.length === 3) {
    const n = parseSafeInt(argv[2]);
    if (n === null || n < 0) return c.error(E.OUT_OF_RANGE_POSITIVE);
    count = n;
  }
  genericZpop(c, c.db, [argv[1]], max, false, count, c.resp === 3 && argv.length === 3, false);
}

/** Parses `MIN|MAX [COUNT n]` after the keys of ZMPOP/BZMPOP; replies and returns null on error. */
function parseMpop(c: Client, argv: string[], numkeysIdx: number): { keys: string[]; max: boolean; count: number } | null {
  const numkeys = parseSafeInt(argv[numkeysIdx]);
  if (numkeys === null || numkeys < 1) {
    c.error(E.NUMKEYS);
    return null;
  }
  const whereIdx = numkeysIdx + numkeys + 1;
  if (whereIdx >= argv.length) {
    c.error(E.SYNTAX);
    return null;
  }
  const w = argv[whereIdx].toLowerCase();
  let max: boolean;
  if (w === 'min') max = false;
  else if (w === 'max') max = true;
  else {
    c.error(E.SYNTAX);
    return null;
  }
  let count = -1;
  for (let j = whereIdx + 1; j < argv.length; j++) {
    const more = argv.length - 1 - j;
    if (count === -1 && more > 0 && eqi(argv[j], 'count')) {
      j++;
      const n = parseSafeInt(argv[j]);
      if (n === null || n < 1) {
        c.error(E.COUNT_POSITIVE);
        return null;
      }
      count = n;
    } else {
      c.error(E.SYNTAX);
      return null;
    }
  }
  if (count === -1) count = 1;
  return { keys: argv.slice(numkeysIdx + 1, numkeysIdx + 1 + numkeys), max, count };
}

function zmpopCommand(c: Client, argv: string[]): void {
  const p = parseMpop(c, argv, 1);
  if (p === null) return;
  const key = genericZpop(c, c.db, p.keys, p.max, true, p.count, true, true);
  if (key !== null) c.server.replaceArgv([p.max ? 'ZPOPMAX' : 'ZPOPMIN', key, String(p.count)]);
}

function blockingZpop(c: Client, keys: string[], max: boolean, timeoutArg: string, count: number, nested: boolean): void {
  const timeout = parseBlockingTimeout(c, timeoutArg);
  if (timeout === null) return;
  const db = c.db;
  for (const key of keys) {
    const v = db.lookupWrite(key);
    if (v === undefined) continue;
    if (!(v instanceof ZSet)) return c.error(E.WRONGTYPE);
    if (v.size === 0) continue;
    genericZpop(c, db, [key], max, true, count, nested, true);
    const name = max ? 'ZPOPMAX' : 'ZPOPMIN';
    c.server.replaceArgv(count === -1 ? [name, key] : [name, key, String(count)]);
    return;
  }
  if (c.denyBlocking) return c.nullArray();
  const server = c.server;
  server.blocking.block(
    {
      client: c,
      db,
      keys,
      serve: (key: string): boolean => {
        const v = db.peek(key);
        if (v === undefined || !(v instanceof ZSet) || v.size === 0) return false;
        const popped = genericZpop(c, db, [key], max, true, count, nested, false);
        if (popped === null) return false;
        const name = max ? 'ZPOPMAX' : 'ZPOPMIN';
        server.propagate(db.id, count === -1 ? [name, key] : [name, key, String(count)]);
        return true;
      },
      onTimeout: (cl: Client) => cl.nullArray(),
    },
    timeout,
  );
}

// ====================================================================== ZRANDMEMBER

function zrandmemberCommand(c: Client, argv: string[]): void {
  if (argv.length >= 3) {
    const v = parseInt64(argv[2]);
    if (v === null) return c.error(E.NOT_INTEGER);
    if (typeof v === 'bigint' && v === -9223372036854775808n) {
      return c.error(E.OUT_OF_RANGE_LONG);
    }
    const l = typeof v === 'bigint' ? (v > 0n ? Number.MAX_SAFE_INTEGER : -Number.MAX_SAFE_INTEGER) : v;
    if (argv.length > 4 || (argv.length === 4 && !eqi(argv[3], 'withscores'))) return c.error(E.SYNTAX);
    const withScores = argv.length === 4;
    if (withScores && (v < -4611686018427387903n || v > 4611686018427387903n)) return c.error('ERR value is out of range');
    return zrandmemberWithCount(c, argv[1], l, withScores);
  }
  const z = readZSet(c, argv[1]);
  if (z === null) return;
  if (z === undefined) return c.nullBulk();
  const m = z.memberAt(Math.floor(Math.random() * z.size))!;
  c.bulk(m);
}

function zrandmemberWithCount(c: Client, key: string, l: number, withScores: boolean): void {
  const v = c.db.lookupRead(key);
  if (v === undefined) return c.raw('*0\r\n');
  if (!isZSet(v)) return c.error(E.WRONGTYPE);
  const z = v;
  const size = z.size;
  const uniq = l >= 0;
  const count = uniq ? l : -l;
  if (count === 0) return c.raw('*0\r\n');
  beginOut(c, withScores);
  if (!uniq || count === 1) {
    for (let i = 0; i < count; i++) z.at(Math.floor(Math.random() * size), emit);
    return endOut(c);
  }
  if (count >= size) {
    // The whole set, highest score first (as Redis replies).
    z.rangeByRank(0, size - 1, true, emit);
    return endOut(c);
  }
  if (count * 3 > size) {
    // Many of them: shuffle the whole set partially.
    const ms: string[] = [];
    const ss: number[] = [];
    z.forEach((m, s) => {
      ms.push(m);
      ss.push(s);
    });
    for (let i = 0; i < count; i++) {
      const k = i + Math.floor(Math.random() * (size - i));
      const tm = ms[i];
      ms[i] = ms[k];
      ms[k] = tm;
      const ts = ss[i];
      ss[i] = ss[k];
      ss[k] = ts;
      emit(ms[i], ss[i]);
    }
    return endOut(c);
  }
  const picked = new Set<number>();
  while (picked.size < count) {
    const i = Math.floor(Math.random() * size);
    if (picked.has(i)) continue;
    picked.add(i);
    z.at(i, emit);
  }
  endOut(c);
}

// ====================================================================== ZSCAN

function zscanCommand(c: Client, argv: string[]): void {
  const cursor = parseScanCursor(c, argv[2]);
  if (cursor === null) return;
  const z = readZSet(c, argv[1]);
  if (z === null) return;
  if (z === undefined) return replyEmptyScan(c);
  const opts = parseScanOptions(c, argv, 3);
  if (opts === null) return;
  let body = '';
  let n = 0;
  const next = z.scan(cursor, opts.count, (m, s) => {
    if (!scanMatches(opts, m)) return;
    const t = formatScore(s);
    body += '$' + m.length + '\r\n' + m + '\r\n$' + t.length + '\r\n' + t + '\r\n';
    n += 2;
  });
  const cs = String(next);
  c.raw('*2\r\n$' + cs.length + '\r\n' + cs + '\r\n*' + n + '\r\n' + body);
}

// ====================================================================== metadata helpers

const ks = (flags: string[], index: number, lastKey = 0): KeySpec => ({ flags, beginSearch: { index }, findKeys: { lastKey, keyStep: 1, limit: 0 } });
const ksNum = (flags: string[], index: number): KeySpec => ({ flags, beginSearch: { index }, findKeys: { keyNumIdx: 0, firstKey: 1, keyStep: 1 } });

/** Key positions of `numkeys key...` starting at `idx` (numkeys there); [] when numkeys is invalid. */
function numkeysKeys(argv: string[], idx: number, prefix: number[] = []): number[] {
  const n = parseSafeInt(argv[idx] ?? '');
  if (n === null || n < 1 || idx + 1 + n > argv.length) return [];
  const out = prefix.slice();
  for (let i = 0; i < n; i++) out.push(idx + 1 + i);
  return out;
}

/** A sorted set command: one key at argv[1] unless the spec says otherwise (numkeys forms declare 0, 0, 0). */
const zsetCmd = (spec: Parameters<typeof cmd>[0]): CommandSpec =>
  cmd({ categories: ['sortedset'], group: 'sorted-set', firstKey: 1, lastKey: 1, keyStep: 1, args: ARGS[spec.name], complexity: COMPLEXITY[spec.name], ...spec });

// ====================================================================== COMMAND DOCS data

/** Arguments as COMMAND DOCS lists them (redis-cli builds its hints from these). */
const ARGS: Record<string, CommandArg[]> = {
  zadd: [{ name: 'key', type: 'key', key_spec_index: 0 }, { name: 'condition', type: 'oneof', since: '3.0.2', optional: true, arguments: [{ name: 'nx', type: 'pure-token', token: 'NX' }, { name: 'xx', type: 'pure-token', token: 'XX' }] }, { name: 'comparison', type: 'oneof', since: '6.2.0', optional: true, arguments: [{ name: 'gt', type: 'pure-token', token: 'GT' }, { name: 'lt', type: 'pure-token', token: 'LT' }] }, { name: 'change', type: 'pure-token', token: 'CH', since: '3.0.2', optional: true }, { name: 'increment', type: 'pure-token', token: 'INCR', since: '3.0.2', optional: true }, { name: 'score_member', type: 'block', multiple: true, arguments: [{ name: 'score', type: 'double' }, { name: 'member', type: 'string' }] }],
  zincrby: [{ name: 'key', type: 'key', key_spec_index: 0 }, { name: 'increment', type: 'integer' }, { name: 'member', type: 'string' }],
  zrem: [{ name: 'key', type: 'key', key_spec_index: 0 }, { name: 'member', type: 'string', multiple: true }],
  zcard: [{ name: 'key', type: 'key', key_spec_index: 0 }],
  zscore: [{ name: 'key', type: 'key', key_spec_index: 0 }, { name: 'member', type: 'string' }],
  zmscore: [{ name: 'key', type: 'key', key_spec_index: 0 }, { name: 'member', type: 'string', multiple: true }],
  zrank: [{ name: 'key', type: 'key', key_spec_index: 0 }, { name: 'member', type: 'string' }],
  zrevrank: [{ name: 'key', type: 'key', key_spec_index: 0 }, { name: 'member', type: 'string' }],
  zcount: [{ name: 'key', type: 'key', key_spec_index: 0 }, { name: 'min', type: 'double' }, { name: 'max', type: 'double' }],
  zlexcount: [{ name: 'key', type: 'key', key_spec_index: 0 }, { name: 'min', type: 'string' }, { name: 'max', type: 'string' }],
  zrange: [{ name: 'key', type: 'key', key_spec_index: 0 }, { name: 'start', type: 'string' }, { name: 'stop', type: 'string' }, { name: 'sortby', type: 'oneof', since: '6.2.0', optional: true, arguments: [{ name: 'byscore', type: 'pure-token', token: 'BYSCORE' }, { name: 'bylex', type: 'pure-token', token: 'BYLEX' }] }, { name: 'rev', type: 'pure-token', token: 'REV', since: '6.2.0', optional: true }, { name: 'offset_count', type: 'block', token: 'LIMIT', since: '6.2.0', optional: true, arguments: [{ name: 'offset', type: 'integer' }, { name: 'count', type: 'integer' }] }, { name: 'withscores', type: 'pure-token', token: 'WITHSCORES', optional: true }],
  zrangestore: [{ name: 'dst', type: 'key', key_spec_index: 0 }, { name: 'src', type: 'key', key_spec_index: 1 }, { name: 'min', type: 'string' }, { name: 'max', type: 'string' }, { name: 'sortby', type: 'oneof', optional: true, arguments: [{ name: 'byscore', type: 'pure-token', token: 'BYSCORE' }, { name: 'bylex', type: 'pure-token', token: 'BYLEX' }] }, { name: 'rev', type: 'pure-token', token: 'REV', optional: true }, { name: 'offset_count', type: 'block', token: 'LIMIT', optional: true, arguments: [{ name: 'offset', type: 'integer' }, { name: 'count', type: 'integer' }] }],
  zrangebyscore: [{ name: 'key', type: 'key', key_spec_index: 0 }, { name: 'min', type: 'double' }, { name: 'max', type: 'double' }, { name: 'withscores', type: 'pure-token', token: 'WITHSCORES', since: '2.0.0', optional: true }, { name: 'offset_count', type: 'block', token: 'LIMIT', optional: true, arguments: [{ name: 'offset', type: 'integer' }, { name: 'count', type: 'integer' }] }],
  zrevrangebyscore: [{ name: 'key', type: 'key', key_spec_index: 0 }, { name: 'max', type: 'double' }, { name: 'min', type: 'double' }, { name: 'withscores', type: 'pure-token', token: 'WITHSCORES', optional: true }, { name: 'offset_count', type: 'block', token: 'LIMIT', optional: true, arguments: [{ name: 'offset', type: 'integer' }, { name: 'count', type: 'integer' }] }],
  zrangebylex: [{ name: 'key', type: 'key', key_spec_index: 0 }, { name: 'min', type: 'string' }, { name: 'max', type: 'string' }, { name: 'offset_count', type: 'block', token: 'LIMIT', optional: true, arguments: [{ name: 'offset', type: 'integer' }, { name: 'count', type: 'integer' }] }],
  zrevrangebylex: [{ name: 'key', type: 'key', key_spec_index: 0 }, { name: 'max', type: 'string' }, { name: 'min', type: 'string' }, { name: 'offset_count', type: 'block', token: 'LIMIT', optional: true, arguments: [{ name: 'offset', type: 'integer' }, { name: 'count', type: 'integer' }] }],
  zrevrange: [{ name: 'key', type: 'key', key_spec_index: 0 }, { name: 'start', type: 'integer' }, { name: 'stop', type: 'integer' }, { name: 'withscores', type: 'pure-token', token: 'WITHSCORES', optional: true }],
  zremrangebyrank: [{ name: 'key', type: 'key', key_spec_index: 0 }, { name: 'start', type: 'integer' }, { name: 'stop', type: 'integer' }],
  zremrangebyscore: [{ name: 'key', type: 'key', key_spec_index: 0 }, { name: 'min', type: 'double' }, { name: 'max', type: 'double' }],
  zremrangebylex: [{ name: 'key', type: 'key', key_spec_index: 0 }, { name: 'min', type: 'string' }, { name: 'max', type: 'string' }],
  zunion: [{ name: 'numkeys', type: 'integer' }, { name: 'key', type: 'key', key_spec_index: 0, multiple: true }, { name: 'weight', type: 'integer', token: 'WEIGHTS', optional: true, multiple: true }, { name: 'aggregate', type: 'oneof', token: 'AGGREGATE', optional: true, arguments: [{ name: 'sum', type: 'pure-token', token: 'SUM' }, { name: 'min', type: 'pure-token', token: 'MIN' }, { name: 'max', type: 'pure-token', token: 'MAX' }] }, { name: 'withscores', type: 'pure-token', token: 'WITHSCORES', optional: true }],
  zinter: [{ name: 'numkeys', type: 'integer' }, { name: 'key', type: 'key', key_spec_index: 0, multiple: true }, { name: 'weight', type: 'integer', token: 'WEIGHTS', optional: true, multiple: true }, { name: 'aggregate', type: 'oneof', token: 'AGGREGATE', optional: true, arguments: [{ name: 'sum', type: 'pure-token', token: 'SUM' }, { name: 'min', type: 'pure-token', token: 'MIN' }, { name: 'max', type: 'pure-token', token: 'MAX' }] }, { name: 'withscores', type: 'pure-token', token: 'WITHSCORES', optional: true }],
  zdiff: [{ name: 'numkeys', type: 'integer' }, { name: 'key', type: 'key', key_spec_index: 0, multiple: true }, { name: 'withscores', type: 'pure-token', token: 'WITHSCORES', optional: true }],
  zunionstore: [{ name: 'destination', type: 'key', key_spec_index: 0 }, { name: 'numkeys', type: 'integer' }, { name: 'key', type: 'key', key_spec_index: 1, multiple: true }, { name: 'weight', type: 'integer', token: 'WEIGHTS', optional: true, multiple: true }, { name: 'aggregate', type: 'oneof', token: 'AGGREGATE', optional: true, arguments: [{ name: 'sum', type: 'pure-token', token: 'SUM' }, { name: 'min', type: 'pure-token', token: 'MIN' }, { name: 'max', type: 'pure-token', token: 'MAX' }] }],
  zinterstore: [{ name: 'destination', type: 'key', key_spec_index: 0 }, { name: 'numkeys', type: 'integer' }, { name: 'key', type: 'key', key_spec_index: 1, multiple: true }, { name: 'weight', type: 'integer', token: 'WEIGHTS', optional: true, multiple: true }, { name: 'aggregate', type: 'oneof', token: 'AGGREGATE', optional: true, arguments: [{ name: 'sum', type: 'pure-token', token: 'SUM' }, { name: 'min', type: 'pure-token', token: 'MIN' }, { name: 'max', type: 'pure-token', token: 'MAX' }] }],
  zdiffstore: [{ name: 'destination', type: 'key', key_spec_index: 0 }, { name: 'numkeys', type: 'integer' }, { name: 'key', type: 'key', key_spec_index: 1, multiple: true }],
  zintercard: [{ name: 'numkeys', type: 'integer' }, { name: 'key', type: 'key', key_spec_index: 0, multiple: true }, { name: 'limit', type: 'integer', token: 'LIMIT', optional: true }],
  zpopmin: [{ name: 'key', type: 'key', key_spec_index: 0 }, { name: 'count', type: 'integer', optional: true }],
  zpopmax: [{ name: 'key', type: 'key', key_spec_index: 0 }, { name: 'count', type: 'integer', optional: true }],
  zmpop: [{ name: 'numkeys', type: 'integer' }, { name: 'key', type: 'key', key_spec_index: 0, multiple: true }, { name: 'where', type: 'oneof', arguments: [{ name: 'min', type: 'pure-token', token: 'MIN' }, { name: 'max', type: 'pure-token', token: 'MAX' }] }, { name: 'count', type: 'integer', token: 'COUNT', optional: true }],
  bzpopmin: [{ name: 'key', type: 'key', key_spec_index: 0, multiple: true }, { name: 'timeout', type: 'double' }],
  bzpopmax: [{ name: 'key', type: 'key', key_spec_index: 0, multiple: true }, { name: 'timeout', type: 'double' }],
  bzmpop: [{ name: 'timeout', type: 'double' }, { name: 'numkeys', type: 'integer' }, { name: 'key', type: 'key', key_spec_index: 0, multiple: true }, { name: 'where', type: 'oneof', arguments: [{ name: 'min', type: 'pure-token', token: 'MIN' }, { name: 'max', type: 'pure-token', token: 'MAX' }] }, { name: 'count', type: 'integer', token: 'COUNT', optional: true }],
  zrandmember: [{ name: 'key', type: 'key', key_spec_index: 0 }, { name: 'options', type: 'block', optional: true, arguments: [{ name: 'count', type: 'integer' }, { name: 'withscores', type: 'pure-token', token: 'WITHSCORES', optional: true }] }],
  zscan: [{ name: 'key', type: 'key', key_spec_index: 0 }, { name: 'cursor', type: 'integer' }, { name: 'pattern', type: 'pattern', token: 'MATCH', optional: true }, { name: 'count', type: 'integer', token: 'COUNT', optional: true }],
};

/** Time complexity, in our words. */
const COMPLEXITY: Record<string, string> = {
  zadd: 'O(log N) per member added or updated.',
  zincrby: 'O(log N).',
  zrem: 'O(log N) per member removed.',
  zcard: 'O(1).',
  zscore: 'O(1).',
  zmscore: 'O(1) per member asked.',
  zrank: 'O(log N).',
  zrevrank: 'O(log N).',
  zcount: 'O(log N).',
  zlexcount: 'O(log N).',
  zrange: 'O(log N + M) for M members returned.',
  zrangestore: 'O(log N + M) for M members stored.',
  zrangebyscore: 'O(log N + M) for M members returned.',
  zrevrangebyscore: 'O(log N + M) for M members returned.',
  zrangebylex: 'O(log N + M) for M members returned.',
  zrevrangebylex: 'O(log N + M) for M members returned.',
  zrevrange: 'O(log N + M) for M members returned.',
  zremrangebyrank: 'O(log N + M) for M members removed.',
  zremrangebyscore: 'O(log N + M) for M members removed.',
  zremrangebylex: 'O(log N + M) for M members removed.',
  zunion: 'O(N) over all input members, plus O(M log M) to order the M results.',
  zinter: 'O(N*K) for the smallest input N and K inputs, plus O(M log M) to order the M results.',
  zdiff: 'O(L) over all input members, plus O(M log M) to order the M results.',
  zunionstore: 'O(N) over all input members, plus O(M log M) to order the M results.',
  zinterstore: 'O(N*K) for the smallest input N and K inputs, plus O(M log M) to order the M results.',
  zdiffstore: 'O(L) over all input members, plus O(M log M) to order the M results.',
  zintercard: 'O(N*K) for the smallest input N and K inputs.',
  zpopmin: 'O(M log N) for M members popped.',
  zpopmax: 'O(M log N) for M members popped.',
  zmpop: 'O(K) for K keys, plus O(M log N) for M members popped.',
  bzpopmin: 'O(log N).',
  bzpopmax: 'O(log N).',
  bzmpop: 'O(K) for K keys, plus O(M log N) for M members popped.',
  zrandmember: 'O(M) for M members returned.',
  zscan: 'O(1) per call, O(N) for a whole iteration.',
};

// ====================================================================== the table

export const zsetCommands: CommandSpec[] = [
  zsetCmd({
    name: 'zadd',
    arity: -4,
    flags: ['write', 'denyoom', 'fast'],
    keySpecs: [ks(['RW', 'update'], 1)],
    summary: 'Adds members with scores to a sorted set, or updates their scores.',
    since: '1.2.0',
    history: [
      ['2.4.0', 'Several members at once.'],
      ['3.0.2', 'XX, NX, CH and INCR.'],
      ['6.2.0', 'GT and LT.'],
    ],
    handler: (c, argv) => zaddGeneric(c, argv, 0),
  }),
  zsetCmd({
    name: 'zincrby',
    arity: 4,
    flags: ['write', 'denyoom', 'fast'],
    keySpecs: [ks(['RW', 'access', 'update'], 1)],
    summary: 'Adds an increment to the score of a member of a sorted set.',
    since: '1.2.0',
    handler: (c, argv) => zaddGeneric(c, argv, ZADD_IN_INCR),
  }),
  zsetCmd({
    name: 'zrem',
    arity: -3,
    flags: ['write', 'fast'],
    keySpecs: [ks(['RW', 'delete'], 1)],
    summary: 'Removes members from a sorted set; the key goes away with its last member.',
    since: '1.2.0',
    handler: zremCommand,
  }),
  zsetCmd({
    name: 'zcard',
    arity: 2,
    flags: ['readonly', 'fast'],
    keySpecs: [ks(['RO'], 1)],
    summary: 'Returns how many members a sorted set has.',
    since: '1.2.0',
    handler(c, argv) {
      const z = readZSet(c, argv[1]);
      if (z === null) return;
      c.int(z === undefined ? 0 : z.size);
    },
  }),
  zsetCmd({
    name: 'zscore',
    arity: 3,
    flags: ['readonly', 'fast'],
    keySpecs: [ks(['RO', 'access'], 1)],
    summary: 'Returns the score of a member of a sorted set.',
    since: '1.2.0',
    handler(c, argv) {
      const z = readZSet(c, argv[1]);
      if (z === null) return;
      const s = z === undefined ? undefined : z.score(argv[2]);
      if (s === undefined) return c.nullBulk();
      replyScore(c, s);
    },
  }),
  zsetCmd({
    name: 'zmscore',
    arity: -3,
    flags: ['readonly', 'fast'],
    keySpecs: [ks(['RO', 'access'], 1)],
    summary: 'Returns the scores of several members of a sorted set.',
    since: '6.2.0',
    handler(c, argv) {
      const z = readZSet(c, argv[1]);
      if (z === null) return;
      const resp3 = c.resp === 3;
      const nil = resp3 ? '_\r\n' : '$-1\r\n';
      let out = '*' + (argv.length - 2) + '\r\n';
      for (let j = 2; j < argv.length; j++) {
        const s = z === undefined ? undefined : z.score(argv[j]);
        out += s === undefined ? nil : scoreText(resp3, s);
      }
      c.raw(out);
    },
  }),
  ...(['zrank', 'zrevrank'] as const).map((name) =>
    zsetCmd({
      name,
      arity: 3,
      flags: ['readonly', 'fast'],
      keySpecs: [ks(['RO', 'access'], 1)],
      summary: name === 'zrank' ? 'Returns the position of a member in a sorted set, lowest score first.' : 'Returns the position of a member in a sorted set, highest score first.',
      since: '2.0.0',
      handler(c: Client, argv: string[]) {
        const z = readZSet(c, argv[1]);
        if (z === null) return;
        const r = z === undefined ? -1 : z.rank(argv[2], name === 'zrevrank');
        if (r < 0) return c.nullBulk();
        c.int(r);
      },
    }),
  ),
  zsetCmd({
    name: 'zcount',
    arity: 4,
    flags: ['readonly', 'fast'],
    keySpecs: [ks(['RO', 'access'], 1)],
    summary: 'Counts the members of a sorted set whose scores are in a range.',
    since: '2.0.0',
    handler(c, argv) {
      const r = parseScoreRange(argv[2], argv[3]);
      if (r === null) return c.error(ERR_MINMAX_FLOAT);
      const z = readZSet(c, argv[1]);
      if (z === null) return;
      c.int(z === undefined ? 0 : z.count(r));
    },
  }),
  zsetCmd({
    name: 'zlexcount',
    arity: 4,
    flags: ['readonly', 'fast'],
    keySpecs: [ks(['RO', 'access'], 1)],
    summary: 'Counts the members of a sorted set that fall in a lexicographical range.',
    since: '2.8.9',
    handler(c, argv) {
      const r = parseLexRange(argv[2], argv[3]);
      if (r === null) return c.error(ERR_MINMAX_LEX);
      const z = readZSet(c, argv[1]);
      if (z === null) return;
      c.int(z === undefined ? 0 : z.lexCount(r));
    },
  }),
  zsetCmd({
    name: 'zrange',
    arity: -4,
    flags: ['readonly'],
    keySpecs: [ks(['RO', 'access'], 1)],
    summary: 'Returns members of a sorted set by rank, score or lexicographical range.',
    since: '1.2.0',
    history: [['6.2.0', 'REV, BYSCORE, BYLEX and LIMIT.']],
    handler: (c, argv) => zrangeGeneric(c, argv, 1, null, null, DIR_AUTO),
  }),
  zsetCmd({
    name: 'zrangestore',
    arity: -5,
    flags: ['write', 'denyoom'],
    firstKey: 1,
    lastKey: 2,
    keyStep: 1,
    keySpecs: [ks(['OW', 'update'], 1), ks(['RO', 'access'], 2)],
    summary: 'Stores a range of a sorted set into another key.',
    since: '6.2.0',
    handler: (c, argv) => zrangeGeneric(c, argv, 2, argv[1], null, DIR_AUTO),
  }),
  zsetCmd({
    name: 'zrangebyscore',
    arity: -4,
    flags: ['readonly'],
    keySpecs: [ks(['RO', 'access'], 1)],
    summary: 'Returns the members of a sorted set whose scores are in a range (ZRANGE BYSCORE does the same).',
    since: '1.0.5',
    history: [['2.0.0', 'WITHSCORES.']],
    docFlags: ['deprecated'],
    deprecatedSince: '6.2.0',
    replacedBy: '`ZRANGE` with the `BYSCORE` argument',
    handler: (c, argv) => zrangeGeneric(c, argv, 1, null, 'score', DIR_FORWARD),
  }),
  zsetCmd({
    name: 'zrevrangebyscore',
    arity: -4,
    flags: ['readonly'],
    keySpecs: [ks(['RO', 'access'], 1)],
    summary: 'Returns the members of a sorted set whose scores are in a range, highest first.',
    since: '2.2.0',
    docFlags: ['deprecated'],
    deprecatedSince: '6.2.0',
    replacedBy: '`ZRANGE` with the `REV` and `BYSCORE` arguments',
    handler: (c, argv) => zrangeGeneric(c, argv, 1, null, 'score', DIR_REVERSE),
  }),
  zsetCmd({
    name: 'zrangebylex',
    arity: -4,
    flags: ['readonly'],
    keySpecs: [ks(['RO', 'access'], 1)],
    summary: 'Returns the members of a sorted set in a lexicographical range.',
    since: '2.8.9',
    docFlags: ['deprecated'],
    deprecatedSince: '6.2.0',
    replacedBy: '`ZRANGE` with the `BYLEX` argument',
    handler: (c, argv) => zrangeGeneric(c, argv, 1, null, 'lex', DIR_FORWARD),
  }),
  zsetCmd({
    name: 'zrevrangebylex',
    arity: -4,
    flags: ['readonly'],
    keySpecs: [ks(['RO', 'access'], 1)],
    summary: 'Returns the members of a sorted set in a lexicographical range, highest first.',
    since: '2.8.9',
    docFlags: ['deprecated'],
    deprecatedSince: '6.2.0',
    replacedBy: '`ZRANGE` with the `REV` and `BYLEX` arguments',
    handler: (c, argv) => zrangeGeneric(c, argv, 1, null, 'lex', DIR_REVERSE),
  }),
  zsetCmd({
    name: 'zrevrange',
    arity: -4,
    flags: ['readonly'],
    keySpecs: [ks(['RO', 'access'], 1)],
    summary: 'Returns members of a sorted set by rank, highest score first.',
    since: '1.2.0',
    docFlags: ['deprecated'],
    deprecatedSince: '6.2.0',
    replacedBy: '`ZRANGE` with the `REV` argument',
    handler: (c, argv) => zrangeGeneric(c, argv, 1, null, 'rank', DIR_REVERSE),
  }),
  ...(['rank', 'score', 'lex'] as const).map((kind) =>
    zsetCmd({
      name: 'zremrangeby' + kind,
      arity: 4,
      flags: ['write'],
      keySpecs: [ks(['RW', 'delete'], 1)],
      summary:
        kind === 'rank'
          ? 'Removes the members of a sorted set within a range of ranks.'
          : kind === 'score'
            ? 'Removes the members of a sorted set within a range of scores.'
            : 'Removes the members of a sorted set within a lexicographical range.',
      since: kind === 'lex' ? '2.8.9' : kind === 'rank' ? '2.0.0' : '1.2.0',
      handler: (c: Client, argv: string[]) => zremrangeGeneric(c, argv, kind),
    }),
  ),
  ...(
    [
      ['zunion', OP_UNION, 'Returns the union of sorted sets (and sets).'],
      ['zinter', OP_INTER, 'Returns the intersection of sorted sets (and sets).'],
      ['zdiff', OP_DIFF, 'Returns the members of the first sorted set missing from the others.'],
    ] as const
  ).map(([name, op, summary]) =>
    zsetCmd({
      name,
      arity: -3,
      flags: ['readonly', 'movablekeys'],
      firstKey: 0,
      lastKey: 0,
      keyStep: 0,
      keySpecs: [ksNum(['RO', 'access'], 1)],
      getKeys: (argv: string[]) => numkeysKeys(argv, 1),
      summary,
      since: '6.2.0',
      handler: (c: Client, argv: string[]) => zsetOpGeneric(c, argv, 1, null, op, false),
    }),
  ),
  ...(
    [
      ['zunionstore', OP_UNION, 'Stores the union of sorted sets (and sets) in a key.', '2.0.0'],
      ['zinterstore', OP_INTER, 'Stores the intersection of sorted sets (and sets) in a key.', '2.0.0'],
      ['zdiffstore', OP_DIFF, 'Stores the difference of sorted sets in a key.', '6.2.0'],
    ] as const
  ).map(([name, op, summary, since]) =>
    zsetCmd({
      name,
      arity: -4,
      flags: ['write', 'denyoom', 'movablekeys'],
      keySpecs: [ks(['OW', 'update'], 1), ksNum(['RO', 'access'], 2)],
      getKeys: (argv: string[]) => numkeysKeys(argv, 2, [1]),
      summary,
      since,
      handler: (c: Client, argv: string[]) => zsetOpGeneric(c, argv, 2, argv[1], op, false),
    }),
  ),
  zsetCmd({
    name: 'zintercard',
    arity: -3,
    flags: ['readonly', 'movablekeys'],
    firstKey: 0,
    lastKey: 0,
    keyStep: 0,
    keySpecs: [ksNum(['RO', 'access'], 1)],
    getKeys: (argv) => numkeysKeys(argv, 1),
    summary: 'Counts the members of the intersection of sorted sets, optionally stopping at a limit.',
    since: '7.0.0',
    handler: (c, argv) => zsetOpGeneric(c, argv, 1, null, OP_INTER, true),
  }),
  ...(['zpopmin', 'zpopmax'] as const).map((name) =>
    zsetCmd({
      name,
      arity: -2,
      flags: ['write', 'fast'],
      keySpecs: [ks(['RW', 'access', 'delete'], 1)],
      summary: name === 'zpopmin' ? 'Removes and returns the members with the lowest scores.' : 'Removes and returns the members with the highest scores.',
      since: '5.0.0',
      handler: (c: Client, argv: string[]) => zpopCommand(c, argv, name === 'zpopmax'),
    }),
  ),
  zsetCmd({
    name: 'zmpop',
    arity: -4,
    flags: ['write', 'movablekeys'],
    firstKey: 0,
    lastKey: 0,
    keyStep: 0,
    keySpecs: [ksNum(['RW', 'access', 'delete'], 1)],
    getKeys: (argv) => numkeysKeys(argv, 1),
    summary: 'Pops members with the lowest or highest scores from the first non-empty of several sorted sets.',
    since: '7.0.0',
    handler: zmpopCommand,
  }),
  ...(['bzpopmin', 'bzpopmax'] as const).map((name) =>
    zsetCmd({
      name,
      arity: -3,
      flags: ['write', 'noscript', 'blocking', 'fast'],
      firstKey: 1,
      lastKey: -2,
      keyStep: 1,
      keySpecs: [ks(['RW', 'access', 'delete'], 1, -2)],
      summary:
        name === 'bzpopmin'
          ? 'Pops the member with the lowest score from the first non-empty sorted set, waiting for one if none.'
          : 'Pops the member with the highest score from the first non-empty sorted set, waiting for one if none.',
      since: '5.0.0',
      history: [['6.0.0', 'The timeout is a double, no longer an integer.']],
      handler: (c: Client, argv: string[]) => blockingZpop(c, argv.slice(1, -1), name === 'bzpopmax', argv[argv.length - 1], -1, false),
    }),
  ),
  zsetCmd({
    name: 'bzmpop',
    arity: -5,
    flags: ['write', 'blocking', 'movablekeys'],
    firstKey: 0,
    lastKey: 0,
    keyStep: 0,
    keySpecs: [ksNum(['RW', 'access', 'delete'], 2)],
    getKeys: (argv) => numkeysKeys(argv, 2),
    summary: 'Pops members from the first non-empty of several sorted sets, waiting for one if none.',
    since: '7.0.0',
    handler(c, argv) {
      const p = parseMpop(c, argv, 2);
      if (p === null) return;
      blockingZpop(c, p.keys, p.max, argv[1], p.count, true);
    },
  }),
  zsetCmd({
    name: 'zrandmember',
    arity: -2,
    flags: ['readonly'],
    keySpecs: [ks(['RO', 'access'], 1)],
    tips: ['nondeterministic_output'],
    summary: 'Returns random members of a sorted set.',
    since: '6.2.0',
    handler: zrandmemberCommand,
  }),
  zsetCmd({
    name: 'zscan',
    arity: -3,
    flags: ['readonly'],
    keySpecs: [ks(['RO', 'access'], 1)],
    tips: ['nondeterministic_output'],
    summary: 'Iterates over the members and scores of a sorted set.',
    since: '2.8.0',
    handler: zscanCommand,
  }),
];
