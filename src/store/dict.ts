/**
 * A string-keyed hash table made of many small V8 Maps ("buckets").
 *
 * Why not one Map: a V8 Map holds at most 2^24 entries, and it offers no
 * stable cursor. Here a key lives in bucket `hash(key) & mask`. The table
 * doubles when it gets full and halves when it gets sparse, a few buckets
 * at a time (so resizing never stalls the event loop): while resizing, part
 * of the keys live in the new table and part in the old one.
 *
 * SCAN walks bucket indexes in reverse-binary order, as Redis's dict does,
 * and always at the granularity of the smaller of the two tables in play (a
 * bucket of the smaller table is the union of its two expansions in the
 * larger). This returns every key present for the whole iteration however
 * the table grows or shrinks between calls (some keys may come twice).
 */

/** Average keys per bucket before the table doubles. */
const LOAD = 32;
/** The table halves when the average falls below LOAD / SHRINK_RATIO keys per bucket. */
const SHRINK_RATIO = 8;
/** The smallest table. */
const MIN_BUCKETS = 4;
/** Buckets moved per write while resizing; the rest is done by `rehashStep` from cron. */
const SPLIT_PER_OP = 4;

export function hashKey(key: string): number {
  // FNV-1a over the latin1 code units; cheap and well mixed for short keys.
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  return h >>> 0;
}

function reverseBits(v: number): number {
  v = ((v >>> 1) & 0x55555555) | ((v & 0x55555555) << 1);
  v = ((v >>> 2) & 0x33333333) | ((v & 0x33333333) << 2);
  v = ((v >>> 4) & 0x0f0f0f0f) | ((v & 0x0f0f0f0f) << 4);
  v = ((v >>> 8) & 0x00ff00ff) | ((v & 0x00ff00ff) << 8);
  v = (v >>> 16) | (v << 16);
  return v >>> 0;
}

/**
 * The cursor after `v` in reverse-binary order for a table of `mask + 1`
 * buckets; 0 when the walk is over. Incrementing the reversed bits (the high
 * bits of the index first) keeps a walk valid when the table doubles or
 * halves between calls. Shared with the hash/set tables (types/scantable.ts).
 */
export function nextCursor(v: number, mask: number): number {
  v = (v | ~mask) >>> 0;
  v = reverseBits(v);
  v = (v + 1) >>> 0;
  return reverseBits(v);
}

export class Dict<V> {
  /** Current buckets (size = mask + 1). */
  private buckets: Map<string, V>[];
  private mask: number;
  /**
   * While resizing: the new table (twice or half the size of `buckets`), and
   * how many buckets of the smaller table are done. Growing: buckets[i] for
   * i < moved are split into next[i] and next[i + size]. Shrinking:
   * next[j] for j < moved holds buckets[j] and buckets[j + size / 2].
   */
  private next: Map<string, V>[] | null = null;
  private growing = true;
  private moved = 0;
  private count = 0;

  constructor(initialBuckets = MIN_BUCKETS) {
    let n = MIN_BUCKETS;
    while (n < initialBuckets) n <<= 1;
    this.mask = n - 1;
    this.buckets = newTable<V>(n);
  }

  get size(): number {
    return this.count;
  }

  /** Number of buckets of the current table (and of the new one while resizing). */
  get bucketCount(): number {
    return this.mask + 1 + (this.next === null ? 0 : this.next.length);
  }

  private bucketFor(key: string): Map<string, V> {
    const h = hashKey(key);
    const next = this.next;
    if (next === null) return this.buckets[h & this.mask];
    if (this.growing) {
      const i = h & this.mask;
      return i < this.moved ? next[h & (this.mask * 2 + 1)] : this.buckets[i];
    }
    const j = h & (this.mask >>> 1);
    return j < this.moved ? next[j] : this.buckets[h & this.mask];
  }

  get(key: string): V | undefined {
    return this.bucketFor(key).get(key);
  }

  has(key: string): boolean {
    return this.bucketFor(key).has(key);
  }

  /** Inserts or replaces; returns true when the key is new. */
  set(key: string, value: V): boolean {
    const b = this.bucketFor(key);
    const before = b.size;
    b.set(key, value);
    if (b.size === before) return false;
    this.count++;
    if (this.next !== null) this.rehashStep(SPLIT_PER_OP);
    else if (this.count > (this.mask + 1) * LOAD) this.startResize(true);
    return true;
  }

  delete(key: string): boolean {
    if (!this.bucketFor(key).delete(key)) return false;
    this.count--;
    if (this.next !== null) this.rehashStep(SPLIT_PER_OP);
    else if (this.mask + 1 > MIN_BUCKETS && this.count < ((this.mask + 1) * LOAD) / SHRINK_RATIO) this.startResize(false);
    return true;
  }

  clear(): void {
    this.mask = MIN_BUCKETS - 1;
    this.buckets = newTable<V>(MIN_BUCKETS);
    this.next = null;
    this.moved = 0;
    this.count = 0;
  }

  private startResize(grow: boolean): void {
    const size = this.mask + 1;
    // Beyond 2^30 buckets the mask arithmetic would overflow; 2^35 keys will not fit in memory anyway.
    if (grow && size * 2 > 1 << 30) return;
    this.next = new Array(grow ? size * 2 : size / 2);
    this.growing = grow;
    this.moved = 0;
  }

  /** Moves up to `steps` buckets of a resize in progress; returns true while work remains. */
  rehashStep(steps: number): boolean {
    const next = this.next;
    if (next === null) return false;
    const size = this.mask + 1;
    if (this.growing) {
      const newMask = size * 2 - 1;
      while (steps-- > 0 && this.moved < size) {
        const i = this.moved;
        const old = this.buckets[i];
        const lo = new Map<string, V>();
        const hi = new Map<string, V>();
        for (const [k, v] of old) {
          if ((hashKey(k) & newMask) === i) lo.set(k, v);
          else hi.set(k, v);
        }
        next[i] = lo;
        next[i + size] = hi;
        this.buckets[i] = EMPTY as Map<string, V>;
        this.moved++;
      }
      if (this.moved < size) return true;
      this.mask = newMask;
    } else {
      const half = size >>> 1;
      while (steps-- > 0 && this.moved < half) {
        const j = this.moved;
        // A new Map rather than adding one bucket to the other: like a split, a merge never
        // changes a Map someone may be iterating (keys(), entries()), so no key shows twice.
        const merged = new Map<string, V>(this.buckets[j]);
        for (const [k, v] of this.buckets[j + half]) merged.set(k, v);
        next[j] = merged;
        this.buckets[j] = EMPTY as Map<string, V>;
        this.buckets[j + half] = EMPTY as Map<string, V>;
        this.moved++;
      }
      if (this.moved < half) return true;
      this.mask = half - 1;
    }
    this.buckets = next;
    this.next = null;
    this.moved = 0;
    return false;
  }

  get rehashing(): boolean {
    return this.next !== null;
  }

  /**
   * Iterators over a snapshot of the buckets: writes made while iterating
   * (possibly across event-loop turns) may or may not be seen, but no key
   * present throughout is missed or returned twice.
   */
  *keys(): IterableIterator<string> {
    for (const b of this.allBuckets()) yield* b.keys();
  }

  *entries(): IterableIterator<[string, V]> {
    for (const b of this.allBuckets()) yield* b.entries();
  }

  /** Calls `fn` for every entry, without allocating (KEYS, snapshots). The dict must not change meanwhile. */
  forEach(fn: (key: string, value: V) => void): void {
    const visit = (v: V, k: string): void => fn(k, v);
    const next = this.next;
    if (next === null) {
      const buckets = this.buckets;
      for (let i = 0; i < buckets.length; i++) buckets[i].forEach(visit);
      return;
    }
    for (const b of next) if (b !== undefined) b.forEach(visit);
    const size = this.mask + 1;
    // Buckets not moved yet (the moved ones were replaced by EMPTY).
    for (let i = 0; i < size; i++) this.buckets[i].forEach(visit);
  }

  private allBuckets(): Map<string, V>[] {
    const out: Map<string, V>[] = [];
    if (this.next !== null) for (const b of this.next) if (b !== undefined) out.push(b);
    for (const b of this.buckets) if (b.size > 0) out.push(b);
    return out;
  }

  /**
   * Calls `fn` for the keys of the bucket(s) at `cursor` and returns the next
   * cursor (0 when the walk is complete). Visits at least `minBuckets` buckets.
   * `fn` must not add or delete keys.
   */
  scan(cursor: number, fn: (key: string, value: V) => void, minBuckets = 1): number {
    let v = cursor >>> 0;
    let visited = 0;
    do {
      const next = this.next;
      let smallMask: number;
      if (next === null) {
        smallMask = this.mask;
        for (const [k, val] of this.buckets[v & smallMask]) fn(k, val);
      } else if (this.growing) {
        smallMask = this.mask;
        const s = v & smallMask;
        if (s < this.moved) {
          // Every expansion of s lives in the doubled table at s and s + size.
          for (const [k, val] of next[s]) fn(k, val);
          for (const [k, val] of next[s + smallMask + 1]) fn(k, val);
        } else {
          for (const [k, val] of this.buckets[s]) fn(k, val);
        }
      } else {
        smallMask = this.mask >>> 1;
        const s = v & smallMask;
        if (s < this.moved) {
          for (const [k, val] of next[s]) fn(k, val);
        } else {
          for (const [k, val] of this.buckets[s]) fn(k, val);
          for (const [k, val] of this.buckets[s + smallMask + 1]) fn(k, val);
        }
      }
      v = nextCursor(v, smallMask);
      visited++;
    } while (v !== 0 && visited < minBuckets);
    return v;
  }

  /** A random key (a random bucket's random key, retrying empty buckets); undefined if empty. */
  randomKey(): string | undefined {
    if (this.count === 0) return undefined;
    for (let tries = 0; tries < 100; tries++) {
      const b = this.randomBucket();
      if (b.size > 0) return nthKey(b, Math.floor(Math.random() * b.size));
    }
    // Sparse table: walk from a random cursor to the first key.
    let found: string | undefined;
    const visit = (k: string): void => {
      if (found === undefined) found = k;
    };
    let cursor = Math.floor(Math.random() * (this.mask + 1));
    do cursor = this.scan(cursor, visit);
    while (found === undefined && cursor !== 0);
    while (found === undefined) cursor = this.scan(cursor, visit);
    return found;
  }

  private randomBucket(): Map<string, V> {
    const i = Math.floor(Math.random() * (this.mask + 1));
    const next = this.next;
    if (next === null) return this.buckets[i];
    if (this.growing) return i < this.moved ? next[i + (Math.random() < 0.5 ? 0 : this.mask + 1)] : this.buckets[i];
    const j = i & (this.mask >>> 1);
    return j < this.moved ? next[j] : this.buckets[i];
  }
}

/** Stands in for a bucket whose keys were moved to the new table (never written to). */
const EMPTY: Map<string, unknown> = new Map();

function newTable<V>(n: number): Map<string, V>[] {
  const t = new Array<Map<string, V>>(n);
  for (let i = 0; i < n; i++) t[i] = new Map();
  return t;
}

function nthKey(m: Map<string, unknown>, n: number): string | undefined {
  for (const k of m.keys()) if (n-- === 0) return k;
  return undefined;
}
