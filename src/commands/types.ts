import type { Client } from '../server/client';

/**
 * Command flags, named as in Redis's COMMAND output. They drive dispatch
 * (write commands on replicas, OOM checks, MULTI/pubsub/script rules), COMMAND
 * and ACL categories.
 */
export type CommandFlag =
  | 'write'
  | 'readonly'
  | 'denyoom'
  | 'module'
  | 'admin'
  | 'pubsub'
  | 'noscript'
  | 'blocking'
  | 'loading'
  | 'stale'
  | 'skip_monitor'
  | 'skip_slowlog'
  | 'asking'
  | 'fast'
  | 'no_auth'
  | 'may_replicate'
  | 'sentinel'
  | 'only_sentinel'
  | 'no_mandatory_keys'
  | 'protected'
  | 'no_async_loading'
  | 'no_multi'
  | 'movablekeys'
  | 'allow_busy';

/** The command's handler. `argv[0]` is the command name as the client sent it. */
export type CommandHandler = (c: Client, argv: string[]) => void;

/** One argument of a command, for COMMAND DOCS (redis-cli builds its hints from these). */
export interface CommandArg {
  name: string;
  type: 'string' | 'integer' | 'double' | 'key' | 'pattern' | 'unix-time' | 'pure-token' | 'oneof' | 'block';
  token?: string;
  optional?: boolean;
  multiple?: boolean;
  multiple_token?: boolean;
  key_spec_index?: number;
  display?: string;
  since?: string;
  summary?: string;
  deprecated_since?: string;
  arguments?: CommandArg[];
}

/**
 * A Redis 7 key specification (COMMAND INFO / COMMAND GETKEYSANDFLAGS). When
 * a command declares none, one is derived from firstKey/lastKey/keyStep.
 */
export interface KeySpec {
  /** Redis's key-spec flags: RO RW OW RM, access update insert delete, not_key incomplete variable_flags. */
  flags: string[];
  notes?: string;
  /** Where the search for keys starts: an argv index, or after a keyword found from `startFrom` (negative: from the end). */
  beginSearch: { index: number } | { keyword: string; startFrom: number } | 'unknown';
  /** How keys are found from there: a range (lastKey relative to the start, -1 = last arg), or a count at keyNumIdx. */
  findKeys: { lastKey: number; keyStep: number; limit: number } | { keyNumIdx: number; firstKey: number; keyStep: number } | 'unknown';
}

export interface CommandSpec {
  /** Lower-case name; for a subcommand, only the part after the container ("get" of "config|get"). */
  name: string;
  /** Redis arity: N means exactly N args (name included), -N means at least N. */
  arity: number;
  flags: CommandFlag[];
  /** Position of the first key (0 when none), of the last key (-1: the last arg, -2: the one before), and the step. */
  firstKey: number;
  lastKey: number;
  keyStep: number;
  /** ACL categories beyond those the flags imply, e.g. ['string']. Written without '@'. */
  categories: string[];
  /** Documentation group (string, list, hash, set, sorted-set, generic, connection, server, pubsub, transactions, scripting, ...). */
  group: string;
  summary: string;
  since: string;
  complexity?: string;
  args?: CommandArg[];
  /** Redis 7 command tips (e.g. 'nondeterministic_output'). */
  tips?: string[];
  /** Key specifications; derived from firstKey/lastKey/keyStep when absent. */
  keySpecs?: KeySpec[];
  /** COMMAND DOCS history: [version, what changed]. */
  history?: Array<[string, string]>;
  /** COMMAND DOCS doc_flags ('deprecated', 'syscmd'), deprecated_since and replaced_by. */
  docFlags?: string[];
  deprecatedSince?: string;
  replacedBy?: string;
  /** For commands whose keys cannot be described by first/last/step (EVAL, ZUNIONSTORE, ...): the key positions in argv. */
  getKeys?: (argv: string[]) => number[];
  handler: CommandHandler;
  subcommands?: CommandSpec[];
}

/** A command resolved for dispatch, with its statistics. */
export interface Command extends CommandSpec {
  /** "get", or "config|get" for a subcommand. */
  fullName: string;
  parent?: Command;
  subcommandMap?: Map<string, Command>;
  /** The ACL categories, implied and declared, without '@'. */
  aclCategories: string[];
  isWrite: boolean;
  isReadonly: boolean;
  denyOom: boolean;
  stats: { calls: number; usec: number; rejected: number; failed: number };
}

/** Declares a command with defaults for what most commands leave out. */
export function cmd(spec: Partial<CommandSpec> & Pick<CommandSpec, 'name' | 'arity' | 'handler'>): CommandSpec {
  return {
    flags: [],
    firstKey: 0,
    lastKey: 0,
    keyStep: 0,
    categories: [],
    group: 'generic',
    summary: '',
    since: '1.0.0',
    ...spec,
  };
}
