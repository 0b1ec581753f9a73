/**
 * The set value, in Redis 7.0's two encodings (7.0 has no listpack sets):
 *
 * - "intset": every member is an integer as Redis's string2ll reads them
 *   (canonical decimal, 64-bit range) and there are at most
 *   set-max-intset-entries (512) of them. Kept as a sorted array of numbers
 *   (bigints beyond 2^53, rare), 8 bytes a member; iteration is in numeric
 *   order as in Redis (SMEMBERS, SSCAN, SINTER of intsets...).
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
import { ScanSet } from './scantable';

type Int = number | bigint;

export function setMaxIntsetEntries(config: Config): number {
  return config.getInt('set-max-intset-entries');
}

/** Position of v in the sorted array a, or -(insertion point) - 1. */
function search(a: Int[], v: Int): number {
  let lo = 0;
  let hi = a.length - 1;
  // Appending in order is the common way sets of ids are built.
  if (hi >= 0 && a[hi] < v) return -(hi + 1) - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const x = a[mid];
    if (x < v) lo = mid + 1;
    else if (x > v) hi = mid - 1;
    else return mid;
  }
  return -lo - 1;
}

export class SetValue implements CollectionValue {
  readonly type = 'set' as const;
  /** Intset form: sorted distinct integers; null once converted. */
  private is: Int[] | null = [];
  /** Hashtable form. */
  private ht: ScanSet | null = null;

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
    return this.is !== null ? this.is.length : this.ht!.size;
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
      s.is = this.is.slice();
    } else {
      s.is = null;
      const ht = new ScanSet(this.ht!.size);
      this.ht!.forEach((m) => ht.add(m));
      s.ht = ht;
    }
    return s;
  }

  /** Converts to the hashtable encoding (no-op when already there). */
  toHashtable(): void {
    const is = this.is;
    if (is === null) return;
    const ht = new ScanSet(is.length);
    for (let i = 0; i < is.length; i++) ht.add(String(is[i]));
    this.ht = ht;
    this.is = null;
  }

  has(member: string): boolean {
    if (this.is !== null) {
      const v = parseInt64(member);
      return v !== null && search(this.is, v) >= 0;
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
      const i = search(is, v);
      if (i >= 0) return false;
      const at = -i - 1;
      if (at === is.length) is.push(v);
      else is.splice(at, 0, v);
      if (is.length > maxIntset) this.toHashtable();
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
      const i = search(is, v);
      if (i < 0) return false;
      if (i === is.length - 1) is.pop();
      else is.splice(i, 1);
      return true;
    }
    return this.ht!.delete(member);
  }

  /** Calls fn for every member, in numeric order for an intset. The set must not change meanwhile. */
  forEach(fn: (member: string) => void): void {
    const is = this.is;
    if (is !== null) {
      for (let i = 0; i < is.length; i++) fn(String(is[i]));
      return;
    }
    this.ht!.forEach(fn);
  }

  /** Calls fn for members, in iteration order, until it returns true; true when it did. */
  some(fn: (member: string) => boolean): boolean {
    const is = this.is;
    if (is !== null) {
      for (let i = 0; i < is.length; i++) if (fn(String(is[i]))) return true;
      return false;
    }
    return this.ht!.some(fn);
  }

  /** The members, in iteration order. */
  toArray(): string[] {
    const is = this.is;
    if (is !== null) {
      const out = new Array<string>(is.length);
      for (let i = 0; i < is.length; i++) out[i] = String(is[i]);
      return out;
    }
    return this.ht!.toArray();
  }

  /** A uniformly random member; the set must not be empty. */
  random(): string {
    const is = this.is;
    if (is !== null) return String(is[Math.floor(Math.random() * is.length)]);
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
