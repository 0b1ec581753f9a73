/** Starting servers for tests: tsredis in-process, real redis-server as a child process. */
import * as net from 'node:net';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { Config } from '../../src/config/config';
import { Server, REDIS_VERSION } from '../../src/server/server';
import { Logger } from '../../src/server/log';

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
