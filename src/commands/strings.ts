/** String commands (t_string.c): GET, SET and the rest of the family. */
import { cmd, type CommandSpec } from './types';
import { E } from './errors';
import { NOTIFY } from '../server/notify';

export const stringCommands: CommandSpec[] = [
  cmd({
    name: 'get',
    arity: 2,
    flags: ['readonly', 'fast'],
    firstKey: 1,
    lastKey: 1,
    keyStep: 1,
    categories: ['string'],
    group: 'string',
    summary: 'Returns the string value of a key.',
    handler(c, argv) {
      const v = c.db.lookupRead(argv[1]);
      if (v === undefined) return c.nullBulk();
      if (typeof v !== 'string') return c.error(E.WRONGTYPE);
      c.bulk(v);
    },
  }),
  cmd({
    name: 'set',
    arity: -3,
    flags: ['write', 'denyoom'],
    firstKey: 1,
    lastKey: 1,
    keyStep: 1,
    categories: ['string'],
    group: 'string',
    summary: 'Sets the string value of a key.',
    handler(c, argv) {
      if (argv.length > 3) return c.error(E.SYNTAX);
      c.db.set(argv[1], argv[2]);
      c.server.dirty++;
      c.server.notify(NOTIFY.string, 'set', argv[1], c.db.id);
      c.ok();
    },
  }),
];
