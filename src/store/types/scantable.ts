/**
 * Hash tables for big hashes and sets ("hashtable" encoding), with what
 * Redis's dict gives those types and a plain Map does not:
 *
 * - a stable scan cursor (HSCAN/SSCAN): keys live in buckets (small Maps or
 *   Sets) chosen by `hashKey(key) & mask`; the cursor walks bucket indexes in
 *   reverse-binary order, so every key present for the whole scan is returned
 *   even while the table doubles or halves in between (as in dict.c);
 * - no single-Map limit (2^24 entries) and no long stall when growing: the
 *   table doubles by splitting a few buckets per write;
 * - uniform random picks (SPOP, SRANDMEMBER, HRANDFIELD) in O(load):
 *   a random bucket, then a random slot in [0, cap), retried when the slot is
 *   past the bucket's end. Every element then has the same chance.
 *
 * It shrinks (halving, all at once, merging bucket pairs) when it becomes
 * sparse, so that a table emptied by deletions neither wastes memory nor
 * makes random picks slow.
 *
 * ScanSet holds members only (a Set per bucket: 2 slots an entry instead of a
 * Map's 3); ScanMap holds field -> value.
 */
import { hashKey, nextCursor } from '../dict';

/**
 * s.slice(from, to) as a string of its own: V8 makes slices of 13 chars and
 * more views that keep the whole parent alive; joining two parts copies.
 */
export function flatSlice(s: string, from: number, to: number): string {
  if (to - from < 13) return s.slice(from, to);
  return [s.slice(from, from + 1), s.slice(from + 1, to)].join('');
}

/** Average entries per bucket at which the table doubles. */
const LOAD = 32;
/** Average entries per bucket under which the table halves. */
const SHRINK_LOAD = 4;
const MIN_BUCKETS = 4;
/** Buckets split per write while growing. */
const SPLIT_PER_OP = 4;
/** Random picks draw a slot in [0, CAP) of a bucket; buckets rarely hold more than this. */
const RANDOM_CAP = 2 * LOAD;
/** Beyond 2^30 buckets the mask arithmetic would overflow. */
const MAX_BUCKETS = 1 << 30;

interface Bucket {
  readonly size: number;
  has(key: string): boolean;
  delete(key: string): boolean;
  keys(): IterableIterator<string>;
}

function randomInt(n: number): number {
  return Math.floor(Math.random() * n);
}

abstract class BucketTable<B extends Bucket> {
  protected buckets: B[];
  protected mask: number;
  /** While growing: the doubled table, of which buckets [0, splitDone) and their twins are filled. */
  protected next: B[] | null = null;
  protected splitDone = 0;
  protected count = 0;

  /** `sizeHint`: how many entries are about to be added (pre-sizes the table). */
  constructor(sizeHint = 0) {
    let n = MIN_BUCKETS;
    while (n * LOAD < sizeHint && n < MAX_BUCKETS) n <<= 1;
    this.mask = n - 1;
    this.buckets = new Array<B>(n);
    for (let i = 0; i < n; i++) this.buckets[i] = this.newBucket();
  }

  protected abstract newBucket(): B;
  /** Moves the entries of `from` whose hash & newMask != i into `hi`, leaving the rest; used when doubling. */
  protected abstract splitInto(from: B, hi: B, newMask: number, i: number): void;
  /** Moves every entry of `from` into `into`. */
  protected abstract mergeInto(into: B, from: B): void;
  /** Calls fn for each entry of a bucket. */
  protected abstract visit(b: B, fn: (key: string, b: B) => void): void;

  get size(): number {
    return this.count;
  }

  /** Number of buckets (tests and memory estimates). */
  get bucketCount(): number {
    return this.next === null ? this.mask + 1 : (this.mask + 1) * 2;
  }

  get rehashing(): boolean {
    return this.next !== null;
  }

  protected bucketFor(key: string): B {
    const h = hashKey(key);
    const i = h & this.mask;
    if (this.next !== null && i < this.splitDone) return this.next[h & (this.mask * 2 + 1)];
    return this.buckets[i];
  }

  has(key: string): boolean {
    return this.bucketFor(key).has(key);
  }

  /** Bookkeeping after an insertion. */
  protected added(): void {
    this.count++;
    if (this.next !== null) this.rehashStep(SPLIT_PER_OP);
    else if (this.count > (this.mask + 1) * LOAD && this.mask + 1 < MAX_BUCKETS) this.startGrow();
  }

  delete(key: string): boolean {
    if (!this.bucketFor(key).delete(key)) return false;
    this.count--;
    if (this.next !== null) this.rehashStep(SPLIT_PER_OP);
    else if (this.count < (this.mask + 1) * SHRINK_LOAD && this.mask + 1 > MIN_BUCKETS) this.shrink();
    return true;
  }

  clear(): void {
    this.mask = MIN_BUCKETS - 1;
    this.buckets = [];
    for (let i = 0; i < MIN_BUCKETS; i++) this.buckets.push(this.newBucket());
    this.next = null;
    this.splitDone = 0;
    this.count = 0;
  }

  private startGrow(): void {
    this.next = new Array<B>((this.mask + 1) * 2);
    this.splitDone = 0;
  }

  /** Splits up to `steps` buckets of a growth in progress; true while work remains. */
  rehashStep(steps: number): boolean {
    const next = this.next;
    if (next === null) return false;
    const oldSize = this.mask + 1;
    const newMask = oldSize * 2 - 1;
    while (steps-- > 0 && this.splitDone < oldSize) {
      const i = this.splitDone;
      const old = this.buckets[i];
      const hi = this.newBucket();
      this.splitInto(old, hi, newMask, i);
      next[i] = old;
      next[i + oldSize] = hi;
      this.splitDone++;
    }
    if (this.splitDone < oldSize) return true;
    this.buckets = next;
    this.mask = newMask;
    this.next = null;
    this.splitDone = 0;
    return false;
  }

  /** Halves the table (repeatedly) while it is sparse. Not while growing. */
  private shrink(): void {
    while (this.mask + 1 > MIN_BUCKETS && this.count < (this.mask + 1) * SHRINK_LOAD) {
      const half = (this.mask + 1) >>> 1;
      const old = this.buckets;
      const nb = new Array<B>(half);
      for (let i = 0; i < half; i++) {
        let a = old[i];
        let b = old[i + half];
        if (a.size < b.size) [a, b] = [b, a];
        if (b.size > 0) this.mergeInto(a, b);
        nb[i] = a;
      }
      this.buckets = nb;
      this.mask = half - 1;
    }
  }

  /** Every bucket currently holding entries (both tables while growing). */
  protected forEachBucket(fn: (b: B) => void): void {
    if (this.next === null) {
      const buckets = this.buckets;
      for (let i = 0; i < buckets.length; i++) fn(buckets[i]);
      return;
    }
    const oldSize = this.mask + 1;
    for (let i = 0; i < this.splitDone; i++) {
      fn(this.next[i]);
      fn(this.next[i + oldSize]);
    }
    for (let i = this.splitDone; i < oldSize; i++) fn(this.buckets[i]);
  }

  /**
   * Visits the bucket(s) at `cursor` (and more, until `minEntries` entries
   * were seen or `maxBuckets` buckets were walked) and returns the next
   * cursor, 0 when the walk is complete.
   */
  protected scanBuckets(cursor: number, fn: (key: string, b: B) => void, minEntries: number, maxBuckets: number): number {
    let v = cursor >>> 0;
    let seen = 0;
    let walked = 0;
    do {
      const mask = this.mask;
      const s = v & mask;
      if (this.next !== null && s < this.splitDone) {
        // Both halves of a split bucket: everything that hashed to s in the smaller table.
        const lo = this.next[s];
        const hi = this.next[s + mask + 1];
        seen += lo.size + hi.size;
        this.visit(lo, fn);
        this.visit(hi, fn);
      } else {
        const b = this.buckets[s];
        seen += b.size;
        this.visit(b, fn);
      }
      v = nextCursor(v, mask);
      walked++;
    } while (v !== 0 && seen < minEntries && walked < maxBuckets);
    return v;
  }

  /** A uniformly chosen bucket slot holding an entry: the bucket and the entry's position in it. */
  protected randomSlot(): [B, number] | null {
    if (this.count === 0) return null;
    for (let tries = 0; tries < 10000; tries++) {
      const oldSize = this.mask + 1;
      let b: B;
      let range: number;
      if (this.next === null) {
        b = this.buckets[randomInt(oldSize)];
        range = RANDOM_CAP;
      } else {
        // Logical table of 2 * oldSize slots: an unsplit bucket stands for two of them.
        const r = randomInt(oldSize * 2);
        const s = r & this.mask;
        if (s < this.splitDone) {
          b = this.next[r];
          range = RANDOM_CAP;
        } else {
          b = this.buckets[s];
          range = RANDOM_CAP * 2;
        }
      }
      const n = b.size;
      if (n === 0) continue;
      const j = randomInt(n > range ? n : range);
      if (j < n) return [b, j];
    }
    // Practically unreachable; stay correct anyway.
    let found: B | null = null;
    this.forEachBucket((b) => {
      if (found === null && b.size > 0) found = b;
    });
    return found === null ? null : [found, 0];
  }
}

function nthKey(b: Bucket, n: number): string {
  for (const k of b.keys()) if (n-- === 0) return k;
  throw new Error('nthKey out of range');
}

/** A set of strings with a scan cursor and uniform random picks. */
export class ScanSet extends BucketTable<Set<string>> {
  protected newBucket(): Set<string> {
    return new Set();
  }

  protected splitInto(from: Set<string>, hi: Set<string>, newMask: number, i: number): void {
    for (const k of from) {
      if ((hashKey(k) & newMask) !== i) {
        hi.add(k);
        from.delete(k);
      }
    }
  }

  protected mergeInto(into: Set<string>, from: Set<string>): void {
    for (const k of from) into.add(k);
  }

  protected visit(b: Set<string>, fn: (key: string, b: Set<string>) => void): void {
    for (const k of b) fn(k, b);
  }

  /** Adds a member; true when it is new. */
  add(key: string): boolean {
    const b = this.bucketFor(key);
    const before = b.size;
    b.add(key);
    if (b.size === before) return false;
    this.added();
    return true;
  }

  forEach(fn: (key: string) => void): void {
    this.forEachBucket((b) => {
      for (const k of b) fn(k);
    });
  }

  /** Calls fn for members until it returns true; true when it did. */
  some(fn: (key: string) => boolean): boolean {
    const visit = (b: Set<string>): boolean => {
      for (const k of b) if (fn(k)) return true;
      return false;
    };
    if (this.next === null) {
      const buckets = this.buckets;
      for (let i = 0; i < buckets.length; i++) if (visit(buckets[i])) return true;
      return false;
    }
    const oldSize = this.mask + 1;
    for (let i = 0; i < this.splitDone; i++) if (visit(this.next[i]) || visit(this.next[i + oldSize])) return true;
    for (let i = this.splitDone; i < oldSize; i++) if (visit(this.buckets[i])) return true;
    return false;
  }

  /** Members as an array. */
  toArray(): string[] {
    const out = new Array<string>(this.count);
    let i = 0;
    this.forEachBucket((b) => {
      for (const k of b) out[i++] = k;
    });
    return out;
  }

  /** One step of SSCAN: calls fn for the members of the next bucket(s); returns the next cursor. */
  scan(cursor: number, fn: (key: string) => void, minEntries = 1, maxBuckets = 1): number {
    return this.scanBuckets(cursor, (k) => fn(k), minEntries, maxBuckets);
  }

  /** A uniformly random member, or undefined when empty. */
  random(): string | undefined {
    const slot = this.randomSlot();
    return slot === null ? undefined : nthKey(slot[0], slot[1]);
  }
}

/** A string -> V map with a scan cursor and uniform random picks. */
export class ScanMap<V> extends BucketTable<Map<string, V>> {
  protected newBucket(): Map<string, V> {
    return new Map();
  }

  protected splitInto(from: Map<string, V>, hi: Map<string, V>, newMask: number, i: number): void {
    for (const [k, v] of from) {
      if ((hashKey(k) & newMask) !== i) {
        hi.set(k, v);
        from.delete(k);
      }
    }
  }

  protected mergeInto(into: Map<string, V>, from: Map<string, V>): void {
    for (const [k, v] of from) into.set(k, v);
  }

  protected visit(b: Map<string, V>, fn: (key: string, b: Map<string, V>) => void): void {
    for (const k of b.keys()) fn(k, b);
  }

  get(key: string): V | undefined {
    return this.bucketFor(key).get(key);
  }

  /** Inserts or replaces; true when the key is new. */
  set(key: string, value: V): boolean {
    const b = this.bucketFor(key);
    const before = b.size;
    b.set(key, value);
    if (b.size === before) return false;
    this.added();
    return true;
  }

  forEach(fn: (key: string, value: V) => void): void {
    this.forEachBucket((b) => {
      for (const [k, v] of b) fn(k, v);
    });
  }

  /** One step of HSCAN: calls fn for the entries of the next bucket(s); returns the next cursor. */
  scan(cursor: number, fn: (key: string, value: V) => void, minEntries = 1, maxBuckets = 1): number {
    return this.scanBuckets(cursor, (k, b) => fn(k, b.get(k) as V), minEntries, maxBuckets);
  }

  /** A uniformly random key, or undefined when empty. */
  randomKey(): string | undefined {
    const slot = this.randomSlot();
    return slot === null ? undefined : nthKey(slot[0], slot[1]);
  }
}
