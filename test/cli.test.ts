/**
 * The tsredis-server command line, run as a child process (from dist/, built
 * by `npx tsc -p .`): --version, --help, fatal config errors compared with
 * redis-server's own, config file plus overrides, signals, pid and log files.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { freePort, redisServerAvailable, startTsredisProcess } from './helpers/servers';
import { RawConnection } from './helpers/resp';

const ROOT = path.join(__dirname, '..');
const BIN = path.join(ROOT, 'bin', 'tsredis-server');
const haveRedis = redisServerAvailable();

interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command that is expected to exit quickly (config errors, --version). */
function run(cmd: string, args: string[], opts: { input?: string; cwd?: string } = {}): RunResult {
  const r = spawnSync(cmd, args, { input: opts.input, cwd: opts.cwd, encoding: 'utf8', timeout: 10000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const tsredis = (args: string[], opts: { input?: string; cwd?: string } = {}) => run(process.execPath, [BIN, ...args], opts);
const redis = (args: string[], opts: { input?: string; cwd?: string } = {}) => run('redis-server', args, opts);

let tmp: string;

beforeAll(() => {
  // The binary runs the compiled code: build it if this checkout has not been built.
  if (!fs.existsSync(path.join(ROOT, 'dist', 'main.js'))) {
    spawnSync(process.execPath, [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', ROOT], { stdio: 'ignore' });
  }
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tsredis-cli-'));
}, 120000);

afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('informational flags', () => {
  it('--version prints a Redis-style version line and exits 0', () => {
    for (const flag of ['--version', '-v']) {
      const r = tsredis([flag]);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^Redis server v=7\.0\.15 sha=00000000:0 malloc=libc bits=64 build=[0-9a-f]+ tsredis=\d+\.\d+\.\d+ node=v\d+/);
      expect(r.stdout.endsWith('\n')).toBe(true);
    }
  });

  it('--help prints the usage on stderr and exits 1, like redis-server', () => {
    const r = tsredis(['--help']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^Usage: \.\/tsredis-server \[\/path\/to\/redis\.conf\] \[options\] \[-\]\n/);
    expect(r.stderr).toContain('./tsredis-server --port 7777 --replicaof 127.0.0.1 8888');
    expect(tsredis(['-h']).stderr).toBe(r.stderr);
    if (haveRedis) expect(redis(['--help']).code).toBe(1);
  });
});

describe('fatal configuration errors', () => {
  const cases: string[][] = [
    ['--port', 'abc'],
    ['--foo', 'bar'],
    ['--port'],
    ['--port', '1', '2'],
    ['--maxmemory', '10x'],
    ['--loglevel', 'loud'],
    ['--daemonize', 'maybe'],
    ['--save', '100', '1', '--save', '200'],
    ['--notify-keyspace-events', 'Q'],
    ['--port', '70000'],
    ['--port', '-1'],
    ['--replicaof', 'a'],
    ['--client-output-buffer-limit', 'normal', '1', '2'],
    ['--dbfilename', 'a/b'],
    ['--appendfilename', ''],
    ['--requirepass'],
    ['--port', '0', '--port', '12x'],
    ['--save', '--port', 'abc'],
    ['--port 1', '--foo'],
    ['--bind', '1.2.3.4', '--port'],
    ['--timeout', '"quoted"'],
    ['--maxmemory', 'a b'],
    ['--list-max-listpack-size', '2147483648'],
    ['--maxclients', '0'],
    ['--hz', 'x', '--port', '1'],
  ];
  for (const args of cases) {
    it(`tsredis-server ${args.join(' ')}`, () => {
      const ours = tsredis(args);
      expect(ours.code).toBe(1);
      expect(ours.stderr).toMatch(/\*\*\* FATAL CONFIG FILE ERROR \(Redis 7\.0\.15\) \*\*\*/);
      if (haveRedis) {
        const theirs = redis(args);
        expect(ours.stderr).toBe(theirs.stderr);
        expect(ours.code).toBe(theirs.code);
      }
    });
  }

  it('reports errors in a config file with its line numbers, then the command line after it', () => {
    const file = path.join(tmp, 'bad.conf');
    const files: Array<[string, string[]]> = [
      ['port 7000\nfoo bar\n', []],
      ['  port   "abc"  \n', []],
      ['port "abc\n', []],
      ['# comment\n\nmaxmemory 1gb\n', ['--foo', 'bar']],
      ['port 7000\nloglevel notice', ['--foo', 'bar']],
      ['save 100 1\nsave 200\n', []],
      ['port 1\nrename-command nosuch x\n', []],
      ['rename-command get x\nrename-command set x\n', []],
    ];
    for (const [text, extra] of files) {
      fs.writeFileSync(file, text);
      const ours = tsredis([file, ...extra]);
      expect(ours.code, text).toBe(1);
      if (haveRedis) expect(ours.stderr, text).toBe(redis([file, ...extra]).stderr);
    }
  });

  it('says when the config file cannot be opened', () => {
    const r = tsredis(['/nonexistent/redis.conf']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^\d+:C \d\d \w{3} \d{4} \d\d:\d\d:\d\d\.\d{3} # Fatal error, can't open config file '\/nonexistent\/redis\.conf': No such file or directory\n$/);
    if (haveRedis) {
      const theirs = redis(['/nonexistent/redis.conf']);
      expect(theirs.stdout.replace(/^\d+:C [^#]+# /, '')).toBe(r.stdout.replace(/^\d+:C [^#]+# /, ''));
    }
  });

  it('refuses to start when told to listen nowhere', () => {
    const r = tsredis(['--bind', '', '--save', '']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('Configured to not listen anywhere, exiting.');
  });
});

/** Spawns tsredis-server with exactly these arguments and waits until `port` accepts connections. */
async function spawnServer(args: string[], port: number): Promise<ReturnType<typeof spawn>> {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) throw new Error(`server exited: ${out}`);
    const conn = await RawConnection.connect(port).catch(() => null);
    if (conn !== null) {
      conn.close();
      return child;
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  child.kill('SIGKILL');
  throw new Error(`server did not start: ${out}`);
}

async function waitExit(child: ReturnType<typeof spawn>, ms = 5000): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('process did not exit')), ms);
    child.once('exit', (code) => {
      clearTimeout(t);
      resolve(code);
    });
  });
}

describe('running the server', () => {
  it('starts from a config file with command-line overrides', async () => {
    const file = path.join(tmp, 'good.conf');
    const port = await freePort();
    fs.writeFileSync(file, `# test config\nport 1\nbind 127.0.0.1\nsave ""\nmaxmemory 1mb\nhz 15\ntimeout 7\n`);
    const p = await spawnServer([file, '--port', String(port), '--hz', '20'], port);
    try {
      const conn = await RawConnection.connect(port);
      expect(await conn.call('CONFIG', 'GET', 'port')).toBe(`*2\r\n$4\r\nport\r\n$${String(port).length}\r\n${port}\r\n`);
      expect(await conn.call('CONFIG', 'GET', 'maxmemory')).toBe('*2\r\n$9\r\nmaxmemory\r\n$7\r\n1048576\r\n');
      expect(await conn.call('CONFIG', 'GET', 'hz')).toBe('*2\r\n$2\r\nhz\r\n$2\r\n20\r\n');
      expect(await conn.call('CONFIG', 'GET', 'timeout')).toBe('*2\r\n$7\r\ntimeout\r\n$1\r\n7\r\n');
      const info = await conn.call('INFO', 'server');
      expect(info).toContain(`config_file:${file}\r\n`);
      conn.close();
    } finally {
      p.kill('SIGKILL');
    }
  });

  it('applies rename-command', async () => {
    const file = path.join(tmp, 'rename.conf');
    const port = await freePort();
    fs.writeFileSync(file, `port ${port}\nbind 127.0.0.1\nsave ""\nrename-command flushall ""\nrename-command CONFIG my-config\n`);
    const p = await spawnServer([file], port);
    try {
      const conn = await RawConnection.connect(port);
      expect(await conn.call('FLUSHALL')).toBe("-ERR unknown command 'FLUSHALL', with args beginning with: \r\n");
      expect(await conn.call('CONFIG', 'GET', 'hz')).toBe("-ERR unknown command 'CONFIG', with args beginning with: 'GET' 'hz' \r\n");
      expect(await conn.call('MY-CONFIG', 'GET', 'hz')).toBe('*2\r\n$2\r\nhz\r\n$2\r\n10\r\n');
      conn.close();
    } finally {
      p.kill('SIGKILL');
    }
  });

  it('reads the configuration from stdin with -', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, [BIN, '-', '--save', ''], { stdio: ['pipe', 'pipe', 'pipe'] });
    child.stdin!.end(`port ${port}\nbind 127.0.0.1\nmaxmemory 2mb\n`);
    let out = '';
    child.stdout!.on('data', (d) => (out += d));
    try {
      let conn: RawConnection | null = null;
      for (let i = 0; i < 100 && conn === null; i++) {
        conn = await RawConnection.connect(port).catch(() => null);
        if (conn === null) await new Promise((r) => setTimeout(r, 50));
      }
      expect(conn, out).not.toBeNull();
      expect(await conn!.call('CONFIG', 'GET', 'maxmemory')).toBe('*2\r\n$9\r\nmaxmemory\r\n$7\r\n2097152\r\n');
      expect(out).toContain('Reading config from stdin');
      conn!.close();
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('shuts down cleanly on SIGTERM, writing and removing its pid file', async () => {
    const pidfile = path.join(tmp, 'tsredis.pid');
    const p = await startTsredisProcess(['--pidfile', pidfile]);
    expect(fs.readFileSync(pidfile, 'utf8')).toBe(`${p.child.pid}\n`);
    const conn = await RawConnection.connect(p.port);
    expect(await conn.call('PING')).toBe('+PONG\r\n');
    p.child.kill('SIGTERM');
    expect(await waitExit(p.child)).toBe(0);
    await conn.waitClosed();
    expect(fs.existsSync(pidfile)).toBe(false);
    expect(p.output()).toContain('Received SIGTERM scheduling shutdown...');
    expect(p.output()).toContain('ready to exit, bye bye');
  });

  it('exits when a client sends SHUTDOWN, closing the other clients', async () => {
    const p = await startTsredisProcess([]);
    const a = await RawConnection.connect(p.port);
    const b = await RawConnection.connect(p.port);
    expect(await b.call('PING')).toBe('+PONG\r\n');
    a.write('*2\r\n$8\r\nSHUTDOWN\r\n$6\r\nNOSAVE\r\n');
    expect(await waitExit(p.child)).toBe(0);
    await a.waitClosed();
    await b.waitClosed();
    expect(a.pending).toBe('');
  });

  it('writes JSON log lines to the logfile at the configured level', async () => {
    const logfile = path.join(tmp, 'server.log');
    const p = await startTsredisProcess(['--logfile', logfile, '--loglevel', 'warning', '--enable-debug-command', 'yes']);
    try {
      const conn = await RawConnection.connect(p.port);
      expect(await conn.call('DEBUG', 'LOG', 'marker-one')).toBe('+OK\r\n');
      expect(await conn.call('CONFIG', 'SET', 'loglevel', 'debug')).toBe('+OK\r\n');
      expect(await conn.call('CONFIG', 'GET', 'logfile')).toBe(`*2\r\n$7\r\nlogfile\r\n$${logfile.length}\r\n${logfile}\r\n`);
      expect(await conn.call('CONFIG', 'SET', 'logfile', '/tmp/other.log')).toBe(
        "-ERR CONFIG SET failed (possibly related to argument 'logfile') - can't set immutable config\r\n",
      );
      conn.close();
      const lines = fs
        .readFileSync(logfile, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { level: number; msg: string; pid: number });
      expect(lines.some((l) => l.msg.includes('tsredis is starting'))).toBe(true);
      expect(lines.some((l) => l.msg === 'DEBUG LOG: marker-one' && l.level === 40 && l.pid === p.child.pid)).toBe(true);
      // loglevel warning hides notice lines such as "Ready to accept connections".
      expect(lines.some((l) => l.msg === 'Ready to accept connections')).toBe(false);
      expect(p.output()).toBe('');
    } finally {
      await p.stop();
    }
  });

  it('daemonizes: the launcher exits 0 and the detached server writes its pid file', async () => {
    const port = await freePort();
    const pidfile = path.join(tmp, 'daemon.pid');
    const r = tsredis(['--daemonize', 'yes', '--port', String(port), '--bind', '127.0.0.1', '--save', '', '--pidfile', pidfile]);
    expect(r.code).toBe(0);
    let pid = 0;
    try {
      for (let i = 0; i < 200 && pid === 0; i++) {
        if (fs.existsSync(pidfile)) pid = Number(fs.readFileSync(pidfile, 'utf8'));
        else await new Promise((res) => setTimeout(res, 25));
      }
      expect(pid).toBeGreaterThan(0);
      const conn = await RawConnection.connect(port);
      expect(await conn.call('CONFIG', 'GET', 'daemonize')).toBe('*2\r\n$9\r\ndaemonize\r\n$3\r\nyes\r\n');
      conn.close();
    } finally {
      if (pid > 0) process.kill(pid, 'SIGTERM');
    }
    for (let i = 0; i < 200 && fs.existsSync(pidfile); i++) await new Promise((res) => setTimeout(res, 25));
    expect(fs.existsSync(pidfile)).toBe(false);
  });

  it('fails to start on a port in use, as redis-server does', async () => {
    const p = await startTsredisProcess([]);
    try {
      const r = tsredis(['--port', String(p.port), '--bind', '127.0.0.1', '--save', '']);
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/Could not create server TCP listening socket 127\.0\.0\.1:\d+/);
    } finally {
      await p.stop();
    }
  });
});
