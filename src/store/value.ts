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
}

export type RedisValue = string | CollectionValue;

export function typeOf(v: RedisValue): TypeName {
  return typeof v === 'string' ? 'string' : v.type;
}

/** OBJECT ENCODING of a string value: int, embstr or raw, as Redis picks them. */
export function stringEncoding(s: string): string {
  if (s.length <= 20 && /^-?[1-9]\d*$|^0$/.test(s)) {
    const n = BigInt(s);
    if (n >= -9223372036854775808n && n <= 9223372036854775807n) return 'int';
  }
  return s.length <= 44 ? 'embstr' : 'raw';
}
