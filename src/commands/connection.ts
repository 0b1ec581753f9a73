/** Connection commands: PING, ECHO, QUIT, SELECT (HELLO, AUTH, RESET and friends live here too). */
import { cmd, type CommandSpec } from './types';
import { E } from './errors';
import { parseSafeInt } from '../util/numbers';

export const connectionCommands: CommandSpec[] = [
  cmd({
    name: 'ping',
    arity: -1,
    flags: ['fast', 'sentinel'],
    categories: ['connection'],
    group: 'connection',
    summary: 'Checks that the server answers.',
    handler(c, argv) {
      if (argv.length > 2) return c.error(E.WRONG_ARGS('ping'));
      if (c.resp === 2 && c.inPubSubMode) {
        c.arrayHeader(2);
        c.bulk('pong');
        c.bulk(argv.length === 2 ? argv[1] : '');
        return;
      }
      if (argv.length === 2) c.bulk(argv[1]);
      else c.status('PONG');
    },
  }),
  cmd({
    name: 'echo',
    arity: 2,
    flags: ['fast'],
    categories: ['connection'],
    group: 'connection',
    summary: 'Returns the given string.',
    handler(c, argv) {
      c.bulk(argv[1]);
    },
  }),
  cmd({
    name: 'quit',
    arity: -1,
    flags: ['allow_busy', 'no_auth', 'fast', 'loading', 'stale'],
    categories: ['connection'],
    group: 'connection',
    summary: 'Closes the connection.',
    handler(c) {
      c.ok();
      c.closeAfterReply = true;
    },
  }),
  cmd({
    name: 'select',
    arity: 2,
    flags: ['loading', 'stale', 'fast'],
    categories: ['connection'],
    group: 'connection',
    summary: 'Changes the selected database.',
    handler(c, argv) {
      const i = parseSafeInt(argv[1]);
      if (i === null) return c.error(E.NOT_INTEGER);
      const db = c.server.db(i);
      if (db === undefined) return c.error(E.DB_INDEX);
      c.db = db;
      c.ok();
    },
  }),
];
