/** Keyspace commands (db.c, expire.c): DEL, EXISTS, TYPE, RENAME, SCAN, EXPIRE and friends, FLUSHDB/FLUSHALL. */
import { cmd, type CommandSpec } from './types';
import { E } from './errors';
import type { Client } from '../server/client';

function flush(c: Client, argv: string[], all: boolean): void {
  if (argv.length > 2) return c.error(E.SYNTAX);
  if (argv.length === 2) {
    const mode = argv[1].toLowerCase();
    if (mode !== 'async' && mode !== 'sync') return c.error(E.SYNTAX);
  }
  const server = c.server;
  const dbs = all ? server.dbs : [c.db];
  let removed = 0;
  for (const db of dbs) removed += db.flush();
  server.watches.touchDb(all ? undefined : c.db.id);
  server.dirty += removed + 1;
  c.ok();
}

export const keyspaceCommands: CommandSpec[] = [
  cmd({
    name: 'flushdb',
    arity: -1,
    flags: ['write'],
    categories: ['keyspace', 'dangerous'],
    group: 'server',
    summary: 'Removes every key of the selected database.',
    handler: (c, argv) => flush(c, argv, false),
  }),
  cmd({
    name: 'flushall',
    arity: -1,
    flags: ['write'],
    categories: ['keyspace', 'dangerous'],
    group: 'server',
    summary: 'Removes every key of every database.',
    handler: (c, argv) => flush(c, argv, true),
  }),
];
