/**
 * A string-keyed hash table made of many small V8 Maps ("buckets").
 *
 * Why not one Map: a V8 Map holds at most 2^24 entries, and it offers no
 * stable cursor. Here a key lives in bucket `hash(key) & mask`; the table
 * doubles by splitting buckets a few at a time (so growth never stalls the
 * event loop), and SCAN walks bucket indexes in reverse-binary order, which,
 * as in Redis's dict, returns every key present for the whole iteration even
 * while the table grows.
 */

/** Average keys per bucket before the table doubles. */
const LOAD = 32;
/** Buckets split per write while growing; the rest is done by `rehashStep`. */
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

/** Next cursor in reverse-binary order for a table of `mask + 1` buckets; 0 when done. */
function nextCursor(v: number, mask: number): number {
  v = (v | ~mask) >>> 0;
  v = reverseBits(v);
  v = (v + 1) >>> 0;
  return reverseBits(v);
}

export class Dict<V> {
  /** Current buckets (size = mask + 1). */
  private buckets: Map<string, V>[];
  private mask: number;
  /** While growing: the doubled table, and how many old buckets are split into it. */
  private next: Map<string, V>[] | null = null;
  private splitDone = 0;
  private count = 0;

  constructor(initialBuckets = 4) {
    let n = 1;
    while (n < initialBuckets) n <<= 1;
    this.mask = n - 1;
    this.buckets = new Array(n);
    for (let i = 0; i < n; i++) this.buckets[i] = new Map();
  }

  get size(): number {
    return this.count;
  }

  private bucketFor(key: string): Map<string, V> {
    const h = hashKey(key);
    const i = h & this.mask;
    if (this.next !== null && i < this.splitDone) return this.next[h & (this.mask * 2 + 1)];
    return this.buckets[i];
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
    else if (this.count > (this.mask + 1) * LOAD) this.startGrow();
    return true;
  }

  delete(key: string): boolean {
    if (!this.bucketFor(key).delete(key)) return false;
    this.count--;
    return true;
  }

  clear(): void {
    this.mask = 3;
    this.buckets = [new Map(), new Map(), new Map(), new Map()];
    this.next = null;
    this.splitDone = 0;
    this.count = 0;
  }

  private startGrow(): void {
    const n = (this.mask + 1) * 2;
    // Beyond 2^30 buckets the mask arithmetic would overflow; 2^35 keys will not fit in memory anyway.
    if (n > 1 << 30) return;
    this.next = new Array(n);
    this.splitDone = 0;
  }

  /** Splits up to `steps` buckets of a growth in progress; returns true while work remains. */
  rehashStep(steps: number): boolean {
    const next = this.next;
    if (next === null) return false;
    const oldSize = this.mask + 1;
    const newMask = oldSize * 2 - 1;
    while (steps-- > 0 && this.splitDone < oldSize) {
      const i = this.splitDone;
      const old = this.buckets[i];
      const lo = new Map<string, V>();
      const hi = new Map<string, V>();
      for (const [k, v] of old) {
        if ((hashKey(k) & newMask) === i) lo.set(k, v);
        else hi.set(k, v);
      }
      next[i] = lo;
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

  get rehashing(): boolean {
    return this.next !== null;
  }

  *keys(): IterableIterator<string> {
    for (const b of this.allBuckets()) yield* b.keys();
  }

  *entries(): IterableIterator<[string, V]> {
    for (const b of this.allBuckets()) yield* b.entries();
  }

  private allBuckets(): Map<string, V>[] {
    if (this.next === null) return this.buckets.slice();
    const oldSize = this.mask + 1;
    const out: Map<string, V>[] = [];
    for (let i = 0; i < this.splitDone; i++) out.push(this.next[i], this.next[i + oldSize]);
    for (let i = this.splitDone; i < oldSize; i++) out.push(this.buckets[i]);
    return out;
  }

  /**
   * Calls `fn` for the keys of the bucket(s) at `cursor` and returns the next
   * cursor (0 when the walk is complete). Visits at least `minBuckets` buckets.
   */
  scan(cursor: number, fn: (key: string, value: V) => void, minBuckets = 1): number {
    let v = cursor >>> 0;
    let visited = 0;
    do {
      const smallMask = this.mask;
      const s = v & smallMask;
      if (this.next !== null && s < this.splitDone) {
        // Every expansion of s lives in the doubled table at s and s + size.
        for (const [k, val] of this.next[s]) fn(k, val);
        for (const [k, val] of this.next[s + smallMask + 1]) fn(k, val);
      } else {
        for (const [k, val] of this.buckets[s]) fn(k, val);
      }
      v = nextCursor(v, smallMask);
      visited++;
    } while (v !== 0 && visited < minBuckets);
    return v;
  }

  /** A uniformly chosen bucket's random key, retrying empty buckets; undefined if empty. */
  randomKey(): string | undefined {
    if (this.count === 0) return undefined;
    for (let tries = 0; tries < 100; tries++) {
      const b = this.randomBucket();
      if (b.size > 0) return nthKey(b, Math.floor(Math.random() * b.size));
    }
    // Sparse table: fall back to a walk from a random cursor.
    let found: string | undefined;
    let cursor = Math.floor(Math.random() * (this.mask + 1));
    const start = cursor;
    do {
      cursor = this.scan(cursor, (k) => {
        if (found === undefined) found = k;
      });
    } while (found === undefined && cursor !== start && cursor !== 0);
    if (found === undefined) for (const k of this.keys()) return k;
    return found;
  }

  private randomBucket(): Map<string, V> {
    const i = Math.floor(Math.random() * (this.mask + 1));
    if (this.next !== null && i < this.splitDone) return this.next[i + (Math.random() < 0.5 ? 0 : this.mask + 1)];
    return this.buckets[i];
  }
}

function nthKey(m: Map<string, unknown>, n: number): string | undefined {
  for (const k of m.keys()) if (n-- === 0) return k;
  return undefined;
}
