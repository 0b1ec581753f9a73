/**
 * A connected client: its socket, query parser, selected database, protocol
 * version and the states Redis keeps per client (MULTI, subscriptions,
 * blocking, MONITOR, reply mode). Replies accumulate in `out` and leave in one
 * socket write per batch of input.
 */
import type { Socket } from 'node:net';
import { ReplyWriter } from '../protocol/reply';
import { ProtocolError, RequestParser } from '../protocol/parser';
import type { Database } from '../store/db';
import type { Server } from './server';
import type { Command } from '../commands/types';

export interface QueuedCommand {
  cmd: Command;
  argv: string[];
}

export interface MultiState {
  queue: QueuedCommand[];
  /** A queueing error happened: EXEC answers EXECABORT. */
  dirty: boolean;
}

/** What a blocked client waits for; the blocking module owns the details. */
export interface BlockState {
  kind: 'keys' | 'pause' | 'script' | 'wait' | 'sleep';
  /** Absolute ms time of timeout; 0 = forever. */
  timeout: number;
  timer?: NodeJS.Timeout;
  /** Called when the client is unblocked by CLIENT UNBLOCK, timeout or disconnection. */
  onTimeout?: (c: Client) => void;
  onUnblockError?: (c: Client) => void;
  cleanup?: (c: Client) => void;
  /** Opaque data of the module that blocked the client. */
  data?: unknown;
}

export type ReplyMode = 'on' | 'off' | 'skip';

/** The most the output may hold before the client stops reading (backpressure). */
const OUTPUT_HIGH_WATER = 4 * 1024 * 1024;

export class Client extends ReplyWriter {
  readonly id: number;
  db: Database;
  name = '';
  libName = '';
  libVer = '';
  authenticated: boolean;
  user = 'default';
  readonly createdAt = Date.now();
  lastInteraction = Date.now();
  lastCommand = 'NULL';
  multi: MultiState | null = null;
  /** Keys this client WATCHes, as "dbid\0key"; the watch registry keeps the reverse map. */
  watched: Set<string> | null = null;
  /** Set when a watched key changed: EXEC will fail. */
  dirtyCas = false;
  channels: Set<string> | null = null;
  patterns: Set<string> | null = null;
  shardChannels: Set<string> | null = null;
  blocked: BlockState | null = null;
  /** Blocking commands must answer at once (inside EXEC, in scripts): Redis's CLIENT_DENY_BLOCKING. */
  denyBlocking = false;
  monitor = false;
  replyMode: ReplyMode = 'on';
  /** CLIENT NO-EVICT / NO-TOUCH. */
  noEvict = false;
  noTouch = false;
  /** Kind for client-output-buffer-limit and CLIENT LIST flags. */
  kind: 'normal' | 'replica' | 'master' | 'pubsub' | 'lua' = 'normal';
  /** Close once pending replies are written (QUIT, protocol errors, kill). */
  closeAfterReply = false;
  closed = false;
  /** True for the pseudo client that runs Lua's redis.call (no socket). */
  readonly isScriptClient: boolean;
  /** Total input and output bytes, for CLIENT LIST / INFO. */
  netInput = 0;
  netOutput = 0;
  /** The command being executed, for CLIENT LIST and error stats. */
  currentCommand: Command | null = null;
  /** Set when the current command replied with an error (failed_calls). */
  commandFailed = false;
  readonly parser: RequestParser;
  readonly addr: string;
  readonly laddr: string;
  private paused = false;
  /** Whether this client is already queued for a flush by the server. */
  flushQueued = false;
  /** A command held back by CLIENT PAUSE, run when the pause ends. */
  heldArgv: string[] | null = null;
  /** When the output first exceeded the soft client-output-buffer-limit (0: not over it). */
  softLimitSince = 0;

  constructor(
    readonly server: Server,
    readonly socket: Socket | null,
    id: number,
  ) {
    super();
    this.id = id;
    this.db = server.dbs[0];
    this.authenticated = !server.authRequired();
    this.isScriptClient = socket === null;
    this.addr = socket ? formatAddr(socket.remoteAddress, socket.remotePort) : '';
    this.laddr = socket ? formatAddr(socket.localAddress, socket.localPort) : '';
    this.parser = new RequestParser({
      protoMaxBulkLen: server.config.protoMaxBulkLen,
      unauthenticated: () => !this.authenticated,
    });
  }

  get inPubSubMode(): boolean {
    return (this.channels?.size ?? 0) + (this.patterns?.size ?? 0) + (this.shardChannels?.size ?? 0) > 0;
  }

  get subscriptionCount(): number {
    return (this.channels?.size ?? 0) + (this.patterns?.size ?? 0);
  }

  protected override onError(msg: string): void {
    this.commandFailed = true;
    this.server.stats.recordError(msg);
  }

  /** Handles a chunk from the socket: parse, execute what is complete, reply. */
  onData(chunk: Buffer): void {
    this.netInput += chunk.length;
    this.server.stats.netInputBytes += chunk.length;
    this.parser.limits.protoMaxBulkLen = this.server.config.protoMaxBulkLen;
    this.parser.feed(chunk);
    this.processInput();
    if (!this.closed && this.parser.pendingBytes > this.server.config.clientQueryBufferLimit) {
      this.server.log.warn(`Closing client that reached max query buffer length: id=${this.id} addr=${this.addr} qbuf=${this.parser.pendingBytes}`);
      this.close();
    }
  }

  /** Runs complete commands from the query buffer until it is empty or the client blocks. */
  processInput(): void {
    const server = this.server;
    server.batchClock = performance.now();
    while (!this.closed && this.blocked === null && !this.closeAfterReply) {
      if (server.pausedFor(this)) break;
      let argv: string[] | null;
      try {
        argv = this.parser.next();
      } catch (err) {
        if (err instanceof ProtocolError) {
          this.error('ERR ' + err.message);
          server.log.verbose(`Protocol error (${err.message}) from client: id=${this.id} addr=${this.addr}`);
          this.closeAfterReply = true;
          break;
        }
        throw err;
      }
      if (argv === null) break;
      this.lastInteraction = server.clock;
      server.processCommand(this, argv);
    }
    this.flush();
  }

  /** Sends what has accumulated in `out`. */
  flush(): void {
    this.flushQueued = false;
    const socket = this.socket;
    if (socket === null || this.closed) return;
    if (this.out.length > 0) {
      const data = this.out;
      this.out = '';
      this.netOutput += data.length;
      this.server.stats.netOutputBytes += data.length;
      socket.write(data, 'latin1');
      if (!this.paused && socket.writableLength > OUTPUT_HIGH_WATER) {
        this.paused = true;
        socket.pause();
        socket.once('drain', () => {
          this.paused = false;
          if (!this.closed) socket.resume();
        });
      }
    }
    if (this.closeAfterReply) this.close();
  }

  /** Bytes waiting to be sent (CLIENT LIST omem, output buffer limits). */
  get outputBytes(): number {
    return this.out.length + (this.socket?.writableLength ?? 0);
  }

  /** Queues a flush for replies written outside this client's own input processing (pubsub, unblocking, MONITOR). */
  wake(): void {
    if (!this.flushQueued && this.socket !== null) {
      this.flushQueued = true;
      this.server.queueFlush(this);
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.server.onClientClosed(this);
    const socket = this.socket;
    if (socket) {
      if (this.out.length > 0) socket.end(this.out, 'latin1');
      else socket.end();
      this.out = '';
      // A peer that never reads would keep the socket open: destroy after a grace period.
      setTimeout(() => socket.destroy(), 2000).unref();
    }
  }
}

function formatAddr(host: string | undefined, port: number | undefined): string {
  if (!host) return '';
  if (host.startsWith('::ffff:')) host = host.slice(7);
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
