/**
 * WATCH bookkeeping: which clients watch which keys. Any change to a watched
 * key (through Database's hooks) marks its watchers dirty so EXEC fails.
 *
 * Redis 7.0 details kept here:
 * - A key that is already logically expired (but not yet deleted) when it is
 *   WATCHed is remembered as such: its later deletion (lazy or active expiry)
 *   is no logical change and does not fail EXEC.
 * - A watched key that expires between WATCH and EXEC fails EXEC, even when
 *   nobody touched it (checked by expiredSinceWatch at EXEC time).
 * - FLUSHDB/FLUSHALL/SWAPDB only invalidate watches of keys that existed
 *   (or, for SWAPDB, exist in the database swapped in).
 */
import type { Client } from './client';
import type { Database } from '../store/db';

interface WatchedKey {
  client: Client;
  db: Database;
  key: string;
  /** The key was already expired when WATCH ran. */
  expired: boolean;
}

export class WatchRegistry {
  /** Database id -> key -> watchers, in WATCH order. */
  private byDb = new Map<number, Map<string, WatchedKey[]>>();
  /** Each client's watched keys. */
  private byClient = new Map<Client, WatchedKey[]>();

  get active(): boolean {
    return this.byClient.size > 0;
  }

  /** How many keys a client watches. */
  count(c: Client): number {
    return this.byClient.get(c)?.length ?? 0;
  }

  /** Watches `key` of `db` for `c`; `now` is the command time (for keys already expired). */
  watch(c: Client, db: Database, key: string, now: number): void {
    let own = this.byClient.get(c);
    if (own !== undefined) {
      for (const wk of own) if (wk.db === db && wk.key === key) return;
    } else {
      own = [];
      this.byClient.set(c, own);
    }
    const when = db.expires.size > 0 ? db.expires.get(key) : undefined;
    const wk: WatchedKey = { client: c, db, key, expired: when !== undefined && when < now };
    own.push(wk);
    let keys = this.byDb.get(db.id);
    if (keys === undefined) this.byDb.set(db.id, (keys = new Map()));
    const list = keys.get(key);
    if (list === undefined) keys.set(key, [wk]);
    else list.push(wk);
    if (c.watched === null) c.watched = new Set();
    c.watched.add(db.id + '\0' + key);
  }

  /** Forgets a client's watched keys and its dirty flag (UNWATCH, EXEC, DISCARD, disconnection). */
  unwatchAll(c: Client): void {
    this.dropWatches(c);
    c.dirtyCas = false;
  }

  /** Removes the watched keys only (a dirty client keeps its flag until EXEC/UNWATCH). */
  private dropWatches(c: Client): void {
    const own = this.byClient.get(c);
    c.watched = null;
    if (own === undefined) return;
    this.byClient.delete(c);
    for (const wk of own) {
      const keys = this.byDb.get(wk.db.id);
      if (keys === undefined) continue;
      const list = keys.get(wk.key);
      if (list === undefined) continue;
      const i = list.indexOf(wk);
      if (i >= 0) list.splice(i, 1);
      if (list.length === 0) {
        keys.delete(wk.key);
        if (keys.size === 0) this.byDb.delete(wk.db.id);
      }
    }
  }

  private markDirty(c: Client): void {
    c.dirtyCas = true;
    // Nothing can make the transaction succeed again: stop watching (memory, CPU).
    this.dropWatches(c);
  }

  /** A watched key changed: its watchers' transactions will fail. */
  touch(db: Database, key: string): void {
    const keys = this.byDb.get(db.id);
    if (keys === undefined) return;
    const list = keys.get(key);
    if (list === undefined) return;
    const dirty: Client[] = [];
    for (const wk of list) {
      if (wk.expired) {
        // Watched while already expired: its deletion changes nothing logically.
        if (!db.keys.has(key)) {
          wk.expired = false;
          continue;
        }
        // Redis 7.0 stops looking at the remaining watchers here.
        break;
      }
      dirty.push(wk.client);
    }
    for (const c of dirty) this.markDirty(c);
  }

  /**
   * FLUSHDB / FLUSHALL: call BEFORE emptying. Watchers of keys that exist in
   * the database (`dbId`, or every database when undefined) become dirty.
   */
  touchDb(dbId?: number): void {
    if (this.byDb.size === 0) return;
    const ids = dbId === undefined ? [...this.byDb.keys()] : [dbId];
    for (const id of ids) {
      const keys = this.byDb.get(id);
      if (keys === undefined) continue;
      this.touchEmptied(keys, null);
    }
  }

  /** SWAPDB: call BEFORE swapping the contents of `a` and `b`. */
  touchSwap(a: Database, b: Database): void {
    if (a === b || this.byDb.size === 0) return;
    const ka = this.byDb.get(a.id);
    const kb = this.byDb.get(b.id);
    if (ka !== undefined) this.touchEmptied(ka, b);
    if (kb !== undefined) this.touchEmptied(kb, a);
  }

  /** Watchers of a database whose contents go away, replaced by those of `replacement` (SWAPDB) or nothing. */
  private touchEmptied(keys: Map<string, WatchedKey[]>, replacement: Database | null): void {
    const dirty: Client[] = [];
    for (const [key, list] of keys) {
      if (list.length === 0) continue;
      const emptied = list[0].db;
      const inEmptied = emptied.keys.has(key);
      const inReplacement = replacement !== null && replacement.keys.has(key);
      if (!inEmptied && !inReplacement) continue;
      for (const wk of list) {
        if (wk.expired) {
          if (!inReplacement) {
            // The expired key is deleted: no logical change.
            wk.expired = false;
            continue;
          }
          if (isExpired(replacement!, key, wk)) continue; // still (logically) missing
        } else if (!inEmptied && isExpired(replacement!, key, wk)) {
          // A missing key replaced by an expired one: still missing.
          wk.expired = true;
          continue;
        }
        dirty.push(wk.client);
      }
    }
    for (const c of dirty) this.markDirty(c);
  }

  /** EXEC: whether a watched key (not already expired at WATCH) has expired since. */
  expiredSinceWatch(c: Client, now: number): boolean {
    const own = this.byClient.get(c);
    if (own === undefined) return false;
    for (const wk of own) {
      if (wk.expired) continue;
      const when = wk.db.expires.size > 0 ? wk.db.expires.get(wk.key) : undefined;
      if (when !== undefined && when < now) return true;
    }
    return false;
  }
}

/** Whether `key` in `db` has an expiry time already past (the time of the watching client's server). */
function isExpired(db: Database, key: string, wk: WatchedKey): boolean {
  if (db.expires.size === 0) return false;
  const when = db.expires.get(key);
  return when !== undefined && when < wk.client.server.now();
}
