/**
 * redis-cli's tools pointed at tsredis: --pipe mass insertion, --scan,
 * --bigkeys, --stat, --latency, MONITOR, and the interactive prompt with
 * its command hints (built from COMMAND DOCS). Skipped with a notice when
 * redis-cli is not installed.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startTsredis, type TsredisHandle } from './helpers/servers';
import { RawConnection } from './helpers/resp';

const have = (cmd: string, args: string[] = ['--version']) => spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;
const cliAvailable = have('redis-cli');
const stdbufAvailable = have('stdbuf', ['--version']);
const tmuxAvailable = have('tmux', ['-V']);
if (!cliAvailable) console.warn('\n*** redis-cli is not installed: the redis-cli tool tests are SKIPPED ***\n');

interface Done {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs redis-cli asynchronously (the server lives in this process: a synchronous spawn would deadlock). */
function cli(port: number, args: string[], input?: string | Buffer, timeoutMs = 30000): Promise<Done> {
  return new Promise((resolve, reject) => {
    const child = spawn('redis-cli', ['-p', String(port), ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`redis-cli ${args.join(' ')} timed out: ${stdout} ${stderr}`));
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    if (input !== undefined) child.stdin.end(input);
    else child.stdin.end();
  });
}

/** Starts a long-running redis-cli (line-buffered output) and collects its output. */
function cliStream(port: number, args: string[]): { child: ChildProcess; output: () => string } {
  const cmd = stdbufAvailable ? 'stdbuf' : 'redis-cli';
  const full = stdbufAvailable ? ['-oL', 'redis-cli', '-p', String(port), ...args] : ['-p', String(port), ...args];
  const child = spawn(cmd, full, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  return { child, output: () => out };
}

async function waitFor(cond: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGINT');
  });
}

describe.skipIf(!cliAvailable)('redis-cli against tsredis', () => {
  let t: TsredisHandle;
  let admin: RawConnection;
  const exists = async (name: string) => !(await admin.call('COMMAND', 'INFO', name)).startsWith('*1\r\n$-1');

  beforeAll(async () => {
    t = await startTsredis();
    admin = await RawConnection.connect(t.port);
  });
  afterAll(async () => {
    admin.close();
    await t.stop();
  });

  it('runs commands non-interactively, RESP2 and RESP3', async () => {
    expect((await cli(t.port, ['ping'])).stdout).toBe('PONG\n');
    expect((await cli(t.port, ['config', 'get', 'maxmemory'])).stdout).toBe('maxmemory\n0\n');
    const info = await cli(t.port, ['info', 'server']);
    expect(info.stdout).toMatch(/^# Server\r?\nredis_version:7\.0\.15\r?\n/);
    const hello = await cli(t.port, ['-3', 'hello']);
    expect(hello.stdout).toMatch(/^1# "server" => "redis"\n2# "version" => "7\.0\.15"\n3# "proto" => \(integer\) 3\n|server\s+redis\s+version\s+7\.0\.15\s+proto\s+3\s/);
    expect((await cli(t.port, ['client', 'setname', 'a b'])).stdout.trim()).toBe('ERR Client names cannot contain spaces, newlines or special characters.');
  });

  it('--pipe inserts 100000 keys and reports no errors', async () => {
    let input = '';
    for (let i = 0; i < 100000; i++) {
      const k = `mass:${i}`;
      const v = `value-${i}`;
      input += `*3\r\n$3\r\nSET\r\n$${k.length}\r\n${k}\r\n$${v.length}\r\n${v}\r\n`;
    }
    const r = await cli(t.port, ['--pipe'], input, 60000);
    expect(r.stdout).toContain('errors: 0, replies: 100000');
    expect(r.code).toBe(0);
    expect(await admin.call('GET', 'mass:99999')).toBe('$11\r\nvalue-99999\r\n');
    // Errors are counted too.
    const bad = await cli(t.port, ['--pipe'], '*1\r\n$6\r\nNOSUCH\r\n*2\r\n$3\r\nGET\r\n$6\r\nmass:1\r\n');
    expect(bad.stdout).toContain('errors: 1, replies: 2');
    await admin.call('FLUSHALL');
  });

  it('--scan --pattern lists matching keys', async () => {
    if (!(await exists('scan'))) return console.warn('SCAN not implemented yet: --scan skipped');
    await admin.call('DEBUG', 'POPULATE', '2000', 'scan');
    await admin.call('DEBUG', 'POPULATE', '50', 'other');
    const r = await cli(t.port, ['--scan', '--pattern', 'scan:1*']);
    const keys = r.stdout.trim().split('\n').sort();
    const want = Array.from({ length: 2000 }, (_, i) => `scan:${i}`)
      .filter((k) => k.startsWith('scan:1'))
      .sort();
    expect(keys).toEqual(want);
    const all = await cli(t.port, ['--scan']);
    expect(all.stdout.trim().split('\n').length).toBe(2050);
    await admin.call('FLUSHALL');
  });

  it('--bigkeys finds the biggest key of each type', async () => {
    for (const c of ['scan', 'type', 'strlen', 'dbsize']) if (!(await exists(c))) return console.warn(`${c} not implemented yet: --bigkeys skipped`);
    await admin.call('DEBUG', 'POPULATE', '300', 'str', '10');
    await admin.call('SET', 'the-biggest-string', 'x'.repeat(5000));
    const extra: string[] = [];
    if ((await exists('hset')) && (await exists('hlen'))) {
      await admin.call('HSET', 'h1', 'a', '1', 'b', '2', 'c', '3');
      await admin.call('HSET', 'h2', 'a', '1');
      extra.push('Biggest   hash found \'"h1"\' has 3 fields');
    }
    if ((await exists('sadd')) && (await exists('scard'))) {
      await admin.call('SADD', 's1', 'a', 'b');
      extra.push('Biggest    set found \'"s1"\' has 2 members');
    }
    if ((await exists('zadd')) && (await exists('zcard'))) {
      await admin.call('ZADD', 'z1', '1', 'a', '2', 'b', '3', 'c', '4', 'd');
      extra.push('Biggest   zset found \'"z1"\' has 4 members');
    }
    const r = await cli(t.port, ['--bigkeys']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Biggest string found \'"the-biggest-string"\' has 5000 bytes');
    for (const line of extra) expect(r.stdout).toContain(line);
    expect(r.stdout).toMatch(/Sampled \d+ keys in the keyspace!/);
    await admin.call('FLUSHALL');
  });

  it('--memkeys and --bigkeys run over every type without warnings', async () => {
    for (const c of ['scan', 'type', 'memory']) if (!(await exists(c))) return console.warn(`${c} not implemented yet: --memkeys skipped`);
    await admin.call('FLUSHALL');
    await admin.call('DEBUG', 'POPULATE', '500', 'str', '20');
    await admin.call('SET', 'big-string', 'x'.repeat(20000));
    await admin.call('SET', 'raw-int', '12');
    await admin.call('APPEND', 'raw-int', '3');
    const fields: string[] = [];
    for (let i = 0; i < 300; i++) fields.push(`f${i}`, 'v'.repeat(40));
    await admin.call('HSET', 'big-hash', ...fields);
    await admin.call('HSET', 'small-hash', 'a', '1');
    await admin.call('SADD', 'intset', '1', '2', '3');
    await admin.call('SADD', 'big-set', ...Array.from({ length: 1000 }, (_, i) => `member-${i}`));
    await admin.call('EXPIRE', 'big-set', '1000');
    // Lists and sorted sets when their commands exist (another family): --bigkeys asks LLEN / ZCARD.
    const typesPresent = ['string', 'hash', 'set'];
    if ((await exists('rpush')) && (await exists('llen'))) {
      await admin.call('RPUSH', 'list', 'a', 'b', 'c');
      typesPresent.push('list');
    }
    if ((await exists('zadd')) && (await exists('zcard'))) {
      await admin.call('ZADD', 'zset', '1', 'a', '2', 'b');
      typesPresent.push('zset');
    }
    const mem = await cli(t.port, ['--memkeys']);
    expect(mem.code).toBe(0);
    expect(mem.stdout + mem.stderr).not.toMatch(/warn|error|unknown/i);
    expect(mem.stdout).toMatch(/Sampled \d+ keys in the keyspace!/);
    expect(mem.stdout).toMatch(/Biggest string found '"big-string"' has 200\d\d bytes/);
    expect(mem.stdout).toMatch(/Biggest   hash found '"big-hash"' has \d+ bytes/);
    expect(mem.stdout).toMatch(/Biggest    set found '"big-set"' has \d+ bytes/);
    for (const type of typesPresent) expect(mem.stdout).toMatch(new RegExp(`\\d+ ${type}s with \\d+ bytes`));
    // The numbers are MEMORY USAGE's: the 300-field hash takes more than its 300 * 40 value bytes.
    const hashBytes = Number(/Biggest   hash found '"big-hash"' has (\d+) bytes/.exec(mem.stdout)![1]);
    expect(hashBytes).toBeGreaterThan(300 * 40);
    const samples = await cli(t.port, ['--memkeys-samples', '0']);
    expect(samples.code).toBe(0);
    expect(samples.stdout + samples.stderr).not.toMatch(/warn|error|unknown/i);

    const big = await cli(t.port, ['--bigkeys']);
    expect(big.code).toBe(0);
    expect(big.stdout + big.stderr).not.toMatch(/warn|error|unknown/i);
    expect(big.stdout).toContain('Biggest string found \'"big-string"\' has 20000 bytes');
    expect(big.stdout).toContain('Biggest   hash found \'"big-hash"\' has 300 fields');
    expect(big.stdout).toContain('Biggest    set found \'"big-set"\' has 1000 members');
    await admin.call('FLUSHALL');
  });

  it.skipIf(!stdbufAvailable)('--stat shows keys, memory, clients and requests', async () => {
    await admin.call('DEBUG', 'POPULATE', '123', 'stat');
    const s = cliStream(t.port, ['--stat', '-i', '0.2']);
    try {
      await waitFor(() => s.output().split('\n').length >= 5);
      const lines = s.output().split('\n');
      expect(lines[0]).toMatch(/^------- data ------ -+ load -+ - child -/);
      expect(lines[1]).toMatch(/^keys\s+mem\s+clients\s+blocked\s+requests\s+connections/);
      expect(lines[2]).toMatch(/^123\s+\d+(\.\d+)?[KMG]?\s+\d+\s+0\s+\d+ \(\+\d+\)\s+\d+/);
    } finally {
      await stop(s.child);
      await admin.call('FLUSHALL');
    }
  });

  it.skipIf(!stdbufAvailable)('--latency measures PING round trips', async () => {
    const s = cliStream(t.port, ['--latency', '-i', '0.1']);
    await new Promise((r) => setTimeout(r, 600));
    await stop(s.child);
    // Without a terminal redis-cli prints "min max avg count".
    const last = s.output().trim().split('\n').pop()!;
    expect(last).toMatch(/^\d+ \d+ \d+\.\d\d \d+$/);
    expect(Number(last.split(' ')[3])).toBeGreaterThan(0);
  });

  it.skipIf(!stdbufAvailable)('MONITOR prints the commands of other clients', async () => {
    const m = cliStream(t.port, ['monitor']);
    try {
      await waitFor(() => m.output().includes('OK'));
      await admin.call('SET', 'mon key', 'va"l\n');
      await admin.call('SELECT', '3');
      await admin.call('GET', 'x');
      await admin.call('SELECT', '0');
      await waitFor(() => m.output().includes('"GET" "x"'));
      const lines = m.output().trim().split('\n');
      expect(lines[0]).toBe('OK');
      expect(lines[1]).toMatch(/^\d{10}\.\d{6} \[0 127\.0\.0\.1:\d+\] "SET" "mon key" "va\\"l\\n"$/);
      expect(lines[2]).toMatch(/^\d{10}\.\d{6} \[3 127\.0\.0\.1:\d+\] "SELECT" "3"$/);
      expect(lines[3]).toMatch(/^\d{10}\.\d{6} \[3 127\.0\.0\.1:\d+\] "GET" "x"$/);
    } finally {
      await stop(m.child);
    }
  });

  it.skipIf(!tmuxAvailable)('starts interactively without errors and shows argument hints', async () => {
    const session = `tsredis-cli-${process.pid}`;
    const tmux = (...args: string[]) => spawnSync('tmux', args, { encoding: 'utf8' });
    tmux('new-session', '-d', '-s', session, '-x', '200', '-y', '20', `redis-cli -p ${t.port}`);
    try {
      const screen = () => tmux('capture-pane', '-p', '-t', session).stdout;
      await waitFor(() => screen().includes(`127.0.0.1:${t.port}>`));
      tmux('send-keys', '-t', session, 'config set ');
      await waitFor(() => screen().includes('config set parameter value [parameter value ...]'));
      tmux('send-keys', '-t', session, 'C-u', 'client kill ');
      await waitFor(() => screen().includes('client kill ip:port|[ID client-id]'));
      tmux('send-keys', '-t', session, 'C-u', 'help hello', 'Enter');
      await waitFor(() => screen().includes('HELLO [protover [AUTH username password] [SETNAME clientname]]'));
      tmux('send-keys', '-t', session, 'ping', 'Enter');
      await waitFor(() => screen().includes('PONG'));
      expect(screen()).not.toMatch(/ERR|Error|error/);
    } finally {
      tmux('kill-session', '-t', session);
    }
  });
});
