/** Starting servers for tests: tsredis in-process, real redis-server as a child process. */
import * as net from 'node:net';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { beforeAll, afterAll } from 'vitest';
import { Config } from '../../src/config/config';
import { Server, REDIS_VERSION } from '../../src/server/server';
import { Logger } from '../../src/server/log';
import { RawConnection } from './resp';

export interface RunningServer {
  port: number;
  stop(): Promise<void>;
}

export interface TsredisHandle extends RunningServer {
  server: Server;
}

/** Starts tsredis in this process on a free loopback port. `directives` are config lines, e.g. ['save ""']. */
export async function startTsredis(directives: string[] = [], opts: { dir?: string } = {}): Promise<TsredisHandle> {
  const config = new Config();
  const dir = opts.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'tsredis-test-'));
  config.load(['port 0', 'bind 127.0.0.1', 'save ""', 'enable-debug-command yes', `dir "${dir}"`, ...directives].join('\n'), REDIS_VERSION);
  const server = new Server(config, new Logger({ level: 'warning', pretty: false, file: path.join(dir, 'tsredis.log') }));
  const port = await server.listen();
  return {
    port,
    server,
    async stop() {
      server.close();
    },
  };
}

export function redisServerAvailable(): boolean {
  const r = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  return r.status === 0;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
    s.once('error', reject);
  });
}

async function waitForPort(port: number, child: ChildProcess, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`process exited with ${child.exitCode}`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.createConnection({ port, host: '127.0.0.1' }, () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 30));
  }
  throw new Error(`port ${port} did not open`);
}

/** Starts the real redis-server on a free loopback port, without persistence; null when not installed. */
export async function startRealRedis(extra: string[] = []): Promise<(RunningServer & { child: ChildProcess }) | null> {
  if (!redisServerAvailable()) return null;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'real-redis-'));
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    const child = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--enable-debug-command', 'yes', ...extra],
      { stdio: 'ignore' },
    );
    try {
      await waitForPort(port, child);
    } catch {
      child.kill('SIGKILL');
      continue;
    }
    return {
      port,
      child,
      stop: () =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGKILL');
        }),
    };
  }
  throw new Error('could not start redis-server');
}

/** Starts the compiled tsredis-server binary as a child process. */
export async function startTsredisProcess(args: string[] = []): Promise<RunningServer & { child: ChildProcess; output: () => string }> {
  const port = await freePort();
  let output = '';
  const bin = path.join(__dirname, '..', '..', 'bin', 'tsredis-server');
  const child = spawn(process.execPath, [bin, '--port', String(port), '--bind', '127.0.0.1', '--save', '', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  await waitForPort(port, child);
  return {
    port,
    child,
    output: () => output,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      }),
  };
}


/** tsredis and the real redis-server side by side, for differential tests. */
export interface ServerPair {
  /** tsredis, in process. */
  readonly ours: TsredisHandle;
  /** The real redis-server; throws when it is not installed (use in a `describe.skipIf(!redisServerAvailable())` block, or check `real`). */
  readonly theirs: RunningServer;
  /** The real redis-server, or null when it is not installed. */
  readonly real: RunningServer | null;
}

/** A ServerPair with one open connection to each server. */
export interface ConnectedPair extends ServerPair {
  /** A connection to tsredis. */
  readonly a: RawConnection;
  /** A connection to the real redis-server; throws when it is not installed. */
  readonly b: RawConnection;
  /** Sends one command on both connections; the raw replies, [tsredis's, real Redis's]. */
  both(...argv: string[]): Promise<[string, string]>;
}

export interface PairOptions {
  /** Config directives for tsredis, e.g. ['set-max-intset-entries 8']. */
  ours?: string[];
  /** Command line arguments for redis-server, e.g. ['--set-max-intset-entries', '8']. */
  theirs?: string[];
}

/**
 * Starts tsredis and (when installed) the real redis-server in `beforeAll` of
 * the calling describe block, and stops both in its `afterAll`. Call it at the
 * top of the block; read the servers through the returned getters in tests.
 */
export function bothServers(opts: PairOptions = {}): ServerPair {
  return startPair(opts, false);
}

/** As bothServers, with a connection to each server, opened once they run and closed before they stop. */
export function connectedServers(opts: PairOptions = {}): ConnectedPair {
  return startPair(opts, true);
}

function startPair(opts: PairOptions, connect: boolean): ConnectedPair {
  let ours: TsredisHandle | undefined;
  let real: RunningServer | null = null;
  let a: RawConnection | undefined;
  let b: RawConnection | undefined;
  beforeAll(async () => {
    ours = await startTsredis(opts.ours);
    real = await startRealRedis(opts.theirs);
    if (connect) {
      a = await RawConnection.connect(ours.port);
      if (real) b = await RawConnection.connect(real.port);
    }
  });
  afterAll(async () => {
    a?.close();
    b?.close();
    await ours?.stop();
    await real?.stop();
  });
  const need = <T>(v: T | null | undefined, what: string): T => {
    if (v === null || v === undefined) throw new Error(`${what} is not available (redis-server not installed, or used outside the describe block)`);
    return v;
  };
  return {
    get ours() {
      return need(ours, 'tsredis');
    },
    get theirs() {
      return need(real, 'the real redis-server');
    },
    get real() {
      return real;
    },
    get a() {
      return need(a, 'the connection to tsredis');
    },
    get b() {
      return need(b, 'the connection to redis-server');
    },
    both(...argv: string[]): Promise<[string, string]> {
      return Promise.all([need(a, 'the connection to tsredis').call(...argv), need(b, 'the connection to redis-server').call(...argv)]);
    },
  };
}

/** tsredis with one connection and a record of every command it propagates. */
export interface RecordingServer {
  readonly server: Server;
  readonly port: number;
  /** A connection to the server. */
  readonly conn: RawConnection;
  /** What reached the propagation targets (AOF, replicas): [db, argv], in order. Clear it with `fed.length = 0`. */
  readonly fed: Array<[number, string[]]>;
}

/**
 * Starts tsredis (with config `directives`) in `beforeAll` of the calling
 * describe block, records what it propagates, and stops it in `afterAll`.
 */
export function recordingServer(directives: string[] = []): RecordingServer {
  let h: TsredisHandle | undefined;
  let conn: RawConnection | undefined;
  const fed: Array<[number, string[]]> = [];
  beforeAll(async () => {
    h = await startTsredis(directives);
    h.server.propagationTargets.push({ feed: (db, argv) => fed.push([db, [...argv]]) });
    conn = await RawConnection.connect(h.port);
  });
  afterAll(async () => {
    conn?.close();
    await h?.stop();
  });
  const started = (): TsredisHandle => {
    if (h === undefined) throw new Error('the server runs only inside its describe block');
    return h;
  };
  return {
    get server() {
      return started().server;
    },
    get port() {
      return started().port;
    },
    get conn() {
      started();
      return conn!;
    },
    fed,
  };
}
