/**
 * Typed key lookups shared by the collection families (lists, hashes, sets,
 * sorted sets): the value at a key when it holds the command's type.
 *
 * One convention everywhere: `undefined` when the key does not exist, `null`
 * after the WRONGTYPE error was replied (the handler then just returns).
 * Reads count keyspace hits and misses (lookupRead); writes do not
 * (lookupWrite). Neither allocates.
 */
import type { Client } from '../server/client';
import type { RedisValue } from '../store/value';
import { E } from './errors';

/** A collection class: ListValue, HashValue, SetValue, ZSet. */
type ValueClass<T> = abstract new (...args: never[]) => T;

function ofType<T>(c: Client, v: RedisValue | undefined, type: ValueClass<T>): T | undefined | null {
  if (v === undefined) return undefined;
  if (!(v instanceof type)) {
    c.error(E.WRONGTYPE);
    return null;
  }
  return v;
}

/** The value at `key` for a read command: undefined when missing, null after a WRONGTYPE reply. */
export function readTyped<T>(c: Client, key: string, type: ValueClass<T>): T | undefined | null {
  return ofType(c, c.db.lookupRead(key), type);
}

/** The value at `key` for a write command: undefined when missing, null after a WRONGTYPE reply. */
export function writeTyped<T>(c: Client, key: string, type: ValueClass<T>): T | undefined | null {
  return ofType(c, c.db.lookupWrite(key), type);
}
