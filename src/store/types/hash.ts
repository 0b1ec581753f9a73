/**
 * The hash value, in Redis 7.0's two encodings:
 *
 * - "listpack": all pairs packed in ONE latin1 string, each field and value
 *   as a varint length then its bytes, in insertion order (a replaced value
 *   keeps its place, a deleted pair closes the gap), which is the order
 *   Redis's listpack shows in HGETALL, HKEYS, HSCAN. Like a listpack it is
 *   compact (one string instead of two string objects a pair: a 5-field hash
 *   takes about a quarter of the memory) and lookups are linear scans over at
 *   most hash-max-listpack-entries (512) pairs, with native startsWith. A
 *   change rebuilds the string (O(size), as Redis's memmove), flat via join.
 * - "hashtable": a ScanMap (bucketed, stable HSCAN cursor, uniform random
 *   picks, no Map size limit). Order is unspecified.
 *
 * A hash converts when a pair would exceed hash-max-listpack-entries or a
 * field or value longer than hash-max-listpack-value is stored, and never
 * converts back. The thresholds are read by the caller at each change
 * (hashLimits) so CONFIG SET takes effect at once, as in Redis.
 */
import type { Config } from '../../config/config';
import type { CollectionValue } from '../value';
import { ScanMap, flatSlice } from './scantable';
import { bucketTableBytes, extrapolate, objectBytes, stringBytes, MAP_SLOT_BYTES } from '../memsize';

/** Position after the last readLen(). Module state: no allocation per read. */
let rpos = 0;

/** Reads a varint length at p (7 bits a char, high bit = more); leaves the position after it in rpos. */
function readLen(s: string, p: number): number {
  let c = s.charCodeAt(p++);
  if (c < 0x80) {
    rpos = p;
    return c;
  }
  let v = c & 0x7f;
  let mul = 0x80;
  for (;;) {
    c = s.charCodeAt(p++);
    v += (c & 0x7f) * mul;
    if (c < 0x80) break;
    mul *= 0x80;
  }
  rpos = p;
  return v;
}

function encLen(n: number): string {
  if (n < 0x80) return String.fromCharCode(n);
  let out = '';
  while (n >= 0x80) {
    out += String.fromCharCode((n % 0x80) | 0x80);
    n = Math.floor(n / 0x80);
  }
  return out + String.fromCharCode(n);
}

export interface HashLimits {
  /** hash-max-listpack-entries */
  maxEntries: number;
  /** hash-max-listpack-value */
  maxValue: number;
}

export function hashLimits(config: Config): HashLimits {
  return { maxEntries: config.getInt('hash-max-listpack-entries'), maxValue: config.getInt('hash-max-listpack-value') };
}

export class HashValue implements CollectionValue {
  /** Listpack form: the packed pairs; null once converted. */
  private lp: string | null = '';
  /** Number of pairs in lp. */
  private n = 0;
  /** Hashtable form. */
  private ht: ScanMap<string> | null = null;

  get type(): 'hash' {
    return 'hash';
  }

  get size(): number {
    return this.lp !== null ? this.n : this.ht!.size;
  }

  get isListpack(): boolean {
    return this.lp !== null;
  }

  encoding(_config?: Config): string {
    return this.lp !== null ? 'listpack' : 'hashtable';
  }

  clone(): HashValue {
    const h = new HashValue();
    if (this.lp !== null) {
      // Strings are immutable: the packed pairs can be shared.
      h.lp = this.lp;
      h.n = this.n;
    } else {
      h.lp = null;
      const ht = new ScanMap<string>(this.ht!.size);
      this.ht!.forEach((f, v) => ht.set(f, v));
      h.ht = ht;
    }
    return h;
  }

  /**
   * Bytes this hash takes (MEMORY USAGE): exact for a listpack (one string);
   * for a hashtable, the table plus `samples` pairs (0: all) scaled to the
   * size, as Redis samples.
   */
  memoryUsage(samples: number): number {
    const own = objectBytes(3);
    if (this.lp !== null) return own + stringBytes(this.lp.length);
    const ht = this.ht!;
    const limit = samples <= 0 || samples >= ht.size ? ht.size : samples;
    let bytes = 0;
    let seen = 0;
    const visit = (f: string, v: string): void => {
      if (seen >= limit) return;
      bytes += stringBytes(f.length) + stringBytes(v.length);
      seen++;
    };
    if (limit === ht.size) ht.forEach(visit);
    else ht.scan(0, visit, limit, Infinity);
    return own + bucketTableBytes(ht.size, ht.bucketCount, MAP_SLOT_BYTES) + extrapolate(bytes, seen, ht.size);
  }

  /** Builds a hash from pairs (RDB load, tests), choosing the encoding Redis would for that content. */
  static fromPairs(pairs: Iterable<[string, string]>, limits: HashLimits): HashValue {
    const h = new HashValue();
    for (const [f, v] of pairs) h.set(f, v, limits);
    return h;
  }

  /** Converts to the hashtable encoding (no-op when already there). */
  toHashtable(): void {
    if (this.lp === null) return;
    const ht = new ScanMap<string>(this.n);
    this.forEach((f, v) => ht.set(f, v));
    this.ht = ht;
    this.lp = null;
    this.n = 0;
  }

  /** Position of the pair whose field is `field` in the listpack, or -1. */
  private find(field: string): number {
    const s = this.lp!;
    const flen = field.length;
    const end = s.length;
    let p = 0;
    while (p < end) {
      const start = p;
      let len = s.charCodeAt(p);
      if (len < 0x80) p++;
      else {
        len = readLen(s, p);
        p = rpos;
      }
      if (len === flen && s.startsWith(field, p)) return start;
      p += len;
      len = s.charCodeAt(p);
      if (len < 0x80) p += 1 + len;
      else {
        len = readLen(s, p);
        p = rpos + len;
      }
    }
    return -1;
  }

  /** The value of the pair at `at` (a position from find). */
  private valueAt(at: number): string {
    const s = this.lp!;
    const flen = readLen(s, at);
    const vlen = readLen(s, rpos + flen);
    return flatSlice(s, rpos, rpos + vlen);
  }

  get(field: string): string | undefined {
    if (this.lp !== null) {
      const at = this.find(field);
      return at < 0 ? undefined : this.valueAt(at);
    }
    return this.ht!.get(field);
  }

  has(field: string): boolean {
    return this.lp !== null ? this.find(field) >= 0 : this.ht!.has(field);
  }

  /**
   * Sets a field (Redis's hashTypeSet): converts first when the field or the
   * value is too long for a listpack, and after when there are too many
   * pairs (checked after a replacement too: a lowered limit converts on the
   * next write). Returns true when the field is new.
   */
  set(field: string, value: string, limits: HashLimits): boolean {
    if (this.lp !== null && (field.length > limits.maxValue || value.length > limits.maxValue)) this.toHashtable();
    const s = this.lp;
    if (s === null) return this.ht!.set(field, value);
    const at = this.find(field);
    let created = false;
    if (at >= 0) {
      const flen = readLen(s, at);
      const vpos = rpos + flen;
      const vlen = readLen(s, vpos);
      this.lp = [s.slice(0, vpos), encLen(value.length), value, s.slice(rpos + vlen)].join('');
    } else {
      this.lp = [s, encLen(field.length), field, encLen(value.length), value].join('');
      this.n++;
      created = true;
    }
    if (this.n > limits.maxEntries) this.toHashtable();
    return created;
  }

  /** Removes a field; true when it existed. */
  delete(field: string): boolean {
    const s = this.lp;
    if (s === null) return this.ht!.delete(field);
    const at = this.find(field);
    if (at < 0) return false;
    const flen = readLen(s, at);
    const vlen = readLen(s, rpos + flen);
    const end = rpos + vlen;
    this.lp = at === 0 ? flatSlice(s, end, s.length) : end === s.length ? flatSlice(s, 0, at) : [s.slice(0, at), s.slice(end)].join('');
    this.n--;
    return true;
  }

  /** Calls fn for every pair, in listpack order for a listpack. The hash must not change meanwhile. */
  forEach(fn: (field: string, value: string) => void): void {
    this.walk(fn, true);
  }

  /**
   * forEach for strings that are used at once (replies): from a listpack
   * they are views into the packed string, not copies, and must not be kept.
   */
  forEachView(fn: (field: string, value: string) => void): void {
    this.walk(fn, false);
  }

  private walk(fn: (field: string, value: string) => void, copy: boolean): void {
    const s = this.lp;
    if (s === null) {
      this.ht!.forEach(fn);
      return;
    }
    const end = s.length;
    let p = 0;
    while (p < end) {
      const flen = readLen(s, p);
      const fpos = rpos;
      const vlen = readLen(s, fpos + flen);
      const vpos = rpos;
      if (copy) fn(flatSlice(s, fpos, fpos + flen), flatSlice(s, vpos, vpos + vlen));
      else fn(s.slice(fpos, fpos + flen), s.slice(vpos, vpos + vlen));
      p = vpos + vlen;
    }
  }

  /** Every pair, in iteration order, for a reply (views: see forEachView). */
  pairs(): Array<[string, string]> {
    const out: Array<[string, string]> = [];
    this.forEachView((f, v) => out.push([f, v]));
    return out;
  }

  /** A uniformly random pair; the hash must not be empty. */
  randomPair(): [string, string] {
    if (this.lp !== null) {
      let i = Math.floor(Math.random() * this.n);
      const s = this.lp;
      let p = 0;
      for (;;) {
        const flen = readLen(s, p);
        const fpos = rpos;
        const vlen = readLen(s, fpos + flen);
        if (i-- === 0) return [flatSlice(s, fpos, fpos + flen), flatSlice(s, rpos, rpos + vlen)];
        p = rpos + vlen;
      }
    }
    const f = this.ht!.randomKey()!;
    return [f, this.ht!.get(f)!];
  }

  /** `count` independent random pairs (HRANDFIELD with a negative count). */
  randomPairs(count: number): Array<[string, string]> {
    const out: Array<[string, string]> = new Array(count);
    if (this.lp !== null) {
      const all = this.pairs();
      for (let i = 0; i < count; i++) out[i] = all[Math.floor(Math.random() * all.length)];
      return out;
    }
    for (let i = 0; i < count; i++) out[i] = this.randomPair();
    return out;
  }

  /**
   * `count` distinct random pairs, 0 < count < size. For a listpack they come
   * in listpack order (as Redis's lpRandomPairsUnique); otherwise in random order.
   */
  randomDistinctPairs(count: number): Array<[string, string]> {
    const n = this.size;
    if (this.lp !== null) {
      // Selection sampling: each position kept with probability (still needed / still left).
      const out: Array<[string, string]> = [];
      let need = count;
      let i = 0;
      this.forEachView((f, v) => {
        if (need > 0 && Math.random() * (n - i) < need) {
          out.push([f, v]);
          need--;
        }
        i++;
      });
      return out;
    }
    const ht = this.ht!;
    if (count * 3 > n) {
      // Many of them: shuffle the fields and keep a prefix.
      const fields: string[] = new Array(n);
      let k = 0;
      ht.forEach((f) => (fields[k++] = f));
      for (let i = 0; i < count; i++) {
        const j = i + Math.floor(Math.random() * (n - i));
        const t = fields[i];
        fields[i] = fields[j];
        fields[j] = t;
      }
      const out: Array<[string, string]> = new Array(count);
      for (let i = 0; i < count; i++) out[i] = [fields[i], ht.get(fields[i])!];
      return out;
    }
    // Few of them: draw until enough distinct ones.
    const picked = new Set<string>();
    const out: Array<[string, string]> = [];
    while (out.length < count) {
      const f = ht.randomKey()!;
      if (picked.has(f)) continue;
      picked.add(f);
      out.push([f, ht.get(f)!]);
    }
    return out;
  }

  /**
   * One HSCAN step. A listpack is returned whole with cursor 0 (as Redis
   * does); a hashtable walks buckets from `cursor` until about `count`
   * pairs were seen (at most count * 10 buckets). Returns the next cursor.
   */
  scan(cursor: number, count: number, fn: (field: string, value: string) => void): number {
    if (this.lp !== null) {
      this.forEachView(fn);
      return 0;
    }
    return this.ht!.scan(cursor, fn, count, count * 10);
  }
}
