/**
 * Clients blocked on keys (BLPOP, BLMOVE, BZPOPMIN, ...). A blocked client
 * stops reading commands; any change to a key it waits on marks that key
 * ready, and after the current command (never inside MULTI/EXEC or a script)
 * the waiters of ready keys are tried in FIFO order.
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

export class BlockingManager {
  /** "dbid\0key" -> waiters in arrival order. */
  private waiting = new Map<string, KeyWaiter[]>();
  private ready = new Set<string>();
  private readyDbs = new Map<string, Database>();
  private handling = false;
  /** Total clients blocked on keys (INFO blocked_clients counts other kinds too). */
  blockedOnKeys = 0;

  constructor(private readonly server: Server) {}

  get hasWaiters(): boolean {
    return this.waiting.size > 0;
  }

  /**
   * Blocks `w.client` until one of its keys can serve it or `timeoutMs`
   * (absolute unix ms; 0 = forever) passes.
   */
  block(w: KeyWaiter, timeoutMs: number): void {
    const c = w.client;
    for (const key of new Set(w.keys)) {
      const id = w.db.id + '\0' + key;
      let list = this.waiting.get(id);
      if (!list) this.waiting.set(id, (list = []));
      list.push(w);
    }
    this.blockedOnKeys++;
    c.blocked = {
      kind: 'keys',
      timeout: timeoutMs,
      data: w,
      onTimeout: (cl) => w.onTimeout(cl),
      onUnblockError: (cl) => cl.error('UNBLOCKED client unblocked via CLIENT UNBLOCK'),
      cleanup: () => this.forget(w),
    };
    this.server.armBlockTimeout(c);
  }

  private forget(w: KeyWaiter): void {
    for (const key of new Set(w.keys)) {
      const id = w.db.id + '\0' + key;
      const list = this.waiting.get(id);
      if (!list) continue;
      const i = list.indexOf(w);
      if (i >= 0) list.splice(i, 1);
      if (list.length === 0) this.waiting.delete(id);
    }
    this.blockedOnKeys--;
  }

  /** A key changed: if someone waits on it, try them after the current command. */
  signalKeyAsReady(db: Database, key: string): void {
    const id = db.id + '\0' + key;
    if (!this.waiting.has(id)) return;
    this.ready.add(id);
    this.readyDbs.set(id, db);
  }

  /** Serves waiters of keys that became ready; loops, since serving may make other keys ready (BLMOVE). */
  handleReadyKeys(): void {
    if (this.handling || this.ready.size === 0) return;
    this.handling = true;
    try {
      while (this.ready.size > 0) {
        const batch = [...this.ready];
        const dbs = this.readyDbs;
        this.ready = new Set();
        this.readyDbs = new Map();
        for (const id of batch) {
          const db = dbs.get(id)!;
          const key = id.slice(id.indexOf('\0') + 1);
          const list = this.waiting.get(id);
          if (!list) continue;
          for (const w of [...list]) {
            if (w.client.blocked === null || w.client.blocked.data !== w) continue;
            if (db.peek(key) === undefined) break;
            const served = this.server.runUnblocked(w.client, () => w.serve(key));
            if (served) this.server.unblockClient(w.client);
          }
        }
      }
    } finally {
      this.handling = false;
    }
  }
}
