/** Transactions (multi.c): MULTI, EXEC, DISCARD, WATCH, UNWATCH. */
import { cmd, type CommandSpec } from './types';
import type { Client } from '../server/client';

export const EXECABORT = 'EXECABORT Transaction discarded because of previous errors.';

/** Leaves MULTI state, dropping the queue and every WATCHed key (DISCARD, EXEC, RESET). */
export function discardTransaction(c: Client): void {
  c.multi = null;
  c.server.watches.unwatchAll(c);
}

function exec(c: Client): void {
  const multi = c.multi;
  if (multi === null) return c.error('ERR EXEC without MULTI');
  const server = c.server;
  // A watched key that expired since WATCH counts as a change.
  if (!c.dirtyCas && c.watched !== null && server.watches.expiredSinceWatch(c, server.now())) c.dirtyCas = true;
  if (multi.dirty) {
    discardTransaction(c);
    return c.error(EXECABORT);
  }
  if (c.dirtyCas) {
    discardTransaction(c);
    return c.nullArray();
  }
  // Inner commands propagate themselves; the server wraps several in MULTI/EXEC.
  server.preventSelfPropagation();
  server.watches.unwatchAll(c);
  const wasDenyBlocking = c.denyBlocking;
  c.denyBlocking = true;
  const queue = multi.queue;
  c.arrayHeader(queue.length);
  try {
    for (let i = 0; i < queue.length; i++) {
      const q = queue[i];
      server.call(c, q.cmd, q.argv);
    }
  } finally {
    c.denyBlocking = wasDenyBlocking;
    // Still MULTI while the commands ran (SUBSCRIBE checks it), over now.
    if (c.multi === multi) c.multi = null;
  }
}

export const transactionCommands: CommandSpec[] = [
  cmd({
    name: 'multi',
    arity: 1,
    flags: ['noscript', 'loading', 'stale', 'fast', 'allow_busy'],
    categories: ['transaction'],
    group: 'transactions',
    summary: 'Starts a transaction: following commands are queued until EXEC.',
    since: '1.2.0',
    handler(c) {
      if (c.multi !== null) return c.error('ERR MULTI calls can not be nested');
      c.multi = { queue: [], dirty: false };
      c.ok();
    },
  }),
  cmd({
    name: 'exec',
    arity: 1,
    flags: ['noscript', 'loading', 'stale', 'skip_slowlog'],
    categories: ['transaction'],
    group: 'transactions',
    summary: 'Runs the queued commands of a transaction.',
    since: '1.2.0',
    handler: (c) => exec(c),
  }),
  cmd({
    name: 'discard',
    arity: 1,
    flags: ['noscript', 'loading', 'stale', 'fast', 'allow_busy'],
    categories: ['transaction'],
    group: 'transactions',
    summary: 'Drops the queued commands of a transaction.',
    since: '2.0.0',
    handler(c) {
      if (c.multi === null) return c.error('ERR DISCARD without MULTI');
      discardTransaction(c);
      c.ok();
    },
  }),
  cmd({
    name: 'watch',
    arity: -2,
    flags: ['noscript', 'loading', 'stale', 'fast', 'allow_busy'],
    firstKey: 1,
    lastKey: -1,
    keyStep: 1,
    keySpecs: [{ flags: ['RO'], beginSearch: { index: 1 }, findKeys: { lastKey: -1, keyStep: 1, limit: 0 } }],
    categories: ['transaction'],
    group: 'transactions',
    summary: 'Makes the next EXEC fail if any of the keys changes before it.',
    since: '2.2.0',
    args: [{ name: 'key', type: 'key', key_spec_index: 0, multiple: true }],
    handler(c, argv) {
      if (c.multi !== null) return c.error('ERR WATCH inside MULTI is not allowed');
      // Already doomed: watching more changes nothing.
      if (!c.dirtyCas) {
        const watches = c.server.watches;
        const now = c.server.now();
        for (let i = 1; i < argv.length; i++) watches.watch(c, c.db, argv[i], now);
      }
      c.ok();
    },
  }),
  cmd({
    name: 'unwatch',
    arity: 1,
    flags: ['noscript', 'loading', 'stale', 'fast', 'allow_busy'],
    categories: ['transaction'],
    group: 'transactions',
    summary: 'Forgets every WATCHed key.',
    since: '2.2.0',
    handler(c) {
      c.server.watches.unwatchAll(c);
      c.ok();
    },
  }),
];
