/**
 * The set value, in Redis 7.0's two encodings (7.0 has no listpack sets):
 *
 * - "intset": every member is an integer as Redis's string2ll reads them
 *   (canonical decimal, 64-bit range) and there are at most
 *   set-max-intset-entries (512) of them. Packed like Redis's intset: one
 *   latin1 string of sorted fixed-width little-endian integers, 2, 4 or 8
 *   bytes each (the width grows when a wider value comes in), searched by
 *   bisection. Iteration is in numeric order as in Redis (SMEMBERS, SSCAN,
 *   SINTER of intsets...).
 * - "hashtable": a ScanSet (bucketed, stable SSCAN cursor, uniform random
 *   picks). Order is unspecified.
 *
 * A set converts when a non-integer member is added or the intset grows past
 * the limit, and never converts back; new sets start as intsets when their
 * first member is an integer (setTypeCreate), results of set algebra start as
 * empty intsets (createIntsetObject) and convert as members come in.
 */
import type { Config } from '../../config/config';
import type { CollectionValue } from '../value';
import { parseInt64 } from '../../util/numbers';
import { ScanSet, flatSlice } from './scantable';
import { bucketTableBytes, extrapolate, objectBytes, stringBytes, SET_SLOT_BYTES } from '../memsize';

type Int = number | bigint;

export function setMaxIntsetEntries(config: Config): number {
  return config.getInt('set-max-intset-entries');
}

/** Bytes an integer needs in an intset: 2, 4 or 8. */
function widthOf(v: Int): number {
  if (typeof v === 'number') return v >= -32768 && v <= 32767 ? 2 : v >= -2147483648 && v <= 2147483647 ? 4 : 8;
  return 8;
}

/** The i-th integer of a packed intset of width w. */
function intAt(s: string, w: number, i: number): Int {
  const p = i * w;
  if (w === 2) return ((s.charCodeAt(p) | (s.charCodeAt(p + 1) << 8)) << 16) >> 16;
  const lo = s.charCodeAt(p) | (s.charCodeAt(p + 1) << 8) | (s.charCodeAt(p + 2) << 16) | (s.charCodeAt(p + 3) << 24);
  if (w === 4) return lo;
  const hi = s.charCodeAt(p + 4) | (s.charCodeAt(p + 5) << 8) | (s.charCodeAt(p + 6) << 16) | (s.charCodeAt(p + 7) << 24);
  // |value| < 2^53: exact as a number (numbers are what parseInt64 gives in that range).
  if (hi > -2097152 && hi < 2097152) return hi * 4294967296 + (lo >>> 0);
  return BigInt.asIntN(64, (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0));
}

function bytes4(x: number): string {
  return String.fromCharCode(x & 255, (x >>> 8) & 255, (x >>> 16) & 255, (x >>> 24) & 255);
}

/** An integer as w little-endian bytes (two's complement). */
function encInt(v: Int, w: number): string {
  if (typeof v === 'number') {
    if (w === 2) return String.fromCharCode(v & 255, (v >>> 8) & 255);
    if (w === 4) return bytes4(v);
    const hi = Math.floor(v / 4294967296);
    return bytes4(v - hi * 4294967296) + bytes4(hi);
  }
  return bytes4(Number(BigInt.asUintN(32, v))) + bytes4(Number(BigInt.asIntN(32, v >> 32n)));
}

/** Position of v in a packed intset, or -(insertion point) - 1. */
function search(s: string, w: number, v: Int): number {
  const n = s.length / w;
  if (n === 0) return -1;
  // A value wider than the set's width lies beyond every member.
  if (widthOf(v) > w) return v < 0 ? -1 : -n - 1;
  // Appending in order is the common way sets of ids are built.
  if (intAt(s, w, n - 1) < v) return -n - 1;
  let lo = 0;
  let hi = n - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const x = intAt(s, w, mid);
    if (x < v) lo = mid + 1;
    else if (x > v) hi = mid - 1;
    else return mid;
  }
  return -lo - 1;
}

export class SetValue implements CollectionValue {
  /** Intset form: the packed integers; null once converted. */
  private is: string | null = '';
  /** Width in bytes of each packed integer. */
  private w = 2;
  /** Hashtable form. */
  private ht: ScanSet | null = null;

  get type(): 'set' {
    return 'set';
  }

  /** An empty set in the encoding Redis's setTypeCreate picks for a first member. */
  static forMember(member: string): SetValue {
    const s = new SetValue();
    if (parseInt64(member) === null) s.toHashtable();
    return s;
  }

  /** An empty set in the hashtable encoding, pre-sized for `sizeHint` members. */
  static hashtable(sizeHint = 0): SetValue {
    const s = new SetValue();
    s.is = null;
    s.ht = new ScanSet(sizeHint);
    return s;
  }

  /** Builds a set from members (RDB load, tests) as an empty intset plus additions. */
  static fromMembers(members: Iterable<string>, maxIntset: number): SetValue {
    const s = new SetValue();
    for (const m of members) s.add(m, maxIntset);
    return s;
  }

  get size(): number {
    return this.is !== null ? this.is.length / this.w : this.ht!.size;
  }

  get isIntset(): boolean {
    return this.is !== null;
  }

  encoding(_config?: Config): string {
    return this.is !== null ? 'intset' : 'hashtable';
  }

  clone(): SetValue {
    const s = new SetValue();
    if (this.is !== null) {
      // Strings are immutable: the packed integers can be shared.
      s.is = this.is;
      s.w = this.w;
    } else {
      s.is = null;
      const ht = new ScanSet(this.ht!.size);
      this.ht!.forEach((m) => ht.add(m));
      s.ht = ht;
    }
    return s;
  }

  /**
   * Bytes this set takes (MEMORY USAGE): exact for an intset (one string);
   * for a hashtable, the table plus `samples` members (0: all) scaled to the
   * size, as Redis samples.
   */
  memoryUsage(samples: number): number {
    const own = objectBytes(3);
    if (this.is !== null) return own + stringBytes(this.is.length);
    const ht = this.ht!;
    const limit = samples <= 0 || samples >= ht.size ? ht.size : samples;
    let bytes = 0;
    let seen = 0;
    const visit = (m: string): void => {
      if (seen >= limit) return;
      bytes += stringBytes(m.length);
      seen++;
    };
    if (limit === ht.size) ht.forEach(visit);
    else ht.scan(0, visit, limit, Infinity);
    return own + bucketTableBytes(ht.size, ht.bucketCount, SET_SLOT_BYTES) + extrapolate(bytes, seen, ht.size);
  }

  /** Converts to the hashtable encoding (no-op when already there). */
  toHashtable(): void {
    const is = this.is;
    if (is === null) return;
    const w = this.w;
    const n = is.length / w;
    const ht = new ScanSet(n);
    for (let i = 0; i < n; i++) ht.add(String(intAt(is, w, i)));
    this.ht = ht;
    this.is = null;
  }

  has(member: string): boolean {
    if (this.is !== null) {
      const v = parseInt64(member);
      return v !== null && search(this.is, this.w, v) >= 0;
    }
    return this.ht!.has(member);
  }

  /** Adds a member (Redis's setTypeAdd); true when it is new. */
  add(member: string, maxIntset: number): boolean {
    const is = this.is;
    if (is !== null) {
      const v = parseInt64(member);
      if (v === null) {
        this.toHashtable();
        return this.ht!.add(member);
      }
      const w = this.w;
      const i = search(is, w, v);
      if (i >= 0) return false;
      const vw = widthOf(v);
      if (vw > w) {
        // Wider encoding for everyone; the new value goes first or last.
        const n = is.length / w;
        const parts: string[] = new Array(n + 1);
        let k = 0;
        if (v < 0) parts[k++] = encInt(v, vw);
        for (let j = 0; j < n; j++) parts[k++] = encInt(intAt(is, w, j), vw);
        if (v >= 0) parts[k++] = encInt(v, vw);
        this.is = parts.join('');
        this.w = vw;
      } else {
        const at = (-i - 1) * w;
        const e = encInt(v, w);
        this.is = at === is.length ? [is, e].join('') : [is.slice(0, at), e, is.slice(at)].join('');
      }
      if (this.size > maxIntset) this.toHashtable();
      return true;
    }
    return this.ht!.add(member);
  }

  /** Removes a member; true when it was there. */
  remove(member: string): boolean {
    const is = this.is;
    if (is !== null) {
      const v = parseInt64(member);
      if (v === null) return false;
      const w = this.w;
      const i = search(is, w, v);
      if (i < 0) return false;
      const at = i * w;
      this.is = at === 0 ? flatSlice(is, w, is.length) : at + w === is.length ? flatSlice(is, 0, at) : [is.slice(0, at), is.slice(at + w)].join('');
      return true;
    }
    return this.ht!.delete(member);
  }

  /** Calls fn for every member, in numeric order for an intset. The set must not change meanwhile. */
  forEach(fn: (member: string) => void): void {
    const is = this.is;
    if (is !== null) {
      const w = this.w;
      const n = is.length / w;
      for (let i = 0; i < n; i++) fn(String(intAt(is, w, i)));
      return;
    }
    this.ht!.forEach(fn);
  }

  /** Calls fn for members, in iteration order, until it returns true; true when it did. */
  some(fn: (member: string) => boolean): boolean {
    const is = this.is;
    if (is !== null) {
      const w = this.w;
      const n = is.length / w;
      for (let i = 0; i < n; i++) if (fn(String(intAt(is, w, i)))) return true;
      return false;
    }
    return this.ht!.some(fn);
  }

  /** The members, in iteration order. */
  toArray(): string[] {
    const is = this.is;
    if (is !== null) {
      const w = this.w;
      const n = is.length / w;
      const out = new Array<string>(n);
      for (let i = 0; i < n; i++) out[i] = String(intAt(is, w, i));
      return out;
    }
    return this.ht!.toArray();
  }

  /** A uniformly random member; the set must not be empty. */
  random(): string {
    const is = this.is;
    if (is !== null) return String(intAt(is, this.w, Math.floor(Math.random() * (is.length / this.w))));
    return this.ht!.random()!;
  }

  /** `count` distinct random members, 0 < count <= size, in random order. */
  randomDistinct(count: number): string[] {
    const n = this.size;
    if (count * 3 > n) {
      // Many of them: shuffle a copy and keep a prefix.
      const all = this.toArray();
      for (let i = 0; i < count; i++) {
        const j = i + Math.floor(Math.random() * (n - i));
        const t = all[i];
        all[i] = all[j];
        all[j] = t;
      }
      all.length = count;
      return all;
    }
    // Few of them: draw until enough distinct ones.
    const picked = new Set<string>();
    const out: string[] = [];
    while (out.length < count) {
      const m = this.random();
      if (picked.has(m)) continue;
      picked.add(m);
      out.push(m);
    }
    return out;
  }

  /**
   * One SSCAN step. An intset is returned whole with cursor 0 (as Redis
   * does); a hashtable walks buckets from `cursor` until about `count`
   * members were seen (at most count * 10 buckets). Returns the next cursor.
   */
  scan(cursor: number, count: number, fn: (member: string) => void): number {
    if (this.is !== null) {
      this.forEach(fn);
      return 0;
    }
    return this.ht!.scan(cursor, fn, count, count * 10);
  }
}
