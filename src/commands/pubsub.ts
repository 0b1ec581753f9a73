/**
 * Pub/sub commands (pubsub.c): SUBSCRIBE, UNSUBSCRIBE, PSUBSCRIBE,
 * PUNSUBSCRIBE, PUBLISH, SSUBSCRIBE, SUNSUBSCRIBE, SPUBLISH, PUBSUB.
 * The channel registry and message delivery live in src/pubsub/pubsub.ts.
 */
import { cmd, type CommandHandler, type CommandSpec, type KeySpec } from './types';
import type { Client } from '../server/client';
import type { SubscriptionKind } from '../pubsub/pubsub';
import { globMatch } from '../util/glob';

const PUBSUB_HELP = [
  'PUBSUB <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'CHANNELS [<pattern>]',
  "    Return the currently active channels matching a <pattern> (default: '*').",
  'NUMPAT',
  '    Return number of subscriptions to patterns.',
  'NUMSUB [<channel> ...]',
  '    Return the number of subscribers for the specified channels, excluding',
  '    pattern subscriptions(default: no channels).',
  'SHARDCHANNELS [<pattern>]',
  "    Return the currently active shard level channels matching a <pattern> (default: '*').",
  'SHARDNUMSUB [<shardchannel> ...]',
  '    Return the number of subscribers for the specified shard level channel(s)',
  'HELP',
  '    Prints this help.',
];

function subcommandSyntaxError(c: Client, argv: string[]): void {
  c.error(`ERR unknown subcommand or wrong number of arguments for '${argv[1].slice(0, 128)}'. Try PUBSUB HELP.`);
}

/** Names of `index` matching the optional glob in argv[2]. */
function listChannels(c: Client, argv: string[], index: Map<string, Set<Client>>): void {
  if (argv.length > 3) return subcommandSyntaxError(c, argv);
  const pattern = argv.length === 3 ? argv[2] : null;
  const out: string[] = [];
  for (const name of index.keys()) {
    if (pattern === null || globMatch(pattern, name)) out.push(name);
  }
  c.bulkArray(out);
}

/** Channel, subscriber count pairs, as a flat array (also in RESP3). */
function countSubscribers(c: Client, argv: string[], index: Map<string, Set<Client>>): void {
  c.arrayHeader((argv.length - 2) * 2);
  for (let i = 2; i < argv.length; i++) {
    c.bulk(argv[i]);
    c.int(index.get(argv[i])?.size ?? 0);
  }
}

/** A client that must get one reply per command (scripts, EXEC) may not enter subscriber mode. */
function denied(c: Client, name: string, evenInMulti: boolean): boolean {
  if (c.denyBlocking && (evenInMulti || c.multi === null)) {
    c.error(`ERR ${name} isn't allowed for a DENY BLOCKING client`);
    return true;
  }
  return false;
}

/** SUBSCRIBE, PSUBSCRIBE, SSUBSCRIBE: subscribes to each argument, unless the client may not enter subscriber mode. */
function subscribeHandler(kind: SubscriptionKind, name: string, evenInMulti: boolean): CommandHandler {
  return (c, argv) => {
    if (denied(c, name, evenInMulti)) return;
    const ps = c.server.pubsub;
    for (let i = 1; i < argv.length; i++) ps.subscribe(c, kind, argv[i]);
  };
}

/** UNSUBSCRIBE, PUNSUBSCRIBE, SUNSUBSCRIBE: from each argument, or from every subscription of the kind without arguments. */
function unsubscribeHandler(kind: SubscriptionKind): CommandHandler {
  return (c, argv) => {
    const ps = c.server.pubsub;
    if (argv.length === 1) ps.unsubscribeAll(c, kind);
    else for (let i = 1; i < argv.length; i++) ps.unsubscribe(c, kind, argv[i]);
  };
}

const subscribeFlags = ['pubsub', 'noscript', 'loading', 'stale'] as const;
/** SSUBSCRIBE and SUNSUBSCRIBE: every argument is a shard channel (a key for cluster routing, not in the keyspace). */
const shardChannelsKeySpec: KeySpec = { flags: ['not_key'], beginSearch: { index: 1 }, findKeys: { lastKey: -1, keyStep: 1, limit: 0 } };

export const pubsubCommands: CommandSpec[] = [
  cmd({
    name: 'subscribe',
    arity: -2,
    flags: [...subscribeFlags],
    group: 'pubsub',
    summary: 'Listens for messages published to channels.',
    since: '2.0.0',
    args: [{ name: 'channel', type: 'string', multiple: true }],
    handler: subscribeHandler('channel', 'SUBSCRIBE', false),
  }),
  cmd({
    name: 'unsubscribe',
    arity: -1,
    flags: [...subscribeFlags],
    group: 'pubsub',
    summary: 'Stops listening to channels (all of them without arguments).',
    since: '2.0.0',
    args: [{ name: 'channel', type: 'string', optional: true, multiple: true }],
    handler: unsubscribeHandler('channel'),
  }),
  cmd({
    name: 'psubscribe',
    arity: -2,
    flags: [...subscribeFlags],
    group: 'pubsub',
    summary: 'Listens for messages published to channels matching glob patterns.',
    since: '2.0.0',
    args: [{ name: 'pattern', type: 'block', multiple: true, arguments: [{ name: 'pattern', type: 'pattern' }] }],
    handler: subscribeHandler('pattern', 'PSUBSCRIBE', false),
  }),
  cmd({
    name: 'punsubscribe',
    arity: -1,
    flags: [...subscribeFlags],
    group: 'pubsub',
    summary: 'Stops listening to patterns (all of them without arguments).',
    since: '2.0.0',
    args: [{ name: 'pattern', type: 'pattern', optional: true, multiple: true }],
    handler: unsubscribeHandler('pattern'),
  }),
  cmd({
    name: 'publish',
    arity: 3,
    flags: ['pubsub', 'loading', 'stale', 'fast'],
    group: 'pubsub',
    summary: 'Posts a message to a channel.',
    since: '2.0.0',
    args: [
      { name: 'channel', type: 'string' },
      { name: 'message', type: 'string' },
    ],
    handler(c, argv) {
      c.int(c.server.pubsub.publish(argv[1], argv[2]));
    },
  }),
  cmd({
    name: 'ssubscribe',
    arity: -2,
    flags: [...subscribeFlags],
    firstKey: 1,
    lastKey: -1,
    keyStep: 1,
    keySpecs: [shardChannelsKeySpec],
    group: 'pubsub',
    summary: 'Listens for messages published to shard channels.',
    since: '7.0.0',
    args: [{ name: 'shardchannel', type: 'string', multiple: true }],
    handler: subscribeHandler('shard', 'SSUBSCRIBE', true),
  }),
  cmd({
    name: 'sunsubscribe',
    arity: -1,
    flags: [...subscribeFlags],
    firstKey: 1,
    lastKey: -1,
    keyStep: 1,
    keySpecs: [shardChannelsKeySpec],
    group: 'pubsub',
    summary: 'Stops listening to shard channels (all of them without arguments).',
    since: '7.0.0',
    args: [{ name: 'shardchannel', type: 'string', optional: true, multiple: true }],
    handler: unsubscribeHandler('shard'),
  }),
  cmd({
    name: 'spublish',
    arity: 3,
    flags: ['pubsub', 'loading', 'stale', 'fast'],
    firstKey: 1,
    lastKey: 1,
    keyStep: 1,
    keySpecs: [{ flags: ['not_key'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } }],
    group: 'pubsub',
    summary: 'Posts a message to a shard channel.',
    since: '7.0.0',
    args: [
      { name: 'shardchannel', type: 'string' },
      { name: 'message', type: 'string' },
    ],
    handler(c, argv) {
      c.int(c.server.pubsub.publishShard(argv[1], argv[2]));
    },
  }),
  cmd({
    name: 'pubsub',
    arity: -2,
    flags: [],
    group: 'pubsub',
    summary: 'A container for Pub/Sub introspection commands.',
    since: '2.8.0',
    handler(c, argv) {
      c.error(`ERR unknown subcommand '${argv[1].slice(0, 128)}'. Try PUBSUB HELP.`);
    },
    subcommands: [
      cmd({
        name: 'channels',
        arity: -2,
        flags: ['pubsub', 'loading', 'stale'],
        group: 'pubsub',
        summary: 'Lists the active channels, optionally only those matching a pattern.',
        since: '2.8.0',
        args: [{ name: 'pattern', type: 'pattern', optional: true }],
        handler: (c, argv) => listChannels(c, argv, c.server.pubsub.channels),
      }),
      cmd({
        name: 'numpat',
        arity: 2,
        flags: ['pubsub', 'loading', 'stale'],
        group: 'pubsub',
        summary: 'Returns how many patterns have subscribers.',
        since: '2.8.0',
        handler(c) {
          c.int(c.server.pubsub.patterns.size);
        },
      }),
      cmd({
        name: 'numsub',
        arity: -2,
        flags: ['pubsub', 'loading', 'stale'],
        group: 'pubsub',
        summary: 'Returns the number of subscribers of channels.',
        since: '2.8.0',
        args: [{ name: 'channel', type: 'string', optional: true, multiple: true }],
        handler: (c, argv) => countSubscribers(c, argv, c.server.pubsub.channels),
      }),
      cmd({
        name: 'shardchannels',
        arity: -2,
        flags: ['pubsub', 'loading', 'stale'],
        group: 'pubsub',
        summary: 'Lists the active shard channels, optionally only those matching a pattern.',
        since: '7.0.0',
        args: [{ name: 'pattern', type: 'pattern', optional: true }],
        handler: (c, argv) => listChannels(c, argv, c.server.pubsub.shardChannels),
      }),
      cmd({
        name: 'shardnumsub',
        arity: -2,
        flags: ['pubsub', 'loading', 'stale'],
        group: 'pubsub',
        summary: 'Returns the number of subscribers of shard channels.',
        since: '7.0.0',
        args: [{ name: 'shardchannel', type: 'string', optional: true, multiple: true }],
        handler: (c, argv) => countSubscribers(c, argv, c.server.pubsub.shardChannels),
      }),
      cmd({
        name: 'help',
        arity: 2,
        flags: ['loading', 'stale'],
        group: 'pubsub',
        summary: 'Shows what PUBSUB can do.',
        since: '6.2.0',
        handler(c) {
          c.arrayHeader(PUBSUB_HELP.length);
          for (const line of PUBSUB_HELP) c.status(line);
        },
      }),
    ],
  }),
];
