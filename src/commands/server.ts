/**
 * Server commands: INFO, CONFIG, COMMAND, SLOWLOG, DEBUG, SHUTDOWN, MONITOR,
 * TIME, LASTSAVE.
 */
import { cmd, type CommandSpec, type Command } from './types';
import { E } from './errors';
import type { Client } from '../server/client';
import type { Server } from '../server/server';
import { isLoopbackAddress } from '../server/server';
import { genInfo } from '../server/info';
import { parseInt64 } from '../util/numbers';
import { globMatch } from '../util/glob';
import { stringEncoding } from '../store/value';
import { replyHelp } from './connection';
import {
  ACL_CATEGORIES,
  commandHasKeys,
  commandKeysWithFlags,
  writeCommandDocs,
  writeCommandInfo,
} from './command-docs';

// ---------------------------------------------------------------- hooks other modules fill in

/**
 * Work other subsystems do for server commands. Persistence sets `reload`
 * (DEBUG RELOAD); an ACL module can set `describeUsers` (CONFIG REWRITE's
 * `user` lines).
 */
export const serverCommandHooks: {
  reload: ((server: Server, opts: { merge: boolean; noflush: boolean; nosave: boolean }) => string | null) | null;
  describeUsers: ((server: Server) => string[]) | null;
} = { reload: null, describeUsers: null };

/** Whether a client connects from the loopback interface (for "local" protected settings). */
function isLocalClient(c: Client): boolean {
  return c.socket === null || isLoopbackAddress(c.socket.remoteAddress);
}

function allowedBySetting(value: string, c: Client): boolean {
  return value === 'yes' || (value === 'local' && isLocalClient(c));
}

// ---------------------------------------------------------------- CONFIG

const CONFIG_HELP = [
  'GET <pattern>',
  '    Return the directives matching the glob-style <pattern>, with their values.',
  'SET <directive> <value>',
  '    Change <directive> to <value> (several pairs are applied together or not at all).',
  'RESETSTAT',
  '    Zero the statistics that INFO reports.',
  'REWRITE',
  '    Save the running configuration into the configuration file.',
];

function configGet(c: Client, argv: string[]): void {
  const pairs = c.server.config.getMatching(argv.slice(2));
  c.mapHeader(pairs.length);
  for (const [k, v] of pairs) {
    c.bulk(k);
    c.bulk(v);
  }
}

function configSet(c: Client, argv: string[]): void {
  if (argv.length % 2 !== 0) return c.error(E.SYNTAX);
  const server = c.server;
  const pairs: Array<[string, string]> = [];
  for (let i = 2; i < argv.length; i += 2) pairs.push([argv[i], argv[i + 1]]);
  const allowProtected = allowedBySetting(server.config.get('enable-protected-configs'), c);
  const config = server.config;
  const before = { port: config.get('port'), bind: config.get('bind') };
  const err = config.setFromCommand(pairs, allowProtected);
  if (err !== null) return c.error(err);
  const portChanged = config.get('port') !== before.port;
  if (!portChanged && config.get('bind') === before.bind) return c.ok();
  // A new port or bind: listen there (asynchronous in Node) and reply once it worked or failed.
  const failure = portChanged ? 'port' : 'bind';
  const relisten = server.relisten();
  const undo = (e: unknown): Promise<unknown> => {
    server.log.warn(`Failed to listen after CONFIG SET ${failure}: ${(e as Error).message}`);
    config.set('port', [before.port]);
    config.set('bind', before.bind === '' ? [] : before.bind.split(' '));
    return server.relisten().catch((e2) => server.log.warn(`Could not listen again on the previous addresses: ${(e2 as Error).message}`));
  };
  if (c.denyBlocking || c.socket === null) {
    relisten.catch(undo);
    return c.ok();
  }
  c.blocked = { kind: 'sleep', timeout: 0 };
  relisten.then(
    () => server.runUnblocked(c, () => c.ok()),
    async (e) => {
      await undo(e);
      const why = portChanged ? 'Unable to listen on this port. Check server logs.' : 'Failed to bind to specified addresses.';
      server.runUnblocked(c, () => c.error(`ERR CONFIG SET failed (possibly related to argument '${failure}') - ${why}`));
    },
  ).finally(() => server.unblockClient(c));
}

/** Zeroes INFO's counters: server stats, per-command stats and latency, error counts. */
export function resetStats(server: Server): void {
  server.stats.reset();
  for (const command of server.commands.everything()) {
    command.stats.calls = 0;
    command.stats.usec = 0;
    command.stats.rejected = 0;
    command.stats.failed = 0;
  }
  server.slowlog.resetLatency();
}

function defaultUserLine(server: Server): string {
  const pass = server.config.get('requirepass');
  if (pass === '') return 'default on nopass ~* &* +@all';
  const hash = require('node:crypto').createHash('sha256').update(Buffer.from(pass, 'latin1')).digest('hex') as string;
  return `default on #${hash} ~* &* +@all`;
}

function configRewrite(c: Client): void {
  const server = c.server;
  const users = serverCommandHooks.describeUsers?.(server) ?? [defaultUserLine(server)];
  const err = server.config.rewriteFile({ users });
  if (err !== null) {
    if (err.startsWith('Rewriting')) server.log.warn(`CONFIG REWRITE failed: ${err.slice('Rewriting config file: '.length)}`);
    return c.error('ERR ' + err);
  }
  server.log.warn('CONFIG REWRITE executed with success.');
  c.ok();
}

const adminSub = (spec: Parameters<typeof cmd>[0]): CommandSpec => cmd({ flags: ['admin', 'noscript', 'loading', 'stale'], group: 'server', ...spec });

const configCommand = cmd({
  name: 'config',
  arity: -2,
  group: 'server',
  summary: 'Container for the configuration commands.',
  since: '2.0.0',
  complexity: 'Depends on subcommand.',
  handler: (c) => c.error(E.SYNTAX),
  subcommands: [
    adminSub({
      name: 'get',
      arity: -3,
      summary: 'Returns directives matching patterns and their values.',
      since: '2.0.0',
      complexity: 'O(N) when N is the number of configuration parameters provided',
      history: [['7.0.0', 'Added the ability to pass multiple pattern parameters in one call']],
      args: [{ name: 'parameter', type: 'block', multiple: true, arguments: [{ name: 'parameter', type: 'string' }] }],
      handler: configGet,
    }),
    adminSub({
      name: 'set',
      arity: -4,
      summary: 'Changes directives at run time, all of them or none.',
      since: '2.0.0',
      complexity: 'O(N) when N is the number of configuration parameters provided',
      tips: ['request_policy:all_nodes', 'response_policy:all_succeeded'],
      history: [['7.0.0', 'Added the ability to set multiple parameters in one call.']],
      args: [
        {
          name: 'parameter_value',
          type: 'block',
          multiple: true,
          arguments: [
            { name: 'parameter', type: 'string' },
            { name: 'value', type: 'string' },
          ],
        },
      ],
      handler: configSet,
    }),
    adminSub({
      name: 'resetstat',
      arity: 2,
      summary: 'Zeroes the statistics INFO reports.',
      since: '2.0.0',
      complexity: 'O(1)',
      handler(c) {
        resetStats(c.server);
        c.ok();
      },
    }),
    adminSub({
      name: 'rewrite',
      arity: 2,
      summary: 'Writes the running configuration back into the configuration file.',
      since: '2.8.0',
      complexity: 'O(1)',
      handler: configRewrite,
    }),
    cmd({
      name: 'help',
      arity: 2,
      flags: ['loading', 'stale'],
      group: 'server',
      summary: 'Shows the CONFIG subcommands.',
      since: '5.0.0',
      complexity: 'O(1)',
      handler: (c) => replyHelp(c, 'CONFIG', CONFIG_HELP),
    }),
  ],
});

// ---------------------------------------------------------------- COMMAND

const COMMAND_HELP = [
  '(no subcommand)',
  '    Describe every command (as INFO does for the ones named).',
  'COUNT',
  '    Count the commands this server knows.',
  'LIST',
  '    Name every command, optionally filtered.',
  'INFO [<command-name> ...]',
  '    Describe the named commands: arity, flags, key positions, categories.',
  '    Without names, every command is described.',
  'DOCS [<command-name> ...]',
  '    Document the named commands: summary, versions, arguments.',
  '    Without names, every command is documented.',
  'GETKEYS <full-command>',
  '    List the keys a full command line would access.',
  'GETKEYSANDFLAGS <full-command>',
  '    List the keys a full command line would access, with how it uses each.',
];

/** Finds a command by "name" or "container|sub" (case-insensitive). */
export function lookupCommandByFullName(server: Server, name: string): Command | undefined {
  const bar = name.indexOf('|');
  if (bar < 0) return server.commands.lookup(name);
  const parent = server.commands.lookup(name.slice(0, bar));
  if (parent?.subcommandMap === undefined) return undefined;
  const rest = name.slice(bar + 1).toLowerCase();
  if (rest.includes('|')) return undefined;
  return parent.subcommandMap.get(rest);
}

/** Resolves a command line to its command (subcommand included), as dispatch does. */
function resolveCommandLine(server: Server, argv: string[]): Command | undefined {
  const top = server.commands.lookup(argv[0]);
  if (top === undefined) return undefined;
  if (top.subcommandMap !== undefined && argv.length >= 2) return top.subcommandMap.get(argv[1].toLowerCase());
  return top;
}

function commandInfo(c: Client, argv: string[]): void {
  const server = c.server;
  if (argv.length <= 2) {
    c.arrayHeader(server.commands.all.length);
    for (const command of server.commands.all) writeCommandInfo(c, command);
    return;
  }
  c.arrayHeader(argv.length - 2);
  for (let i = 2; i < argv.length; i++) {
    const command = lookupCommandByFullName(server, argv[i]);
    if (command === undefined) c.nullBulk();
    else writeCommandInfo(c, command);
  }
}

function commandDocs(c: Client, argv: string[]): void {
  const server = c.server;
  const found: Command[] = [];
  if (argv.length === 2) found.push(...server.commands.all);
  else {
    for (let i = 2; i < argv.length; i++) {
      const command = lookupCommandByFullName(server, argv[i]);
      if (command !== undefined) found.push(command);
    }
  }
  c.mapHeader(found.length);
  for (const command of found) {
    c.bulk(command.fullName);
    writeCommandDocs(c, command);
  }
}

function commandList(c: Client, argv: string[]): void {
  const server = c.server;
  let filter: ((command: Command) => boolean) | null = null;
  if (argv.length === 5 && argv[2].toLowerCase() === 'filterby') {
    const kind = argv[3].toLowerCase();
    const value = argv[4];
    if (kind === 'module') filter = () => false;
    else if (kind === 'aclcat') {
      const cat = value.toLowerCase();
      if (!ACL_CATEGORIES.includes(cat)) filter = () => false;
      else filter = (command) => command.aclCategories.includes(cat);
    } else if (kind === 'pattern') filter = (command) => globMatch(value, command.fullName, true);
    else return c.error(E.SYNTAX);
  } else if (argv.length !== 2) {
    return c.error(E.SYNTAX);
  }
  const names: string[] = [];
  for (const command of server.commands.everything()) {
    if (filter === null || filter(command)) names.push(command.fullName);
  }
  c.bulkArray(names);
}

function commandGetKeys(c: Client, argv: string[], withFlags: boolean): void {
  const server = c.server;
  const line = argv.slice(2);
  const target = resolveCommandLine(server, line);
  if (target === undefined) return c.error('ERR Invalid command specified');
  if (!commandHasKeys(target)) return c.error('ERR The command has no key arguments');
  if ((target.arity > 0 && target.arity !== line.length) || line.length < -target.arity) {
    return c.error('ERR Invalid number of arguments specified for command');
  }
  const keys = commandKeysWithFlags(target, line);
  if (keys.length === 0) {
    if (target.flags.includes('no_mandatory_keys')) return c.arrayHeader(0);
    return c.error('ERR Invalid arguments specified for command');
  }
  c.arrayHeader(keys.length);
  for (const k of keys) {
    if (!withFlags) c.bulk(line[k.pos]);
    else {
      c.arrayHeader(2);
      c.bulk(line[k.pos]);
      c.setHeader(k.flags.length);
      for (const f of k.flags) c.status(f);
    }
  }
}

const cmdSub = (spec: Parameters<typeof cmd>[0]): CommandSpec => cmd({ flags: ['loading', 'stale'], categories: ['connection'], group: 'server', ...spec });

const commandCommand = cmd({
  name: 'command',
  arity: -1,
  flags: ['loading', 'stale'],
  categories: ['connection'],
  group: 'server',
  summary: 'Describes every command of the server.',
  since: '2.8.13',
  complexity: 'O(N) where N is the total number of Redis commands',
  tips: ['nondeterministic_output_order'],
  handler: (c) => commandInfo(c, ['command', 'info']),
  subcommands: [
    cmdSub({
      name: 'count',
      arity: 2,
      summary: 'Counts the commands of the server.',
      since: '2.8.13',
      complexity: 'O(1)',
      handler: (c) => c.int(c.server.commands.all.length),
    }),
    cmdSub({
      name: 'info',
      arity: -2,
      summary: 'Describes commands: arity, flags, keys, ACL categories, subcommands.',
      since: '2.8.13',
      complexity: 'O(N) where N is the number of commands to look up',
      tips: ['nondeterministic_output_order'],
      history: [['7.0.0', 'Allowed to be called with no argument to get info on all commands.']],
      args: [{ name: 'command-name', type: 'string', optional: true, multiple: true }],
      handler: commandInfo,
    }),
    cmdSub({
      name: 'docs',
      arity: -2,
      summary: 'Documents commands: summary, versions, arguments.',
      since: '7.0.0',
      complexity: 'O(N) where N is the number of commands to look up',
      tips: ['nondeterministic_output_order'],
      args: [{ name: 'command-name', type: 'string', optional: true, multiple: true }],
      handler: commandDocs,
    }),
    cmdSub({
      name: 'list',
      arity: -2,
      summary: 'Names the commands, optionally filtered by module, ACL category or pattern.',
      since: '7.0.0',
      complexity: 'O(N) where N is the total number of Redis commands',
      tips: ['nondeterministic_output_order'],
      args: [
        {
          name: 'filterby',
          type: 'oneof',
          token: 'FILTERBY',
          optional: true,
          arguments: [
            { name: 'module-name', type: 'string', token: 'MODULE' },
            { name: 'category', type: 'string', token: 'ACLCAT' },
            { name: 'pattern', type: 'pattern', token: 'PATTERN' },
          ],
        },
      ],
      handler: commandList,
    }),
    cmdSub({
      name: 'getkeys',
      arity: -4,
      summary: 'Extracts the keys of a full command line.',
      since: '2.8.13',
      complexity: 'O(N) where N is the number of arguments to the command',
      handler: (c, argv) => commandGetKeys(c, argv, false),
    }),
    cmdSub({
      name: 'getkeysandflags',
      arity: -4,
      summary: 'Extracts the keys of a full command line and how each is used.',
      since: '7.0.0',
      complexity: 'O(N) where N is the number of arguments to the command',
      handler: (c, argv) => commandGetKeys(c, argv, true),
    }),
    cmdSub({
      name: 'help',
      arity: 2,
      summary: 'Shows the COMMAND subcommands.',
      since: '5.0.0',
      complexity: 'O(1)',
      handler: (c) => replyHelp(c, 'COMMAND', COMMAND_HELP),
    }),
  ],
});

// ---------------------------------------------------------------- SLOWLOG

const SLOWLOG_HELP = [
  'GET [<count>]',
  '    Show the <count> newest entries (10 by default, -1 for all). Each entry holds:',
  '    id, unix time, duration in microseconds, the arguments, the client address,',
  '    the client name.',
  'LEN',
  '    Count the entries.',
  'RESET',
  '    Delete every entry.',
];

const slowSub = (spec: Parameters<typeof cmd>[0]): CommandSpec => cmd({ flags: ['admin', 'loading', 'stale'], group: 'server', ...spec });

const slowlogCommand = cmd({
  name: 'slowlog',
  arity: -2,
  group: 'server',
  summary: 'Container for the slow log commands.',
  since: '2.2.12',
  complexity: 'Depends on subcommand.',
  handler: (c) => c.error(E.SYNTAX),
  subcommands: [
    slowSub({
      name: 'get',
      arity: -2,
      summary: 'Returns the newest slow log entries.',
      since: '2.2.12',
      complexity: 'O(N) where N is the number of entries returned',
      tips: ['request_policy:all_nodes', 'nondeterministic_output'],
      history: [['4.0.0', 'Added client IP address, port and name to the reply.']],
      args: [{ name: 'count', type: 'integer', optional: true }],
      handler(c, argv) {
        if (argv.length > 3) return c.error(`ERR unknown subcommand or wrong number of arguments for '${argv[1]}'. Try SLOWLOG HELP.`);
        let count = 10;
        if (argv.length === 3) {
          const v = parseInt64(argv[2]);
          const n = v === null ? null : Number(v);
          if (n === null || n < -1) return c.error('ERR count should be greater than or equal to -1');
          count = n === -1 ? Infinity : n;
        }
        const entries = c.server.slowlog.entries;
        const n = Math.min(count, entries.length);
        c.arrayHeader(n);
        for (let i = 0; i < n; i++) {
          const e = entries[i];
          c.arrayHeader(6);
          c.int(e.id);
          c.int(e.time);
          c.int(e.duration);
          c.bulkArray(e.argv);
          c.bulk(e.peer);
          c.bulk(e.name);
        }
      },
    }),
    slowSub({
      name: 'len',
      arity: 2,
      summary: 'Counts the slow log entries.',
      since: '2.2.12',
      complexity: 'O(1)',
      tips: ['request_policy:all_nodes', 'response_policy:agg_sum', 'nondeterministic_output'],
      handler: (c) => c.int(c.server.slowlog.entries.length),
    }),
    slowSub({
      name: 'reset',
      arity: 2,
      summary: 'Empties the slow log.',
      since: '2.2.12',
      complexity: 'O(N) where N is the number of entries in the slowlog',
      tips: ['request_policy:all_nodes', 'response_policy:all_succeeded'],
      handler(c) {
        c.server.slowlog.reset();
        c.ok();
      },
    }),
    cmd({
      name: 'help',
      arity: 2,
      flags: ['loading', 'stale'],
      group: 'server',
      summary: 'Shows the SLOWLOG subcommands.',
      since: '6.2.0',
      complexity: 'O(1)',
      handler: (c) => replyHelp(c, 'SLOWLOG', SLOWLOG_HELP),
    }),
  ],
});

// ---------------------------------------------------------------- DEBUG

const DEBUG_HELP = [
  'CHANGE-REPL-ID',
  '    Give the instance new replication ids.',
  'CONFIG-REWRITE-FORCE-ALL',
  '    CONFIG REWRITE, writing every directive even at its default value.',
  'ERROR <string>',
  '    Reply with <string> as an error.',
  'LOG <message>',
  '    Write <message> into the server log.',
  'OBJECT <key>',
  '    Describe how the value of <key> is stored.',
  'POPULATE <count> [<prefix>] [<size>]',
  '    Create <count> string keys <prefix>:<n> (prefix "key") holding "value:<n>",',
  '    padded or cut to <size> bytes when given. Existing keys are left alone.',
  'PROTOCOL <type>',
  '    Reply with a sample value of a RESP type: string, integer, double, bignum,',
  '    null, array, set, map, attrib, push, verbatim, true, false.',
  'RELOAD [option ...]',
  '    Save the dataset and load it back (options MERGE, NOFLUSH, NOSAVE).',
  'SET-ACTIVE-EXPIRE <0|1>',
  '    0 stops expiring keys in the background (they still expire when read); 1 resumes.',
  'SLEEP <seconds>',
  '    Freeze the server for <seconds> (decimals allowed).',
  'STRINGMATCH-LEN <pattern> <string>',
  '    Match <string> against a glob-style <pattern>.',
];

function debugUnknown(c: Client, sub: string): void {
  c.error(`ERR unknown subcommand or wrong number of arguments for '${sub}'. Try DEBUG HELP.`);
}

/** C's atof: the longest numeric prefix, 0 when none. */
function atof(s: string): number {
  const m = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/.exec(s);
  return m ? Number(m[0]) : 0;
}

/** C's atoi. */
function atoi(s: string): number {
  const m = /^\s*[+-]?\d+/.exec(s);
  return m ? Math.trunc(Number(m[0])) : 0;
}

function debugObject(c: Client, key: string): void {
  const v = c.db.peek(key);
  if (v === undefined) return c.error(E.NO_SUCH_KEY);
  const config = c.server.config;
  const enc = typeof v === 'string' ? stringEncoding(v, c.db.stringKind(key)) : v.encoding(config);
  const serialized = typeof v === 'string' ? (enc === 'int' ? Math.max(2, Math.ceil(v.length / 2) + 1) : v.length + 1) : v.size * 8 + 8;
  const lru = Math.floor(Date.now() / 1000) & ((1 << 24) - 1);
  let extra = '';
  if (typeof v !== 'string' && v.type === 'list' && enc === 'quicklist') {
    const max = config.getInt('list-max-listpack-size');
    extra = ` ql_nodes:1 ql_avg_node:${v.size.toFixed(2)} ql_listpack_max:${max} ql_compressed:${config.getInt('list-compress-depth') > 0 ? 1 : 0} ql_uncompressed_size:${serialized}`;
  }
  c.status(`Value at:0x${(0x7f0000000000 + ((key.length * 4096) % 0x100000)).toString(16)} refcount:1 encoding:${enc} serializedlength:${serialized} lru:${lru} lru_seconds_idle:0${extra}`);
}

function debugProtocol(c: Client, type: string): void {
  switch (type.toLowerCase()) {
    case 'string':
      return c.bulk('Hello World');
    case 'integer':
      return c.int(12345);
    case 'double':
      if (c.resp === 3) return c.raw(',3.141\r\n');
      return c.bulk('3.141');
    case 'bignum':
      return c.bigNumber('1234567999999999999999999999999999999');
    case 'null':
      return c.nullBulk();
    case 'array':
      c.arrayHeader(3);
      for (let j = 0; j < 3; j++) c.int(j);
      return;
    case 'set':
      c.setHeader(3);
      for (let j = 0; j < 3; j++) c.int(j);
      return;
    case 'map':
      c.mapHeader(3);
      for (let j = 0; j < 3; j++) {
        c.int(j);
        c.bool(j === 1);
      }
      return;
    case 'attrib':
      if (c.resp === 3) {
        c.raw('|1\r\n');
        c.bulk('key-popularity');
        c.arrayHeader(2);
        c.bulk('key:123');
        c.int(90);
      }
      return c.bulk('Some real reply following the attribute');
    case 'push':
      if (c.resp !== 3) return c.error('ERR RESP2 is not supported by this command');
      c.pushHeader(2);
      c.bulk('server-cpu-usage');
      c.int(42);
      return c.bulk('Some real reply following the push reply');
    case 'verbatim':
      return c.verbatim('This is a verbatim\nstring');
    case 'true':
      return c.bool(true);
    case 'false':
      return c.bool(false);
    default:
      return c.error(
        'ERR Wrong protocol type name. Please use one of the following: string|integer|double|bignum|null|array|set|map|attrib|push|verbatim|true|false',
      );
  }
}

/** Blocks the whole process, as Redis's DEBUG SLEEP freezes the server. */
function freeze(ms: number): void {
  if (ms <= 0) return;
  const cell = new Int32Array(new SharedArrayBuffer(4));
  Atomics.wait(cell, 0, 0, ms);
}

function debugCommandHandler(c: Client, argv: string[]): void {
  const server = c.server;
  if (!allowedBySetting(server.config.get('enable-debug-command'), c)) {
    return c.error(
      'ERR DEBUG command not allowed. If the enable-debug-command option is set to "local", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server.',
    );
  }
  const sub = argv[1].toLowerCase();
  const n = argv.length;
  if (sub === 'help' && n === 2) return replyHelp(c, 'DEBUG', DEBUG_HELP);
  if (sub === 'sleep' && n === 3) {
    freeze(Math.floor(atof(argv[2]) * 1000));
    return c.ok();
  }
  if (sub === 'set-active-expire' && n === 3) {
    server.activeExpireEnabled = atoi(argv[2]) !== 0;
    return c.ok();
  }
  if (sub === 'object' && n === 3) return debugObject(c, argv[2]);
  if (sub === 'error' && n === 3) return c.error(argv[2]);
  if (sub === 'log' && n === 3) {
    server.log.warn(`DEBUG LOG: ${argv[2]}`);
    return c.ok();
  }
  if (sub === 'protocol' && n === 3) return debugProtocol(c, argv[2]);
  if (sub === 'change-repl-id' && n === 2) {
    server.log.warn('Changing replication IDs after receiving DEBUG change-repl-id');
    return c.ok();
  }
  if (sub === 'stringmatch-len' && n === 4) return c.int(globMatch(argv[2], argv[3]) ? 1 : 0);
  if (sub === 'populate' && n >= 3 && n <= 5) {
    const count = parseInt64(argv[2]);
    if (count === null || count < 0) return c.error(E.OUT_OF_RANGE_POSITIVE);
    const prefix = n >= 4 ? argv[3] : 'key';
    let size = 0;
    if (n === 5) {
      const s = parseInt64(argv[4]);
      if (s === null || s < 0) return c.error(E.OUT_OF_RANGE_POSITIVE);
      size = Number(s);
    }
    const db = c.db;
    const total = Number(count);
    for (let j = 0; j < total; j++) {
      const key = `${prefix}:${j}`;
      if (db.peek(key) !== undefined) continue;
      let val = `value:${j}`;
      if (size > 0) val = size <= val.length ? val.slice(0, size) : val + '\0'.repeat(size - val.length);
      db.add(key, val);
    }
    return c.ok();
  }
  if (sub === 'reload') {
    const opts = { merge: false, noflush: false, nosave: false };
    for (let i = 2; i < n; i++) {
      const o = argv[i].toLowerCase();
      if (o === 'merge') opts.merge = true;
      else if (o === 'noflush') opts.noflush = true;
      else if (o === 'nosave') opts.nosave = true;
      else return c.error('ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.');
    }
    if (serverCommandHooks.reload === null) return c.error('ERR DEBUG RELOAD needs persistence, which is not available');
    const err = serverCommandHooks.reload(server, opts);
    if (err !== null) return c.error(err);
    server.log.notice('DB reloaded by DEBUG RELOAD');
    return c.ok();
  }
  if (sub === 'config-rewrite-force-all' && n === 2) {
    const err = server.config.rewriteFile({ users: serverCommandHooks.describeUsers?.(server) ?? [defaultUserLine(server)] });
    if (err !== null) return c.error('ERR CONFIG-REWRITE-FORCE-ALL failed: ' + err);
    return c.ok();
  }
  debugUnknown(c, argv[1]);
}

// ---------------------------------------------------------------- SHUTDOWN, MONITOR

function shutdownCommand(c: Client, argv: string[]): void {
  let nosave = false;
  let save = false;
  let now = false;
  let force = false;
  let abort = false;
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i].toLowerCase();
    if (a === 'nosave') nosave = true;
    else if (a === 'save') save = true;
    else if (a === 'now') now = true;
    else if (a === 'force') force = true;
    else if (a === 'abort') abort = true;
    else return c.error(E.SYNTAX);
  }
  if ((abort && (nosave || save || now || force)) || (nosave && save)) return c.error(E.SYNTAX);
  // A shutdown here is immediate: there is never one in progress to abort.
  if (abort) return c.error('ERR No shutdown in progress.');
  void now;
  const server = c.server;
  server.log.warn('User requested shutdown...');
  const err = server.shutdown({ save: save ? true : nosave ? false : undefined, force });
  if (err !== null) {
    server.log.warn(err);
    return c.error('ERR Errors trying to SHUTDOWN. Check logs.');
  }
}

function monitorCommand(c: Client): void {
  // Inside EXEC or a script a reply per command is expected: no streaming.
  if (c.denyBlocking || c.isScriptClient) return c.error("ERR MONITOR isn't allowed for DENY BLOCKING client");
  if (c.monitor || c.kind === 'replica') return;
  c.monitor = true;
  c.server.monitors.add(c);
  c.ok();
}

// ---------------------------------------------------------------- the table

export const serverCommands: CommandSpec[] = [
  cmd({
    name: 'info',
    arity: -1,
    flags: ['loading', 'stale'],
    categories: ['dangerous'],
    group: 'server',
    summary: 'Reports information and statistics about the server.',
    complexity: 'O(1)',
    tips: ['nondeterministic_output', 'request_policy:all_shards', 'response_policy:special'],
    history: [['7.0.0', 'Added support for taking multiple section arguments.']],
    args: [{ name: 'section', type: 'string', optional: true, multiple: true }],
    handler: (c, argv) => c.verbatim(genInfo(c.server, argv.slice(1))),
  }),
  configCommand,
  commandCommand,
  slowlogCommand,
  cmd({
    name: 'debug',
    arity: -2,
    flags: ['admin', 'noscript', 'loading', 'stale', 'protected'],
    group: 'server',
    summary: 'Debugging and testing helpers.',
    complexity: 'Depends on subcommand.',
    docFlags: ['syscmd'],
    handler: debugCommandHandler,
  }),
  cmd({
    name: 'shutdown',
    arity: -1,
    flags: ['admin', 'noscript', 'loading', 'stale', 'no_multi', 'allow_busy', 'sentinel'],
    group: 'server',
    summary: 'Saves (unless told not to) and stops the server.',
    complexity: 'O(N) when saving, where N is the total number of keys in all databases when saving data, otherwise O(1)',
    history: [['7.0.0', 'Added the `NOW`, `FORCE` and `ABORT` modifiers.']],
    args: [
      {
        name: 'nosave_save',
        type: 'oneof',
        optional: true,
        arguments: [
          { name: 'nosave', type: 'pure-token', token: 'NOSAVE' },
          { name: 'save', type: 'pure-token', token: 'SAVE' },
        ],
      },
      { name: 'now', type: 'pure-token', token: 'NOW', since: '7.0.0', optional: true },
      { name: 'force', type: 'pure-token', token: 'FORCE', since: '7.0.0', optional: true },
      { name: 'abort', type: 'pure-token', token: 'ABORT', since: '7.0.0', optional: true },
    ],
    handler: shutdownCommand,
  }),
  cmd({
    name: 'monitor',
    arity: 1,
    flags: ['admin', 'noscript', 'loading', 'stale'],
    group: 'server',
    summary: 'Streams every command the server runs to this connection.',
    handler: monitorCommand,
  }),
  cmd({
    name: 'time',
    arity: 1,
    flags: ['loading', 'stale', 'fast'],
    group: 'server',
    summary: "Returns the server's time.",
    since: '2.6.0',
    complexity: 'O(1)',
    tips: ['nondeterministic_output'],
    handler(c) {
      const usec = Math.floor((performance.timeOrigin + performance.now()) * 1000);
      c.arrayHeader(2);
      c.bulk(String(Math.floor(usec / 1e6)));
      c.bulk(String(usec % 1e6));
    },
  }),
  cmd({
    name: 'lastsave',
    arity: 1,
    flags: ['loading', 'stale', 'fast'],
    categories: ['admin', 'dangerous'],
    group: 'server',
    summary: 'Returns the unix time of the last successful save.',
    complexity: 'O(1)',
    tips: ['nondeterministic_output'],
    handler: (c) => c.int(c.server.lastSave),
  }),
];
