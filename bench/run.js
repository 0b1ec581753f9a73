#!/usr/bin/env node
/**
 * End-to-end benchmark: tsredis against real redis-server, same machine, same
 * run. Both servers start on spare loopback ports; redis-benchmark runs each
 * test on one then the other (interleaved, so drifting machine load hits both
 * alike), at 50 clients with pipeline 1 and 16. Prints requests/s and the
 * ratio tsredis/redis, then memory per key after 1M random SETs.
 *
 *   npm run bench                       # everything
 *   node bench/run.js --tests set,get   # a subset
 *   node bench/run.js --requests 200000 --no-memory
 */
'use strict';
const { spawn, spawnSync } = require('node:child_process');
const net = require('node:net');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf('--' + name);
  return i >= 0 ? args[i + 1] : def;
};
const flag = (name) => args.includes('--' + name);

/** Target ratios (tsredis/redis) from the issues; the table marks misses. */
const TARGETS = {
  'SET P16': 0.85, 'GET P16': 0.85, 'SET P1': 0.95, 'GET P1': 0.95,
  'LPUSH P16': 0.9, 'LPOP P16': 0.9, 'RPOP P16': 0.9, 'LRANGE_100 P16': 0.9, 'LRANGE_300 P16': 0.9, 'LRANGE_600 P16': 0.9,
  'SADD P16': 0.8, 'SPOP P16': 0.8, 'HSET P16': 0.8, 'ZADD P16': 0.8, 'ZPOPMIN P16': 0.8, 'ZRANGE P16': 0.8,
  'EVALSHA P1': 0.6, 'EVALSHA P16': 0.6,
};

const DEFAULT_TESTS = 'ping_mbulk,set,get,incr,mset,lpush,rpush,lpop,rpop,lrange_100,lrange_300,lrange_600,sadd,spop,hset,zadd,zpopmin,evalsha,publish_1,publish_100';
const tests = opt('tests', DEFAULT_TESTS).split(',');
const requests = Number(opt('requests', '300000'));
const pipelines = opt('pipelines', '1,16').split(',').map(Number);

function have(cmd) {
  return spawnSync(cmd, ['--version'], { stdio: 'ignore' }).status === 0;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
    s.once('error', reject);
  });
}

async function waitPort(port) {
  for (let i = 0; i < 200; i++) {
    const ok = await new Promise((r) => {
      const s = net.createConnection({ port, host: '127.0.0.1' }, () => {
        s.destroy();
        r(true);
      });
      s.once('error', () => r(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('server on port ' + port + ' did not start');
}

async function startServer(kind) {
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-' + kind + '-'));
  const common = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir];
  const child =
    kind === 'redis'
      ? spawn('redis-server', common, { stdio: 'ignore' })
      : spawn(process.execPath, [path.join(__dirname, '..', 'bin', 'tsredis-server'), ...common, '--loglevel', 'warning'], { stdio: 'ignore' });
  await waitPort(port);
  return { kind, port, child, dir };
}

function cli(port, ...argv) {
  return spawnSync('redis-cli', ['-p', String(port), ...argv], { encoding: 'utf8' }).stdout.trim();
}

/** Tests that are not redis-benchmark built-ins: a label and the command line it runs. */
const CUSTOM = {
  // One redis.call per script run; the script is loaded before measuring.
  evalsha: { label: 'EVALSHA', setup: (port) => cli(port, 'SCRIPT', 'LOAD', "return redis.call('SET', KEYS[1], ARGV[1])"), argv: (sha) => ['EVALSHA', sha, '1', 'key:__rand_int__', 'xxx'] },
  publish_1: { label: 'PUBLISH 1 sub', subscribers: 1, argv: () => ['PUBLISH', 'bench-channel', 'hello world'] },
  publish_100: { label: 'PUBLISH 100 subs', subscribers: 100, argv: () => ['PUBLISH', 'bench-channel', 'hello world'] },
};

/** Subscribers that read and discard what they receive. */
async function subscribe(port, count) {
  const sockets = [];
  for (let i = 0; i < count; i++) {
    const s = net.createConnection({ port, host: '127.0.0.1' });
    s.on('data', () => {});
    s.on('error', () => {});
    s.write('*2\r\n$9\r\nSUBSCRIBE\r\n$13\r\nbench-channel\r\n');
    sockets.push(s);
  }
  await new Promise((r) => setTimeout(r, 300));
  return () => sockets.forEach((s) => s.destroy());
}

async function runTest(port, test, pipeline, n) {
  const custom = CUSTOM[test];
  if (!custom) return runBenchmark(port, test, pipeline, n);
  const setup = custom.setup ? custom.setup(port) : '';
  const stop = custom.subscribers ? await subscribe(port, custom.subscribers) : () => {};
  try {
    const res = runBenchmark(port, null, pipeline, n, custom.argv(setup));
    const value = Object.values(res)[0];
    return value === undefined ? {} : { [custom.label]: value };
  } finally {
    stop();
  }
}

function runBenchmark(port, test, pipeline, n, command) {
  const r = spawnSync(
    'redis-benchmark',
    ['-p', String(port), '-q', ...(command ? [] : ['-t', test]), '-n', String(n), '-P', String(pipeline), '-c', '50', '-r', '100000', ...(command || [])],
    { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  const out = (r.stdout || '').split(/[\r\n]/).filter((l) => /requests per second/.test(l));
  const results = {};
  for (const line of out) {
    const m = /^(\S+).*?:\s*([\d.]+) requests per second/.exec(line);
    if (m) results[m[1].replace(/\s.*$/, '').replace(/:$/, '')] = Number(m[2]);
  }
  return results;
}

function rssOf(pid) {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const m = /VmRSS:\s+(\d+) kB/.exec(status);
  return m ? Number(m[1]) * 1024 : NaN;
}

async function memoryPerKey(servers) {
  const keys = Number(opt('memory-keys', '1000000'));
  const out = {};
  for (const s of servers) {
    cli(s.port, 'FLUSHALL');
    await new Promise((r) => setTimeout(r, 300));
    const before = rssOf(s.child.pid);
    // Random keys from a huge space: nearly every SET creates a key (16-byte values).
    spawnSync('redis-benchmark', ['-p', String(s.port), '-q', '-t', 'set', '-n', String(keys), '-P', '16', '-c', '50', '-r', '1000000000', '-d', '16'], {
      stdio: 'ignore',
    });
    await new Promise((r) => setTimeout(r, 500));
    const after = rssOf(s.child.pid);
    const count = Number(cli(s.port, 'DBSIZE'));
    out[s.kind] = { count, bytesPerKey: (after - before) / count };
    cli(s.port, 'FLUSHALL');
  }
  return out;
}

function pad(s, n, right) {
  s = String(s);
  return right ? s.padEnd(n) : s.padStart(n);
}

async function main() {
  if (!have('redis-benchmark')) {
    console.error('redis-benchmark is not installed (apt-get install redis-tools); nothing to measure.');
    process.exit(1);
  }
  const withRedis = have('redis-server') && !flag('no-redis');
  const servers = [await startServer('tsredis')];
  if (withRedis) servers.push(await startServer('redis'));
  try {
    console.log(`redis-benchmark: 50 clients, ${requests} requests per test, keyspace 100000; pipelines ${pipelines.join(', ')}`);
    console.log(`${pad('test', 18, true)} ${pad('tsredis rps', 13)} ${pad('redis rps', 13)} ${pad('ratio', 7)}  target`);
    const misses = [];
    for (const pipeline of pipelines) {
      for (const test of tests) {
        // Warm the JIT on the tsredis side before measuring.
        await runTest(servers[0].port, test, pipeline, Math.min(50000, requests));
        const res = [];
        for (const s of servers) res.push(await runTest(s.port, test, pipeline, requests));
        for (const name of Object.keys(res[0])) {
          const label = `${name} P${pipeline}`;
          const ours = res[0][name];
          const theirs = res[1] ? res[1][name] : undefined;
          const ratio = theirs ? ours / theirs : undefined;
          const target = TARGETS[label];
          const mark = target === undefined || ratio === undefined ? '' : ratio >= target ? `>= ${target} ok` : `< ${target} MISS`;
          if (mark.endsWith('MISS')) misses.push(label);
          console.log(`${pad(label, 18, true)} ${pad(ours.toFixed(0), 13)} ${pad(theirs ? theirs.toFixed(0) : '-', 13)} ${pad(ratio ? ratio.toFixed(2) : '-', 7)}  ${mark}`);
        }
      }
    }
    if (!flag('no-memory')) {
      const mem = await memoryPerKey(servers);
      console.log('\nmemory after 1M random SETs of 16-byte values (RSS growth / keys):');
      for (const [kind, m] of Object.entries(mem)) console.log(`  ${pad(kind, 8, true)} ${m.count} keys, ${m.bytesPerKey.toFixed(1)} bytes/key`);
      if (mem.redis) {
        const r = mem.tsredis.bytesPerKey / mem.redis.bytesPerKey;
        console.log(`  ratio tsredis/redis: ${r.toFixed(2)} (target <= 1.5) ${r <= 1.5 ? 'ok' : 'MISS'}`);
      }
    }
    if (misses.length > 0) console.log(`\nbelow target: ${misses.join(', ')}`);
  } finally {
    for (const s of servers) s.child.kill('SIGKILL');
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
