/**
 * Connection commands: PING, ECHO, QUIT, SELECT, HELLO, AUTH, RESET and
 * CLIENT with its subcommands (CLIENT LIST/INFO, KILL, PAUSE, UNBLOCK, ...).
 */
import { cmd, type CommandSpec } from './types';
import { E } from './errors';
import { parseInt64 } from '../util/numbers';
import { REDIS_VERSION } from '../server/server';
import type { Server } from '../server/server';
import type { Client } from '../server/client';
import { discardTransaction } from './transactions';

// ---------------------------------------------------------------- authentication

/**
 * Checks a username/password pair. Without an ACL module the only user is
 * "default", whose password is `requirepass` (none set: any password works,
 * as for Redis's `nopass` default user). An ACL module may replace this.
 */
export let checkCredentials = (server: Server, user: string, pass: string): boolean => {
  if (user !== 'default') return false;
  const required = server.config.get('requirepass');
  return required === '' || pass === required;
};

/** Lets an ACL implementation take over password checks. */
export function setCredentialChecker(fn: (server: Server, user: string, pass: string) => boolean): void {
  checkCredentials = fn;
}

const WRONGPASS = 'WRONGPASS invalid username-password pair or user is disabled.';

function authenticate(c: Client, user: string, pass: string): boolean {
  if (!checkCredentials(c.server, user, pass)) {
    c.server.log.verbose(`Failed authentication for user '${user}' from ${c.addr}`);
    return false;
  }
  c.authenticated = true;
  c.user = user;
  return true;
}

/** Whether the default user needs no password (protected mode, AUTH's error). */
export function defaultUserHasNoPassword(server: Server): boolean {
  return server.config.get('requirepass') === '';
}

// ---------------------------------------------------------------- client names and info

/** Client names: printable ASCII without spaces (33..126). */
export function validClientName(name: string): boolean {
  for (let i = 0; i < name.length; i++) {
    const ch = name.charCodeAt(i);
    if (ch < '!'.charCodeAt(0) || ch > '~'.charCodeAt(0)) return false;
  }
  return true;
}

const BAD_NAME = 'ERR Client names cannot contain spaces, newlines or special characters.';

/** Redis's client types, as CLIENT LIST TYPE / CLIENT KILL TYPE name them. */
export type ClientType = 'normal' | 'slave' | 'pubsub' | 'master';

export function clientTypeByName(name: string): ClientType | null {
  switch (name.toLowerCase()) {
    case 'normal':
      return 'normal';
    case 'slave':
    case 'replica':
      return 'slave';
    case 'pubsub':
      return 'pubsub';
    case 'master':
      return 'master';
    default:
      return null;
  }
}

export function clientType(c: Client): ClientType {
  if (c.kind === 'master') return 'master';
  if (c.kind === 'replica' && !c.monitor) return 'slave';
  if (c.inPubSubMode) return 'pubsub';
  return 'normal';
}

function clientFlags(c: Client): string {
  let f = '';
  if (c.monitor) f += 'O';
  else if (c.kind === 'replica') f += 'S';
  if (c.kind === 'master') f += 'M';
  if (c.inPubSubMode) f += 'P';
  if (c.multi !== null) f += 'x';
  if (c.blocked !== null) f += 'b';
  if (c.dirtyCas) f += 'd';
  if (c.closeAfterReply) f += 'c';
  if (c.noEvict) f += 'e';
  return f === '' ? 'N' : f;
}

function argvMem(argv: string[] | null): number {
  if (argv === null) return 0;
  let n = 0;
  for (const a of argv) n += a.length;
  return n;
}

/** One line of CLIENT LIST / CLIENT INFO, with Redis 7.0's fields in Redis's order. */
export function clientInfoLine(c: Client, now = Date.now(), currentArgv: string[] | null = null): string {
  const qbuf = c.parser.pendingBytes;
  const obl = c.out.length;
  const omem = c.socket?.writableLength ?? 0;
  let multiMem = 0;
  if (c.multi !== null) for (const q of c.multi.queue) multiMem += argvMem(q.argv) + q.argv.length * 8;
  const am = argvMem(currentArgv);
  const qbufFree = qbuf === 0 ? 0 : Math.max(0, 32768 - qbuf);
  const totMem = qbuf + qbufFree + am + multiMem + obl + omem + 16384 + 1024;
  const fd = (c.socket as unknown as { _handle?: { fd?: number } } | null)?._handle?.fd ?? -1;
  const events = obl + omem > 0 ? 'rw' : 'r';
  return (
    `id=${c.id} addr=${c.addr} laddr=${c.laddr} fd=${fd} name=${c.name}` +
    ` age=${Math.floor((now - c.createdAt) / 1000)} idle=${Math.floor((now - c.lastInteraction) / 1000)}` +
    ` flags=${clientFlags(c)} db=${c.db.id} sub=${c.channels?.size ?? 0} psub=${c.patterns?.size ?? 0} ssub=${c.shardChannels?.size ?? 0}` +
    ` multi=${c.multi === null ? -1 : c.multi.queue.length} qbuf=${qbuf} qbuf-free=${qbufFree} argv-mem=${am} multi-mem=${multiMem}` +
    ` rbs=16384 rbp=16384 obl=${obl} oll=0 omem=${omem} tot-mem=${totMem} events=${events}` +
    ` cmd=${c.currentCommand !== null ? c.currentCommand.fullName : c.lastCommand} user=${c.user} redir=-1 resp=${c.resp}`
  );
}

// ---------------------------------------------------------------- HELP replies

/** Redis's help reply: "<NAME> <subcommand> ..." then the lines, then HELP, as status replies. */
export function replyHelp(c: Client, name: string, lines: string[]): void {
  const all = [`${name} <subcommand> [<arg> [value] [opt] ...]. Subcommands are:`, ...lines, 'HELP', '    Show this help.'];
  c.arrayHeader(all.length);
  for (const l of all) c.status(l);
}

const CLIENT_HELP = [
  'CACHING (YES|NO)',
  '    In OPTIN/OPTOUT tracking, track (or not) the keys of the next command.',
  'GETREDIR',
  '    The client id tracking notifications are redirected to.',
  'GETNAME',
  '    The name of this connection.',
  'ID',
  '    The id of this connection.',
  'INFO',
  '    This connection, described as in CLIENT LIST.',
  'KILL <ip:port>',
  '    Close the connection coming from <ip:port>.',
  'KILL <option> <value> [<option> <value> [...]]',
  '    Close the connections matching every filter given:',
  '    * ADDR (<ip:port>|<unixsocket>:0)',
  '      connections from this address',
  '    * LADDR (<ip:port>|<unixsocket>:0)',
  '      connections to this local address',
  '    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)',
  '      connections of this type',
  '    * USER <username>',
  '      connections authenticated as <username>',
  '    * SKIPME (YES|NO)',
  '      whether to spare the calling connection (yes unless told otherwise)',
  'LIST [options ...]',
  '    Describe the open connections, optionally only:',
  '    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)',
  '      those of a type',
  'UNPAUSE',
  '    End a CLIENT PAUSE now.',
  'PAUSE <timeout> [WRITE|ALL]',
  '    Hold the commands of all clients (or only writes) for <timeout> milliseconds.',
  'REPLY (ON|OFF|SKIP)',
  '    Turn the replies to this connection on or off, or skip the next one.',
  'SETNAME <name>',
  '    Name this connection <name>.',
  'UNBLOCK <clientid> [TIMEOUT|ERROR]',
  '    Wake a client blocked on keys, as if it timed out or with an error.',
  'TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]]',
  '         [OPTIN] [OPTOUT] [NOLOOP]',
  '    Server-assisted client side caching (not supported by tsredis).',
  'TRACKINGINFO',
  '    The client side caching state of this connection.',
  'NO-EVICT (ON|OFF)',
  '    Exempt this connection from client eviction.',
];

// ---------------------------------------------------------------- CLIENT subcommands

/** Parses a positive client id as Redis's getRangeLongFromObjectOrReply(1, LONG_MAX). */
function parseClientId(s: string): number | null {
  const v = parseInt64(s);
  if (v === null) return null;
  const n = typeof v === 'bigint' ? Number(v) : v;
  return n >= 1 ? n : null;
}

function clientList(c: Client, argv: string[]): void {
  const server = c.server;
  let type: ClientType | null = null;
  let ids: Set<number> | null = null;
  if (argv.length === 4 && argv[2].toLowerCase() === 'type') {
    type = clientTypeByName(argv[3]);
    if (type === null) return c.error(`ERR Unknown client type '${argv[3]}'`);
  } else if (argv.length > 3 && argv[2].toLowerCase() === 'id') {
    ids = new Set();
    for (let i = 3; i < argv.length; i++) {
      const id = parseInt64(argv[i]);
      if (id === null) return c.error('ERR Invalid client ID');
      ids.add(Number(id));
    }
  } else if (argv.length !== 2) {
    return c.error(E.SYNTAX);
  }
  const now = Date.now();
  let out = '';
  if (ids !== null) {
    for (const id of ids) {
      const t = server.clients.get(id);
      if (t !== undefined && !t.closed) out += clientInfoLine(t, now, t === c ? argv : null) + '\n';
    }
  } else {
    for (const t of server.clients.values()) {
      if (t.closed) continue;
      if (type !== null && clientType(t) !== type) continue;
      out += clientInfoLine(t, now, t === c ? argv : null) + '\n';
    }
  }
  c.verbatim(out);
}

/** Closes a client; the caller itself is closed once its reply is written. */
function killClient(c: Client, target: Client): void {
  if (target === c) {
    c.closeAfterReply = true;
    return;
  }
  target.flush();
  target.close();
}

function clientKill(c: Client, argv: string[]): void {
  const server = c.server;
  if (argv.length === 3) {
    // Old form: CLIENT KILL addr:port
    for (const t of server.clients.values()) {
      if (!t.closed && t.addr === argv[2]) {
        killClient(c, t);
        return c.ok();
      }
    }
    return c.error('ERR No such client');
  }
  let id: number | null = null;
  let type: ClientType | null = null;
  let addr: string | null = null;
  let laddr: string | null = null;
  let user: string | null = null;
  let skipMe = true;
  for (let i = 2; i < argv.length; i += 2) {
    if (i + 1 >= argv.length) return c.error(E.SYNTAX);
    const opt = argv[i].toLowerCase();
    const val = argv[i + 1];
    if (opt === 'id') {
      id = parseClientId(val);
      if (id === null) return c.error('ERR client-id should be greater than 0');
    } else if (opt === 'type') {
      type = clientTypeByName(val);
      if (type === null) return c.error(`ERR Unknown client type '${val}'`);
    } else if (opt === 'addr') {
      addr = val;
    } else if (opt === 'laddr') {
      laddr = val;
    } else if (opt === 'user') {
      if (val !== 'default') return c.error(`ERR No such user '${val}'`);
      user = val;
    } else if (opt === 'skipme') {
      const v = val.toLowerCase();
      if (v === 'yes') skipMe = true;
      else if (v === 'no') skipMe = false;
      else return c.error(E.SYNTAX);
    } else {
      return c.error(E.SYNTAX);
    }
  }
  let killed = 0;
  for (const t of [...server.clients.values()]) {
    if (t.closed) continue;
    if (id !== null && t.id !== id) continue;
    if (type !== null && clientType(t) !== type) continue;
    if (addr !== null && t.addr !== addr) continue;
    if (laddr !== null && t.laddr !== laddr) continue;
    if (user !== null && t.user !== user) continue;
    if (t === c && skipMe) continue;
    killClient(c, t);
    killed++;
  }
  c.int(killed);
}

/** CLIENT's own text when a subcommand gets more arguments than it takes. */
function clientSubArity(c: Client, argv: string[]): void {
  c.error(`ERR unknown subcommand or wrong number of arguments for '${argv[1]}'. Try CLIENT HELP.`);
}

function clientPause(c: Client, argv: string[]): void {
  if (argv.length > 4) return clientSubArity(c, argv);
  const v = parseInt64(argv[2]);
  if (v === null) return c.error('ERR timeout is not an integer or out of range');
  const ms = typeof v === 'bigint' ? Number(v) : v;
  if (ms < 0) return c.error(E.TIMEOUT_NEGATIVE);
  let mode: 'write' | 'all' = 'all';
  if (argv.length === 4) {
    const m = argv[3].toLowerCase();
    if (m === 'write') mode = 'write';
    else if (m !== 'all') return c.error('ERR CLIENT PAUSE mode must be WRITE or ALL');
  }
  // setTimeout holds at most 2^31-1 ms; longer pauses are as good as forever.
  c.server.pauseClients(mode, Math.min(ms, 2147483647));
  c.ok();
}

function clientUnblock(c: Client, argv: string[]): void {
  if (argv.length > 4) return clientSubArity(c, argv);
  const v = parseInt64(argv[2]);
  if (v === null) return c.error(E.NOT_INTEGER);
  let asError = false;
  if (argv.length === 4) {
    const r = argv[3].toLowerCase();
    if (r === 'error') asError = true;
    else if (r !== 'timeout') return c.error('ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR');
  }
  const server = c.server;
  const target = typeof v === 'number' ? server.clients.get(v) : undefined;
  const b = target?.blocked ?? null;
  if (target === undefined || b === null || b.kind === 'pause' || b.kind === 'sleep') return c.int(0);
  server.runUnblocked(target, () => {
    if (asError) {
      if (b.onUnblockError) b.onUnblockError(target);
      else target.error('UNBLOCKED client unblocked via CLIENT UNBLOCK');
    } else {
      b.onTimeout?.(target);
    }
  });
  server.unblockClient(target);
  c.int(1);
}

function onOff(c: Client, arg: string): boolean | null {
  const v = arg.toLowerCase();
  if (v === 'on') return true;
  if (v === 'off') return false;
  c.error(E.SYNTAX);
  return null;
}

const clientSub = (spec: Parameters<typeof cmd>[0]): CommandSpec =>
  cmd({ flags: ['noscript', 'loading', 'stale'], categories: ['connection'], group: 'connection', ...spec });

const clientCommand = cmd({
  name: 'client',
  arity: -2,
  group: 'connection',
  summary: 'Container for client connection commands.',
  since: '2.4.0',
  complexity: 'Depends on subcommand.',
  handler: (c) => c.error(E.SYNTAX),
  subcommands: [
    clientSub({
      name: 'id',
      arity: 2,
      summary: "Returns this connection's unique id.",
      since: '5.0.0',
      complexity: 'O(1)',
      handler: (c) => c.int(c.id),
    }),
    clientSub({
      name: 'info',
      arity: 2,
      summary: 'Describes this connection in the CLIENT LIST format.',
      since: '6.2.0',
      complexity: 'O(1)',
      tips: ['nondeterministic_output'],
      handler: (c, argv) => c.verbatim(clientInfoLine(c, Date.now(), argv) + '\n'),
    }),
    clientSub({
      name: 'list',
      arity: -2,
      flags: ['admin', 'noscript', 'loading', 'stale'],
      summary: 'Lists the open connections and their state.',
      since: '2.4.0',
      complexity: 'O(N) where N is the number of client connections',
      tips: ['nondeterministic_output'],
      history: [
        ['2.8.12', 'Added unique client `id` field.'],
        ['5.0.0', 'Added optional `TYPE` filter.'],
        ['6.0.0', 'Added `user` field.'],
        ['6.2.0', 'Added `argv-mem`, `tot-mem`, `laddr` and `redir` fields and the optional `ID` filter.'],
        ['7.0.0', 'Added `resp`, `multi-mem`, `rbs` and `rbp` fields.'],
        ['7.0.3', 'Added `ssub` field.'],
      ],
      args: [
        {
          name: 'normal_master_replica_pubsub',
          type: 'oneof',
          token: 'TYPE',
          since: '5.0.0',
          optional: true,
          arguments: [
            { name: 'normal', type: 'pure-token', token: 'NORMAL' },
            { name: 'master', type: 'pure-token', token: 'MASTER' },
            { name: 'replica', type: 'pure-token', token: 'REPLICA' },
            { name: 'pubsub', type: 'pure-token', token: 'PUBSUB' },
          ],
        },
        { name: 'id', type: 'block', token: 'ID', since: '6.2.0', optional: true, arguments: [{ name: 'client-id', type: 'integer', multiple: true }] },
      ],
      handler: clientList,
    }),
    clientSub({
      name: 'kill',
      arity: -3,
      flags: ['admin', 'noscript', 'loading', 'stale'],
      summary: 'Closes the connections matching a filter.',
      since: '2.4.0',
      complexity: 'O(N) where N is the number of client connections',
      history: [
        ['2.8.12', 'Added new filter format.'],
        ['2.8.12', '`ID` option.'],
        ['3.2.0', 'Added `master` type in for `TYPE` option.'],
        ['5.0.0', 'Replaced `slave` `TYPE` with `replica`. `slave` still supported for backward compatibility.'],
        ['6.2.0', '`LADDR` option.'],
      ],
      args: [
        {
          name: 'filter',
          type: 'oneof',
          arguments: [
            { name: 'ip:port', type: 'string', deprecated_since: '2.8.12' },
            {
              name: 'new-format',
              type: 'oneof',
              multiple: true,
              arguments: [
                { name: 'client-id', type: 'integer', token: 'ID', since: '2.8.12', optional: true },
                {
                  name: 'normal_master_slave_pubsub',
                  type: 'oneof',
                  token: 'TYPE',
                  since: '2.8.12',
                  optional: true,
                  arguments: [
                    { name: 'normal', type: 'pure-token', token: 'NORMAL' },
                    { name: 'master', type: 'pure-token', token: 'MASTER', since: '3.2.0' },
                    { name: 'slave', type: 'pure-token', token: 'SLAVE' },
                    { name: 'replica', type: 'pure-token', token: 'REPLICA', since: '5.0.0' },
                    { name: 'pubsub', type: 'pure-token', token: 'PUBSUB' },
                  ],
                },
                { name: 'username', type: 'string', token: 'USER', optional: true },
                { name: 'ip:port', type: 'string', token: 'ADDR', optional: true },
                { name: 'ip:port', type: 'string', token: 'LADDR', since: '6.2.0', optional: true },
                { name: 'yes/no', type: 'string', token: 'SKIPME', optional: true },
              ],
            },
          ],
        },
      ],
      handler: clientKill,
    }),
    clientSub({
      name: 'setname',
      arity: 3,
      summary: 'Names this connection.',
      since: '2.6.9',
      complexity: 'O(1)',
      args: [{ name: 'connection-name', type: 'string' }],
      handler(c, argv) {
        if (!validClientName(argv[2])) return c.error(BAD_NAME);
        c.name = argv[2];
        c.ok();
      },
    }),
    clientSub({
      name: 'getname',
      arity: 2,
      summary: "Returns this connection's name.",
      since: '2.6.9',
      complexity: 'O(1)',
      handler: (c) => (c.name === '' ? c.nullBulk() : c.bulk(c.name)),
    }),
    clientSub({
      name: 'reply',
      arity: 3,
      summary: 'Turns the replies to this connection on or off.',
      since: '3.2.0',
      complexity: 'O(1)',
      args: [
        {
          name: 'on_off_skip',
          type: 'oneof',
          arguments: [
            { name: 'on', type: 'pure-token', token: 'ON' },
            { name: 'off', type: 'pure-token', token: 'OFF' },
            { name: 'skip', type: 'pure-token', token: 'SKIP' },
          ],
        },
      ],
      handler(c, argv) {
        const mode = argv[2].toLowerCase();
        if (mode === 'on') {
          c.replyMode = 'on';
          c.ok();
        } else if (mode === 'off') c.replyMode = 'off';
        else if (mode === 'skip') {
          if (c.replyMode !== 'off') c.replyMode = 'skip';
        } else c.error(E.SYNTAX);
      },
    }),
    clientSub({
      name: 'pause',
      arity: -3,
      flags: ['admin', 'noscript', 'loading', 'stale'],
      summary: 'Holds the commands of all (or write) clients for a while.',
      since: '2.9.50',
      complexity: 'O(1)',
      history: [['6.2.0', '`CLIENT PAUSE WRITE` mode added along with the `mode` option.']],
      args: [
        { name: 'timeout', type: 'integer' },
        {
          name: 'mode',
          type: 'oneof',
          since: '6.2.0',
          optional: true,
          arguments: [
            { name: 'write', type: 'pure-token', token: 'WRITE' },
            { name: 'all', type: 'pure-token', token: 'ALL' },
          ],
        },
      ],
      handler: clientPause,
    }),
    clientSub({
      name: 'unpause',
      arity: 2,
      flags: ['admin', 'noscript', 'loading', 'stale'],
      summary: 'Ends a CLIENT PAUSE at once.',
      since: '6.2.0',
      complexity: 'O(N) Where N is the number of paused clients',
      handler(c) {
        c.server.unpauseClients();
        c.ok();
      },
    }),
    clientSub({
      name: 'unblock',
      arity: -3,
      flags: ['admin', 'noscript', 'loading', 'stale'],
      summary: 'Wakes a client blocked on keys, as a timeout or with an error.',
      since: '5.0.0',
      complexity: 'O(log N) where N is the number of client connections',
      args: [
        { name: 'client-id', type: 'integer' },
        {
          name: 'timeout_error',
          type: 'oneof',
          optional: true,
          arguments: [
            { name: 'timeout', type: 'pure-token', token: 'TIMEOUT' },
            { name: 'error', type: 'pure-token', token: 'ERROR' },
          ],
        },
      ],
      handler: clientUnblock,
    }),
    clientSub({
      name: 'no-evict',
      arity: 3,
      flags: ['admin', 'noscript', 'loading', 'stale'],
      summary: 'Exempts this connection from client eviction.',
      since: '7.0.0',
      complexity: 'O(1)',
      args: [
        {
          name: 'enabled',
          type: 'oneof',
          arguments: [
            { name: 'on', type: 'pure-token', token: 'ON' },
            { name: 'off', type: 'pure-token', token: 'OFF' },
          ],
        },
      ],
      handler(c, argv) {
        const v = onOff(c, argv[2]);
        if (v === null) return;
        c.noEvict = v;
        c.ok();
      },
    }),
    clientSub({
      name: 'tracking',
      arity: -3,
      summary: 'Turns server-assisted client side caching on or off (not supported by tsredis).',
      since: '6.0.0',
      complexity: 'O(1). Some options may introduce additional complexity.',
      args: [
        {
          name: 'status',
          type: 'oneof',
          arguments: [
            { name: 'on', type: 'pure-token', token: 'ON' },
            { name: 'off', type: 'pure-token', token: 'OFF' },
          ],
        },
        { name: 'client-id', type: 'integer', token: 'REDIRECT', optional: true },
        { name: 'prefix', type: 'string', token: 'PREFIX', optional: true, multiple: true, multiple_token: true },
        { name: 'bcast', type: 'pure-token', token: 'BCAST', optional: true },
        { name: 'optin', type: 'pure-token', token: 'OPTIN', optional: true },
        { name: 'optout', type: 'pure-token', token: 'OPTOUT', optional: true },
        { name: 'noloop', type: 'pure-token', token: 'NOLOOP', optional: true },
      ],
      handler(c, argv) {
        const v = argv[2].toLowerCase();
        if (v === 'off' && argv.length === 3) return c.ok();
        if (v !== 'on' && v !== 'off') return c.error(E.SYNTAX);
        c.error('ERR CLIENT TRACKING is not supported by tsredis');
      },
    }),
    clientSub({
      name: 'trackinginfo',
      arity: 2,
      summary: "Reports this connection's client side caching state.",
      since: '6.2.0',
      complexity: 'O(1)',
      handler(c) {
        c.mapHeader(3);
        c.bulk('flags');
        c.setHeader(1);
        c.bulk('off');
        c.bulk('redirect');
        c.int(-1);
        c.bulk('prefixes');
        c.arrayHeader(0);
      },
    }),
    clientSub({
      name: 'getredir',
      arity: 2,
      summary: 'Returns the client id tracking notifications go to (-1: none).',
      since: '6.0.0',
      complexity: 'O(1)',
      handler: (c) => c.int(-1),
    }),
    clientSub({
      name: 'caching',
      arity: 3,
      summary: 'Tracks (or not) the keys of the next command, in OPTIN/OPTOUT tracking.',
      since: '6.0.0',
      complexity: 'O(1)',
      args: [
        {
          name: 'mode',
          type: 'oneof',
          arguments: [
            { name: 'yes', type: 'pure-token', token: 'YES' },
            { name: 'no', type: 'pure-token', token: 'NO' },
          ],
        },
      ],
      handler: (c) =>
        c.error('ERR CLIENT CACHING can be called only when the client is in tracking mode with OPTIN or OPTOUT mode enabled'),
    }),
    cmd({
      name: 'help',
      arity: 2,
      flags: ['loading', 'stale'],
      categories: ['connection'],
      group: 'connection',
      summary: 'Shows the CLIENT subcommands.',
      since: '5.0.0',
      complexity: 'O(1)',
      handler: (c) => replyHelp(c, 'CLIENT', CLIENT_HELP),
    }),
  ],
});

// ---------------------------------------------------------------- HELLO, AUTH, RESET

function hello(c: Client, argv: string[]): void {
  let proto = c.resp as number;
  if (argv.length >= 2) {
    const v = parseInt64(argv[1]);
    if (v === null) return c.error('ERR Protocol version is not an integer or out of range');
    if (v !== 2 && v !== 3) return c.error('NOPROTO unsupported protocol version');
    proto = v;
  }
  let user: string | null = null;
  let pass = '';
  let name: string | null = null;
  for (let j = 2; j < argv.length; j++) {
    const more = argv.length - j - 1;
    const opt = argv[j].toLowerCase();
    if (opt === 'auth' && more >= 2) {
      user = argv[j + 1];
      pass = argv[j + 2];
      j += 2;
    } else if (opt === 'setname' && more >= 1) {
      name = argv[j + 1];
      j += 1;
    } else {
      return c.error(`ERR Syntax error in HELLO option '${argv[j]}'`);
    }
  }
  if (user !== null && !authenticate(c, user, pass)) return c.error(WRONGPASS);
  if (!c.authenticated) {
    return c.error(
      'NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time',
    );
  }
  if (name !== null) {
    if (!validClientName(name)) return c.error(BAD_NAME);
    c.name = name;
  }
  c.resp = proto as 2 | 3;
  c.mapHeader(7);
  c.bulk('server');
  c.bulk('redis');
  c.bulk('version');
  c.bulk(REDIS_VERSION);
  c.bulk('proto');
  c.int(proto);
  c.bulk('id');
  c.int(c.id);
  c.bulk('mode');
  c.bulk('standalone');
  c.bulk('role');
  c.bulk(c.server.isReplica ? 'replica' : 'master');
  c.bulk('modules');
  c.arrayHeader(0);
}

function auth(c: Client, argv: string[]): void {
  if (argv.length > 3) return c.error(E.SYNTAX);
  let user = 'default';
  let pass: string;
  if (argv.length === 2) {
    if (defaultUserHasNoPassword(c.server) && checkCredentials === defaultChecker) {
      return c.error(
        'ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?',
      );
    }
    pass = argv[1];
  } else {
    user = argv[1];
    pass = argv[2];
  }
  if (!authenticate(c, user, pass)) return c.error(WRONGPASS);
  c.ok();
}

const defaultChecker = checkCredentials;

/** RESET: back to a fresh connection's state (no MULTI, no subscriptions, db 0, RESP2, default user). */
export function resetClient(c: Client): void {
  const server = c.server;
  if (c.multi !== null || c.watched !== null) discardTransaction(c);
  c.dirtyCas = false;
  server.pubsub.removeClient(c);
  if (c.monitor) {
    c.monitor = false;
    server.monitors.delete(c);
  }
  c.db = server.dbs[0];
  c.resp = 2;
  c.name = '';
  c.replyMode = 'on';
  c.noEvict = false;
  c.user = 'default';
  c.authenticated = !server.authRequired();
}

// ---------------------------------------------------------------- the table

const conn = (spec: Parameters<typeof cmd>[0]): CommandSpec => cmd({ categories: ['connection'], group: 'connection', ...spec });

export const connectionCommands: CommandSpec[] = [
  conn({
    name: 'ping',
    arity: -1,
    flags: ['fast', 'sentinel'],
    summary: 'Checks that the server answers.',
    complexity: 'O(1)',
    tips: ['request_policy:all_shards', 'response_policy:all_succeeded'],
    args: [{ name: 'message', type: 'string', optional: true }],
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
  conn({
    name: 'echo',
    arity: 2,
    flags: ['loading', 'stale', 'fast'],
    summary: 'Returns the given string.',
    complexity: 'O(1)',
    args: [{ name: 'message', type: 'string' }],
    handler(c, argv) {
      c.bulk(argv[1]);
    },
  }),
  conn({
    name: 'quit',
    arity: -1,
    flags: ['allow_busy', 'no_auth', 'fast', 'loading', 'stale', 'noscript'],
    summary: 'Closes the connection.',
    complexity: 'O(1)',
    handler(c) {
      c.ok();
      c.closeAfterReply = true;
    },
  }),
  conn({
    name: 'select',
    arity: 2,
    flags: ['loading', 'stale', 'fast'],
    summary: 'Changes the selected database.',
    complexity: 'O(1)',
    args: [{ name: 'index', type: 'integer' }],
    handler(c, argv) {
      const v = parseInt64(argv[1]);
      if (v === null) return c.error(E.NOT_INTEGER);
      // getIntFromObjectOrReply: a long long that does not fit an int has its own text.
      if (v < -2147483648 || v > 2147483647) return c.error('ERR value is out of range, value must between -2147483648 and 2147483647');
      const i = Number(v);
      const db = c.server.db(i);
      if (db === undefined) return c.error(E.DB_INDEX);
      c.db = db;
      c.ok();
    },
  }),
  conn({
    name: 'hello',
    arity: -1,
    flags: ['noscript', 'loading', 'stale', 'fast', 'no_auth', 'allow_busy', 'sentinel'],
    summary: 'Chooses the protocol version, optionally authenticating and naming the connection.',
    since: '6.0.0',
    complexity: 'O(1)',
    history: [['6.2.0', "`protover` made optional; when called without arguments the command reports the current connection's context."]],
    args: [
      {
        name: 'arguments',
        type: 'block',
        optional: true,
        arguments: [
          { name: 'protover', type: 'integer' },
          {
            name: 'username_password',
            type: 'block',
            token: 'AUTH',
            optional: true,
            arguments: [
              { name: 'username', type: 'string' },
              { name: 'password', type: 'string' },
            ],
          },
          { name: 'clientname', type: 'string', token: 'SETNAME', optional: true },
        ],
      },
    ],
    handler: hello,
  }),
  conn({
    name: 'auth',
    arity: -2,
    flags: ['noscript', 'loading', 'stale', 'fast', 'no_auth', 'allow_busy', 'sentinel'],
    summary: 'Authenticates the connection.',
    complexity: 'O(N) where N is the number of passwords defined for the user',
    history: [['6.0.0', 'Added ACL style (username and password).']],
    args: [
      { name: 'username', type: 'string', since: '6.0.0', optional: true },
      { name: 'password', type: 'string' },
    ],
    handler: auth,
  }),
  conn({
    name: 'reset',
    arity: 1,
    flags: ['noscript', 'loading', 'stale', 'fast', 'no_auth', 'allow_busy'],
    summary: "Resets the connection's state as if it had just connected.",
    since: '6.2.0',
    complexity: 'O(1)',
    handler(c) {
      resetClient(c);
      c.status('RESET');
    },
  }),
  conn({
    name: 'readonly',
    arity: 1,
    flags: ['loading', 'stale', 'fast'],
    summary: 'Allows reads from a cluster replica (cluster mode only).',
    since: '3.0.0',
    complexity: 'O(1)',
    handler: (c) => c.error('ERR This instance has cluster support disabled'),
  }),
  conn({
    name: 'readwrite',
    arity: 1,
    flags: ['loading', 'stale', 'fast'],
    summary: 'Ends READONLY on a cluster replica connection (cluster mode only).',
    since: '3.0.0',
    complexity: 'O(1)',
    handler: (c) => c.error('ERR This instance has cluster support disabled'),
  }),
  clientCommand,
];
