/**
 * The server: listening sockets, clients, databases, and the command
 * pipeline (processCommand -> call -> propagate), plus the periodic duties
 * Redis's serverCron does (active expiry, client timeouts, stats).
 */
import * as net from 'node:net';
import { randomBytes } from 'node:crypto';
import { Config } from '../config/config';
import { Database, type KeyspaceHooks } from '../store/db';
import { CommandTable } from '../commands/table';
import type { Command } from '../commands/types';
import { Client } from './client';
import { Logger, type RedisLogLevel } from './log';
import { Stats } from './stats';
import { WatchRegistry } from './watch';
import { BlockingManager } from './blocking';
import { PubSub } from '../pubsub/pubsub';
import { NOTIFY, parseNotifyFlags } from './notify';
import { SlowLog, redactArgv } from './slowlog';
import { recordStartupMemory } from './memstats';

export const REDIS_VERSION = '7.0.15';
export const TSREDIS_VERSION: string = (require('../../package.json') as { version: string }).version;

/** Something that receives the stream of write commands: the AOF, replicas. */
export interface PropagationTarget {
  /** A write command's effect, to apply in database `dbId`. */
  feed(dbId: number, argv: string[]): void;
}

/** A command's frozen time and pending writes, detached while a script yields to the event loop (scripting). */
export interface SuspendedCall {
  time: number;
  pending: Array<[number, string[]]>;
}

export interface PauseState {
  mode: 'write' | 'all';
  /** Absolute ms time at which the pause ends. */
  until: number;
  timer: NodeJS.Timeout;
}

/** Commands a client in RESP2 subscriber mode may still run. */
const PUBSUB_ALLOWED = new Set(['subscribe', 'ssubscribe', 'unsubscribe', 'sunsubscribe', 'psubscribe', 'punsubscribe', 'ping', 'quit', 'reset']);
/** Commands executed at once, not queued, inside MULTI. */
const MULTI_IMMEDIATE = new Set(['exec', 'discard', 'multi', 'watch', 'quit', 'reset']);

export class Server implements KeyspaceHooks {
  readonly config: Config;
  readonly log: Logger;
  dbs: Database[] = [];
  readonly commands: CommandTable;
  readonly clients = new Map<number, Client>();
  readonly stats = new Stats();
  readonly watches = new WatchRegistry();
  readonly blocking: BlockingManager;
  readonly pubsub = new PubSub();
  readonly monitors = new Set<Client>();
  readonly propagationTargets: PropagationTarget[] = [];
  /** Changes since the last successful save (INFO rdb_changes_since_last_save, save points). */
  dirty = 0;
  /** Unix seconds of the last successful save. */
  lastSave = Math.floor(Date.now() / 1000);
  readonly startTime = Date.now();
  readonly runId = randomBytes(20).toString('hex');
  nextClientId = 1;
  /** Wall clock in ms, refreshed per event: cheap to read on hot paths. */
  clock = Date.now();
  /** Whether this server is a replica (expired keys are hidden, not deleted). */
  isReplica = false;
  pause: PauseState | null = null;
  /** Keyspace notification flags, parsed from notify-keyspace-events. */
  notifyFlags = 0;
  /** Called before a key is written while a snapshot is in progress (set by persistence). */
  snapshotHook: ((db: Database, key: string) => void) | null = null;
  /** Called once the server stops (tests, SHUTDOWN). */
  onShutdown: (() => void) | null = null;

  private listeners: net.Server[] = [];
  private cronTimer: NodeJS.Timeout | null = null;
  private flushQueue: Client[] = [];
  private flushScheduled = false;
  /** performance.now() at the end of the previous command of the current input batch (see call()). */
  batchClock = 0;
  /** Nesting of call(): > 0 while a command runs (EXEC and scripts nest). */
  private callDepth = 0;
  /** The command time, frozen while callDepth > 0. */
  private cmdTime = 0;
  /** Writes of the current top-level command, sent to AOF/replicas when it ends. */
  private pendingPropagation: Array<[number, string[]]> = [];
  /** Set by a handler to propagate other arguments than its own (e.g. SET EX as SET PXAT). */
  private argvOverride: string[] | null = null;
  private suppressSelfPropagation = false;
  private pausedClients = new Set<Client>();
  private shuttingDown = false;

  constructor(config: Config = new Config(), log?: Logger) {
    this.config = config;
    this.log = log ?? new Logger({ level: config.get('loglevel') as RedisLogLevel, file: config.get('logfile') });
    this.commands = new CommandTable();
    this.blocking = new BlockingManager(this);
    const n = config.getInt('databases');
    for (let i = 0; i < n; i++) this.dbs.push(new Database(i, this));
    this.notifyFlags = parseNotifyFlags(config.get('notify-keyspace-events'));
    // Files (RDB, AOF) live in `dir`; resolved once so in-process servers never depend on the cwd.
    config.set('dir', [require('node:path').resolve(config.get('dir') || process.cwd())]);
    config.onChange = (name) => this.configChanged(name);
    this.slowlog = new SlowLog(this);
    recordStartupMemory(this); // MEMORY STATS startup.allocated: before any data is loaded
  }

  /** SLOWLOG entries and per-command latency histograms (fed through slowlogHook). */
  readonly slowlog: SlowLog;

  /** Re-reads what the server caches from a directive changed by CONFIG SET. */
  configChanged(name: string): void {
    if (name === 'notify-keyspace-events') this.notifyFlags = parseNotifyFlags(this.config.get(name));
    else if (name === 'loglevel') this.log.setLevel(this.config.get(name) as RedisLogLevel);
    else if (name === 'slowlog-log-slower-than' || name === 'slowlog-max-len' || name === 'latency-tracking') this.slowlog.refreshConfig();
  }

  authRequired(): boolean {
    return this.config.get('requirepass') !== '';
  }

  // ---------------------------------------------------------------- keyspace hooks

  now(): number {
    if (this.callDepth === 0) return Date.now();
    if (this.cmdTime === 0) this.cmdTime = Date.now();
    return this.cmdTime;
  }

  get expireOnAccess(): boolean {
    return !this.isReplica;
  }

  beforeWrite(db: Database, key: string): void {
    if (this.snapshotHook !== null) this.snapshotHook(db, key);
  }

  keyModified(db: Database, key: string): void {
    if (this.watches.active) this.watches.touch(db, key);
    if (this.blocking.hasWaiters) this.blocking.signalKeyAsReady(db, key);
  }

  keyExpired(db: Database, key: string): void {
    this.stats.expiredKeys++;
    this.notify(NOTIFY.expired, 'expired', key, db.id);
    this.propagate(db.id, [this.config.getBool('lazyfree-lazy-expire') ? 'UNLINK' : 'DEL', key]);
  }

  keyspaceLookup(hit: boolean, db?: Database, key?: string): void {
    if (hit) this.stats.keyspaceHits++;
    else {
      this.stats.keyspaceMisses++;
      if (this.notifyFlags & NOTIFY.keyMiss && db !== undefined && key !== undefined) this.notify(NOTIFY.keyMiss, 'keymiss', key, db.id);
    }
  }

  /** A key was created (the `new` keyspace event). */
  keyAdded(db: Database, key: string): void {
    if (this.notifyFlags & NOTIFY.newKey) this.notify(NOTIFY.newKey, 'new', key, db.id);
  }

  /** Publishes a keyspace notification if `type` is enabled in notify-keyspace-events. */
  notify(type: number, event: string, key: string, dbId: number): void {
    const flags = this.notifyFlags;
    if ((flags & type) === 0 || !this.pubsub.hasSubscribers) return;
    if (flags & NOTIFY.keyspace) this.pubsub.publish(`__keyspace@${dbId}__:${key}`, event);
    if (flags & NOTIFY.keyevent) this.pubsub.publish(`__keyevent@${dbId}__:${event}`, key);
  }

  // ---------------------------------------------------------------- propagation

  /** Queues a write for the AOF and replicas; sent when the top-level command ends. */
  propagate(dbId: number, argv: string[]): void {
    if (this.propagationTargets.length === 0) return;
    this.pendingPropagation.push([dbId, argv]);
    if (this.callDepth === 0) this.flushPropagation();
  }

  /** Makes the running command propagate `argv` instead of its own arguments. */
  replaceArgv(argv: string[]): void {
    this.argvOverride = argv;
  }

  /** The running command propagates its effects itself (EXEC, scripts) or not at all. */
  preventSelfPropagation(): void {
    this.suppressSelfPropagation = true;
  }

  private flushPropagation(): void {
    const pending = this.pendingPropagation;
    if (pending.length === 0) return;
    this.pendingPropagation = [];
    // Several writes from one command (a transaction, a script, expired keys) apply atomically downstream.
    const wrap = pending.length > 1;
    for (const t of this.propagationTargets) {
      if (wrap) t.feed(pending[0][0], ['MULTI']);
      for (const [dbId, argv] of pending) t.feed(dbId, argv);
      if (wrap) t.feed(pending[pending.length - 1][0], ['EXEC']);
    }
  }

  // ---------------------------------------------------------------- command pipeline

  /** Checks and runs one command from a client, as Redis's processCommand. */
  processCommand(c: Client, argv: string[]): void {
    const name = argv[0];
    let cmd = this.commands.lookup(name);
    if (cmd === undefined) {
      this.rejectCommand(c, unknownCommandError(argv));
      return;
    }
    if (cmd.subcommandMap !== undefined && argv.length >= 2) {
      const sub = cmd.subcommandMap.get(argv[1].toLowerCase());
      if (sub === undefined) {
        this.rejectCommand(c, `ERR unknown subcommand '${argv[1].slice(0, 128)}'. Try ${cmd.name.toUpperCase()} HELP.`);
        return;
      }
      cmd = sub;
    }
    const arity = cmd.arity;
    if ((arity > 0 && argv.length !== arity) || argv.length < -arity) {
      this.rejectCommand(c, `ERR wrong number of arguments for '${cmd.fullName}' command`, cmd);
      return;
    }
    if (!c.authenticated && !cmd.flags.includes('no_auth')) {
      this.rejectCommand(c, 'NOAUTH Authentication required.', cmd);
      return;
    }
    if (c.multi !== null && cmd.flags.includes('no_multi')) {
      this.rejectCommand(c, 'ERR Command not allowed inside a transaction', cmd);
      return;
    }
    if (c.resp === 2 && c.inPubSubMode && !PUBSUB_ALLOWED.has(cmd.parent?.name ?? cmd.name)) {
      this.rejectCommand(
        c,
        `ERR Can't execute '${cmd.fullName}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context`,
        cmd,
      );
      return;
    }
    if (this.isReplica && cmd.isWrite && c.kind !== 'master' && this.config.getBool('replica-read-only') && c.multi === null) {
      this.rejectCommand(c, "READONLY You can't write against a read only replica.", cmd);
      return;
    }
    // As Redis: a paused write waits even to be queued in MULTI, and EXEC waits when it queued writes.
    if (this.pause !== null && this.pauseAffects(c, cmd)) {
      this.holdForPause(c, argv);
      return;
    }
    // A script past busy-reply-threshold yields to the event loop: only allow_busy commands run meanwhile.
    if (this.busyScript !== null && !cmd.flags.includes('allow_busy')) {
      this.rejectCommand(c, this.busyScript.error, cmd);
      return;
    }
    if (c.multi !== null && !MULTI_IMMEDIATE.has(cmd.name)) {
      c.multi.queue.push({ cmd, argv });
      if (c.replyMode === 'on') c.status('QUEUED');
      else if (c.replyMode === 'skip') c.replyMode = 'on';
      return;
    }
    this.call(c, cmd, argv);
    if (this.callDepth === 0) this.afterCommand();
  }

  /** An error before execution: counted as rejected, and it aborts a MULTI being queued. */
  private rejectCommand(c: Client, msg: string, cmd?: Command): void {
    if (c.multi !== null) c.multi.dirty = true;
    if (cmd) cmd.stats.rejected++;
    const mark = c.out.length;
    if (cmd !== undefined && cmd.name === 'exec') {
      // EXEC itself refused (arity, OOM, READONLY, subscriber mode...): any transaction ends, with the reason.
      c.multi = null;
      this.watches.unwatchAll(c);
      c.error('EXECABORT Transaction discarded because of: ' + (msg.startsWith('ERR ') ? msg.slice(4) : msg));
    } else {
      c.error(msg);
    }
    // CLIENT REPLY OFF/SKIP: counted as an error, not sent.
    if (c.replyMode !== 'on' && c.kind !== 'lua') {
      c.out = c.out.slice(0, mark);
      if (c.replyMode === 'skip') c.replyMode = 'on';
    }
  }

  /**
   * Executes a command: the one place that times it, counts it, feeds
   * MONITOR and the slow log, and propagates its writes. EXEC and scripts
   * call it for each inner command.
   */
  call(c: Client, cmd: Command, argv: string[]): void {
    const outer = this.callDepth === 0;
    if (outer) this.cmdTime = 0; // taken lazily by now(): most commands never ask for the time
    this.callDepth++;
    const dirtyBefore = this.dirty;
    const prevOverride = this.argvOverride;
    const prevSuppress = this.suppressSelfPropagation;
    this.argvOverride = null;
    this.suppressSelfPropagation = false;
    c.commandFailed = false;
    c.currentCommand = cmd;
    const mark = c.replyMode === 'on' ? 0 : c.out.length;
    // One clock read per command: a top-level command starts where the previous one of the batch ended.
    const start = outer ? this.batchClock : performance.now();
    try {
      cmd.handler(c, argv);
    } catch (err) {
      this.log.warn(`Internal error running ${cmd.fullName}: ${(err as Error).stack}`);
      c.error(`ERR internal error: ${(err as Error).message}`);
    }
    this.callDepth--;
    const end = performance.now();
    if (outer) this.batchClock = end;
    const usec = (end - start) * 1000;
    c.lastCommand = cmd.fullName;
    c.currentCommand = null;
    const stats = cmd.stats;
    stats.calls++;
    stats.usec += usec;
    if (c.commandFailed) stats.failed++;
    this.stats.totalCommands++;
    if (c.replyMode !== 'on' && c.kind !== 'lua') {
      c.out = c.out.slice(0, mark);
      if (c.replyMode === 'skip' && cmd.fullName !== 'client|reply') c.replyMode = 'on';
    }
    // Pub/sub pushes to a client whose replies are off still go out (Redis 7.0 does so).
    if (outer && this.pubsub.heldPushes.size > 0) this.pubsub.releaseHeld(c);
    if (this.dirty !== dirtyBefore && !this.suppressSelfPropagation && this.propagationMuted === 0 && this.propagationTargets.length > 0) {
      this.pendingPropagation.push([c.db.id, this.argvOverride ?? argv]);
    }
    this.argvOverride = prevOverride;
    this.suppressSelfPropagation = prevSuppress;
    if (this.slowlogHook !== null) this.slowlogHook(c, cmd, argv, usec);
    if (this.monitors.size > 0 && !cmd.flags.includes('skip_monitor') && !cmd.flags.includes('admin')) this.feedMonitors(c, redactArgv(cmd, argv, this));
    if (outer) this.flushPropagation();
  }

  /** Set by the slowlog module. */
  slowlogHook: ((c: Client, cmd: Command, argv: string[], usec: number) => void) | null = null;

  // ---------------------------------------------------------------- scripts that yield (src/scripting)

  /** Set while a script that ran past busy-reply-threshold is suspended: the -BUSY error other clients get. */
  busyScript: { error: string } | null = null;
  /** > 0 while commands run whose writes must not propagate (redis.set_repl(redis.REPL_NONE)). */
  propagationMuted = 0;

  /** How deeply calls nest: 1 in a command from a client, more inside EXEC or a script. */
  get callNesting(): number {
    return this.callDepth;
  }

  /** Detaches the running command's frozen time and pending writes (a script about to yield to the event loop). */
  suspendCall(): SuspendedCall {
    const s: SuspendedCall = { time: this.cmdTime, pending: this.pendingPropagation };
    this.pendingPropagation = [];
    return s;
  }

  /** Runs `fn` as the continuation of a suspended command: same time, its writes propagated together when it ends. */
  resumeCall(s: SuspendedCall, fn: () => void): void {
    const outer = this.callDepth === 0;
    this.callDepth++;
    this.cmdTime = s.time;
    if (s.pending.length > 0) this.pendingPropagation = s.pending.concat(this.pendingPropagation);
    try {
      fn();
    } finally {
      this.callDepth--;
      if (outer) this.flushPropagation();
    }
  }

  /** What follows every top-level command: serving clients whose keys became ready. */
  afterCommand(): void {
    if (this.blocking.hasWaiters) this.blocking.handleReadyKeys();
  }

  private feedMonitors(c: Client, argv: string[]): void {
    const t = this.now();
    const secs = Math.floor(t / 1000);
    const micros = String((t % 1000) * 1000 + Math.floor(Math.random() * 1000)).padStart(6, '0');
    const where = c.isScriptClient ? 'lua' : c.addr;
    let line = `+${secs}.${micros} [${c.db.id} ${where}]`;
    for (const a of argv) line += ' "' + escapeMonitorArg(a) + '"';
    line += '\r\n';
    for (const m of this.monitors) {
      if (m === c) continue;
      m.raw(line);
      m.wake();
    }
  }

  // ---------------------------------------------------------------- blocking and pause

  /** Arms a blocked client's timeout timer. */
  armBlockTimeout(c: Client): void {
    const b = c.blocked;
    if (b === null || b.timeout === 0) return;
    // setTimeout waits at most 2^31-1 ms (24.8 days): longer timeouts re-arm until due.
    const delay = Math.min(Math.max(0, b.timeout - Date.now()), 0x7fffffff);
    b.timer = setTimeout(() => {
      if (c.blocked !== b) return;
      if (b.timeout > Date.now() + 1) return this.armBlockTimeout(c);
      b.onTimeout?.(c);
      this.unblockClient(c);
    }, delay);
  }

  /** Runs `fn` (which replies to a blocked client) as that client's command, with propagation and timing. */
  runUnblocked<T>(c: Client, fn: () => T): T {
    const outer = this.callDepth === 0;
    if (outer) this.cmdTime = 0;
    this.callDepth++;
    try {
      return fn();
    } finally {
      this.callDepth--;
      if (outer) this.flushPropagation();
    }
  }

  /** Ends a client's blocked state and lets it go on with its pipeline. */
  unblockClient(c: Client): void {
    const b = c.blocked;
    if (b === null) return;
    if (b.timer) clearTimeout(b.timer);
    b.cleanup?.(c);
    c.blocked = null;
    c.wake();
    // Continue with commands that arrived while blocked, outside the current call stack.
    setImmediate(() => {
      if (!c.closed && c.blocked === null) c.processInput();
    });
  }

  private pauseAffects(c: Client, cmd: Command): boolean {
    if (c.kind === 'master' || c.kind === 'replica') return false;
    if (this.pause!.mode === 'all') return true;
    const base = cmd.parent?.name ?? cmd.name;
    if (base === 'exec' && c.multi !== null) return c.multi.queue.some((q) => this.pauseAffects(c, q.cmd));
    return cmd.isWrite || cmd.flags.includes('may_replicate') || base === 'eval' || base === 'evalsha' || base === 'fcall';
  }

  private holdForPause(c: Client, argv: string[]): void {
    c.heldArgv = argv;
    c.blocked = { kind: 'pause', timeout: 0 };
    this.pausedClients.add(c);
  }

  /** Whether a client must not run commands now (CLIENT PAUSE ALL). */
  pausedFor(c: Client): boolean {
    if (c.heldArgv !== null) {
      const argv = c.heldArgv;
      c.heldArgv = null;
      this.processCommand(c, argv);
      return c.blocked !== null;
    }
    return false;
  }

  /** CLIENT PAUSE: holds clients' commands (all, or writes only) until `ms` from now or CLIENT UNPAUSE. */
  pauseClients(mode: 'write' | 'all', ms: number): void {
    const until = Date.now() + ms;
    if (this.pause !== null) {
      clearTimeout(this.pause.timer);
      // A shorter or weaker pause does not cut an existing one short.
      if (this.pause.mode === 'all') mode = 'all';
      if (this.pause.until > until) {
        this.pause = { mode, until: this.pause.until, timer: setTimeout(() => this.unpauseClients(), this.pause.until - Date.now()) };
        return;
      }
    }
    this.pause = { mode, until, timer: setTimeout(() => this.unpauseClients(), ms) };
  }

  unpauseClients(): void {
    if (this.pause === null) return;
    clearTimeout(this.pause.timer);
    this.pause = null;
    const held = [...this.pausedClients];
    this.pausedClients.clear();
    for (const c of held) {
      if (c.closed) continue;
      c.blocked = null;
      c.processInput();
    }
  }

  // ---------------------------------------------------------------- clients and sockets

  /** Schedules a flush of a client's output after the current event (replies caused by others). */
  queueFlush(c: Client): void {
    this.flushQueue.push(c);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flushPending());
    }
  }

  private flushPending(): void {
    this.flushScheduled = false;
    const queue = this.flushQueue;
    this.flushQueue = [];
    for (const c of queue) {
      if (c.flushQueued) {
        c.flush();
        this.enforceOutputLimits(c);
      }
    }
  }

  /** client-output-buffer-limit: a subscriber or replica that does not read is disconnected. */
  enforceOutputLimits(c: Client): void {
    const cls = c.kind === 'replica' ? 'slave' : c.inPubSubMode ? 'pubsub' : 'normal';
    const words = this.config.get('client-output-buffer-limit').split(' ');
    const i = words.indexOf(cls);
    if (i < 0) return;
    const hard = Number(words[i + 1]);
    const soft = Number(words[i + 2]);
    const softSecs = Number(words[i + 3]);
    const used = c.outputBytes;
    let exceeded = hard > 0 && used >= hard;
    if (!exceeded && soft > 0 && used >= soft) {
      if (c.softLimitSince === 0) c.softLimitSince = Date.now();
      else if (Date.now() - c.softLimitSince >= softSecs * 1000) exceeded = true;
    } else if (soft > 0 && used < soft) {
      c.softLimitSince = 0;
    }
    if (exceeded) {
      this.log.warn(`Client id=${c.id} addr=${c.addr} scheduled to be closed ASAP for overcoming of output buffer limits.`);
      c.out = '';
      c.socket?.destroy();
      c.close();
    }
  }

  createClient(socket: net.Socket | null): Client {
    const c = new Client(this, socket, this.nextClientId++);
    if (socket !== null) this.clients.set(c.id, c);
    return c;
  }

  private accept(socket: net.Socket): void {
    this.stats.totalConnections++;
    if (this.clients.size >= this.config.getInt('maxclients')) {
      this.stats.rejectedConnections++;
      socket.end('-ERR max number of clients reached\r\n');
      return;
    }
    // Protected mode: without a password, only loopback clients are served.
    if (this.config.getBool('protected-mode') && !this.authRequired() && !isLoopbackAddress(socket.remoteAddress)) {
      this.stats.rejectedConnections++;
      socket.end(PROTECTED_MODE_DENIED);
      return;
    }
    socket.setNoDelay(true);
    const keepalive = this.config.getInt('tcp-keepalive');
    if (keepalive > 0) socket.setKeepAlive(true, keepalive * 1000);
    const c = this.createClient(socket);
    socket.on('data', (chunk: Buffer) => {
      this.clock = Date.now();
      c.onData(chunk);
      if (this.callDepth === 0 && this.flushQueue.length > 0) this.flushPending();
    });
    socket.on('error', () => c.close());
    socket.on('close', () => {
      if (!c.closed) c.close();
    });
  }

  /** Forgets a client: subscriptions, watches, blocking, MONITOR. */
  onClientClosed(c: Client): void {
    this.clients.delete(c.id);
    this.monitors.delete(c);
    this.pausedClients.delete(c);
    if (c.blocked !== null) {
      const b = c.blocked;
      if (b.timer) clearTimeout(b.timer);
      b.cleanup?.(c);
      c.blocked = null;
    }
    this.watches.unwatchAll(c);
    this.pubsub.removeClient(c);
    for (const fn of this.clientCloseHooks) fn(c);
  }

  /** Subsystems that keep per-client state (replication, tracking) register here. */
  readonly clientCloseHooks: Array<(c: Client) => void> = [];

  /** Starts listening on the configured addresses and port. Resolves with the bound port. */
  async listen(): Promise<number> {
    const boundPort = await this.openListeners();
    this.config.set('port', [String(boundPort)]);
    this.startCron();
    return boundPort;
  }

  /**
   * CONFIG SET port/bind: closes the listening sockets and opens the
   * configured ones (connected clients stay). Throws, listening nowhere, on
   * failure: the caller restores the old settings and calls it again.
   */
  async relisten(): Promise<number> {
    for (const l of this.listeners) l.close();
    this.listeners = [];
    try {
      return await this.openListeners();
    } catch (err) {
      for (const l of this.listeners) l.close();
      this.listeners = [];
      throw err;
    }
  }

  /** Opens a listening socket per `bind` address on `port`; returns the bound port. */
  private async openListeners(): Promise<number> {
    const port = this.config.getInt('port');
    const binds = this.config
      .get('bind')
      .split(' ')
      .filter((b) => b !== '')
      .map((b) => (b.startsWith('-') ? { addr: b.slice(1), optional: true } : { addr: b, optional: false }));
    let boundPort = port;
    for (const { addr, optional } of binds) {
      const host = addr === '*' ? '0.0.0.0' : addr === '::*' ? '::' : addr;
      const srv = net.createServer({ noDelay: true }, (s) => this.accept(s));
      srv.maxConnections = this.config.getInt('maxclients') + 32;
      try {
        await new Promise<void>((resolve, reject) => {
          srv.once('error', reject);
          srv.listen({ host, port: boundPort, backlog: this.config.getInt('tcp-backlog'), ipv6Only: host.includes(':') }, () => {
            srv.removeListener('error', reject);
            resolve();
          });
        });
      } catch (err) {
        if (optional) continue;
        throw new Error(`Could not create server TCP listening socket ${addr}:${boundPort}: ${(err as Error).message}`);
      }
      boundPort = (srv.address() as net.AddressInfo).port;
      this.listeners.push(srv);
    }
    if (this.listeners.length === 0) throw new Error(`Failed listening on port ${port} (tcp), aborting.`);
    return boundPort;
  }

  // ---------------------------------------------------------------- cron

  private startCron(): void {
    const tick = () => {
      this.cron();
      const hz = Math.max(1, Math.min(500, this.config.getInt('hz')));
      this.cronTimer = setTimeout(tick, 1000 / hz);
      this.cronTimer.unref?.();
    };
    this.cronTimer = setTimeout(tick, 100);
  }

  private cronCount = 0;
  /** DEBUG SET-ACTIVE-EXPIRE 0 turns the background expiry off (keys then expire only when accessed). */
  activeExpireEnabled = true;

  /** Periodic duties: active expiry, idle client timeouts, rehashing, stats. */
  cron(): void {
    this.clock = Date.now();
    this.cronCount++;
    // Nothing touches the keyspace while a suspended script holds it (see busyScript).
    if (!this.isReplica && this.activeExpireEnabled && this.busyScript === null) this.activeExpireCycle();
    for (const db of this.dbs) {
      db.keys.rehashStep(64);
      db.expires.rehashStep(64);
    }
    this.stats.sample(this.clock);
    if (this.cronCount % 10 === 0) this.closeIdleClients();
    if (this.busyScript === null) for (const fn of this.cronHooks) fn();
  }

  /** Subsystems with periodic work (persistence save points, replication pings) register here. */
  readonly cronHooks: Array<() => void> = [];

  /**
   * Reclaims expired keys nobody reads: walks each database's TTL table a
   * bucket at a time, repeating while many sampled keys were expired, within
   * a small time budget so other clients never wait long.
   */
  activeExpireCycle(budgetMs = 2 + this.config.getInt('active-expire-effort')): void {
    const deadline = performance.now() + budgetMs;
    const now = Date.now();
    let timedOut = false;
    let stale = false;
    // Resume at the database where the previous cycle ran out of time, so every database gets its turn.
    const ndb = this.dbs.length;
    for (let d = 0; d < ndb; d++) {
      const dbIndex = (this.expireDbIndex + d) % ndb;
      const db = this.dbs[dbIndex];
      if (db.expires.size === 0) continue;
      for (;;) {
        let sampled = 0;
        let expired = 0;
        let ttlSum = 0;
        let ttlCount = 0;
        const due: string[] = [];
        do {
          db.expireCursor = db.expires.scan(db.expireCursor, (key, when) => {
            sampled++;
            if (when < now) due.push(key); // as Redis: expired only once now is strictly past the time
            else {
              ttlSum += when - now;
              ttlCount++;
            }
          });
        } while (sampled < 20 && db.expireCursor !== 0);
        for (const key of due) {
          // Each reclaimed key is its own unit downstream: a plain DEL, never wrapped in MULTI.
          this.callDepth++;
          this.cmdTime = now;
          try {
            if (db.expireIfNeeded(key)) expired++;
          } finally {
            this.callDepth--;
          }
          this.flushPropagation();
        }
        if (ttlCount > 0) {
          const avg = ttlSum / ttlCount;
          db.avgTtl = db.avgTtl === 0 ? avg : (db.avgTtl / 50) * 49 + avg / 50;
        }
        stale = expired * 10 >= sampled && sampled > 0;
        if (db.expireCursor === 0 || !stale || performance.now() > deadline) break;
      }
      if (performance.now() > deadline) {
        timedOut = true;
        this.expireDbIndex = dbIndex;
        break;
      }
    }
    // Out of time with many keys still expired: short extra cycles soon, with I/O served in between
    // (as Redis's fast cycles in beforeSleep), rather than one long stall.
    if (timedOut && stale && this.expireFastTimer === null && this.cronTimer !== null) {
      this.expireFastTimer = setTimeout(() => {
        this.expireFastTimer = null;
        if (this.cronTimer !== null && !this.isReplica && this.activeExpireEnabled && this.busyScript === null) this.activeExpireCycle(1);
      }, 2);
      this.expireFastTimer.unref?.();
    }
  }

  /** Where the next active expire cycle starts, and the pending fast cycle. */
  private expireDbIndex = 0;
  private expireFastTimer: NodeJS.Timeout | null = null;

  private closeIdleClients(): void {
    const timeout = this.config.getInt('timeout');
    if (timeout <= 0) return;
    const now = Date.now();
    for (const c of this.clients.values()) {
      if (c.kind === 'replica' || c.kind === 'master' || c.blocked !== null || c.inPubSubMode) continue;
      if (now - c.lastInteraction > timeout * 1000) {
        this.log.verbose('Closing idle client');
        c.close();
      }
    }
  }

  // ---------------------------------------------------------------- shutdown

  /** Hooks run before shutdown (final save); a hook returning an error text aborts it. */
  readonly shutdownHooks: Array<(opts: { save: boolean | undefined; force: boolean }) => string | null> = [];

  /**
   * Stops the server: runs shutdown hooks (a final save unless NOSAVE),
   * closes clients and listeners. Returns an error text when aborted.
   */
  shutdown(opts: { save?: boolean; force?: boolean } = {}): string | null {
    if (this.shuttingDown) return null;
    for (const hook of this.shutdownHooks) {
      const err = hook({ save: opts.save, force: opts.force ?? false });
      if (err !== null && !opts.force) return err;
    }
    this.shuttingDown = true;
    this.log.warn('Redis is now ready to exit, bye bye...');
    this.close();
    this.onShutdown?.();
    return null;
  }

  /** Closes listeners and clients (no save). */
  close(): void {
    if (this.cronTimer) clearTimeout(this.cronTimer);
    this.cronTimer = null;
    if (this.pause) clearTimeout(this.pause.timer);
    for (const l of this.listeners) l.close();
    this.listeners = [];
    for (const c of [...this.clients.values()]) {
      c.flush();
      c.close();
      c.socket?.destroy();
    }
    for (const fn of this.closeHooks) fn();
  }

  readonly closeHooks: Array<() => void> = [];

  // ---------------------------------------------------------------- helpers for commands

  /** The database with index `i`, or undefined when out of range. */
  db(i: number): Database | undefined {
    return this.dbs[i];
  }

  uptimeSeconds(): number {
    return Math.floor((Date.now() - this.startTime) / 1000);
  }
}

/** Whether a peer address is the loopback interface (127.0.0.0/8, ::1, and their IPv4-mapped forms). */
export function isLoopbackAddress(addr: string | undefined): boolean {
  if (addr === undefined) return true;
  if (addr.startsWith('::ffff:')) addr = addr.slice(7);
  return addr === '::1' || addr.startsWith('127.');
}

/** What a non-loopback client gets in protected mode (Redis 7.0's text). */
export const PROTECTED_MODE_DENIED =
  '-DENIED Redis is running in protected mode because protected mode is enabled and no password is set for the default user. ' +
  'In this mode connections are only accepted from the loopback interface. ' +
  'If you want to connect from external computers to Redis you may adopt one of the following solutions: ' +
  "1) Just disable protected mode sending the command 'CONFIG SET protected-mode no' from the loopback interface by connecting to Redis from the same host the server is running, " +
  'however MAKE SURE Redis is not publicly accessible from internet if you do so. Use CONFIG REWRITE to make this change permanent. ' +
  "2) Alternatively you can just disable the protected mode by editing the Redis configuration file, and setting the protected mode option to 'no', and then restarting the server. " +
  "3) If you started the server manually just for testing, restart it with the '--protected-mode no' option. " +
  '4) Setup a an authentication password for the default user. ' +
  'NOTE: You only need to do one of the above things in order for the server to start accepting connections from the outside.\r\n';

/** Redis's text for an unknown command: the name and the first arguments, 128 chars at most. */
function unknownCommandError(argv: string[]): string {
  let args = '';
  for (let i = 1; i < argv.length && args.length < 128; i++) {
    args += `'${argv[i].slice(0, 128 - args.length)}' `;
  }
  return `ERR unknown command '${argv[0].slice(0, 128)}', with args beginning with: ${args}`;
}

/** MONITOR shows arguments quoted with C-style escapes, as sdscatrepr does. */
export function escapeMonitorArg(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    const code = s.charCodeAt(i);
    switch (ch) {
      case '\\':
        out += '\\\\';
        break;
      case '"':
        out += '\\"';
        break;
      case '\n':
        out += '\\n';
        break;
      case '\r':
        out += '\\r';
        break;
      case '\t':
        out += '\\t';
        break;
      case '\x07':
        out += '\\a';
        break;
      case '\b':
        out += '\\b';
        break;
      default:
        if (code >= 32 && code < 127) out += ch;
        else out += '\\x' + code.toString(16).padStart(2, '0');
    }
  }
  return out;
}
