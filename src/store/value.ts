/**
 * What a key holds. Strings are stored as latin1 JS strings (one char per
 * byte): smaller and faster than Buffers. The other types are objects that
 * say their type and the encoding Redis would report for them.
 */
import type { Config } from '../config/config';

export type TypeName = 'string' | 'list' | 'hash' | 'set' | 'zset' | 'stream';

export interface CollectionValue {
  readonly type: Exclude<TypeName, 'string'>;
  /** The OBJECT ENCODING Redis would report for this value at its current size. */
  encoding(config: Config): string;
  /** Number of elements (for --bigkeys, MEMORY USAGE, lazy free decisions). */
  readonly size: number;
  /** A deep copy (COPY, snapshots). */
  clone(): CollectionValue;
  /**
   * Bytes the value takes in this process (MEMORY USAGE): the object, its
   * tables and its elements. Big collections may sample `samples` elements
   * (0: all of them) and extrapolate, as Redis does. Types without it get a
   * generic estimate (see src/server/memstats.ts).
   */
  memoryUsage?(samples: number): number;
}

export type RedisValue = string | CollectionValue;

export function typeOf(v: RedisValue): TypeName {
  return typeof v === 'string' ? 'string' : v.type;
}

/**
 * How a string value came to be, which decides its OBJECT ENCODING beyond
 * its content. Values are kept as plain strings; the database remembers the
 * few keys that are not STR_BY_CONTENT (Database.stringKind).
 * - STR_BY_CONTENT: stored whole by SET, MSET, GETSET, INCR, APPEND to a
 *   missing key...: Redis's tryObjectEncoding picks int, embstr or raw.
 * - STR_RAW: modified in place (APPEND, SETRANGE, SETBIT, BITFIELD, BITOP
 *   destination): Redis holds it as a raw sds whatever it looks like.
 * - STR_NOT_INT: built from text by a command that never makes integers
 *   (INCRBYFLOAT): embstr when short, raw otherwise.
 */
export type StringKind = 0 | 1 | 2;
export const STR_BY_CONTENT: StringKind = 0;
export const STR_RAW: StringKind = 1;
export const STR_NOT_INT: StringKind = 2;

/** OBJECT ENCODING of a string value: int, embstr or raw, as Redis picks them. */
export function stringEncoding(s: string, kind: StringKind = STR_BY_CONTENT): string {
  if (kind === STR_RAW) return 'raw';
  if (kind === STR_BY_CONTENT && s.length <= 20 && /^-?[1-9]\d*$|^0$/.test(s)) {
    const n = BigInt(s);
    if (n >= -9223372036854775808n && n <= 9223372036854775807n) return 'int';
  }
  return s.length <= 44 ? 'embstr' : 'raw';
}
