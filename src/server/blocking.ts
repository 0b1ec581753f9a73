/**
 * Clients blocked on keys (BLPOP, BLMOVE, BLMPOP, BZPOPMIN, ...), as Redis's
 * blocked.c does it.
 *
 * A blocked client stops reading commands. Any change to a key somebody waits
 * on marks that key ready (Server.keyModified -> signalKeyAsReady); after the
 * current top-level command (never inside MULTI/EXEC or a script: the server
 * calls handleReadyKeys from afterCommand only when the call stack is empty)
 * the waiters of each ready key are tried in the order they blocked (FIFO),
 * in the order the keys became ready, for as long as the key can serve them.
 * Serving may make other keys ready (BLMOVE pushes to its destination): those
 * are handled in the same pass, so chains resolve before the next command.
 *
 * The family code supplies `serve` (pop, reply, notify, propagate the
 * non-blocking equivalent) and `onTimeout` (the reply when the time runs out
 * or CLIENT UNBLOCK ... TIMEOUT). CLIENT UNBLOCK ... ERROR replies
 * "-UNBLOCKED ..."; a client that disconnects is simply forgotten.
 */
import type { Client } from './client';
import type { Database } from '../store/db';
import type { Server } from './server';

export interface KeyWaiter {
  client: Client;
  db: Database;
  keys: string[];
  /**
   * Tries to serve the client from `key`. Returns true when it replied (the
   * client is then unblocked); false to keep waiting (key empty or of another type).
   */
  serve: (key: string) => boolean;
  /** Replies on timeout (usually a null array). */
  onTimeout: (c: Client) => void;
}

export const UNBLOCKED_ERROR = 'UNBLOCKED client unblocked via CLIENT UNBLOCK';

export class BlockingManager {
  /** "dbid\0key" -> waiters in arrival order. */
  private waiting = new Map<string, KeyWaiter[]>();
  /** Keys signalled since the last pass, in signal order ("dbid\0key" -> db). */
  private ready = new Map<string, Database>();
  private handling = false;
  /** Clients blocked on keys right now. */
  blockedOnKeys = 0;

  constructor(private readonly server: Server) {}

  get hasWaiters(): boolean {
    return this.waiting.size > 0;
  }

  /** Number of distinct keys (per database) somebody waits on. */
  get blockingKeys(): number {
    return this.waiting.size;
  }

  /**
   * Blocks `w.client` until one of its keys can serve it or `timeoutMs`
   * (absolute unix ms; 0 = forever) passes.
   */
  block(w: KeyWaiter, timeoutMs: number): void {
    const c = w.client;
    const prefix = w.db.id + '\0';
    for (const key of uniqueKeys(w.keys)) {
      const id = prefix + key;
      const list = this.waiting.get(id);
      if (list === undefined) this.waiting.set(id, [w]);
      else list.push(w);
    }
    this.blockedOnKeys++;
    c.blocked = {
      kind: 'keys',
      timeout: timeoutMs,
      data: w,
      onTimeout: (cl) => w.onTimeout(cl),
      onUnblockError: (cl) => cl.error(UNBLOCKED_ERROR),
      cleanup: () => this.forget(w),
    };
    this.server.armBlockTimeout(c);
  }

  /** Removes a waiter from every key it waits on (served, timed out, unblocked or disconnected). */
  private forget(w: KeyWaiter): void {
    const prefix = w.db.id + '\0';
    for (const key of uniqueKeys(w.keys)) {
      const id = prefix + key;
      const list = this.waiting.get(id);
      if (list === undefined) continue;
      const i = list.indexOf(w);
      if (i >= 0) list.splice(i, 1);
      if (list.length === 0) this.waiting.delete(id);
    }
    this.blockedOnKeys--;
  }

  /** Whether some client waits on `key` of `db`. */
  isWaitedOn(db: Database, key: string): boolean {
    return this.waiting.has(db.id + '\0' + key);
  }

  /** A key changed: if someone waits on it, try them after the current command. */
  signalKeyAsReady(db: Database, key: string): void {
    const id = db.id + '\0' + key;
    if (!this.waiting.has(id) || this.ready.has(id)) return;
    this.ready.set(id, db);
  }

  /** After SWAPDB (or a load): marks every waited-on key of `db` that now exists as ready. */
  signalDatabase(db: Database): void {
    const prefix = db.id + '\0';
    for (const id of this.waiting.keys()) {
      if (!id.startsWith(prefix)) continue;
      const key = id.slice(prefix.length);
      if (db.keys.has(key)) this.signalKeyAsReady(db, key);
    }
  }

  /** Serves waiters of keys that became ready; loops, since serving may make other keys ready (BLMOVE). */
  handleReadyKeys(): void {
    if (this.handling || this.ready.size === 0) return;
    this.handling = true;
    try {
      while (this.ready.size > 0) {
        const batch = this.ready;
        this.ready = new Map();
        for (const [id, db] of batch) {
          const list = this.waiting.get(id);
          if (list === undefined) continue;
          const key = id.slice(id.indexOf('\0') + 1);
          // Waiters leave `list` as they are served: walk a snapshot.
          const waiters = list.length === 1 ? [list[0]] : list.slice();
          for (const w of waiters) {
            const cl = w.client;
            if (cl.blocked === null || cl.blocked.data !== w) continue;
            if (db.peek(key) === undefined) break;
            if (this.serveOne(w, key)) this.server.unblockClient(cl);
          }
        }
      }
    } finally {
      this.handling = false;
    }
  }

  private serveOne(w: KeyWaiter, key: string): boolean {
    try {
      return this.server.runUnblocked(w.client, () => w.serve(key));
    } catch (err) {
      this.server.log.warn(`Internal error serving a blocked client: ${(err as Error).stack}`);
      w.client.error(`ERR internal error: ${(err as Error).message}`);
      return true;
    }
  }
}

function uniqueKeys(keys: string[]): string[] {
  if (keys.length <= 1) return keys;
  return [...new Set(keys)];
}
