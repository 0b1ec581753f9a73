/**
 * The hash value, in Redis 7.0's two encodings:
 *
 * - "listpack": one flat array [field0, value0, field1, value1, ...] in
 *   insertion order (a replaced value keeps its place, a deleted pair closes
 *   the gap), which is the order Redis's listpack shows in HGETALL, HKEYS,
 *   HSCAN. Lookups are linear scans, as in Redis: at most
 *   hash-max-listpack-entries (128) pairs.
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
import { ScanMap } from './scantable';

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
  readonly type = 'hash' as const;
  /** Listpack form: fields at even indexes, their values after them; null once converted. */
  private lp: string[] | null = [];
  /** Hashtable form. */
  private ht: ScanMap<string> | null = null;

  get size(): number {
    return this.lp !== null ? this.lp.length >>> 1 : this.ht!.size;
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
      h.lp = this.lp.slice();
    } else {
      h.lp = null;
      const ht = new ScanMap<string>(this.ht!.size);
      this.ht!.forEach((f, v) => ht.set(f, v));
      h.ht = ht;
    }
    return h;
  }

  /** Builds a hash from pairs (RDB load, tests), choosing the encoding Redis would for that content. */
  static fromPairs(pairs: Iterable<[string, string]>, limits: HashLimits): HashValue {
    const h = new HashValue();
    for (const [f, v] of pairs) h.set(f, v, limits);
    return h;
  }

  /** Converts to the hashtable encoding (no-op when already there). */
  toHashtable(): void {
    const lp = this.lp;
    if (lp === null) return;
    const ht = new ScanMap<string>(lp.length >>> 1);
    for (let i = 0; i < lp.length; i += 2) ht.set(lp[i], lp[i + 1]);
    this.ht = ht;
    this.lp = null;
  }

  private lpIndex(field: string): number {
    const lp = this.lp!;
    for (let i = 0; i < lp.length; i += 2) if (lp[i] === field) return i;
    return -1;
  }

  get(field: string): string | undefined {
    if (this.lp !== null) {
      const i = this.lpIndex(field);
      return i < 0 ? undefined : this.lp[i + 1];
    }
    return this.ht!.get(field);
  }

  has(field: string): boolean {
    return this.lp !== null ? this.lpIndex(field) >= 0 : this.ht!.has(field);
  }

  /**
   * Sets a field (Redis's hashTypeSet): converts first when the field or the
   * value is too long for a listpack, and after when there are too many
   * pairs. Returns true when the field is new.
   */
  set(field: string, value: string, limits: HashLimits): boolean {
    if (this.lp !== null && (field.length > limits.maxValue || value.length > limits.maxValue)) this.toHashtable();
    const lp = this.lp;
    if (lp !== null) {
      const i = this.lpIndex(field);
      let created = false;
      if (i >= 0) {
        lp[i + 1] = value;
      } else {
        lp.push(field, value);
        created = true;
      }
      // Checked after a replacement too: a lowered limit converts on the next write.
      if (lp.length >>> 1 > limits.maxEntries) this.toHashtable();
      return created;
    }
    return this.ht!.set(field, value);
  }

  /** Removes a field; true when it existed. */
  delete(field: string): boolean {
    const lp = this.lp;
    if (lp !== null) {
      const i = this.lpIndex(field);
      if (i < 0) return false;
      lp.splice(i, 2);
      return true;
    }
    return this.ht!.delete(field);
  }

  /** Calls fn for every pair, in listpack order for a listpack. The hash must not change meanwhile. */
  forEach(fn: (field: string, value: string) => void): void {
    const lp = this.lp;
    if (lp !== null) {
      for (let i = 0; i < lp.length; i += 2) fn(lp[i], lp[i + 1]);
      return;
    }
    this.ht!.forEach(fn);
  }

  /** The pair at a listpack position (0-based pair index); listpack only. */
  pairAt(index: number): [string, string] {
    const lp = this.lp!;
    return [lp[index * 2], lp[index * 2 + 1]];
  }

  /** A uniformly random pair; the hash must not be empty. */
  randomPair(): [string, string] {
    const lp = this.lp;
    if (lp !== null) {
      const i = Math.floor(Math.random() * (lp.length >>> 1)) * 2;
      return [lp[i], lp[i + 1]];
    }
    const f = this.ht!.randomKey()!;
    return [f, this.ht!.get(f)!];
  }

  /**
   * `count` distinct random pairs, 0 < count < size. For a listpack they come
   * in listpack order (as Redis's lpRandomPairsUnique); otherwise in random order.
   */
  randomDistinctPairs(count: number): Array<[string, string]> {
    const n = this.size;
    const lp = this.lp;
    if (lp !== null) {
      // Selection sampling: each position kept with probability (still needed / still left).
      const out: Array<[string, string]> = [];
      let need = count;
      for (let i = 0; i < n && need > 0; i++) {
        if (Math.random() * (n - i) < need) {
          out.push([lp[i * 2], lp[i * 2 + 1]]);
          need--;
        }
      }
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
      this.forEach(fn);
      return 0;
    }
    return this.ht!.scan(cursor, fn, count, count * 10);
  }
}
