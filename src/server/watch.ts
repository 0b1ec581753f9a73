/**
 * WATCH bookkeeping: which clients watch which keys. Any change to a watched
 * key (through Database's hooks) marks its watchers dirty so EXEC fails.
 */
import type { Client } from './client';
import type { Database } from '../store/db';

export class WatchRegistry {
  /** "dbid\0key" -> clients watching it. */
  private watchers = new Map<string, Set<Client>>();

  get active(): boolean {
    return this.watchers.size > 0;
  }

  watch(c: Client, db: Database, key: string): void {
    const id = db.id + '\0' + key;
    if (c.watched === null) c.watched = new Set();
    if (c.watched.has(id)) return;
    c.watched.add(id);
    let set = this.watchers.get(id);
    if (!set) this.watchers.set(id, (set = new Set()));
    set.add(c);
  }

  unwatchAll(c: Client): void {
    if (c.watched === null) return;
    for (const id of c.watched) {
      const set = this.watchers.get(id);
      if (!set) continue;
      set.delete(c);
      if (set.size === 0) this.watchers.delete(id);
    }
    c.watched = null;
    c.dirtyCas = false;
  }

  /** A watched key changed: its watchers' transactions will fail. */
  touch(db: Database, key: string): void {
    const set = this.watchers.get(db.id + '\0' + key);
    if (set) for (const c of set) c.dirtyCas = true;
  }

  /** Every key of a database may have changed (FLUSHDB, FLUSHALL, SWAPDB): dbId undefined means all. */
  touchDb(dbId: number | undefined, stillExists?: (key: string) => boolean): void {
    for (const [id, set] of this.watchers) {
      const sep = id.indexOf('\0');
      if (dbId !== undefined && Number(id.slice(0, sep)) !== dbId) continue;
      if (stillExists && !stillExists(id.slice(sep + 1))) continue;
      for (const c of set) c.dirtyCas = true;
    }
  }
}
