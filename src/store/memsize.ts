/**
 * What the V8 heap spends on the pieces the keyspace is made of, for MEMORY
 * USAGE and MEMORY STATS. Node's default build is 64-bit without pointer
 * compression: every pointer or small integer slot takes 8 bytes.
 *
 * The per-entry figures of the hash tables include the tables' spare
 * capacity (a V8 Map keeps 3 slots an entry plus half a slot of bucket
 * heads, and doubles when full, so it runs between half and fully used).
 * They were measured on Node 20 by filling many tables and reading the heap
 * after a full GC; test/memory.test.ts checks the estimates against the heap
 * again, so a V8 change that moves them shows up there.
 */

/** A sequential one-byte string: map, hash and length words, then its bytes, rounded up to 8. */
export function stringBytes(len: number): number {
  return Math.ceil((16 + len) / 8) * 8;
}

/** A plain object with `fields` in-object properties (map, properties and elements words first). */
export function objectBytes(fields: number): number {
  return 24 + 8 * fields;
}

/** One key of a database's Dict (its slot in a bucket Map), key and value excluded. */
export const DICT_ENTRY_BYTES = 45;

/** A TTL: the key's slot in the expires Dict plus the boxed double holding the time. */
export const EXPIRE_ENTRY_BYTES = 61;

/** A V8 Map or Set before any entry: the object, its table's header and counters. */
const HASH_TABLE_BASE = 72;
/** Bytes per entry of capacity: a Map keeps key, value and chain slots, a Set key and chain, both half a bucket head. */
export const MAP_SLOT_BYTES = 28;
export const SET_SLOT_BYTES = 20;
/** Capacity per entry held: V8 tables start at 4 and double when full, so they run about 60% full. */
const CAPACITY_PER_ENTRY = 1.6;

/**
 * A ScanMap or ScanSet holding `entries` in `buckets` small Maps or Sets
 * (`slotBytes`: MAP_SLOT_BYTES or SET_SLOT_BYTES), the elements' strings
 * excluded: the object, the bucket array, each bucket's fixed part, and the
 * buckets' capacity (at least 4 entries each, which dominates small tables).
 */
export function bucketTableBytes(entries: number, buckets: number, slotBytes: number): number {
  const capacity = Math.max(4 * buckets, entries * CAPACITY_PER_ENTRY);
  return objectBytes(6) + 16 + 8 * buckets + buckets * HASH_TABLE_BASE + Math.round(capacity * slotBytes);
}

/**
 * Redis's sampling rule for collections (objectComputeSize): the bytes of
 * the first `samples` elements (all when 0 or more than there are),
 * averaged and scaled to `size` elements.
 */
export function extrapolate(sampledBytes: number, sampled: number, size: number): number {
  return sampled === 0 ? 0 : Math.round((sampledBytes / sampled) * size);
}
