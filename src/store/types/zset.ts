/**
 * The sorted set value, in Redis's two encodings:
 *
 * - compact ("listpack"): two parallel arrays, members and scores, sorted by
 *   (score, member). Lookups by member are linear scans, which for at most
 *   zset-max-listpack-entries (128) short members is as fast as hashing and
 *   takes a fraction of the memory. Like a listpack it cannot hold -0: a zero
 *   score is stored as 0.
 * - "skiplist": a skiplist with spans (ordered access, ranks) plus a bucketed
 *   ScanMap member -> node (O(1) lookups, and ZSCAN's stable cursor).
 *
 * A set starts compact and converts when an addition would pass
 * zset-max-listpack-entries or add a member longer than
 * zset-max-listpack-value; it never converts back (as in Redis 7.0), except
 * for results built from scratch (ZUNIONSTORE & co), which pick the encoding
 * that fits their final size.
 *
 * Also here: Redis's rules for parsing scores and score/lex ranges.
 */
import type { Config } from '../../config/config';
import type { CollectionValue } from '../value';
import { ScanMap } from './scantable';
import {
  SkipList,
  type ScoreRange,
  type LexRange,
  scoreGteMin,
  scoreLteMax,
  scoreRangeEmpty,
  lexGteMin,
  lexLteMax,
  lexRangeEmpty,
} from '../skiplist';

export type { ScoreRange, LexRange } from '../skiplist';

/** Result bits of ZSet.add (Redis's ZADD_OUT_*), and the input flags (ZADD_IN_*). */
export const ZADD_ADDED = 1;
export const ZADD_UPDATED = 2;
export const ZADD_NOP = 4;
export const ZADD_NAN = 8;
export const ZADD_IN_INCR = 1;
export const ZADD_IN_NX = 2;
export const ZADD_IN_XX = 4;
export const ZADD_IN_GT = 8;
export const ZADD_IN_LT = 16;

export type ZVisitor = (member: string, score: number) => void;

export function zsetMaxEntries(config: Config): number {
  return config.getInt('zset-max-listpack-entries');
}

export function zsetMaxValue(config: Config): number {
  return config.getInt('zset-max-listpack-value');
}

export class ZSet implements CollectionValue {
  readonly type = 'zset' as const;
  /** Compact form: members and scores sorted by (score, member); null once converted. */
  private cm: string[] | null = [];
  private cs: number[] | null = [];
  /** Skiplist form. */
  private zsl: SkipList | null = null;
  /** member -> skiplist node id. */
  private dict: ScanMap<number> | null = null;
  /** The score resulting from the last add() (ZADD INCR's reply). */
  lastScore = 0;

  get size(): number {
    return this.cm !== null ? this.cm.length : this.zsl!.length;
  }

  get isCompact(): boolean {
    return this.cm !== null;
  }

  encoding(_config?: Config): string {
    return this.cm !== null ? 'listpack' : 'skiplist';
  }

  clone(): ZSet {
    const z = new ZSet();
    if (this.cm !== null) {
      z.cm = this.cm.slice();
      z.cs = this.cs!.slice();
    } else {
      z.toSkiplist();
      const zsl = this.zsl!;
      for (let n = zsl.first; n !== 0; n = zsl.next(n)) z.appendBig(zsl.member(n), zsl.score(n));
    }
    return z;
  }

  /**
   * Builds a set from entries already sorted by (score, member), distinct,
   * choosing the encoding as Redis does for a new result (compact when it fits).
   */
  static fromSorted(members: readonly string[], scores: readonly number[], maxEntries: number, maxValue: number): ZSet {
    const z = new ZSet();
    let fits = members.length <= maxEntries;
    if (fits) {
      for (let i = 0; i < members.length; i++) {
        if (members[i].length > maxValue) {
          fits = false;
          break;
        }
      }
    }
    if (fits) {
      z.cm = members.slice();
      const cs = scores.slice();
      for (let i = 0; i < cs.length; i++) if (cs[i] === 0) cs[i] = 0; // no -0 in compact form
      z.cs = cs;
    } else {
      z.toSkiplist();
      for (let i = 0; i < members.length; i++) z.appendBig(members[i], scores[i]);
    }
    return z;
  }

  /** Builds a set from unsorted distinct entries (RDB load, tests), encoded as Redis would after loading. */
  static fromEntries(entries: Iterable<[string, number]>, maxEntries: number, maxValue: number): ZSet {
    const list = [...entries];
    list.sort(compareEntries);
    return ZSet.fromSorted(
      list.map((e) => e[0]),
      list.map((e) => e[1]),
      maxEntries,
      maxValue,
    );
  }

  private appendBig(member: string, score: number): void {
    const node = this.zsl!.insert(score, member);
    this.dict!.set(member, node);
  }

  /** Converts to the skiplist encoding (no-op when already there). */
  toSkiplist(): void {
    if (this.cm === null) return;
    const cm = this.cm;
    const cs = this.cs!;
    this.cm = null;
    this.cs = null;
    this.zsl = new SkipList();
    this.dict = new ScanMap<number>(cm.length);
    for (let i = 0; i < cm.length; i++) this.appendBig(cm[i], cs[i]);
  }

  // ------------------------------------------------------------------ lookups

  score(member: string): number | undefined {
    if (this.cm !== null) {
      const i = this.cm.indexOf(member);
      return i < 0 ? undefined : this.cs![i];
    }
    const n = this.dict!.get(member);
    return n === undefined ? undefined : this.zsl!.score(n);
  }

  has(member: string): boolean {
    return this.cm !== null ? this.cm.indexOf(member) >= 0 : this.dict!.has(member);
  }

  /** 0-based rank from the lowest (or from the highest when `reverse`); -1 when absent. */
  rank(member: string, reverse: boolean): number {
    const n = this.size;
    if (this.cm !== null) {
      const i = this.cm.indexOf(member);
      if (i < 0) return -1;
      return reverse ? n - 1 - i : i;
    }
    const node = this.dict!.get(member);
    if (node === undefined) return -1;
    const r = this.zsl!.rank(this.zsl!.score(node), member);
    return reverse ? n - r : r - 1;
  }

  // ------------------------------------------------------------------ changes

  /**
   * ZADD / ZINCRBY on one member (Redis's zsetAdd). `flags` are ZADD_IN_*
   * bits. Returns ZADD_* result bits; the resulting score is left in
   * `lastScore`. ZADD_NAN means the increment produced NaN (nothing changed).
   */
  add(member: string, score: number, flags: number, config: Config): number {
    if (this.cm !== null) {
      const cm = this.cm;
      const cs = this.cs!;
      const i = cm.indexOf(member);
      if (i >= 0) {
        if (flags & ZADD_IN_NX) return ZADD_NOP;
        const cur = cs[i];
        if (flags & ZADD_IN_INCR) {
          score += cur;
          if (Number.isNaN(score)) return ZADD_NAN;
        }
        if ((flags & ZADD_IN_LT && score >= cur) || (flags & ZADD_IN_GT && score <= cur)) return ZADD_NOP;
        this.lastScore = score;
        if (score !== cur) {
          this.moveCompact(i, score);
          return ZADD_UPDATED;
        }
        return 0;
      }
      if (flags & ZADD_IN_XX) return ZADD_NOP;
      this.lastScore = score;
      if (cm.length + 1 > zsetMaxEntries(config) || member.length > zsetMaxValue(config)) {
        this.toSkiplist();
        this.appendBig(member, score);
      } else {
        this.insertCompact(member, score);
      }
      return ZADD_ADDED;
    }
    const node = this.dict!.get(member);
    if (node !== undefined) {
      if (flags & ZADD_IN_NX) return ZADD_NOP;
      const cur = this.zsl!.score(node);
      if (flags & ZADD_IN_INCR) {
        score += cur;
        if (Number.isNaN(score)) return ZADD_NAN;
      }
      if ((flags & ZADD_IN_LT && score >= cur) || (flags & ZADD_IN_GT && score <= cur)) return ZADD_NOP;
      this.lastScore = score;
      if (score !== cur) {
        this.zsl!.updateScore(node, score);
        return ZADD_UPDATED;
      }
      return 0;
    }
    if (flags & ZADD_IN_XX) return ZADD_NOP;
    this.lastScore = score;
    this.appendBig(member, score);
    return ZADD_ADDED;
  }

  /** Inserts into the compact arrays at the sorted position. */
  private insertCompact(member: string, score: number): void {
    const cm = this.cm!;
    const cs = this.cs!;
    if (score === 0) score = 0; // a listpack stores -0 as 0
    let lo = 0;
    let hi = cm.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const s = cs[mid];
      if (s < score || (s === score && cm[mid] < member)) lo = mid + 1;
      else hi = mid;
    }
    if (lo === cm.length) {
      cm.push(member);
      cs.push(score);
      return;
    }
    cm.push(cm[cm.length - 1]);
    cs.push(cs[cs.length - 1]);
    for (let j = cm.length - 2; j > lo; j--) {
      cm[j] = cm[j - 1];
      cs[j] = cs[j - 1];
    }
    cm[lo] = member;
    cs[lo] = score;
  }

  private removeCompactAt(i: number): void {
    const cm = this.cm!;
    const cs = this.cs!;
    const n = cm.length - 1;
    for (let j = i; j < n; j++) {
      cm[j] = cm[j + 1];
      cs[j] = cs[j + 1];
    }
    cm.pop();
    cs.pop();
  }

  private moveCompact(i: number, score: number): void {
    const member = this.cm![i];
    this.removeCompactAt(i);
    this.insertCompact(member, score);
  }

  /** Removes a member; true when it was there. */
  remove(member: string): boolean {
    if (this.cm !== null) {
      const i = this.cm.indexOf(member);
      if (i < 0) return false;
      this.removeCompactAt(i);
      return true;
    }
    const node = this.dict!.get(member);
    if (node === undefined) return false;
    this.dict!.delete(member);
    this.zsl!.deleteNode(node);
    return true;
  }

  // ------------------------------------------------------------------ counting

  count(r: ScoreRange): number {
    if (this.cm !== null) {
      const cs = this.cs!;
      if (scoreRangeEmpty(r)) return 0;
      let n = 0;
      for (let i = 0; i < cs.length; i++) {
        const s = cs[i];
        if (!scoreGteMin(s, r)) continue;
        if (!scoreLteMax(s, r)) break;
        n++;
      }
      return n;
    }
    const zsl = this.zsl!;
    if (zsl.firstInScoreRange(r) === 0) return 0;
    const first = zsl.foundRank;
    zsl.lastInScoreRange(r);
    return zsl.foundRank - first + 1;
  }

  lexCount(r: LexRange): number {
    if (this.cm !== null) {
      const cm = this.cm;
      let i = this.firstInLexCompact(r);
      if (i < 0) return 0;
      let n = 0;
      while (i < cm.length && lexLteMax(cm[i], r)) {
        n++;
        i++;
      }
      return n;
    }
    const zsl = this.zsl!;
    if (zsl.firstInLexRange(r) === 0) return 0;
    const first = zsl.foundRank;
    zsl.lastInLexRange(r);
    return zsl.foundRank - first + 1;
  }

  // ------------------------------------------------------------------ ranges

  /** Visits ranks start..end (0-based, inclusive, already clamped to the set), from the top when `reverse`. */
  rangeByRank(start: number, end: number, reverse: boolean, fn: ZVisitor): void {
    const n = this.size;
    if (this.cm !== null) {
      const cm = this.cm;
      const cs = this.cs!;
      if (reverse) for (let r = start; r <= end; r++) fn(cm[n - 1 - r], cs[n - 1 - r]);
      else for (let r = start; r <= end; r++) fn(cm[r], cs[r]);
      return;
    }
    const zsl = this.zsl!;
    let node: number;
    if (reverse) node = start > 0 ? zsl.byRank(n - start) : zsl.tail;
    else node = start > 0 ? zsl.byRank(start + 1) : zsl.first;
    let left = end - start + 1;
    while (node !== 0 && left-- > 0) {
      fn(zsl.member(node), zsl.score(node));
      node = reverse ? zsl.prev(node) : zsl.next(node);
    }
  }

  /**
   * Visits the members inside a score range, skipping `offset` first and at
   * most `limit` (negative: no limit). A negative offset yields nothing, as
   * in Redis. Returns how many were visited.
   */
  rangeByScore(r: ScoreRange, reverse: boolean, offset: number, limit: number, fn: ZVisitor): number {
    if (offset < 0 || limit === 0) return 0;
    let emitted = 0;
    if (this.cm !== null) {
      const cm = this.cm;
      const cs = this.cs!;
      if (scoreRangeEmpty(r)) return 0;
      if (!reverse) {
        let i = 0;
        while (i < cs.length && !scoreGteMin(cs[i], r)) i++;
        i += offset;
        for (; i < cs.length && emitted !== limit; i++) {
          if (!scoreLteMax(cs[i], r)) break;
          fn(cm[i], cs[i]);
          emitted++;
        }
      } else {
        let i = cs.length - 1;
        while (i >= 0 && !scoreLteMax(cs[i], r)) i--;
        i -= offset;
        for (; i >= 0 && emitted !== limit; i--) {
          if (!scoreGteMin(cs[i], r)) break;
          fn(cm[i], cs[i]);
          emitted++;
        }
      }
      return emitted;
    }
    const zsl = this.zsl!;
    let node = reverse ? zsl.lastInScoreRange(r) : zsl.firstInScoreRange(r);
    if (node === 0) return 0;
    if (offset > 0) {
      const rank = zsl.foundRank + (reverse ? -offset : offset);
      node = rank >= 1 && rank <= zsl.length ? zsl.byRank(rank) : 0;
    }
    while (node !== 0 && emitted !== limit) {
      const sc = zsl.score(node);
      if (reverse ? !scoreGteMin(sc, r) : !scoreLteMax(sc, r)) break;
      fn(zsl.member(node), sc);
      emitted++;
      node = reverse ? zsl.prev(node) : zsl.next(node);
    }
    return emitted;
  }

  /** Like rangeByScore for a lex range. */
  rangeByLex(r: LexRange, reverse: boolean, offset: number, limit: number, fn: ZVisitor): number {
    if (offset < 0 || limit === 0) return 0;
    let emitted = 0;
    if (this.cm !== null) {
      const cm = this.cm;
      const cs = this.cs!;
      if (!reverse) {
        let i = this.firstInLexCompact(r);
        if (i < 0) return 0;
        i += offset;
        for (; i < cm.length && emitted !== limit; i++) {
          if (!lexLteMax(cm[i], r)) break;
          fn(cm[i], cs[i]);
          emitted++;
        }
      } else {
        let i = this.lastInLexCompact(r);
        if (i < 0) return 0;
        i -= offset;
        for (; i >= 0 && emitted !== limit; i--) {
          if (!lexGteMin(cm[i], r)) break;
          fn(cm[i], cs[i]);
          emitted++;
        }
      }
      return emitted;
    }
    const zsl = this.zsl!;
    let node = reverse ? zsl.lastInLexRange(r) : zsl.firstInLexRange(r);
    if (node === 0) return 0;
    if (offset > 0) {
      const rank = zsl.foundRank + (reverse ? -offset : offset);
      node = rank >= 1 && rank <= zsl.length ? zsl.byRank(rank) : 0;
    }
    while (node !== 0 && emitted !== limit) {
      const m = zsl.member(node);
      if (reverse ? !lexGteMin(m, r) : !lexLteMax(m, r)) break;
      fn(m, zsl.score(node));
      emitted++;
      node = reverse ? zsl.prev(node) : zsl.next(node);
    }
    return emitted;
  }

  /**
   * Index of the first compact entry in a lex range, -1 if none, the way a
   * listpack is searched: the range must overlap the ends, then the first
   * entry >= min is taken if it is also <= max. (Lex ranges assume equal
   * scores; with mixed scores this gives Redis's listpack answers.)
   */
  private firstInLexCompact(r: LexRange): number {
    const cm = this.cm!;
    const n = cm.length;
    if (n === 0 || lexRangeEmpty(r) || !lexGteMin(cm[n - 1], r) || !lexLteMax(cm[0], r)) return -1;
    for (let i = 0; i < n; i++) {
      if (lexGteMin(cm[i], r)) return lexLteMax(cm[i], r) ? i : -1;
    }
    return -1;
  }

  /** Index of the last compact entry in a lex range (searching from the end), -1 if none. */
  private lastInLexCompact(r: LexRange): number {
    const cm = this.cm!;
    const n = cm.length;
    if (n === 0 || lexRangeEmpty(r) || !lexGteMin(cm[n - 1], r) || !lexLteMax(cm[0], r)) return -1;
    for (let i = n - 1; i >= 0; i--) {
      if (lexLteMax(cm[i], r)) return lexGteMin(cm[i], r) ? i : -1;
    }
    return -1;
  }

  /** Visits every member in order. */
  forEach(fn: ZVisitor): void {
    if (this.cm !== null) {
      const cm = this.cm;
      const cs = this.cs!;
      for (let i = 0; i < cm.length; i++) fn(cm[i], cs[i]);
      return;
    }
    const zsl = this.zsl!;
    for (let n = zsl.first; n !== 0; n = zsl.next(n)) fn(zsl.member(n), zsl.score(n));
  }

  /** The member at 0-based rank `i` (scores via scoreAt); undefined when out of range. */
  memberAt(i: number): string | undefined {
    if (this.cm !== null) return this.cm[i];
    const n = this.zsl!.byRank(i + 1);
    if (n === 0) return undefined;
    this.lastScore = this.zsl!.score(n);
    return this.zsl!.member(n);
  }

  /** Visits the entry at 0-based rank `i` (must be in range). */
  at(i: number, fn: ZVisitor): void {
    if (this.cm !== null) {
      fn(this.cm[i], this.cs![i]);
      return;
    }
    const n = this.zsl!.byRank(i + 1);
    fn(this.zsl!.member(n), this.zsl!.score(n));
  }

  // ------------------------------------------------------------------ removals by range

  /** Removes ranks start..end (0-based, inclusive, clamped); returns how many. */
  removeRangeByRank(start: number, end: number): number {
    if (this.cm !== null) {
      const k = end - start + 1;
      this.cm.splice(start, k);
      this.cs!.splice(start, k);
      return k;
    }
    const dict = this.dict!;
    return this.zsl!.deleteRangeByRank(start + 1, end + 1, (m) => dict.delete(m));
  }

  removeRangeByScore(r: ScoreRange): number {
    if (this.cm !== null) {
      const cs = this.cs!;
      if (scoreRangeEmpty(r)) return 0;
      let i = 0;
      while (i < cs.length && !scoreGteMin(cs[i], r)) i++;
      let j = i;
      while (j < cs.length && scoreLteMax(cs[j], r)) j++;
      if (j > i) {
        this.cm.splice(i, j - i);
        cs.splice(i, j - i);
      }
      return j - i;
    }
    if (scoreRangeEmpty(r)) return 0;
    const dict = this.dict!;
    return this.zsl!.deleteRangeByScore(r, (m) => dict.delete(m));
  }

  removeRangeByLex(r: LexRange): number {
    if (this.cm !== null) {
      const cm = this.cm;
      const i = this.firstInLexCompact(r);
      if (i < 0) return 0;
      let j = i;
      while (j < cm.length && lexLteMax(cm[j], r)) j++;
      if (j > i) {
        cm.splice(i, j - i);
        this.cs!.splice(i, j - i);
      }
      return j - i;
    }
    if (lexRangeEmpty(r)) return 0;
    const dict = this.dict!;
    return this.zsl!.deleteRangeByLex(r, (m) => dict.delete(m));
  }

  /** Removes and visits up to `count` members from the low end (or the high end with `max`); returns how many. */
  pop(count: number, max: boolean, fn: ZVisitor): number {
    let done = 0;
    if (this.cm !== null) {
      const cm = this.cm;
      const cs = this.cs!;
      const k = Math.min(count, cm.length);
      if (max) {
        for (; done < k; done++) fn(cm.pop()!, cs.pop()!);
      } else {
        for (let i = 0; i < k; i++) fn(cm[i], cs[i]);
        if (k === cm.length) {
          cm.length = 0;
          cs.length = 0;
        } else if (k === 1) {
          cm.shift();
          cs.shift();
        } else {
          cm.splice(0, k);
          cs.splice(0, k);
        }
        done = k;
      }
      return done;
    }
    const zsl = this.zsl!;
    const dict = this.dict!;
    while (done < count) {
      const node = max ? zsl.tail : zsl.first;
      if (node === 0) break;
      const m = zsl.member(node);
      const sc = zsl.score(node);
      if (max) zsl.deleteLast();
      else zsl.deleteFirst();
      dict.delete(m);
      fn(m, sc);
      done++;
    }
    return done;
  }

  /**
   * One step of ZSCAN. Compact sets are returned whole with cursor 0; big
   * ones walk the member dict with a cursor that survives resizing. Returns
   * the next cursor.
   */
  scan(cursor: number, count: number, fn: ZVisitor): number {
    if (this.cm !== null) {
      this.forEach(fn);
      return 0;
    }
    const zsl = this.zsl!;
    return this.dict!.scan(cursor, (member, node) => fn(member, zsl.score(node)), count, count * 10);
  }
}

export function compareEntries(a: [string, number], b: [string, number]): number {
  if (a[1] < b[1]) return -1;
  if (a[1] > b[1]) return 1;
  return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0;
}

// ==================================================================== parsing

/**
 * C's strtod on `s` from `start`: skips leading white space, then reads the
 * longest number it can (decimal, hex with optional binary exponent, inf,
 * infinity, nan). Sets `strtodEnd` to the index after it (`start` when
 * nothing could be read) and `strtodRange` when the value overflowed or
 * underflowed (ERANGE).
 */
export let strtodEnd = 0;
export let strtodRange = false;

function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

function lowerAt(s: string, i: number): number {
  const c = s.charCodeAt(i);
  return c >= 65 && c <= 90 ? c + 32 : c;
}

function matchWord(s: string, i: number, word: string): boolean {
  if (i + word.length > s.length) return false;
  for (let k = 0; k < word.length; k++) if (lowerAt(s, i + k) !== word.charCodeAt(k)) return false;
  return true;
}

function hexVal(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

export function strtod(s: string, start = 0): number {
  strtodRange = false;
  const n = s.length;
  let i = start;
  while (i < n && isSpace(s.charCodeAt(i))) i++;
  let neg = false;
  const sc = s.charCodeAt(i);
  if (sc === 43 || sc === 45) {
    neg = sc === 45;
    i++;
  }
  // inf, infinity, nan, nan(chars)
  if (matchWord(s, i, 'inf')) {
    strtodEnd = matchWord(s, i, 'infinity') ? i + 8 : i + 3;
    return neg ? -Infinity : Infinity;
  }
  if (matchWord(s, i, 'nan')) {
    let e = i + 3;
    if (s.charCodeAt(e) === 40) {
      let k = e + 1;
      while (k < n) {
        const c = s.charCodeAt(k);
        if ((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95) k++;
        else break;
      }
      if (s.charCodeAt(k) === 41) e = k + 1;
    }
    strtodEnd = e;
    return NaN;
  }
  // hexadecimal
  if (s.charCodeAt(i) === 48 && (s.charCodeAt(i + 1) | 32) === 120) {
    let k = i + 2;
    let mant = 0n;
    let digits = 0;
    let exp = 0;
    let sawDot = false;
    for (; k < n; k++) {
      const c = s.charCodeAt(k);
      if (c === 46 && !sawDot) {
        sawDot = true;
        continue;
      }
      const h = hexVal(c);
      if (h < 0) break;
      mant = mant * 16n + BigInt(h);
      digits++;
      if (sawDot) exp -= 4;
    }
    if (digits === 0) {
      // Only "0" is a number; "x" is not part of it.
      strtodEnd = i + 1;
      return neg ? -0 : 0;
    }
    if ((s.charCodeAt(k) | 32) === 112) {
      let e = k + 1;
      let eneg = false;
      const ec = s.charCodeAt(e);
      if (ec === 43 || ec === 45) {
        eneg = ec === 45;
        e++;
      }
      let ev = 0;
      let ed = 0;
      while (e < n) {
        const c = s.charCodeAt(e);
        if (c < 48 || c > 57) break;
        if (ev < 1e6) ev = ev * 10 + (c - 48);
        ed++;
        e++;
      }
      if (ed > 0) {
        exp += eneg ? -ev : ev;
        k = e;
      }
    }
    strtodEnd = k;
    let v = hexToDouble(mant, exp);
    if ((v === 0 && mant !== 0n) || v === Infinity) strtodRange = true;
    if (neg) v = -v;
    return v;
  }
  // decimal
  let k = i;
  let intDigits = 0;
  let fracDigits = 0;
  let nonZero = false;
  while (k < n) {
    const c = s.charCodeAt(k);
    if (c < 48 || c > 57) break;
    if (c !== 48) nonZero = true;
    intDigits++;
    k++;
  }
  if (s.charCodeAt(k) === 46) {
    let f = k + 1;
    while (f < n) {
      const c = s.charCodeAt(f);
      if (c < 48 || c > 57) break;
      if (c !== 48) nonZero = true;
      fracDigits++;
      f++;
    }
    if (intDigits + fracDigits > 0) k = f;
  }
  if (intDigits + fracDigits === 0) {
    strtodEnd = start;
    return 0;
  }
  if ((s.charCodeAt(k) | 32) === 101) {
    let e = k + 1;
    const ec = s.charCodeAt(e);
    if (ec === 43 || ec === 45) e++;
    let ed = 0;
    while (e < n) {
      const c = s.charCodeAt(e);
      if (c < 48 || c > 57) break;
      ed++;
      e++;
    }
    if (ed > 0) k = e;
  }
  strtodEnd = k;
  let v = Number(s.slice(sc === 43 || sc === 45 ? i : i, k));
  if (v === Infinity || (v === 0 && nonZero)) strtodRange = true;
  else if (v !== 0 && Math.abs(v) < 2.2250738585072014e-308) strtodRange = true; // subnormal result
  if (neg) v = -v;
  return v;
}

/** mant * 2^exp rounded to the nearest double. */
function hexToDouble(mant: bigint, exp: number): number {
  if (mant === 0n) return 0;
  // Normalize the mantissa to at most 64 bits, keeping a sticky bit, so Number() rounds once.
  let bits = mant.toString(2).length;
  if (bits > 64) {
    const drop = bits - 64;
    const low = mant & ((1n << BigInt(drop)) - 1n);
    mant >>= BigInt(drop);
    if (low !== 0n) mant |= 1n;
    exp += drop;
    bits = 64;
  }
  const top = exp + bits; // the value is in [2^(top-1), 2^top)
  if (top > 1025) return Infinity;
  if (top < -1074) return 0;
  let v = Number(mant);
  // Scale in steps that stay exact (powers of two).
  while (exp > 0) {
    const step = Math.min(exp, 1000);
    v *= 2 ** step;
    exp -= step;
  }
  while (exp < 0) {
    const step = Math.min(-exp, 1000);
    v /= 2 ** step;
    exp += step;
  }
  return v;
}

/**
 * Redis's getDoubleFromObject (ZADD scores, ZINCRBY increments, WEIGHTS):
 * the whole string must be a number, no leading space, no NaN, and no
 * overflow or underflow to zero. Returns null when invalid.
 */
export function parseScore(s: string): number | null {
  const n = s.length;
  if (n === 0) return null;
  // Fast path: plain integers.
  if (n <= 15) {
    let i = 0;
    let neg = false;
    const c0 = s.charCodeAt(0);
    if (c0 === 45) {
      neg = true;
      i = 1;
    }
    if (i < n) {
      let v = 0;
      for (; i < n; i++) {
        const d = s.charCodeAt(i) - 48;
        if (d < 0 || d > 9) break;
        v = v * 10 + d;
      }
      if (i === n) return neg ? -v : v;
    }
  }
  if (isSpace(s.charCodeAt(0))) return null;
  const v = strtod(s);
  if (strtodEnd !== n || Number.isNaN(v)) return null;
  if (strtodRange && (v === Infinity || v === -Infinity || v === 0)) return null;
  return v;
}

/** One end of a score range as Redis's zslParseRange reads it: optional "(", then strtod up to the end or a NUL. */
function parseRangeEnd(s: string, out: ScoreRange, isMin: boolean): boolean {
  let start = 0;
  let ex = false;
  if (s.charCodeAt(0) === 40) {
    ex = true;
    start = 1;
  }
  const v = strtod(s, start);
  if ((strtodEnd !== s.length && s.charCodeAt(strtodEnd) !== 0) || Number.isNaN(v)) return false;
  if (isMin) {
    out.min = v;
    out.minex = ex;
  } else {
    out.max = v;
    out.maxex = ex;
  }
  return true;
}

/** Parses ZRANGEBYSCORE-style bounds; null when invalid ("ERR min or max is not a float"). */
export function parseScoreRange(min: string, max: string): ScoreRange | null {
  const r: ScoreRange = { min: 0, max: 0, minex: false, maxex: false };
  if (!parseRangeEnd(min, r, true) || !parseRangeEnd(max, r, false)) return null;
  return r;
}

function parseLexEnd(s: string, out: LexRange, isMin: boolean): boolean {
  const c = s.charCodeAt(0);
  let value = '';
  let ex: boolean;
  let inf: -1 | 0 | 1 = 0;
  // C strings: a "+" or "-" followed by a NUL still counts as the bare sign.
  const bare = s.length === 1 || s.charCodeAt(1) === 0;
  if (c === 43) {
    if (!bare) return false;
    ex = true;
    inf = 1;
  } else if (c === 45) {
    if (!bare) return false;
    ex = true;
    inf = -1;
  } else if (c === 40) {
    ex = true;
    value = s.slice(1);
  } else if (c === 91) {
    ex = false;
    value = s.slice(1);
  } else {
    return false;
  }
  if (isMin) {
    out.min = value;
    out.minex = ex;
    out.minInf = inf;
  } else {
    out.max = value;
    out.maxex = ex;
    out.maxInf = inf;
  }
  return true;
}

/** Parses ZRANGEBYLEX-style bounds; null when invalid ("ERR min or max not valid string range item"). */
export function parseLexRange(min: string, max: string): LexRange | null {
  const r: LexRange = { min: '', max: '', minex: false, maxex: false, minInf: 0, maxInf: 0 };
  if (!parseLexEnd(min, r, true) || !parseLexEnd(max, r, false)) return null;
  return r;
}
