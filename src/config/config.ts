/**
 * Configuration directives, named, bounded and formatted as Redis 7.0 does.
 * One table drives the config file, the command line, CONFIG GET/SET and
 * CONFIG REWRITE. Values are kept as the strings CONFIG GET shows; typed
 * getters read them, and a few hot values are cached as numbers.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { splitArgs } from '../protocol/parser';
import { globMatch } from '../util/glob';

export type DirectiveType = 'bool' | 'int' | 'memory' | 'string' | 'enum' | 'flags' | 'special';

export type ParseResult = { value: string } | { error: string };

export interface Directive {
  name: string;
  aliases?: string[];
  type: DirectiveType;
  /** The default, in the form CONFIG GET shows. */
  default: string;
  /** Enums and flag sets: the accepted names, in Redis's order. */
  values?: string[];
  /** Enum names that mean the same as another (shown as the canonical one). */
  synonyms?: Record<string, string>;
  /** Numeric bounds (inclusive). */
  min?: bigint;
  max?: bigint;
  /** The C type is unsigned: values are compared (and printed) as unsigned 64-bit. */
  unsigned?: boolean;
  /** Memory directives that also take a percentage ("10%", stored negative in Redis). */
  percent?: boolean;
  /** Shown and parsed in octal (unixsocketperm). */
  octal?: boolean;
  /** CONFIG SET refuses it (set only from the file or the command line). */
  mutable: boolean;
  /** CONFIG SET refuses it unless enable-protected-configs allows it. */
  protected?: boolean;
  /** Arguments containing secrets (hidden from MONITOR/SLOWLOG by the caller). */
  sensitive?: boolean;
  /** Not matched by CONFIG GET patterns (only by its exact name). */
  hidden?: boolean;
  /** Takes several words (e.g. `save 900 1 300 10`, `bind a b`); CONFIG SET splits its value on spaces. */
  multiArg?: boolean;
  /** String directives whose empty value means "unset": CONFIG REWRITE then leaves them out. */
  emptyIsNull?: boolean;
  /** Extra validation of a string value: an error text or null. */
  validate?: (v: string) => string | null;
  /** How CONFIG GET and CONFIG REWRITE show the stored value, when it differs from it. */
  show?: (v: string) => string;
  /** For 'special': validates the arguments; gets the current value (and whether the file already set it). */
  parse?: (args: string[], current: string, ctx: { fromFile: boolean; seenInFile: boolean }) => ParseResult;
}

// ---------------------------------------------------------------- number parsing

const I64_MIN = -(1n << 63n);
const I64_MAX = (1n << 63n) - 1n;
const U64_MAX = (1n << 64n) - 1n;
const INT_MIN = -(1n << 31n);
const INT_MAX = (1n << 31n) - 1n;
const UINT_MAX = (1n << 32n) - 1n;
const LONG_MAX = I64_MAX;

/** string2ll: an optional '-', no leading zeros, no '+', no spaces, within int64. */
export function parseStrictInt(s: string): bigint | null {
  if (!/^(0|-?[1-9][0-9]*)$/.test(s)) return null;
  const v = BigInt(s);
  if (v < I64_MIN || v > I64_MAX) return null;
  return v;
}

const UNIT_MUL: Record<string, bigint> = {
  b: 1n,
  k: 1000n,
  kb: 1024n,
  m: 1000n * 1000n,
  mb: 1024n * 1024n,
  g: 1000n * 1000n * 1000n,
  gb: 1024n * 1024n * 1024n,
};

/**
 * memtoull: "100mb", "1gb", "512", "5kB". Digits only before the unit (an
 * empty number is 0), the result saturates at 2^64-1. Null when invalid.
 */
export function parseMemoryBig(s: string): bigint | null {
  let i = s.length;
  while (i > 0 && /[a-zA-Z]/.test(s[i - 1])) i--;
  const unit = s.slice(i).toLowerCase();
  const digits = s.slice(0, i);
  const mul = unit === '' ? 1n : UNIT_MUL[unit];
  if (mul === undefined) return null;
  if (!/^[0-9]*$/.test(digits)) return null;
  let v = digits === '' ? 0n : BigInt(digits);
  // strtoull saturates; the unit multiplication then wraps around as unsigned C arithmetic does.
  if (v > U64_MAX) v = U64_MAX;
  return BigInt.asUintN(64, v * mul);
}

/** Parses "100mb", "1gb", "512" like Redis's memtoull; null when invalid. */
export function parseMemory(s: string): number | null {
  const v = parseMemoryBig(s);
  return v === null ? null : Number(v);
}

/** How CONFIG REWRITE writes a byte count: the largest exact unit among gb, mb, kb. */
export function formatMemoryForRewrite(bytes: bigint): string {
  const gb = 1024n * 1024n * 1024n;
  const mb = 1024n * 1024n;
  const kb = 1024n;
  if (bytes !== 0n && bytes % gb === 0n) return `${bytes / gb}gb`;
  if (bytes !== 0n && bytes % mb === 0n) return `${bytes / mb}mb`;
  if (bytes !== 0n && bytes % kb === 0n) return `${bytes / kb}kb`;
  return String(bytes);
}

/** strtod over the whole string (string2d): no spaces, no trailing garbage. */
function parseStrictDouble(s: string): number | null {
  if (s.length === 0 || /^\s/.test(s) || /\s$/.test(s)) return null;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s) && !/^[+-]?(inf|infinity|nan)$/i.test(s)) return null;
  const v = Number(s.replace(/^\+/, ''));
  return Number.isNaN(v) ? null : v;
}

/** printf("%f") then trailing zeros (and a dangling '.') removed, as Redis shows percentiles. */
function formatTrimmedDouble(d: number): string {
  let s = d.toFixed(6);
  if (s.includes('.')) s = s.replace(/0+$/, '').replace(/\.$/, '');
  return s;
}

// ---------------------------------------------------------------- special directives

/** Splits a CONFIG SET value of a multi-word directive as Redis does: on single spaces. */
function splitOnSpaces(v: string): string[] {
  return v === '' ? [] : v.split(' ');
}

function parseSave(args: string[], current: string, ctx: { fromFile: boolean; seenInFile: boolean }): ParseResult {
  if (args.length === 1 && args[0] === '') args = [];
  if (args.length % 2 !== 0) return { error: 'Invalid save parameters' };
  const pairs: string[] = [];
  for (let j = 0; j < args.length; j++) {
    // strtoll with a full-string check: leading spaces and '+' pass, as in C.
    const m = /^\s*([+-]?\d+)$/.exec(args[j]);
    if (!m) return { error: 'Invalid save parameters' };
    let v = BigInt(m[1]);
    if (v > I64_MAX) v = I64_MAX;
    if (v < I64_MIN) v = I64_MIN;
    if ((j % 2 === 0 && v < 1n) || (j % 2 === 1 && v < 0n)) return { error: 'Invalid save parameters' };
    // changes is an int in Redis: it wraps to 32 bits.
    pairs.push(j % 2 === 0 ? String(v) : String(BigInt.asIntN(32, v)));
  }
  // In a config file, the first `save` line replaces the defaults and later ones add to it.
  if (ctx.fromFile && ctx.seenInFile && current !== '') {
    return { value: pairs.length === 0 ? current : `${current} ${pairs.join(' ')}` };
  }
  return { value: pairs.join(' ') };
}

const OBUF_CLASSES = ['normal', 'slave', 'pubsub'];

function parseOutputBufferLimit(args: string[], current: string): ParseResult {
  if (args.length % 4 !== 0) return { error: 'Wrong number of arguments in buffer limit configuration.' };
  const cur = current.split(' ');
  const values = new Map<string, string>();
  for (let i = 0; i < cur.length; i += 4) values.set(cur[i], `${cur[i + 1]} ${cur[i + 2]} ${cur[i + 3]}`);
  const updates = new Map<string, string>();
  for (let i = 0; i < args.length; i += 4) {
    let cls = args[i].toLowerCase();
    if (cls === 'replica') cls = 'slave';
    if (!OBUF_CLASSES.includes(cls)) return { error: 'Invalid client class specified in buffer limit configuration.' };
    const hard = parseMemoryBig(args[i + 1]);
    const soft = parseMemoryBig(args[i + 2]);
    const secsMatch = /^\s*([+-]?\d+)$/.exec(args[i + 3]);
    const secs = secsMatch ? BigInt(secsMatch[1]) : null;
    if (hard === null || soft === null || secs === null || secs < 0n) {
      return { error: 'Error in hard, soft or soft_seconds setting in buffer limit configuration.' };
    }
    updates.set(cls, `${hard} ${soft} ${BigInt.asIntN(32, secs)}`);
  }
  for (const [k, v] of updates) values.set(k, v);
  return { value: OBUF_CLASSES.map((c) => `${c} ${values.get(c)}`).join(' ') };
}

const OBUF_DEFAULT = 'normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60';

/** Checks notify-keyspace-events characters; null when one is not a known class. */
function notifyFlagsValid(s: string): boolean {
  for (const ch of s) if (!'Ag$lshzxeKEtmdn'.includes(ch)) return false;
  return true;
}

/**
 * Formats keyspace-event flags as Redis's CONFIG GET shows them: "A" when
 * every type class is on, otherwise the classes one by one (g $ l s h z x e t
 * d n), then K, E and m. (Redis drops 'n' next to 'A'; so do we.)
 */
export function normalizeNotifyFlags(s: string, keepNewWithAll = false): string {
  const set = new Set(s);
  if (set.has('A')) for (const ch of 'g$lshzxetd') set.add(ch);
  let out = '';
  // Redis still sends `new` events then: the stored value keeps it ("AnKE"), CONFIG GET shows "AKE".
  if ([...'g$lshzxetd'].every((ch) => set.has(ch))) out = keepNewWithAll && set.has('n') ? 'An' : 'A';
  else for (const ch of 'g$lshzxetdn') if (set.has(ch)) out += ch;
  for (const ch of 'KEm') if (set.has(ch)) out += ch;
  return out;
}

function parseNotify(args: string[]): ParseResult {
  if (args.length !== 1) return { error: 'wrong number of arguments' };
  if (!notifyFlagsValid(args[0])) return { error: "Invalid event class character. Use 'Ag$lshzxeKEtmdn'." };
  return { value: normalizeNotifyFlags(args[0], true) };
}

function parseBind(args: string[]): ParseResult {
  if (args.length > 16) return { error: 'Too many bind addresses specified.' };
  if (args.length === 1 && args[0] === '') args = [];
  return { value: args.join(' ') };
}

function parseReplicaOf(args: string[]): ParseResult {
  if (args.length !== 2) return { error: 'wrong number of arguments' };
  if (args[0].toLowerCase() === 'no' && args[1].toLowerCase() === 'one') return { value: '' };
  // strtol with a full-string check.
  const m = /^\s*([+-]?\d+)$/.exec(args[1]);
  const port = m ? Number(m[1]) : NaN;
  if (!m || port < 0 || port > 65535) return { error: 'Invalid master port' };
  return { value: `${args[0]} ${port}` };
}

function parseOomValues(args: string[]): ParseResult {
  if (args.length !== 3) return { error: 'wrong number of arguments' };
  const out: number[] = [];
  for (const a of args) {
    const m = /^\s*([+-]?\d+)$/.exec(a);
    const v = m ? Number(m[1]) : NaN;
    if (!m || v < -2000 || v > 2000) return { error: 'Invalid oom-score-adj-values, elements must be between -2000 and 2000.' };
    out.push(v);
  }
  return { value: out.join(' ') };
}

function parsePercentiles(args: string[]): ParseResult {
  if (args.length === 1 && args[0] === '') args = [];
  const out: string[] = [];
  for (const a of args) {
    const d = parseStrictDouble(a);
    if (d === null) return { error: 'Invalid latency-tracking-info-percentiles parameters' };
    if (d > 100 || d < 0) return { error: 'latency-tracking-info-percentiles parameters should sit between [0.0,100.0]' };
    out.push(formatTrimmedDouble(d));
  }
  return { value: out.join(' ') };
}

function parseDir(args: string[]): ParseResult {
  if (args.length !== 1) return { error: 'wrong number of arguments' };
  const p = args[0];
  try {
    const st = fs.statSync(p);
    if (!st.isDirectory()) return { error: 'Not a directory' };
    fs.accessSync(p, fs.constants.X_OK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return { error: code === 'EACCES' ? 'Permission denied' : code === 'ENOTDIR' ? 'Not a directory' : 'No such file or directory' };
  }
  return { value: path.resolve(p) };
}

const SHUTDOWN_FLAGS = ['default', 'save', 'nosave', 'now', 'force'];

function parseShutdownFlags(args: string[]): ParseResult {
  if (args.length === 0) return { error: `argument(s) must be one of the following: ${SHUTDOWN_FLAGS.join(', ')}` };
  const set = new Set<string>();
  for (const a of args) {
    const v = a.toLowerCase();
    if (!SHUTDOWN_FLAGS.includes(v)) return { error: `argument(s) must be one of the following: ${SHUTDOWN_FLAGS.join(', ')}` };
    if (v !== 'default') set.add(v);
  }
  if (set.has('save') && set.has('nosave')) return { error: "shutdown options SAVE and NOSAVE can't be used simultaneously" };
  const out = SHUTDOWN_FLAGS.filter((f) => set.has(f));
  return { value: out.length === 0 ? 'default' : out.join(' ') };
}

function baseNameCheck(what: string, kind: string, allowEmpty: boolean) {
  return (v: string): string | null => {
    if (!allowEmpty && v === '') return `${what} can't be empty`;
    if (v.includes('/')) return `${what} can't be a path, just a ${kind}`;
    return null;
  };
}

const PROC_TITLE_VARS = ['{title}', '{listen-addr}', '{server-mode}', '{port}', '{tls-port}', '{unixsocket}', '{config-file}'];

function validateProcTitle(v: string): string | null {
  const bad = 'template format is invalid or contains unknown variables';
  if (v === '') return bad;
  let i = 0;
  while (i < v.length) {
    if (v[i] === '{') {
      const end = v.indexOf('}', i);
      if (end < 0) return bad;
      if (!PROC_TITLE_VARS.includes(v.slice(i, end + 1))) return bad;
      i = end + 1;
    } else i++;
  }
  return null;
}

function validateHostname(v: string): string | null {
  if (v.length >= 256) return 'Hostnames must be less than 256 characters';
  if (!/^[A-Za-z0-9.-]*$/.test(v)) return 'Hostnames may only contain alphanumeric characters, hyphens or dots';
  return null;
}

// ---------------------------------------------------------------- the table

type Opts = Partial<Pick<Directive, 'aliases' | 'protected' | 'sensitive' | 'hidden' | 'emptyIsNull' | 'validate'>> & { immutable?: boolean };

const bool = (name: string, def: 'yes' | 'no', o: Opts = {}): Directive => ({ name, type: 'bool', default: def, mutable: !o.immutable, ...o });
const str = (name: string, def: string, o: Opts = {}): Directive => ({ name, type: 'string', default: def, mutable: !o.immutable, ...o });
const nullStr = (name: string, o: Opts = {}): Directive => str(name, '', { emptyIsNull: true, ...o });
const enm = (name: string, def: string, values: string[], o: Opts & { synonyms?: Record<string, string> } = {}): Directive => ({
  name,
  type: 'enum',
  default: def,
  values,
  mutable: !o.immutable,
  ...o,
});
const num = (name: string, min: bigint, max: bigint, def: number | bigint, o: Opts & { unsigned?: boolean; octal?: boolean } = {}): Directive => ({
  name,
  type: 'int',
  default: o.octal ? BigInt(def).toString(8) : String(def),
  min,
  max,
  mutable: !o.immutable,
  ...o,
});
const mem = (name: string, min: bigint, max: bigint, def: number | bigint, o: Opts & { unsigned?: boolean; percent?: boolean } = {}): Directive => ({
  name,
  type: 'memory',
  default: String(def),
  min,
  max,
  mutable: !o.immutable,
  ...o,
});
const special = (name: string, def: string, parse: NonNullable<Directive['parse']>, o: Opts & { multiArg?: boolean } = {}): Directive => ({
  name,
  type: 'special',
  default: def,
  parse,
  mutable: !o.immutable,
  ...o,
});

const MB = 1024n * 1024n;

/** Every directive of Redis 7.0, with its default, bounds and flags. */
export const DIRECTIVES: Directive[] = [
  // Booleans
  bool('rdbchecksum', 'yes', { immutable: true }),
  bool('daemonize', 'no', { immutable: true }),
  bool('io-threads-do-reads', 'no', { immutable: true }),
  bool('always-show-logo', 'no', { immutable: true }),
  bool('protected-mode', 'yes'),
  bool('rdbcompression', 'yes'),
  bool('rdb-del-sync-files', 'no'),
  bool('activerehashing', 'yes'),
  bool('stop-writes-on-bgsave-error', 'yes'),
  bool('set-proc-title', 'yes', { immutable: true }),
  bool('dynamic-hz', 'yes'),
  bool('lazyfree-lazy-eviction', 'no'),
  bool('lazyfree-lazy-expire', 'no'),
  bool('lazyfree-lazy-server-del', 'no'),
  bool('lazyfree-lazy-user-del', 'no'),
  bool('lazyfree-lazy-user-flush', 'no'),
  bool('repl-disable-tcp-nodelay', 'no'),
  bool('repl-diskless-sync', 'yes'),
  bool('aof-rewrite-incremental-fsync', 'yes'),
  bool('no-appendfsync-on-rewrite', 'no'),
  bool('cluster-require-full-coverage', 'yes'),
  bool('rdb-save-incremental-fsync', 'yes'),
  bool('aof-load-truncated', 'yes'),
  bool('aof-use-rdb-preamble', 'yes'),
  bool('aof-timestamp-enabled', 'no'),
  bool('cluster-replica-no-failover', 'no', { aliases: ['cluster-slave-no-failover'] }),
  bool('replica-lazy-flush', 'no', { aliases: ['slave-lazy-flush'] }),
  bool('replica-serve-stale-data', 'yes', { aliases: ['slave-serve-stale-data'] }),
  bool('replica-read-only', 'yes', { aliases: ['slave-read-only'] }),
  bool('replica-ignore-maxmemory', 'yes', { aliases: ['slave-ignore-maxmemory'] }),
  bool('jemalloc-bg-thread', 'yes'),
  bool('activedefrag', 'no'),
  bool('syslog-enabled', 'no', { immutable: true }),
  bool('cluster-enabled', 'no', { immutable: true }),
  bool('appendonly', 'no'),
  bool('cluster-allow-reads-when-down', 'no'),
  bool('cluster-allow-pubsubshard-when-down', 'yes'),
  bool('crash-log-enabled', 'yes'),
  bool('crash-memcheck-enabled', 'yes'),
  bool('use-exit-on-panic', 'no', { hidden: true }),
  bool('disable-thp', 'yes', { immutable: true }),
  bool('cluster-allow-replica-migration', 'yes'),
  bool('replica-announced', 'yes'),
  bool('latency-tracking', 'yes'),
  bool('aof-disable-auto-gc', 'no'),
  bool('replica-ignore-disk-write-errors', 'no'),
  bool('tls-cluster', 'no'),
  bool('tls-replication', 'no'),
  bool('tls-prefer-server-ciphers', 'no'),
  bool('tls-session-caching', 'yes'),

  // Strings
  str('aclfile', '', { immutable: true }),
  nullStr('unixsocket', { immutable: true }),
  nullStr('pidfile', { immutable: true }),
  nullStr('replica-announce-ip', { aliases: ['slave-announce-ip'] }),
  nullStr('masteruser', { sensitive: true }),
  nullStr('cluster-announce-ip'),
  str('cluster-config-file', 'nodes.conf', { immutable: true }),
  nullStr('cluster-announce-hostname', { validate: validateHostname }),
  str('syslog-ident', 'redis', { immutable: true }),
  str('dbfilename', 'dump.rdb', { protected: true, validate: baseNameCheck('dbfilename', 'filename', true) }),
  str('appendfilename', 'appendonly.aof', { immutable: true, validate: baseNameCheck('appendfilename', 'filename', false) }),
  str('appenddirname', 'appendonlydir', { immutable: true, validate: baseNameCheck('appenddirname', 'dirname', false) }),
  nullStr('server_cpulist', { immutable: true }),
  nullStr('bio_cpulist', { immutable: true }),
  nullStr('aof_rewrite_cpulist', { immutable: true }),
  nullStr('bgsave_cpulist', { immutable: true }),
  str('ignore-warnings', ''),
  str('proc-title-template', '{title} {listen-addr} {server-mode}', { validate: validateProcTitle }),
  nullStr('bind-source-addr'),
  str('logfile', '', { immutable: true }),
  nullStr('masterauth', { sensitive: true }),
  nullStr('requirepass', { sensitive: true }),
  nullStr('tls-cert-file'),
  nullStr('tls-key-file'),
  nullStr('tls-key-file-pass'),
  nullStr('tls-client-cert-file'),
  nullStr('tls-client-key-file'),
  nullStr('tls-client-key-file-pass'),
  nullStr('tls-dh-params-file'),
  nullStr('tls-ca-cert-file'),
  nullStr('tls-ca-cert-dir'),
  nullStr('tls-protocols'),
  nullStr('tls-ciphers'),
  nullStr('tls-ciphersuites'),

  // Enums
  enm('supervised', 'no', ['upstart', 'systemd', 'auto', 'no'], { immutable: true }),
  enm('syslog-facility', 'local0', ['user', 'local0', 'local1', 'local2', 'local3', 'local4', 'local5', 'local6', 'local7'], { immutable: true }),
  enm('repl-diskless-load', 'disabled', ['disabled', 'on-empty-db', 'swapdb']),
  enm('loglevel', 'notice', ['debug', 'verbose', 'notice', 'warning']),
  enm('maxmemory-policy', 'noeviction', ['volatile-lru', 'volatile-lfu', 'volatile-random', 'volatile-ttl', 'allkeys-lru', 'allkeys-lfu', 'allkeys-random', 'noeviction']),
  enm('appendfsync', 'everysec', ['everysec', 'always', 'no']),
  enm('oom-score-adj', 'no', ['no', 'yes', 'relative', 'absolute'], { synonyms: { relative: 'yes' } }),
  enm('acl-pubsub-default', 'resetchannels', ['allchannels', 'resetchannels']),
  enm('sanitize-dump-payload', 'no', ['no', 'yes', 'clients']),
  enm('enable-protected-configs', 'no', ['no', 'yes', 'local'], { immutable: true }),
  enm('enable-debug-command', 'no', ['no', 'yes', 'local'], { immutable: true }),
  enm('enable-module-command', 'no', ['no', 'yes', 'local'], { immutable: true }),
  enm('cluster-preferred-endpoint-type', 'ip', ['ip', 'hostname', 'unknown-endpoint']),
  enm('propagation-error-behavior', 'ignore', ['ignore', 'panic', 'panic-on-replicas']),
  enm('tls-auth-clients', 'yes', ['no', 'yes', 'optional']),
  special('shutdown-on-sigint', 'default', parseShutdownFlags, { multiArg: true }),
  special('shutdown-on-sigterm', 'default', parseShutdownFlags, { multiArg: true }),

  // Integers
  num('databases', 1n, INT_MAX, 16, { immutable: true }),
  num('port', 0n, 65535n, 6379),
  num('io-threads', 1n, 128n, 1, { immutable: true }),
  num('auto-aof-rewrite-percentage', 0n, INT_MAX, 100),
  num('cluster-replica-validity-factor', 0n, INT_MAX, 10, { aliases: ['cluster-slave-validity-factor'] }),
  num('list-max-listpack-size', INT_MIN, INT_MAX, -2, { aliases: ['list-max-ziplist-size'] }),
  num('tcp-keepalive', 0n, INT_MAX, 300),
  num('cluster-migration-barrier', 0n, INT_MAX, 1),
  num('active-defrag-cycle-min', 1n, 99n, 1),
  num('active-defrag-cycle-max', 1n, 99n, 25),
  num('active-defrag-threshold-lower', 0n, 1000n, 10),
  num('active-defrag-threshold-upper', 0n, 1000n, 100),
  num('lfu-log-factor', 0n, INT_MAX, 10),
  num('lfu-decay-time', 0n, INT_MAX, 1),
  num('replica-priority', 0n, INT_MAX, 100, { aliases: ['slave-priority'] }),
  num('repl-diskless-sync-delay', 0n, INT_MAX, 5),
  num('maxmemory-samples', 1n, INT_MAX, 5),
  num('maxmemory-eviction-tenacity', 0n, 100n, 10),
  num('timeout', 0n, INT_MAX, 0),
  num('replica-announce-port', 0n, 65535n, 0, { aliases: ['slave-announce-port'] }),
  num('tcp-backlog', 0n, INT_MAX, 511, { immutable: true }),
  num('cluster-port', 0n, 65535n, 0, { immutable: true }),
  num('cluster-announce-bus-port', 0n, 65535n, 0),
  num('cluster-announce-port', 0n, 65535n, 0),
  num('cluster-announce-tls-port', 0n, 65535n, 0),
  num('repl-timeout', 1n, INT_MAX, 60),
  num('repl-ping-replica-period', 1n, INT_MAX, 10, { aliases: ['repl-ping-slave-period'] }),
  num('list-compress-depth', 0n, INT_MAX, 0),
  num('rdb-key-save-delay', INT_MIN, INT_MAX, 0, { hidden: true }),
  num('key-load-delay', INT_MIN, INT_MAX, 0, { hidden: true }),
  num('active-expire-effort', 1n, 10n, 1),
  num('hz', 0n, INT_MAX, 10),
  num('min-replicas-to-write', 0n, INT_MAX, 0, { aliases: ['min-slaves-to-write'] }),
  num('min-replicas-max-lag', 0n, INT_MAX, 10, { aliases: ['min-slaves-max-lag'] }),
  num('watchdog-period', 0n, INT_MAX, 0, { hidden: true }),
  num('shutdown-timeout', 0n, INT_MAX, 10),
  num('repl-diskless-sync-max-replicas', 0n, INT_MAX, 0),
  num('tls-port', 0n, 65535n, 0),
  num('tls-session-cache-size', 0n, INT_MAX, 20480),
  num('tls-session-cache-timeout', 0n, INT_MAX, 300),
  num('maxclients', 1n, UINT_MAX, 10000, { unsigned: true }),
  num('unixsocketperm', 0n, 0o777n, 0, { unsigned: true, octal: true, immutable: true }),
  num('socket-mark-id', 0n, UINT_MAX, 0, { unsigned: true, immutable: true }),
  num('active-defrag-max-scan-fields', 1n, LONG_MAX, 1000, { unsigned: true }),
  num('slowlog-max-len', 0n, LONG_MAX, 128, { unsigned: true }),
  num('acllog-max-len', 0n, LONG_MAX, 128, { unsigned: true }),
  num('busy-reply-threshold', 0n, LONG_MAX, 5000, { aliases: ['lua-time-limit'] }),
  num('cluster-node-timeout', 0n, I64_MAX, 15000),
  num('slowlog-log-slower-than', -1n, I64_MAX, 10000),
  num('latency-monitor-threshold', 0n, I64_MAX, 0),
  num('stream-node-max-entries', 0n, I64_MAX, 100),
  num('hash-max-listpack-entries', 0n, LONG_MAX, 512, { unsigned: true, aliases: ['hash-max-ziplist-entries'] }),
  num('set-max-intset-entries', 0n, LONG_MAX, 512, { unsigned: true }),
  num('zset-max-listpack-entries', 0n, LONG_MAX, 128, { unsigned: true, aliases: ['zset-max-ziplist-entries'] }),
  num('tracking-table-max-keys', 0n, LONG_MAX, 1000000, { unsigned: true }),
  num('repl-backlog-ttl', 0n, LONG_MAX, 3600),
  num('loading-process-events-interval-bytes', 1024n, INT_MAX, 2 * 1024 * 1024, { hidden: true }),

  // Memory values
  mem('proto-max-bulk-len', MB, LONG_MAX, 512n * MB),
  mem('repl-backlog-size', 1n, I64_MAX, MB),
  mem('maxmemory', 0n, U64_MAX, 0, { unsigned: true }),
  mem('cluster-link-sendbuf-limit', 0n, U64_MAX, 0, { unsigned: true }),
  mem('active-defrag-ignore-bytes', 1n, I64_MAX, 100n * MB, { unsigned: true }),
  mem('hash-max-listpack-value', 0n, LONG_MAX, 64, { unsigned: true, aliases: ['hash-max-ziplist-value'] }),
  mem('stream-node-max-bytes', 0n, LONG_MAX, 4096, { unsigned: true }),
  mem('zset-max-listpack-value', 0n, LONG_MAX, 64, { unsigned: true, aliases: ['zset-max-ziplist-value'] }),
  mem('hll-sparse-max-bytes', 0n, LONG_MAX, 3000, { unsigned: true }),
  mem('client-query-buffer-limit', MB, LONG_MAX, 1024n * MB, { unsigned: true }),
  mem('maxmemory-clients', -100n, I64_MAX, 0, { percent: true }),
  mem('auto-aof-rewrite-min-size', 0n, I64_MAX, 64n * MB),

  // Special
  special('dir', '', parseDir, { protected: true }),
  special('save', '3600 1 300 100 60 10000', parseSave, { multiArg: true }),
  special('client-output-buffer-limit', OBUF_DEFAULT, (a, cur) => parseOutputBufferLimit(a, cur), { multiArg: true }),
  special('oom-score-adj-values', '0 200 800', parseOomValues, { multiArg: true }),
  { ...special('notify-keyspace-events', '', parseNotify), show: (v) => normalizeNotifyFlags(v) },
  special('bind', '* -::*', parseBind, { multiArg: true }),
  special('replicaof', '', parseReplicaOf, { multiArg: true, immutable: true, aliases: ['slaveof'] }),
  special('latency-tracking-info-percentiles', '50 99 99.9', parsePercentiles, { multiArg: true }),
];

/** Quotes a value the way sdscatrepr does (CONFIG REWRITE of strings). */
export function quoteRepr(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    const code = s.charCodeAt(i);
    if (ch === '\\' || ch === '"') out += '\\' + ch;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\x07') out += '\\a';
    else if (ch === '\b') out += '\\b';
    else if (code >= 32 && code < 127) out += ch;
    else out += '\\x' + code.toString(16).padStart(2, '0');
  }
  return out + '"';
}

/** Config-file directives that are not settings. */
const NON_CONFIG_DIRECTIVES = new Set(['include', 'rename-command', 'user', 'loadmodule', 'sentinel']);
/** Directives Redis 7.0 still accepts in a file and ignores. */
const DEPRECATED: Record<string, number> = { 'list-max-ziplist-entries': 2, 'list-max-ziplist-value': 2, 'lua-replicate-commands': 2 };

export class ConfigError extends Error {}

/** A failed CONFIG SET, with Redis's reply text. */
export interface ConfigSetError {
  error: string;
}

/** The live configuration: current values as strings, typed getters for the hot ones. */
export class Config {
  private values = new Map<string, string>();
  private byName = new Map<string, Directive>();
  private seenInFile = new Set<string>();
  /** The file the server was started with (absolute), for CONFIG REWRITE and INFO. */
  configFile: string | null = null;
  /** `rename-command` lines: [old name, new name ('' = removed), line number, line text] (applied by the server). */
  readonly renamedCommands: Array<[string, string, number, string]> = [];
  /** `user` lines of the config file (for the ACL module). */
  readonly userDirectives: string[][] = [];
  /** Called after a CONFIG SET changes a value (the server re-reads what it caches). */
  onChange: ((name: string) => void) | null = null;
  /**
   * Optional: applies changed values to the running server (e.g. listening
   * on a new port). Returns an error text to make CONFIG SET fail and roll back.
   */
  applyHook: ((names: string[]) => string | null) | null = null;

  // Cached values read on hot paths.
  protoMaxBulkLen = 536870912;
  clientQueryBufferLimit = 1073741824;

  constructor() {
    for (const d of DIRECTIVES) {
      if (this.byName.has(d.name)) throw new Error(`directive ${d.name} declared twice`);
      this.byName.set(d.name, d);
      for (const a of d.aliases ?? []) this.byName.set(a, d);
      this.values.set(d.name, d.default);
    }
  }

  directive(name: string): Directive | undefined {
    return this.byName.get(name.toLowerCase());
  }

  /** Every directive once (aliases not repeated). */
  directives(): Directive[] {
    return DIRECTIVES;
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
   * Validates and stores one directive's value without mutability checks
   * (config file, command line, internal use). Returns an error text (as
   * Redis words it, without the directive name) or null.
   */
  set(name: string, args: string[], fromFile = false): string | null {
    const d = this.byName.get(name.toLowerCase());
    if (!d) return 'Bad directive or wrong number of arguments';
    const r = this.parseValue(d, args, fromFile);
    if ('error' in r) return r.error;
    if (fromFile) this.seenInFile.add(d.name);
    this.store(d, r.value);
    return null;
  }

  private store(d: Directive, value: string): void {
    // hz is a hint: out-of-range values are accepted and clamped to 1..500, as Redis does.
    if (d.name === 'hz') value = String(Math.min(500, Math.max(1, Number(value))));
    // The replication backlog is never smaller than 16kb.
    else if (d.name === 'repl-backlog-size' && BigInt(value) < 16384n) value = '16384';
    this.values.set(d.name, value);
    if (d.name === 'proto-max-bulk-len') this.protoMaxBulkLen = Number(value);
    else if (d.name === 'client-query-buffer-limit') this.clientQueryBufferLimit = Number(value);
  }

  /** Turns arguments into the stored (CONFIG GET) form of a directive's value. */
  parseValue(d: Directive, args: string[], fromFile = false): ParseResult {
    if (d.type !== 'special' && args.length !== 1) return { error: 'wrong number of arguments' };
    if (d.type === 'special' && !d.multiArg && args.length !== 1) return { error: 'wrong number of arguments' };
    const a = args[0];
    switch (d.type) {
      case 'bool': {
        const v = a.toLowerCase();
        if (v !== 'yes' && v !== 'no') return { error: "argument must be 'yes' or 'no'" };
        return { value: v };
      }
      case 'enum': {
        const v = a.toLowerCase();
        if (!d.values!.includes(v)) return { error: `argument(s) must be one of the following: ${d.values!.join(', ')}` };
        return { value: d.synonyms?.[v] ?? v };
      }
      case 'string': {
        const err = d.validate?.(a) ?? null;
        if (err !== null) return { error: err };
        return { value: a };
      }
      case 'int':
      case 'memory':
        return this.parseNumber(d, a);
      case 'flags':
      case 'special':
        return d.parse!(args, this.values.get(d.name)!, { fromFile, seenInFile: this.seenInFile.has(d.name) });
    }
  }

  private parseNumber(d: Directive, s: string): ParseResult {
    let v: bigint | null = null;
    if (d.type === 'memory') {
      v = parseMemoryBig(s);
      // The C field is signed: huge unsigned values wrap negative.
      if (v !== null && !d.unsigned) v = BigInt.asIntN(64, v);
      if (v === null && d.percent && s.length > 1 && s.endsWith('%')) {
        const p = parseStrictInt(s.slice(0, -1));
        if (p !== null && p >= 0n) {
          v = -p;
        }
      }
      if (v === null) return { error: d.percent ? 'argument must be a memory or percent value' : 'argument must be a memory value' };
    } else if (d.octal) {
      const m = /^\s*([+-]?[0-7]+)$/.exec(s);
      if (!m) return { error: "argument couldn't be parsed as an octal number" };
      v = BigInt('0o' + m[1].replace(/^[+-]/, '')) * (m[1].startsWith('-') ? -1n : 1n);
    } else {
      v = parseStrictInt(s);
      if (v === null) return { error: "argument couldn't be parsed into an integer" };
    }
    const min = d.min!;
    const max = d.max!;
    if (d.unsigned) {
      const u = BigInt.asUintN(64, v);
      if (u > max || u < min) {
        const fmt = (x: bigint) => (d.octal ? x.toString(8) : String(x));
        return { error: `argument must be between ${fmt(min)} and ${fmt(max)} inclusive` };
      }
      return { value: d.octal ? u.toString(8) : String(u) };
    }
    if (d.percent && v < 0n) {
      if (v < min) return { error: `percentage argument must be less or equal to ${-min}` };
      return { value: `${-v}%` };
    }
    if (v > max || v < min) return { error: `argument must be between ${min} and ${max} inclusive` };
    return { value: String(v) };
  }

  /**
   * CONFIG SET name value [name value ...]: all or nothing, with Redis's
   * error texts. `allowProtected` says whether the client may change
   * protected directives (enable-protected-configs). Returns null on success.
   */
  setFromCommand(pairs: Array<[string, string]>, allowProtected: boolean): string | null {
    const chosen: Directive[] = [];
    const names: string[] = [];
    const values: string[] = [];
    for (const [name, value] of pairs) {
      const d = this.byName.get(name.toLowerCase());
      if (!d) return `ERR Unknown option or number of arguments for CONFIG SET - '${name}'`;
      if (!d.mutable || (d.protected && !allowProtected)) {
        return `ERR CONFIG SET failed (possibly related to argument '${name}') - can't set ${d.mutable ? 'protected' : 'immutable'} config`;
      }
      // An alias and its primary name count as different parameters, as in Redis.
      const lname = name.toLowerCase();
      if (names.includes(lname)) return `ERR CONFIG SET failed (possibly related to argument '${name}') - duplicate parameter`;
      names.push(lname);
      chosen.push(d);
      values.push(value);
    }
    const old = chosen.map((d) => this.values.get(d.name)!);
    const changed: string[] = [];
    for (let i = 0; i < chosen.length; i++) {
      const d = chosen[i];
      const args = d.multiArg ? splitOnSpaces(values[i]) : [values[i]];
      const r = this.parseValue(d, args);
      if ('error' in r) {
        for (let j = 0; j < i; j++) this.store(chosen[j], old[j]);
        const shown = pairs[i][0].toLowerCase();
        return `ERR CONFIG SET failed (possibly related to argument '${shown}') - ${r.error}`;
      }
      if (r.value !== old[i]) changed.push(d.name);
      this.store(d, r.value);
    }
    if (this.applyHook !== null && changed.length > 0) {
      const err = this.applyHook(changed);
      if (err !== null) {
        for (let j = 0; j < chosen.length; j++) this.store(chosen[j], old[j]);
        this.applyHook(changed);
        return err;
      }
    }
    for (const name of changed) this.onChange?.(name);
    return null;
  }

  /**
   * CONFIG GET: exact names (as typed) and glob patterns (case-insensitive,
   * hidden directives excluded), without repeats. Returns name/value pairs.
   */
  /** A directive's value as CONFIG GET shows it. */
  private shown(d: Directive): string {
    const v = this.values.get(d.name)!;
    return d.show !== undefined ? d.show(v) : v;
  }

  getMatching(patterns: string[]): Array<[string, string]> {
    const out: Array<[string, string]> = [];
    const seen = new Set<string>();
    for (const p of patterns) {
      if (!/[[*?]/.test(p)) {
        if (seen.has(p)) continue;
        const d = this.byName.get(p.toLowerCase());
        if (d) {
          seen.add(p);
          out.push([p, this.shown(d)]);
        }
        continue;
      }
      for (const [name, d] of this.byName) {
        if (d.hidden || seen.has(name)) continue;
        if (globMatch(p, name, true)) {
          seen.add(name);
          out.push([name, this.shown(d)]);
        }
      }
    }
    return out;
  }

  /** Restores every directive to its default (tests). */
  resetToDefaults(): void {
    for (const d of DIRECTIVES) this.store(d, d.default);
  }

  /**
   * Loads config text (a file's content plus command-line directives),
   * throwing ConfigError with redis-server's fatal message block.
   * `baseDir` resolves relative `include` paths.
   */
  load(text: string, version: string): void {
    const lines = text.split('\n');
    for (let n = 0; n < lines.length; n++) {
      const line = lines[n].replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');
      if (line === '' || line.startsWith('#')) continue;
      const fail = (msg: string): never => {
        throw new ConfigError(`\n*** FATAL CONFIG FILE ERROR (Redis ${version}) ***\nReading the configuration file, at line ${n + 1}\n>>> '${line}'\n${msg}`);
      };
      const argv = splitArgs(line);
      if (argv === null) fail('Unbalanced quotes in configuration line');
      if (argv!.length === 0) continue;
      const [rawName, ...args] = argv!;
      const name = rawName.toLowerCase();
      const d = this.byName.get(name);
      if (d) {
        if (d.type !== 'special' || !d.multiArg) {
          if (args.length !== 1) fail('wrong number of arguments');
        }
        const r = this.parseValue(d, args, true);
        if ('error' in r) fail(r.error);
        this.seenInFile.add(d.name);
        this.store(d, (r as { value: string }).value);
        continue;
      }
      if (DEPRECATED[name] !== undefined && argv!.length === DEPRECATED[name]) continue;
      if (name === 'include' && args.length === 1) {
        this.loadInclude(args[0], version);
      } else if (name === 'rename-command' && args.length === 2) {
        this.renamedCommands.push([args[0], args[1], n + 1, line]);
      } else if (name === 'user' && args.length >= 1) {
        this.userDirectives.push(args);
      } else if (name === 'loadmodule' && args.length >= 1) {
        fail('Modules are not supported by tsredis');
      } else if (name.includes('.')) {
        if (args.length !== 1) fail('Module config specified without value');
        fail('Module configuration detected without loadmodule directive');
      } else if (name === 'sentinel') {
        if (args.length !== 0) fail('sentinel directive while not in sentinel mode');
      } else {
        fail('Bad directive or wrong number of arguments');
      }
    }
  }

  private loadInclude(file: string, version: string): void {
    const files: string[] = [];
    if (/[*?[]/.test(file)) {
      const dir = path.dirname(file);
      const pat = path.basename(file);
      let names: string[] = [];
      try {
        names = fs.readdirSync(dir).sort();
      } catch {
        names = [];
      }
      for (const n of names) if (globMatch(pat, n)) files.push(path.join(dir, n));
    } else files.push(file);
    for (const f of files) {
      let text: string;
      try {
        text = fs.readFileSync(f, 'latin1');
      } catch (err) {
        throw new ConfigError(`Fatal error, can't open config file '${f}': ${errnoText(err)}`);
      }
      this.load(text, version);
    }
  }

  /**
   * The new content of the config file for CONFIG REWRITE: the old file's
   * lines (comments and blank lines kept), each directive's line replaced in
   * place, directives that differ from their default appended under
   * "# Generated by CONFIG REWRITE", and stale lines of rewritten directives
   * blanked.
   */
  rewriteContent(oldText: string, extra: { users?: string[] } = {}): string {
    const SIGNATURE = '# Generated by CONFIG REWRITE';
    const lines: string[] = [];
    const optionLines = new Map<string, number[]>();
    let needsSignature = true;
    const rawLines = oldText === '' ? [] : oldText.split('\n');
    if (rawLines.length > 0 && rawLines[rawLines.length - 1] === '') rawLines.pop();
    for (const raw of rawLines) {
      const line = raw.replace(/^[\r\n\t ]+|[\r\n\t ]+$/g, '');
      if (line === '' || line.startsWith('#')) {
        if (line === SIGNATURE) needsSignature = false;
        lines.push(line);
        continue;
      }
      const argv = splitArgs(line);
      if (argv === null || argv.length === 0) {
        lines.push('# ??? ' + line);
        continue;
      }
      let opt = argv[0].toLowerCase();
      if (!this.byName.has(opt) && !NON_CONFIG_DIRECTIVES.has(opt)) {
        lines.push('# ??? ' + line);
        continue;
      }
      opt = opt.replace('slave', 'replica');
      const d = this.byName.get(opt);
      if (d) opt = d.name;
      lines.push(line);
      const list = optionLines.get(opt) ?? [];
      list.push(lines.length - 1);
      optionLines.set(opt, list);
    }
    const processed = new Set<string>();
    const put = (opt: string, line: string, force: boolean) => {
      processed.add(opt);
      const list = optionLines.get(opt);
      if (!list && !force) return;
      if (list) {
        const at = list.shift()!;
        if (list.length === 0) optionLines.delete(opt);
        lines[at] = line;
      } else {
        if (needsSignature) {
          lines.push(SIGNATURE);
          needsSignature = false;
        }
        lines.push(line);
      }
    };
    for (const d of DIRECTIVES) {
      const v = this.shown(d);
      const changed = v !== d.default;
      const name = d.name;
      switch (d.type) {
        case 'string':
          // An unset string leaves no line (and stale ones are blanked).
          if (d.emptyIsNull && v === '') processed.add(name);
          else put(name, `${name} ${quoteRepr(v)}`, changed);
          break;
        case 'memory':
          put(name, `${name} ${v.endsWith('%') ? v : formatMemoryForRewrite(BigInt(v))}`, changed);
          break;
        case 'special':
          if (name === 'save') {
            if (v === '') put(name, 'save ""', true);
            else {
              const w = v.split(' ');
              for (let j = 0; j < w.length; j += 2) put(name, `save ${w[j]} ${w[j + 1]}`, true);
            }
          } else if (name === 'dir') {
            put(name, `dir ${quoteRepr(v === '' ? process.cwd() : v)}`, true);
          } else if (name === 'latency-tracking-info-percentiles') {
            put(name, `${name} ${v === '' ? '""' : v}`, true);
          } else if (name === 'client-output-buffer-limit') {
            const w = v.split(' ');
            const def = d.default.split(' ');
            for (let j = 0; j < w.length; j += 4) {
              const differs = w[j + 1] !== def[j + 1] || w[j + 2] !== def[j + 2] || w[j + 3] !== def[j + 3];
              const cls = w[j] === 'slave' ? 'replica' : w[j];
              put(name, `${name} ${cls} ${formatMemoryForRewrite(BigInt(w[j + 1]))} ${formatMemoryForRewrite(BigInt(w[j + 2]))} ${w[j + 3]}`, differs);
            }
          } else if (name === 'bind') {
            if (changed) put(name, `bind ${v === '' ? '""' : v}`, true);
          } else if (name === 'replicaof') {
            if (v !== '') put(name, `replicaof ${v}`, true);
          } else if (name === 'notify-keyspace-events') {
            put(name, `${name} ${quoteRepr(v)}`, v !== '');
          } else {
            put(name, `${name} ${v}`, changed);
          }
          processed.add(name);
          break;
        default:
          put(name, `${name} ${v}`, changed);
      }
    }
    if (extra.users) {
      for (const u of extra.users) put('user', `user ${u}`, true);
      processed.add('user');
    }
    // Lines left for options we rewrote are stale duplicates: blank them.
    for (const [opt, list] of optionLines) {
      if (!processed.has(opt)) continue;
      for (const at of list) lines[at] = '';
    }
    let out = '';
    let wasEmpty = false;
    for (const l of lines) {
      if (l === '') {
        if (wasEmpty) continue;
        wasEmpty = true;
      } else wasEmpty = false;
      out += l + '\n';
    }
    return out;
  }

  /** CONFIG REWRITE: rewrites the config file in place (atomically). Returns an error text or null. */
  rewriteFile(extra: { users?: string[] } = {}): string | null {
    const file = this.configFile;
    if (file === null) return 'The server is running without a config file';
    let old = '';
    try {
      old = fs.readFileSync(file, 'latin1');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') return `Rewriting config file: ${errnoText(err)}`;
    }
    const content = this.rewriteContent(old, extra);
    const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
    try {
      fs.writeFileSync(tmp, content, 'latin1');
      fs.renameSync(tmp, file);
    } catch (err) {
      try {
        fs.unlinkSync(tmp);
      } catch {
        // nothing to remove
      }
      return `Rewriting config file: ${errnoText(err)}`;
    }
    return null;
  }
}

/** The strerror() text of a Node error. */
export function errnoText(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return 'No such file or directory';
    case 'EACCES':
      return 'Permission denied';
    case 'EISDIR':
      return 'Is a directory';
    case 'ENOTDIR':
      return 'Not a directory';
    case 'EROFS':
      return 'Read-only file system';
    case 'ENOSPC':
      return 'No space left on device';
    default:
      return (err as Error).message;
  }
}

/**
 * Turns redis-server's command line (`[config-file] [--name value ...]`) into
 * config text, as Redis 7.0 does: each `--name` starts a new line (the text
 * starts with a newline, so the first option is on line 2 after the file),
 * values follow quoted. An argument starting with `--` right after an option
 * name that has no value yet is that option's value (`--requirepass --x`),
 * except after `--save`, which then means `save ""`.
 */
export function argvToConfigText(args: string[]): { file: string | null; stdin: boolean; text: string } {
  let file: string | null = null;
  let stdin = false;
  let i = 0;
  if (args.length > 0 && !args[0].startsWith('--')) {
    if (args[0] === '-') stdin = true;
    else file = args[0];
    i = 1;
  }
  if (i < args.length && args[i] === '-' && !stdin) {
    stdin = true;
    i++;
  }
  let options = '';
  // Whether the last option name already got a value (so "--x" starts a new option).
  let handled = true;
  let lastName = '';
  for (; i < args.length; i++) {
    const a = args[i];
    const isOptionName = a.startsWith('--') && (handled || lastName === 'save');
    if (isOptionName) {
      if (!handled && lastName === 'save') options += '""';
      if (options.length > 0) options += '\n';
      const body = a.slice(2);
      options += body + ' ';
      const parts = splitArgs(body) ?? [body];
      lastName = (parts[0] ?? '').toLowerCase();
      handled = parts.length > 1;
    } else {
      options += quoteRepr(a) + ' ';
      handled = true;
    }
  }
  if (!handled && lastName === 'save') options += '""';
  return { file, stdin, text: options };
}
