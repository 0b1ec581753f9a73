/**
 * Server and connection commands where replies legitimately differ from
 * Redis's bytes (times, ids, addresses, memory) or need several clients:
 * INFO, CLIENT LIST/KILL/PAUSE/UNBLOCK/REPLY, MONITOR, SLOWLOG, SHUTDOWN,
 * HELLO, protected mode, COMMAND metadata against the real server.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startTsredis, startRealRedis, freePort, type TsredisHandle, type RunningServer } from './helpers/servers';
import { RawConnection } from './helpers/resp';
import { readReply, type RespValue } from '../src/protocol/resp-reader';
import { isLoopbackAddress, PROTECTED_MODE_DENIED } from '../src/server/server';
import { bytesToHuman, selectSections } from '../src/server/info';
import { LatencyHistogram } from '../src/server/slowlog';
import type { Client } from '../src/server/client';

/** Decodes a raw reply into plain JS values (arrays, strings, numbers, null). */
function decode(raw: string): unknown {
  const conv = (v: RespValue): unknown => {
    switch (v.type) {
      case 'array':
      case 'set':
      case 'push':
        return v.value.map(conv);
      case 'map':
        return v.value.map(([k, x]) => [conv(k), conv(x)]);
      case 'null':
        return null;
      case 'int':
        return Number(v.value);
      default:
        return (v as { value: unknown }).value;
    }
  };
  return conv(readReply(raw)!.value);
}

/** The text of a bulk or verbatim reply. */
function text(raw: string): string {
  const v = decode(raw);
  if (typeof v !== 'string') throw new Error(`not a string reply: ${JSON.stringify(raw)}`);
  return v.startsWith('txt:') && raw.startsWith('=') ? v.slice(4) : v;
}

function infoFields(info: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const line of info.split('\r\n')) {
    const i = line.indexOf(':');
    if (i > 0 && !line.startsWith('#')) m.set(line.slice(0, i), line.slice(i + 1));
  }
  return m;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let t: TsredisHandle;
beforeAll(async () => {
  t = await startTsredis();
});
afterAll(async () => {
  await t.stop();
});

async function conn(): Promise<RawConnection> {
  return RawConnection.connect(t.port);
}

function clientById(id: number): Client {
  const c = t.server.clients.get(id);
  if (!c) throw new Error(`no client ${id}`);
  return c;
}

describe('INFO', () => {
  it('has Redis 7.0 sections, fields and formats', async () => {
    const c = await conn();
    await c.call('SET', 'infokey', 'v');
    const info = text(await c.call('INFO'));
    const headers = info.split('\r\n').filter((l) => l.startsWith('# '));
    expect(headers).toEqual(['# Server', '# Clients', '# Memory', '# Persistence', '# Stats', '# Replication', '# CPU', '# Modules', '# Errorstats', '# Cluster', '# Keyspace']);
    expect(info.endsWith('\r\n')).toBe(true);
    expect(info).not.toContain('\r\n\r\n\r\n');
    const f = infoFields(info);
    expect(f.get('redis_version')).toBe('7.0.15');
    expect(f.get('tsredis_version')).toMatch(/^\d+\.\d+\.\d+/);
    expect(f.get('redis_mode')).toBe('standalone');
    expect(f.get('tcp_port')).toBe(String(t.port));
    expect(f.get('run_id')).toMatch(/^[0-9a-f]{40}$/);
    expect(f.get('process_id')).toBe(String(process.pid));
    expect(f.get('arch_bits')).toBe('64');
    expect(Number(f.get('server_time_usec'))).toBeGreaterThan(Date.now() * 1000 - 5e6);
    expect(f.get('used_memory')).toMatch(/^\d+$/);
    expect(f.get('used_memory_human')).toMatch(/^\d+(\.\d\d[KMGTP])?B?$/);
    expect(f.get('used_memory_rss')).toMatch(/^\d+$/);
    expect(f.get('used_memory_peak_perc')).toMatch(/^\d+\.\d\d%$/);
    expect(f.get('maxmemory')).toBe('0');
    expect(f.get('maxmemory_human')).toBe('0B');
    expect(f.get('maxmemory_policy')).toBe('noeviction');
    expect(f.get('mem_fragmentation_ratio')).toMatch(/^\d+\.\d\d$/);
    expect(Number(f.get('connected_clients'))).toBeGreaterThanOrEqual(1);
    expect(f.get('maxclients')).toBe('10000');
    expect(f.get('role')).toBe('master');
    expect(f.get('used_cpu_sys')).toMatch(/^\d+\.\d{6}$/);
    expect(f.get('used_cpu_user')).toMatch(/^\d+\.\d{6}$/);
    expect(f.get('instantaneous_input_kbps')).toMatch(/^\d+\.\d\d$/);
    expect(f.get('rdb_last_bgsave_status')).toBe('ok');
    expect(f.get('cluster_enabled')).toBe('0');
    expect(f.get('db0')).toMatch(/^keys=\d+,expires=\d+,avg_ttl=\d+$/);
    expect(f.has('cmdstat_set')).toBe(false);
    c.close();
  });

  it('selects sections: several, all, everything, default, unknown, in Redis order', async () => {
    const c = await conn();
    const heads = async (...args: string[]) =>
      text(await c.call('INFO', ...args))
        .split('\r\n')
        .filter((l) => l.startsWith('# '));
    expect(await heads('clients', 'server')).toEqual(['# Server', '# Clients']);
    expect(await heads('CPU', 'Keyspace', 'keyspace')).toEqual(['# CPU', '# Keyspace']);
    expect(await heads('all')).toEqual([
      '# Server', '# Clients', '# Memory', '# Persistence', '# Stats', '# Replication', '# CPU', '# Commandstats', '# Errorstats', '# Latencystats', '# Cluster', '# Keyspace',
    ]);
    expect((await heads('everything')).includes('# Modules')).toBe(true);
    expect(await heads('default')).toEqual(await heads());
    expect(await heads('commandstats', 'default')).toContain('# Commandstats');
    expect(await c.call('INFO', 'nosuch')).toBe('$0\r\n\r\n');
    expect([...selectSections(['ALL'])]).not.toContain('modules');
    c.close();
  });

  it('counts commands, failures, rejections and errors (commandstats, errorstats)', async () => {
    const c = await conn();
    expect(await c.call('CONFIG', 'RESETSTAT')).toBe('+OK\r\n');
    await c.call('SET', 'a', '1');
    await c.call('SET', 'b', '2');
    await c.call('GET', 'a');
    await c.call('INCR', 'nokey-but-fine');
    await c.call('CONFIG', 'SET', 'nosuch', '1');
    await c.call('GET');
    await c.call('NOSUCHCOMMAND');
    const f = infoFields(text(await c.call('INFO', 'commandstats', 'errorstats', 'stats')));
    expect(f.get('cmdstat_set')).toMatch(/^calls=2,usec=\d+,usec_per_call=\d+\.\d\d,rejected_calls=0,failed_calls=0$/);
    expect(f.get('cmdstat_get')).toMatch(/^calls=1,usec=\d+,usec_per_call=\d+\.\d\d,rejected_calls=1,failed_calls=0$/);
    expect(f.get('cmdstat_config|set')).toMatch(/^calls=1,.*rejected_calls=0,failed_calls=1$/);
    expect(f.get('cmdstat_config|resetstat')).toMatch(/^calls=1,/);
    expect(f.get('errorstat_ERR')).toBe('count=3');
    expect(f.get('total_error_replies')).toBe('3');
    // The INFO command itself is counted once it has run.
    expect(f.get('total_commands_processed')).toBe('6');
    expect(await c.call('CONFIG', 'RESETSTAT')).toBe('+OK\r\n');
    const g = infoFields(text(await c.call('INFO', 'commandstats', 'errorstats')));
    expect(g.has('cmdstat_set')).toBe(false);
    expect(g.has('errorstat_ERR')).toBe(false);
    c.close();
  });

  it('reports latency percentiles per command', async () => {
    const c = await conn();
    for (let i = 0; i < 20; i++) await c.call('PING');
    const f = infoFields(text(await c.call('INFO', 'latencystats')));
    expect(f.get('latency_percentiles_usec_ping')).toMatch(/^p50=\d+\.\d{3},p99=\d+\.\d{3},p99\.9=\d+\.\d{3}$/);
    expect(await c.call('CONFIG', 'SET', 'latency-tracking-info-percentiles', '50 99.99')).toBe('+OK\r\n');
    const g = infoFields(text(await c.call('INFO', 'latencystats')));
    expect(g.get('latency_percentiles_usec_ping')).toMatch(/^p50=\d+\.\d{3},p99\.99=\d+\.\d{3}$/);
    await c.call('CONFIG', 'SET', 'latency-tracking-info-percentiles', '50 99 99.9');
    c.close();
  });

  it('is a verbatim string in RESP3', async () => {
    const c = await conn();
    await c.call('HELLO', '3');
    const raw = await c.call('INFO', 'server');
    expect(raw).toMatch(/^=\d+\r\ntxt:# Server\r\n/);
    c.close();
  });

  it('formats bytes as Redis does', () => {
    expect(bytesToHuman(0)).toBe('0B');
    expect(bytesToHuman(1023)).toBe('1023B');
    expect(bytesToHuman(1024)).toBe('1.00K');
    expect(bytesToHuman(1189320)).toBe('1.13M');
    expect(bytesToHuman(25276514304)).toBe('23.54G');
  });
});

const CLIENT_LINE =
  /^id=(\d+) addr=127\.0\.0\.1:\d+ laddr=127\.0\.0\.1:\d+ fd=-?\d+ name=(\S*) age=\d+ idle=\d+ flags=([A-Za-z]+) db=(\d+) sub=(\d+) psub=(\d+) ssub=(\d+) multi=(-?\d+) qbuf=\d+ qbuf-free=\d+ argv-mem=\d+ multi-mem=\d+ rbs=\d+ rbp=\d+ obl=\d+ oll=\d+ omem=\d+ tot-mem=\d+ events=rw? cmd=(\S+) user=(\S+) redir=-1 resp=([23])$/;

describe('CLIENT', () => {
  it('lists clients in the Redis 7.0 format', async () => {
    const a = await conn();
    const b = await conn();
    const idA = decode(await a.call('CLIENT', 'ID')) as number;
    const idB = decode(await b.call('CLIENT', 'ID')) as number;
    await b.call('CLIENT', 'SETNAME', 'bee');
    await b.call('SELECT', '2');
    await b.call('MULTI');
    await b.call('SET', 'x', '1');
    await b.call('GET', 'x');
    const list = text(await a.call('CLIENT', 'LIST'));
    expect(list.endsWith('\n')).toBe(true);
    const lines = list.trim().split('\n');
    for (const l of lines) expect(l).toMatch(CLIENT_LINE);
    const la = lines.find((l) => l.startsWith(`id=${idA} `))!;
    const lb = lines.find((l) => l.startsWith(`id=${idB} `))!;
    expect(CLIENT_LINE.exec(la)!.slice(2)).toEqual(['', 'N', '0', '0', '0', '0', '-1', 'client|list', 'default', '2']);
    // b is inside MULTI with 2 queued commands, in db 2; its last command ran was MULTI.
    expect(CLIENT_LINE.exec(lb)!.slice(2)).toEqual(['bee', 'x', '2', '0', '0', '0', '2', 'multi', 'default', '2']);
    expect(lb).toMatch(/ multi-mem=[1-9]\d* /);
    await b.call('DISCARD');
    expect(text(await a.call('CLIENT', 'INFO'))).toMatch(new RegExp(`^id=${idA} .* cmd=client\\|info user=default redir=-1 resp=2\\n$`));
    // Filters
    const only = text(await a.call('CLIENT', 'LIST', 'ID', String(idB), '999999'));
    expect(only.trim().split('\n').map((l) => l.split(' ')[0])).toEqual([`id=${idB}`]);
    expect(text(await a.call('CLIENT', 'LIST', 'TYPE', 'pubsub'))).toBe('');
    await b.call('SUBSCRIBE', 'chan');
    const pubsub = text(await a.call('CLIENT', 'LIST', 'TYPE', 'pubsub')).trim();
    expect(pubsub).toMatch(new RegExp(`^id=${idB} .* flags=P db=2 sub=1 psub=0 ssub=0 `));
    a.close();
    b.close();
  });

  it('CLIENT KILL by id, addr, old form, type, and SKIPME', async () => {
    const a = await conn();
    const b = await conn();
    const c3 = await conn();
    const idB = decode(await b.call('CLIENT', 'ID')) as number;
    const addrC = clientById(decode(await c3.call('CLIENT', 'ID')) as number).addr;
    expect(await a.call('CLIENT', 'KILL', 'ID', String(idB))).toBe(':1\r\n');
    await b.waitClosed();
    expect(await a.call('CLIENT', 'KILL', addrC)).toBe('+OK\r\n');
    await c3.waitClosed();
    expect(await a.call('CLIENT', 'KILL', addrC)).toBe('-ERR No such client\r\n');
    const d = await conn();
    const addrD = clientById(decode(await d.call('CLIENT', 'ID')) as number).addr;
    expect(await a.call('CLIENT', 'KILL', 'ADDR', addrD, 'TYPE', 'pubsub')).toBe(':0\r\n');
    expect(await a.call('CLIENT', 'KILL', 'ADDR', addrD, 'USER', 'default')).toBe(':1\r\n');
    await d.waitClosed();
    // SKIPME no: the caller gets its reply, then is closed.
    const e = await conn();
    const idE = decode(await e.call('CLIENT', 'ID')) as number;
    expect(await e.call('CLIENT', 'KILL', 'ID', String(idE), 'SKIPME', 'no')).toBe(':1\r\n');
    await e.waitClosed();
    expect(await a.call('CLIENT', 'KILL', 'ID', String(decode(await a.call('CLIENT', 'ID')) as number))).toBe(':0\r\n');
    expect(await a.call('PING')).toBe('+PONG\r\n');
    a.close();
  });

  it('CLIENT PAUSE WRITE holds writes only; ALL holds everything; UNPAUSE releases', async () => {
    const admin = await conn();
    const w = await conn();
    expect(await admin.call('CLIENT', 'PAUSE', '10000', 'WRITE')).toBe('+OK\r\n');
    expect(await w.call('GET', 'pz')).toBe('$-1\r\n');
    const pending = w.call('SET', 'pz', '1');
    await sleep(100);
    expect(w.pending).toBe('');
    expect(await admin.call('CLIENT', 'UNPAUSE')).toBe('+OK\r\n');
    expect(await pending).toBe('+OK\r\n');
    expect(await admin.call('CLIENT', 'PAUSE', '150', 'ALL')).toBe('+OK\r\n');
    const started = Date.now();
    expect(await w.call('GET', 'pz')).toBe('$1\r\n1\r\n');
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
    admin.close();
    w.close();
  });

  it('CLIENT UNBLOCK wakes a blocked client with a timeout or an error', async () => {
    const admin = await conn();
    const blocked = await conn();
    const id = decode(await blocked.call('CLIENT', 'ID')) as number;
    const block = () => {
      const cl = clientById(id);
      t.server.blocking.block({ client: cl, db: cl.db, keys: ['never'], serve: () => false, onTimeout: (x) => x.nullArray() }, 0);
    };
    block();
    const r1 = blocked.read();
    expect(text(await admin.call('CLIENT', 'LIST', 'ID', String(id)))).toMatch(/ flags=b /);
    expect(decode(await admin.call('INFO', 'clients'))).toMatch(/blocked_clients:1\r\n/);
    expect(await admin.call('CLIENT', 'UNBLOCK', String(id))).toBe(':1\r\n');
    expect(await r1).toBe('*-1\r\n');
    expect(await admin.call('CLIENT', 'UNBLOCK', String(id))).toBe(':0\r\n');
    block();
    const r2 = blocked.read();
    expect(await admin.call('CLIENT', 'UNBLOCK', String(id), 'ERROR')).toBe(':1\r\n');
    expect(await r2).toBe('-UNBLOCKED client unblocked via CLIENT UNBLOCK\r\n');
    expect(await blocked.call('PING')).toBe('+PONG\r\n');
    admin.close();
    blocked.close();
  });

  it('CLIENT REPLY OFF and SKIP silence replies', async () => {
    const c = await conn();
    c.write('*3\r\n$6\r\nCLIENT\r\n$5\r\nREPLY\r\n$3\r\nOFF\r\n*1\r\n$4\r\nPING\r\n*3\r\n$3\r\nSET\r\n$2\r\nrk\r\n$1\r\n1\r\n');
    await sleep(100);
    expect(c.pending).toBe('');
    expect(await c.call('CLIENT', 'REPLY', 'ON')).toBe('+OK\r\n');
    c.write('*3\r\n$6\r\nCLIENT\r\n$5\r\nREPLY\r\n$4\r\nSKIP\r\n*2\r\n$4\r\nECHO\r\n$7\r\nskipped\r\n*2\r\n$4\r\nECHO\r\n$5\r\nshown\r\n');
    expect(await c.read()).toBe('$5\r\nshown\r\n');
    expect(await c.call('GET', 'rk')).toBe('$1\r\n1\r\n');
    c.close();
  });

  it('RESET leaves MONITOR, subscriptions, RESP3 and the selected db', async () => {
    const c = await conn();
    await c.call('HELLO', '3');
    await c.call('SELECT', '4');
    await c.call('CLIENT', 'SETNAME', 'n1');
    expect(await c.call('RESET')).toBe('+RESET\r\n');
    expect(await c.call('CLIENT', 'GETNAME')).toBe('$-1\r\n');
    expect(text(await c.call('CLIENT', 'INFO'))).toMatch(/ db=0 .* resp=2\n$/);
    expect(await c.call('MONITOR')).toBe('+OK\r\n');
    expect(await c.call('RESET')).toBe('+RESET\r\n');
    expect(t.server.monitors.size).toBe(0);
    c.close();
  });
});

describe('HELLO and AUTH', () => {
  it('replies with the server map, id and protocol', async () => {
    const c = await conn();
    const id = decode(await c.call('CLIENT', 'ID')) as number;
    const raw = await c.call('HELLO', '3');
    expect(raw.startsWith('%7\r\n')).toBe(true);
    expect(decode(raw)).toEqual([
      ['server', 'redis'],
      ['version', '7.0.15'],
      ['proto', 3],
      ['id', id],
      ['mode', 'standalone'],
      ['role', 'master'],
      ['modules', []],
    ]);
    const raw2 = await c.call('HELLO');
    expect(raw2.startsWith('%7\r\n')).toBe(true);
    expect(await c.call('HELLO', '2')).toMatch(/^\*14\r\n\$6\r\nserver\r\n/);
    c.close();
  });

  it('requirepass: NOAUTH, HELLO AUTH, AUTH user pass', async () => {
    const admin = await conn();
    await admin.call('CONFIG', 'SET', 'requirepass', 'pw');
    try {
      const c = await conn();
      expect(await c.call('GET', 'x')).toBe('-NOAUTH Authentication required.\r\n');
      expect(await c.call('HELLO', '3', 'AUTH', 'default', 'bad')).toBe('-WRONGPASS invalid username-password pair or user is disabled.\r\n');
      expect((await c.call('HELLO', '3', 'AUTH', 'default', 'pw', 'SETNAME', 'authed')).startsWith('%7')).toBe(true);
      expect(await c.call('CLIENT', 'GETNAME')).toBe('$6\r\nauthed\r\n');
      const d = await conn();
      expect(await d.call('AUTH', 'pw')).toBe('+OK\r\n');
      expect(await d.call('PING')).toBe('+PONG\r\n');
      c.close();
      d.close();
    } finally {
      await admin.call('CONFIG', 'SET', 'requirepass', '');
      admin.close();
    }
  });
});

describe('protected mode', () => {
  it('recognizes loopback addresses', () => {
    for (const a of ['127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1']) expect(isLoopbackAddress(a), a).toBe(true);
    for (const a of ['10.0.0.1', '192.0.2.2', '::ffff:10.0.0.1', 'fd00::2']) expect(isLoopbackAddress(a), a).toBe(false);
  });

  it('answers DENIED to non-loopback clients when no password is set', () => {
    const accept = (t.server as unknown as { accept(s: unknown): void }).accept.bind(t.server);
    const fakeSocket = (remoteAddress: string) => {
      const sent: string[] = [];
      return {
        remoteAddress,
        remotePort: 5555,
        localAddress: '127.0.0.1',
        localPort: t.port,
        sent,
        end: (d?: string) => d !== undefined && sent.push(d),
        setNoDelay() {},
        setKeepAlive() {},
        on() {},
        destroy() {},
      };
    };
    const s = fakeSocket('10.1.2.3');
    accept(s);
    expect(s.sent).toEqual([PROTECTED_MODE_DENIED]);
    expect(PROTECTED_MODE_DENIED.startsWith('-DENIED Redis is running in protected mode')).toBe(true);
    expect(PROTECTED_MODE_DENIED.endsWith('accepting connections from the outside.\r\n')).toBe(true);
    // With protected-mode off, or a password set, the client is served.
    t.server.config.set('protected-mode', ['no']);
    const s2 = fakeSocket('10.1.2.3');
    accept(s2);
    expect(s2.sent).toEqual([]);
    t.server.config.set('protected-mode', ['yes']);
    t.server.config.set('requirepass', ['secret']);
    const s3 = fakeSocket('10.1.2.3');
    accept(s3);
    expect(s3.sent).toEqual([]);
    t.server.config.set('requirepass', ['']);
    for (const c of [...t.server.clients.values()]) if (c.addr === '10.1.2.3:5555') t.server.onClientClosed(c);
  });
});

describe('MONITOR', () => {
  it('streams commands with time, db, address and quoted arguments', async () => {
    const m = await conn();
    expect(await m.call('MONITOR')).toBe('+OK\r\n');
    const c = await conn();
    const addr = clientById(decode(await c.call('CLIENT', 'ID')) as number).addr;
    await c.call('SELECT', '5');
    await c.call('SET', 'k "1"', 'a\x00b\xff\n');
    await c.call('CONFIG', 'GET', 'maxmemory');
    await c.call('GET', 'k');
    const lines = [await m.read(), await m.read(), await m.read(), await m.read()];
    const esc = addr.replace(/[.[\]]/g, '\\$&');
    expect(lines[0]).toMatch(new RegExp(`^\\+\\d{10}\\.\\d{6} \\[0 ${esc}\\] "CLIENT" "ID"\\r\\n$`));
    expect(lines[1]).toMatch(new RegExp(`^\\+\\d{10}\\.\\d{6} \\[5 ${esc}\\] "SELECT" "5"\\r\\n$`));
    expect(lines[2]).toMatch(new RegExp(`\\[5 ${esc}\\] "SET" "k \\\\"1\\\\"" "a\\\\x00b\\\\xff\\\\n"\\r\\n$`));
    // CONFIG is an admin command: not shown.
    expect(lines[3]).toMatch(/ "GET" "k"\r\n$/);
    await c.call('AUTH', 'default', 'topsecret');
    await c.call('HELLO', '2', 'AUTH', 'default', 'topsecret', 'SETNAME', 'mon');
    expect(await m.read()).toMatch(/ "AUTH" "\(redacted\)" "\(redacted\)"\r\n$/);
    expect(await m.read()).toMatch(/ "HELLO" "2" "AUTH" "\(redacted\)" "\(redacted\)" "SETNAME" "mon"\r\n$/);
    expect(await m.call('PING')).toBe('+PONG\r\n');
    c.close();
    m.close();
  });
});

describe('SLOWLOG', () => {
  it('logs slow commands with id, time, duration, arguments, peer and name', async () => {
    const c = await conn();
    await c.call('SLOWLOG', 'RESET');
    await c.call('CONFIG', 'SET', 'slowlog-log-slower-than', '0');
    await c.call('CLIENT', 'SETNAME', 'slowpoke');
    await c.call('SET', 'sk', 'v');
    await c.call('AUTH', 'default', 'secretpass');
    const many = Array.from({ length: 40 }, (_, i) => `a${i}`);
    await c.call('ECHO', 'x'.repeat(200));
    await c.call('DEL', ...many);
    const addr = clientById(decode(await c.call('CLIENT', 'ID')) as number).addr;
    await c.call('CONFIG', 'SET', 'slowlog-log-slower-than', '10000');
    const entries = decode(await c.call('SLOWLOG', 'GET', '-1')) as Array<[number, number, number, string[], string, string]>;
    const byCmd = (name: string) => entries.find((e) => e[3][0].toLowerCase() === name)!;
    const set = byCmd('set');
    expect(set[1]).toBeGreaterThan(Date.now() / 1000 - 10);
    expect(set[2]).toBeGreaterThanOrEqual(0);
    expect(set[3]).toEqual(['SET', 'sk', 'v']);
    expect(set[4]).toBe(addr);
    expect(set[5]).toBe('slowpoke');
    expect(byCmd('auth')[3]).toEqual(['AUTH', '(redacted)', '(redacted)']);
    expect(byCmd('echo')[3][1]).toBe('x'.repeat(128) + '... (72 more bytes)');
    const del = byCmd('del')[3];
    expect(del.length).toBe(32);
    expect(del[31]).toBe('... (10 more arguments)');
    // Newest first, ids increasing with time.
    const ids = entries.map((e) => e[0]);
    expect([...ids].sort((x, y) => y - x)).toEqual(ids);
    expect((decode(await c.call('SLOWLOG', 'GET')) as unknown[]).length).toBe(Math.min(10, entries.length));
    expect((decode(await c.call('SLOWLOG', 'GET', '2')) as unknown[]).length).toBe(2);
    expect(await c.call('SLOWLOG', 'LEN')).toBe(`:${entries.length}\r\n`);
    await c.call('SLOWLOG', 'RESET');
    expect(await c.call('SLOWLOG', 'LEN')).toBe(':0\r\n');
    c.close();
  });

  it('honours slowlog-max-len and a threshold in microseconds', async () => {
    const c = await conn();
    await c.call('SLOWLOG', 'RESET');
    await c.call('CONFIG', 'SET', 'slowlog-log-slower-than', '0', 'slowlog-max-len', '3');
    for (let i = 0; i < 10; i++) await c.call('PING');
    await c.call('CONFIG', 'SET', 'slowlog-log-slower-than', '20000', 'slowlog-max-len', '128');
    expect(await c.call('SLOWLOG', 'LEN')).toBe(':3\r\n');
    await c.call('SLOWLOG', 'RESET');
    await c.call('DEBUG', 'SLEEP', '0.03');
    await c.call('PING');
    const entries = decode(await c.call('SLOWLOG', 'GET')) as Array<[number, number, number, string[]]>;
    expect(entries.map((e) => e[3])).toEqual([['DEBUG', 'SLEEP', '0.03']]);
    expect(entries[0][2]).toBeGreaterThanOrEqual(25000);
    await c.call('CONFIG', 'SET', 'slowlog-log-slower-than', '10000');
    c.close();
  });

  it('latency histogram percentiles', () => {
    const h = new LatencyHistogram();
    for (let i = 1; i <= 100; i++) h.record(i);
    expect(h.percentile(50)).toBe(50);
    expect(h.percentile(100)).toBe(100);
    h.record(100000);
    const p = h.percentile(100);
    expect(p).toBeGreaterThanOrEqual(100000);
    expect(p).toBeLessThan(100000 * 1.01);
  });
});

describe('DEBUG', () => {
  it('SLEEP freezes the whole server', async () => {
    const a = await conn();
    const b = await conn();
    const started = Date.now();
    const sleeping = a.call('DEBUG', 'SLEEP', '0.2');
    await sleep(20);
    expect(await b.call('PING')).toBe('+PONG\r\n');
    expect(Date.now() - started).toBeGreaterThanOrEqual(180);
    expect(await sleeping).toBe('+OK\r\n');
    a.close();
    b.close();
  });

  it('is refused unless enable-debug-command allows it', async () => {
    const other = await startTsredis(['enable-debug-command no']);
    try {
      const c = await RawConnection.connect(other.port);
      expect(await c.call('DEBUG', 'SLEEP', '0')).toMatch(/^-ERR DEBUG command not allowed\. If the enable-debug-command option is set to "local"/);
      c.close();
    } finally {
      await other.stop();
    }
    const local = await startTsredis(['enable-debug-command local']);
    try {
      const c = await RawConnection.connect(local.port);
      expect(await c.call('DEBUG', 'SLEEP', '0')).toBe('+OK\r\n');
      c.close();
    } finally {
      await local.stop();
    }
  });

  it('SET-ACTIVE-EXPIRE 0 stops the background expiry', async () => {
    const c = await conn();
    t.server.activeExpireEnabled = true;
    expect(await c.call('DEBUG', 'SET-ACTIVE-EXPIRE', '0')).toBe('+OK\r\n');
    expect(t.server.activeExpireEnabled).toBe(false);
    expect(await c.call('DEBUG', 'SET-ACTIVE-EXPIRE', '1')).toBe('+OK\r\n');
    expect(t.server.activeExpireEnabled).toBe(true);
    c.close();
  });

  it('OBJECT describes the encoding', async () => {
    const c = await conn();
    await c.call('SET', 'o1', '123');
    await c.call('SET', 'o2', 'x'.repeat(50));
    expect(await c.call('DEBUG', 'OBJECT', 'o1')).toMatch(/^\+Value at:0x[0-9a-f]+ refcount:1 encoding:int serializedlength:\d+ lru:\d+ lru_seconds_idle:\d+\r\n$/);
    expect(await c.call('DEBUG', 'OBJECT', 'o2')).toMatch(/ encoding:raw /);
    c.close();
  });
});

describe('SHUTDOWN', () => {
  it('closes every client and stops listening', async () => {
    const s = await startTsredis();
    let shut = false;
    s.server.onShutdown = () => (shut = true);
    const a = await RawConnection.connect(s.port);
    const b = await RawConnection.connect(s.port);
    expect(await b.call('PING')).toBe('+PONG\r\n');
    a.write('*2\r\n$8\r\nSHUTDOWN\r\n$6\r\nNOSAVE\r\n');
    await a.waitClosed();
    await b.waitClosed();
    expect(shut).toBe(true);
    expect(a.pending).toBe('');
    await expect(RawConnection.connect(s.port)).rejects.toThrow();
  });

  it('reports a failed shutdown and keeps running', async () => {
    const s = await startTsredis();
    s.server.shutdownHooks.push((opts) => (opts.force ? null : 'Error trying to save the DB, can\'t exit.'));
    try {
      const a = await RawConnection.connect(s.port);
      expect(await a.call('SHUTDOWN')).toBe('-ERR Errors trying to SHUTDOWN. Check logs.\r\n');
      expect(await a.call('PING')).toBe('+PONG\r\n');
      a.write('*2\r\n$8\r\nSHUTDOWN\r\n$5\r\nFORCE\r\n');
      await a.waitClosed();
    } finally {
      await s.stop();
    }
  });
});

describe('COMMAND against the real server', () => {
  let real: (RunningServer & { child: unknown }) | null = null;
  beforeAll(async () => {
    real = await startRealRedis();
  });
  afterAll(async () => {
    await real?.stop();
  });

  type Info = [string, number, string[], number, number, number, string[], string[], unknown[], Info[]];

  it('describes every command with Redis 7 fields; commands both servers have agree', async () => {
    const ours = await conn();
    await ours.call('HELLO', '3');
    const all = decode(await ours.call('COMMAND')) as Info[];
    expect(all.length).toBe(decode(await ours.call('COMMAND', 'COUNT')));
    for (const info of all) {
      expect(info.length, info[0]).toBe(10);
      expect(typeof info[1]).toBe('number');
      for (const cat of info[6]) expect(cat.startsWith('@'), `${info[0]} ${cat}`).toBe(true);
    }
    const docs = decode(await ours.call('COMMAND', 'DOCS')) as Array<[string, Array<[string, unknown]>]>;
    expect(docs.length).toBe(all.length);
    for (const [name, doc] of docs) {
      const keys = doc.map(([k]) => k);
      expect(keys.slice(0, 3), name).toEqual(['summary', 'since', 'group']);
    }
    if (real === null) return;
    const theirsConn = await RawConnection.connect(real.port);
    await theirsConn.call('HELLO', '3');
    const mine = ['ping', 'echo', 'quit', 'select', 'hello', 'auth', 'reset', 'client', 'config', 'command', 'slowlog', 'debug', 'shutdown', 'monitor', 'time', 'lastsave', 'info'];
    for (const name of mine) {
      const a = decode(await ours.call('COMMAND', 'INFO', name)) as Info[];
      const b = decode(await theirsConn.call('COMMAND', 'INFO', name)) as Info[];
      const norm = (i: Info) => ({ ...i, 9: [...i[9]].sort((x, y) => x[0].localeCompare(y[0])) });
      expect(norm(a[0]), name).toEqual(norm(b[0]));
      // Arguments in COMMAND DOCS match too (summaries are our own words).
      const da = decode(await ours.call('COMMAND', 'DOCS', name)) as Array<[string, Array<[string, unknown]>]>;
      const db = decode(await theirsConn.call('COMMAND', 'DOCS', name)) as Array<[string, Array<[string, unknown]>]>;
      const field = (d: Array<[string, unknown]>, f: string) => d.find(([k]) => k === f)?.[1];
      expect(field(da[0][1], 'arguments'), name).toEqual(field(db[0][1], 'arguments'));
      expect(field(da[0][1], 'since'), name).toEqual(field(db[0][1], 'since'));
      expect(field(da[0][1], 'group'), name).toEqual(field(db[0][1], 'group'));
    }
    theirsConn.close();
    ours.close();
  });
});

describe('CONFIG SET port and bind', () => {
  it('moves the listening socket, or fails and keeps the old one', async () => {
    const s = await startTsredis();
    try {
      const a = await RawConnection.connect(s.port);
      const newPort = await freePort();
      expect(await a.call('CONFIG', 'SET', 'port', String(newPort))).toBe('+OK\r\n');
      expect(await a.call('CONFIG', 'GET', 'port')).toBe(`*2\r\n$4\r\nport\r\n$${String(newPort).length}\r\n${newPort}\r\n`);
      const b = await RawConnection.connect(newPort);
      expect(await b.call('PING')).toBe('+PONG\r\n');
      await expect(RawConnection.connect(s.port)).rejects.toThrow();
      // A port someone else holds: an error, and the server stays where it was.
      const busy = await startTsredis();
      expect(await b.call('CONFIG', 'SET', 'port', String(busy.port))).toBe(
        "-ERR CONFIG SET failed (possibly related to argument 'port') - Unable to listen on this port. Check server logs.\r\n",
      );
      await busy.stop();
      expect(await b.call('CONFIG', 'GET', 'port')).toBe(`*2\r\n$4\r\nport\r\n$${String(newPort).length}\r\n${newPort}\r\n`);
      const c2 = await RawConnection.connect(newPort);
      expect(await c2.call('PING')).toBe('+PONG\r\n');
      expect(await c2.call('CONFIG', 'SET', 'bind', '127.0.0.1 -::1')).toBe('+OK\r\n');
      expect(await c2.call('CONFIG', 'GET', 'bind')).toBe('*2\r\n$4\r\nbind\r\n$14\r\n127.0.0.1 -::1\r\n');
      const c3 = await RawConnection.connect(newPort);
      expect(await c3.call('PING')).toBe('+PONG\r\n');
      for (const x of [a, b, c2, c3]) x.close();
    } finally {
      await s.stop();
    }
  });
});

describe('logging', () => {
  it('CONFIG SET loglevel changes what reaches the log at once', async () => {
    const dir = t.server.config.get('dir');
    const logfile = path.join(dir, 'tsredis.log');
    const c = await conn();
    await c.call('CONFIG', 'SET', 'loglevel', 'warning');
    await c.call('DEBUG', 'LOG', 'visible-warning');
    t.server.log.notice('hidden-notice');
    await c.call('CONFIG', 'SET', 'loglevel', 'notice');
    t.server.log.notice('shown-notice');
    await c.call('CONFIG', 'SET', 'loglevel', 'warning');
    c.close();
    const log = fs.readFileSync(logfile, 'utf8');
    expect(log).toContain('DEBUG LOG: visible-warning');
    expect(log).not.toContain('hidden-notice');
    expect(log).toContain('shown-notice');
  });
});
