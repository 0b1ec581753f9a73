/**
 * Configuration directives, named and formatted as in redis.conf. One table
 * drives the config file, the command line, CONFIG GET/SET/REWRITE.
 */
import { splitArgs } from '../protocol/parser';

export type DirectiveType = 'bool' | 'int' | 'memory' | 'string' | 'enum' | 'special';

export interface Directive {
  name: string;
  aliases?: string[];
  type: DirectiveType;
  default: string;
  /** For enums: the accepted values. */
  values?: string[];
  min?: number;
  max?: number;
  /** Can CONFIG SET change it at run time? */
  mutable: boolean;
  /** For 'special': validates and normalizes the arguments; returns an error text or the stored value. */
  parse?: (args: string[]) => { value: string } | { error: string };
  /** Takes several words on a config line (e.g. `save 900 1 300 10`, `bind a b`). */
  multiArg?: boolean;
  /** Whether the config file may hold the directive several times, values accumulating (like `save` or `client-output-buffer-limit`). */
  accumulates?: boolean;
  /** Hides the value from CONFIG GET (none in Redis 7 but kept for sentinel-like cases). */
}

const MEMORY_UNITS: Record<string, number> = {
  b: 1,
  k: 1000,
  kb: 1024,
  m: 1000 * 1000,
  mb: 1024 * 1024,
  g: 1000 * 1000 * 1000,
  gb: 1024 * 1024 * 1024,
};

/** Parses "100mb", "1gb", "512" like Redis's memtoull; null when invalid. */
export function parseMemory(s: string): number | null {
  const m = /^(-?\d+)([a-zA-Z]*)$/.exec(s);
  if (!m) return null;
  const unit = m[2].toLowerCase();
  const mul = unit === '' ? 1 : MEMORY_UNITS[unit];
  if (mul === undefined) return null;
  return parseInt(m[1], 10) * mul;
}

function parseSave(args: string[]): { value: string } | { error: string } {
  // `save ""` (or no params) disables snapshots; otherwise pairs of <seconds> <changes>.
  const words = args.join(' ').trim().split(/\s+/).filter((w) => w.length > 0);
  if (words.length === 0) return { value: '' };
  if (words.length % 2 !== 0) return { error: 'Invalid save parameters' };
  for (const w of words) if (!/^\d+$/.test(w)) return { error: 'Invalid save parameters' };
  return { value: words.join(' ') };
}

const CLASSES = ['normal', 'replica', 'slave', 'pubsub'];
function parseOutputBufferLimit(args: string[]): { value: string } | { error: string } {
  const words = args.join(' ').trim().split(/\s+/).filter((w) => w.length > 0);
  if (words.length % 4 !== 0 || words.length === 0) return { error: 'Wrong number of arguments in buffer limit configuration.' };
  const current = new Map<string, string>([
    ['normal', '0 0 0'],
    ['slave', '268435456 67108864 60'],
    ['pubsub', '33554432 8388608 60'],
  ]);
  for (let i = 0; i < words.length; i += 4) {
    let cls = words[i].toLowerCase();
    if (!CLASSES.includes(cls)) return { error: 'Invalid client class specified in buffer limit configuration.' };
    if (cls === 'replica') cls = 'slave';
    const hard = parseMemory(words[i + 1]);
    const soft = parseMemory(words[i + 2]);
    const secs = /^\d+$/.test(words[i + 3]) ? parseInt(words[i + 3], 10) : null;
    if (hard === null || soft === null || secs === null || hard < 0 || soft < 0) {
      return { error: 'Error in hard, soft or soft_seconds setting in buffer limit configuration.' };
    }
    current.set(cls, `${hard} ${soft} ${secs}`);
  }
  return { value: ['normal', 'slave', 'pubsub'].map((c) => `${c} ${current.get(c)}`).join(' ') };
}

function parseNotifyFlags(args: string[]): { value: string } | { error: string } {
  const s = args.join('');
  if (!/^[KEg$lshzxetmdnA]*$/.test(s)) return { error: 'Invalid event class character. Use \'Ag$lshzxeKEtmdn\'.' };
  return { value: normalizeNotifyFlags(s) };
}

/** Formats keyspace-event flags as Redis's CONFIG GET shows them. */
export function normalizeNotifyFlags(s: string): string {
  const set = new Set(s.split(''));
  let out = '';
  const all = set.has('A');
  if (all) out += 'A';
  for (const f of ['g', '$', 'l', 's', 'h', 'z', 'x', 'e', 't', 'd']) {
    if (all && 'g$lshzxetd'.includes(f)) continue;
    if (set.has(f)) out += f;
  }
  if (set.has('K')) out += 'K';
  if (set.has('E')) out += 'E';
  if (set.has('m')) out += 'm';
  if (set.has('n')) out += 'n';
  if (out === 'A' && !set.has('K') && !set.has('E')) return 'A';
  return out;
}

const b = (name: string, def: 'yes' | 'no', mutable = true, aliases?: string[]): Directive => ({ name, type: 'bool', default: def, mutable, aliases });
const i = (name: string, def: number, min: number, max: number, mutable = true, aliases?: string[]): Directive => ({
  name,
  type: 'int',
  default: String(def),
  min,
  max,
  mutable,
  aliases,
});
const mem = (name: string, def: string, mutable = true, aliases?: string[]): Directive => ({ name, type: 'memory', default: def, mutable, aliases });
const s = (name: string, def: string, mutable = true, aliases?: string[]): Directive => ({ name, type: 'string', default: def, mutable, aliases });
const e = (name: string, def: string, values: string[], mutable = true, aliases?: string[]): Directive => ({
  name,
  type: 'enum',
  default: def,
  values,
  mutable,
  aliases,
});

const INT_MAX = 2147483647;
const LLONG_MAX = Number.MAX_SAFE_INTEGER;

/** Every directive tsredis knows, with Redis 7.0's defaults. */
export const DIRECTIVES: Directive[] = [
  { name: 'bind', type: 'special', default: '* -::*', mutable: true, multiArg: true, parse: (a) => ({ value: a.join(' ') }) },
  i('port', 6379, 0, 65535),
  b('protected-mode', 'yes'),
  s('requirepass', ''),
  s('masterauth', ''),
  s('masteruser', ''),
  i('databases', 16, 1, INT_MAX, false),
  i('timeout', 0, 0, INT_MAX),
  i('tcp-keepalive', 300, 0, INT_MAX),
  i('tcp-backlog', 511, 0, INT_MAX, false),
  e('loglevel', 'notice', ['debug', 'verbose', 'notice', 'warning', 'nothing']),
  s('logfile', '', false),
  s('dir', '', true),
  s('dbfilename', 'dump.rdb'),
  { name: 'save', type: 'special', default: '3600 1 300 100 60 10000', mutable: true, multiArg: true, accumulates: true, parse: parseSave },
  b('appendonly', 'no'),
  s('appendfilename', 'appendonly.aof', false),
  s('appenddirname', 'appendonlydir', false),
  e('appendfsync', 'everysec', ['always', 'everysec', 'no']),
  b('no-appendfsync-on-rewrite', 'no'),
  i('auto-aof-rewrite-percentage', 100, 0, INT_MAX),
  mem('auto-aof-rewrite-min-size', '67108864'),
  b('aof-load-truncated', 'yes'),
  b('aof-use-rdb-preamble', 'yes'),
  b('aof-timestamp-enabled', 'no'),
  b('rdbcompression', 'yes'),
  b('rdbchecksum', 'yes'),
  b('stop-writes-on-bgsave-error', 'yes'),
  b('rdb-del-sync-files', 'no'),
  i('maxclients', 10000, 1, INT_MAX),
  mem('maxmemory', '0'),
  e('maxmemory-policy', 'noeviction', ['volatile-lru', 'volatile-lfu', 'volatile-random', 'volatile-ttl', 'allkeys-lru', 'allkeys-lfu', 'allkeys-random', 'noeviction']),
  i('maxmemory-samples', 5, 1, 64),
  i('maxmemory-eviction-tenacity', 10, 0, 100),
  i('lfu-log-factor', 10, 0, INT_MAX),
  i('lfu-decay-time', 1, 0, INT_MAX),
  mem('proto-max-bulk-len', '536870912'),
  mem('client-query-buffer-limit', '1073741824'),
  { name: 'client-output-buffer-limit', type: 'special', default: 'normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60', mutable: true, multiArg: true, accumulates: true, parse: parseOutputBufferLimit },
  { name: 'notify-keyspace-events', type: 'special', default: '', mutable: true, parse: parseNotifyFlags },
  i('hz', 10, 0, INT_MAX),
  b('dynamic-hz', 'yes'),
  b('activerehashing', 'yes'),
  i('active-expire-effort', 1, 1, 10),
  i('slowlog-log-slower-than', 10000, -1, LLONG_MAX),
  i('slowlog-max-len', 128, 0, LLONG_MAX),
  i('latency-monitor-threshold', 0, 0, LLONG_MAX),
  i('busy-reply-threshold', 5000, 0, LLONG_MAX, true, ['lua-time-limit']),
  i('hash-max-listpack-entries', 128, 0, LLONG_MAX, true, ['hash-max-ziplist-entries']),
  i('hash-max-listpack-value', 64, 0, LLONG_MAX, true, ['hash-max-ziplist-value']),
  i('list-max-listpack-size', -2, -5, INT_MAX, true, ['list-max-ziplist-size']),
  i('list-compress-depth', 0, 0, INT_MAX),
  i('set-max-intset-entries', 512, 0, LLONG_MAX),
  i('zset-max-listpack-entries', 128, 0, LLONG_MAX, true, ['zset-max-ziplist-entries']),
  i('zset-max-listpack-value', 64, 0, LLONG_MAX, true, ['zset-max-ziplist-value']),
  i('hll-sparse-max-bytes', 3000, 0, LLONG_MAX),
  i('stream-node-max-bytes', 4096, 0, LLONG_MAX),
  i('stream-node-max-entries', 100, 0, LLONG_MAX),
  b('lazyfree-lazy-eviction', 'no'),
  b('lazyfree-lazy-expire', 'no'),
  b('lazyfree-lazy-server-del', 'no'),
  b('lazyfree-lazy-user-del', 'no'),
  b('lazyfree-lazy-user-flush', 'no'),
  b('replica-lazy-flush', 'no', true, ['slave-lazy-flush']),
  { name: 'replicaof', aliases: ['slaveof'], type: 'special', default: '', mutable: false, multiArg: true, parse: (a) => (a.length === 2 ? { value: a.join(' ') } : { error: 'wrong number of arguments' }) },
  b('replica-read-only', 'yes', true, ['slave-read-only']),
  b('replica-serve-stale-data', 'yes', true, ['slave-serve-stale-data']),
  i('replica-priority', 100, 0, INT_MAX, true, ['slave-priority']),
  b('repl-diskless-sync', 'yes'),
  i('repl-diskless-sync-delay', 5, 0, INT_MAX),
  i('repl-diskless-sync-max-replicas', 0, 0, INT_MAX),
  e('repl-diskless-load', 'disabled', ['disabled', 'on-empty-db', 'swapdb']),
  i('repl-ping-replica-period', 10, 1, INT_MAX, true, ['repl-ping-slave-period']),
  i('repl-timeout', 60, 1, INT_MAX),
  mem('repl-backlog-size', '1048576'),
  i('repl-backlog-ttl', 3600, 0, INT_MAX),
  b('repl-disable-tcp-nodelay', 'no'),
  i('min-replicas-to-write', 0, 0, INT_MAX, true, ['min-slaves-to-write']),
  i('min-replicas-max-lag', 10, 0, INT_MAX, true, ['min-slaves-max-lag']),
  s('replica-announce-ip', '', true, ['slave-announce-ip']),
  i('replica-announce-port', 0, 0, 65535, true, ['slave-announce-port']),
  b('replica-announce', 'yes'),
  s('unixsocket', '', false),
  { name: 'unixsocketperm', type: 'int', default: '0', min: 0, max: 0o777, mutable: false },
  s('pidfile', '', false),
  b('daemonize', 'no', false),
  e('supervised', 'no', ['upstart', 'systemd', 'auto', 'no'], false),
  b('syslog-enabled', 'no', false),
  s('syslog-ident', 'redis', false),
  s('syslog-facility', 'local0', false),
  b('always-show-logo', 'no', false),
  b('set-proc-title', 'yes', false),
  s('proc-title-template', '{title} {listen-addr} {server-mode}'),
  b('crash-log-enabled', 'yes'),
  b('crash-memcheck-enabled', 'yes'),
  b('lua-replicate-commands', 'yes'),
  i('active-defrag-cycle-min', 1, 1, 99),
  b('activedefrag', 'no'),
  b('jemalloc-bg-thread', 'yes'),
  e('enable-protected-configs', 'no', ['no', 'yes', 'local'], false),
  e('enable-debug-command', 'no', ['no', 'yes', 'local'], false),
  e('enable-module-command', 'no', ['no', 'yes', 'local'], false),
  b('cluster-enabled', 'no', false),
  i('io-threads', 1, 1, 128, false),
  b('io-threads-do-reads', 'no', false),
  i('tracking-table-max-keys', 1000000, 0, LLONG_MAX),
  mem('acllog-max-len', '128'),
  s('aclfile', '', false),
  s('user', '', false),
  i('latency-tracking', 1, 0, 1),
  s('latency-tracking-info-percentiles', '50 99 99.9'),
  e('oom-score-adj', 'no', ['no', 'yes', 'relative', 'absolute']),
  s('oom-score-adj-values', '0 200 800'),
  e('propagation-error-behavior', 'ignore', ['ignore', 'panic', 'panic-on-replicas']),
  b('shutdown-on-sigint', 'no'),
  b('shutdown-on-sigterm', 'no'),
  i('shutdown-timeout', 10, 0, INT_MAX),
  b('lazyfree-lazy-user-flush', 'no'),
  i('max-new-connections-per-cycle', 10, 1, 1000),
];

export class ConfigError extends Error {}

/** The live configuration: current values as strings, typed getters for the hot ones. */
export class Config {
  private values = new Map<string, string>();
  private byName = new Map<string, Directive>();
  /** The file the server was started with, for CONFIG REWRITE. */
  configFile: string | null = null;
  /** Called after a CONFIG SET changes a value (the server re-reads what it caches). */
  onChange: ((name: string) => void) | null = null;

  // Cached values read on hot paths.
  protoMaxBulkLen = 536870912;
  clientQueryBufferLimit = 1073741824;

  constructor() {
    for (const d of DIRECTIVES) {
      if (this.byName.has(d.name)) continue;
      this.byName.set(d.name, d);
      for (const a of d.aliases ?? []) this.byName.set(a, d);
      this.values.set(d.name, d.type === 'memory' ? String(parseMemory(d.default)) : d.default);
    }
  }

  directive(name: string): Directive | undefined {
    return this.byName.get(name.toLowerCase());
  }

  directives(): Directive[] {
    const seen = new Set<Directive>();
    for (const d of this.byName.values()) seen.add(d);
    return [...seen];
  }

  get(name: string): string {
    const d = this.byName.get(name);
    if (!d) throw new Error(`no such directive ${name}`);
    return this.values.get(d.name)!;
  }

  getInt(name: string): number {
    return Number(this.get(name));
  }

  getBool(name: string): boolean {
    return this.get(name) === 'yes';
  }

  /**
   * Validates and stores one directive's value. Returns an error text (without
   * the directive name) when the value is invalid.
   */
  set(name: string, args: string[], fromFile = false): string | null {
    const d = this.byName.get(name.toLowerCase());
    if (!d) return 'Bad directive or wrong number of arguments';
    let value: string;
    switch (d.type) {
      case 'bool': {
        if (args.length !== 1) return 'wrong number of arguments';
        const v = args[0].toLowerCase();
        if (v !== 'yes' && v !== 'no') return 'argument must be \'yes\' or \'no\'';
        value = v;
        break;
      }
      case 'int': {
        if (args.length !== 1) return 'wrong number of arguments';
        const v = /^-?\d+$/.test(args[0]) ? Number(args[0]) : NaN;
        if (Number.isNaN(v)) return 'argument couldn\'t be parsed into an integer';
        if (v < (d.min ?? -Infinity) || v > (d.max ?? Infinity)) return `argument must be between ${d.min} and ${d.max} inclusive`;
        value = String(v);
        break;
      }
      case 'memory': {
        if (args.length !== 1) return 'wrong number of arguments';
        const v = parseMemory(args[0]);
        if (v === null) return 'argument must be a memory value';
        if (v < 0) return 'argument must be a memory value';
        value = String(v);
        break;
      }
      case 'enum': {
        if (args.length !== 1) return 'wrong number of arguments';
        const v = args[0].toLowerCase();
        if (!d.values!.includes(v)) return `argument(s) must be one of the following: ${d.values!.join(', ')}`;
        value = v;
        break;
      }
      case 'string': {
        if (args.length !== 1) return 'wrong number of arguments';
        value = args[0];
        break;
      }
      case 'special': {
        if (!d.multiArg && args.length !== 1) return 'wrong number of arguments';
        let input = args;
        if (fromFile && d.accumulates && this.seenInFile.has(d.name) && d.name !== 'save') input = [this.values.get(d.name)!, ...args];
        if (fromFile && d.name === 'save' && this.seenInFile.has('save') && args.join('') !== '') input = [this.values.get('save')!, ...args];
        const r = d.parse!(input);
        if ('error' in r) return r.error;
        value = r.value;
        break;
      }
    }
    if (fromFile) this.seenInFile.add(d.name);
    this.values.set(d.name, value);
    this.refreshCache(d.name);
    return null;
  }

  private seenInFile = new Set<string>();

  private refreshCache(name: string): void {
    if (name === 'proto-max-bulk-len') this.protoMaxBulkLen = Number(this.values.get(name));
    else if (name === 'client-query-buffer-limit') this.clientQueryBufferLimit = Number(this.values.get(name));
  }

  /** Loads config text (a file's content plus command-line directives), throwing ConfigError with Redis's fatal message. */
  load(text: string, version: string): void {
    const lines = text.split('\n');
    for (let n = 0; n < lines.length; n++) {
      const line = lines[n].trim();
      if (line === '' || line.startsWith('#')) continue;
      const argv = splitArgs(line);
      const fail = (msg: string): never => {
        throw new ConfigError(
          `\n*** FATAL CONFIG FILE ERROR (Redis ${version}) ***\nReading the configuration file, at line ${n + 1}\n>>> '${line}'\n${msg}`,
        );
      };
      if (argv === null) fail('Unbalanced quotes in configuration line');
      if (argv!.length === 0) continue;
      const [name, ...args] = argv!;
      const lname = name.toLowerCase();
      if (lname === 'include' || lname === 'rename-command' || lname === 'loadmodule' || lname === 'sentinel') {
        if (lname === 'include' && args.length === 1) {
          const fs = require('fs') as typeof import('fs');
          try {
            this.load(fs.readFileSync(args[0], 'utf8'), version);
          } catch (err) {
            if (err instanceof ConfigError) throw err;
            fail(`Can't open the include file: ${(err as Error).message}`);
          }
        }
        continue;
      }
      const d = this.byName.get(lname);
      if (!d) fail('Bad directive or wrong number of arguments');
      if (args.length === 0 && d!.name !== 'save' && d!.name !== 'bind') fail('Bad directive or wrong number of arguments');
      const err = this.set(lname, args, true);
      if (err) fail(err === 'wrong number of arguments' ? 'Bad directive or wrong number of arguments' : err);
    }
  }
}

/**
 * Turns redis-server's command line (`[config-file] [--name value ...]`) into
 * config text, as Redis does: each `--name` starts a line, and values follow it.
 */
export function argvToConfigText(args: string[]): { file: string | null; text: string } {
  let file: string | null = null;
  let i = 0;
  if (args.length > 0 && !args[0].startsWith('--')) {
    file = args[0];
    i = 1;
  }
  const lines: string[] = [];
  let cur: string[] | null = null;
  for (; i < args.length; i++) {
    const a = args[i];
    if (a.startsWith('--') && a.length > 2 && !(cur !== null && cur.length === 1 && /^--?\d/.test(a))) {
      if (cur) lines.push(cur.join(' '));
      cur = [a.slice(2)];
    } else {
      if (cur === null) cur = [];
      cur.push(quoteArg(a));
    }
  }
  if (cur) lines.push(cur.join(' '));
  return { file, text: lines.join('\n') };
}

function quoteArg(a: string): string {
  let out = '"';
  for (const ch of a) {
    if (ch === '"' || ch === '\\') out += '\\' + ch;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else out += ch;
  }
  return out + '"';
}
