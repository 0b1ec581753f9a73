/**
 * Functions beyond the case files: FUNCTION DUMP / RESTORE payloads moving
 * between tsredis and the real redis-server in both directions (Redis's
 * RDB-based format, with its CRC64), restore policies, FUNCTION STATS while
 * a function runs, and function lookup rules.
 */
import * as net from 'node:net';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startTsredis, startRealRedis, redisServerAvailable, type RunningServer, type TsredisHandle } from './helpers/servers';
import { RawConnection, encodeCommand } from './helpers/resp';
import { readReply } from '../src/protocol/resp-reader';
import { crc64, lzfDecompress } from '../src/scripting/dump';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const LIB_A = "#!lua name=liba\nredis.register_function('fa', function(keys, args) return 'a:' .. (args[1] or '') end)";
const LIB_B =
  "#!lua name=libb\nlocal function helper(x) return x * 2 end\n" +
  "redis.register_function{function_name='fb', callback=function(keys, args) return helper(tonumber(args[1])) end, flags={'no-writes'}, description='doubles'}\n" +
  '-- a long comment to make the code long enough for Redis to compress it with LZF when it writes the payload ' +
  'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx';

function bulk(reply: string): string {
  const r = readReply(reply);
  if (r === null || r.value.type !== 'bulk') throw new Error(`not a bulk reply: ${JSON.stringify(reply)}`);
  return r.value.value;
}

describe('crc64 and lzf', () => {
  it('crc64 is Redis\'s (Jones polynomial)', () => {
    expect(crc64('123456789')).toBe(0xe9c6d914c4b8d9can);
    expect(crc64('')).toBe(0n);
  });

  it('lzf decompresses literal runs and back references', () => {
    // "abcabcabc": literal "abc" (ctrl 2), then a back reference of length 6 at distance 3.
    const data = String.fromCharCode(2) + 'abc' + String.fromCharCode((4 << 5) | 0, 2);
    expect(lzfDecompress(data, 9)).toBe('abcabcabc');
    expect(() => lzfDecompress(data, 10)).toThrow();
  });
});

describe.skipIf(!redisServerAvailable())('FUNCTION DUMP / RESTORE with real Redis', () => {
  let ours: TsredisHandle;
  let theirs: RunningServer;
  let a: RawConnection;
  let b: RawConnection;
  beforeAll(async () => {
    ours = await startTsredis();
    theirs = (await startRealRedis())!;
    a = await RawConnection.connect(ours.port);
    b = await RawConnection.connect(theirs.port);
  });
  afterAll(async () => {
    a?.close();
    b?.close();
    await ours?.stop();
    await theirs?.stop();
  });

  it('restores a payload dumped by Redis (LZF-compressed code included)', async () => {
    await b.call('FUNCTION', 'FLUSH');
    expect(await b.call('FUNCTION', 'LOAD', LIB_A)).toBe('$4\r\nliba\r\n');
    expect(await b.call('FUNCTION', 'LOAD', LIB_B)).toBe('$4\r\nlibb\r\n');
    const payload = bulk(await b.call('FUNCTION', 'DUMP'));
    // Redis compressed the long library: the test would not cover LZF otherwise.
    expect(payload.includes('\xc3')).toBe(true);
    await a.call('FUNCTION', 'FLUSH');
    expect(await a.call('FUNCTION', 'RESTORE', payload)).toBe('+OK\r\n');
    expect(await a.call('FCALL', 'fa', '0', 'x')).toBe('$3\r\na:x\r\n');
    expect(await a.call('FCALL', 'fb', '0', '21')).toBe(':42\r\n');
    expect(await a.call('FCALL_RO', 'fb', '0', '4')).toBe(':8\r\n');
    // The same library list (order aside) on both.
    const listA = readReply(await a.call('FUNCTION', 'LIST', 'WITHCODE'))!.value;
    const listB = readReply(await b.call('FUNCTION', 'LIST', 'WITHCODE'))!.value;
    const norm = (v: unknown) => JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? String(x) : x));
    const sortLibs = (v: { type: string; value: unknown[] }) => v.value.map(norm).sort();
    expect(sortLibs(listA as never)).toEqual(sortLibs(listB as never));
  });

  it('Redis restores a payload dumped by tsredis', async () => {
    await a.call('FUNCTION', 'FLUSH');
    await a.call('FUNCTION', 'LOAD', LIB_A);
    await a.call('FUNCTION', 'LOAD', LIB_B);
    const payload = bulk(await a.call('FUNCTION', 'DUMP'));
    await b.call('FUNCTION', 'FLUSH');
    expect(await b.call('FUNCTION', 'RESTORE', payload)).toBe('+OK\r\n');
    expect(await b.call('FCALL', 'fa', '0', 'y')).toBe('$3\r\na:y\r\n');
    expect(await b.call('FCALL', 'fb', '0', '5')).toBe(':10\r\n');
  });

  it('restore policies behave as Redis\'s', async () => {
    const other = "#!lua name=liba\nredis.register_function('fa2', function() return 'replaced' end)";
    for (const conn of [a, b]) {
      await conn.call('FUNCTION', 'FLUSH');
      await conn.call('FUNCTION', 'LOAD', LIB_A);
    }
    const payloadA = bulk(await a.call('FUNCTION', 'DUMP'));
    const results: string[][] = [[], []];
    for (const [i, conn] of [a, b].entries()) {
      // APPEND (the default) refuses an existing library.
      results[i].push(await conn.call('FUNCTION', 'RESTORE', payloadA));
      results[i].push(await conn.call('FUNCTION', 'RESTORE', payloadA, 'APPEND'));
      await conn.call('FUNCTION', 'LOAD', 'REPLACE', other);
      results[i].push(await conn.call('FCALL', 'fa2', '0'));
      // REPLACE swaps the library back.
      results[i].push(await conn.call('FUNCTION', 'RESTORE', payloadA, 'REPLACE'));
      results[i].push(await conn.call('FCALL', 'fa', '0', 'z'));
      results[i].push(await conn.call('FCALL', 'fa2', '0'));
      // FLUSH drops everything else.
      await conn.call('FUNCTION', 'LOAD', "#!lua name=extra\nredis.register_function('fx', function() return 1 end)");
      results[i].push(await conn.call('FUNCTION', 'RESTORE', payloadA, 'FLUSH'));
      results[i].push(await conn.call('FCALL', 'fx', '0'));
      results[i].push(await conn.call('FCALL', 'fa', '0', 'w'));
      // A corrupted payload is refused and changes nothing.
      const bad = payloadA.slice(0, -1) + String.fromCharCode(payloadA.charCodeAt(payloadA.length - 1) ^ 1);
      results[i].push(await conn.call('FUNCTION', 'RESTORE', bad));
      results[i].push(await conn.call('FUNCTION', 'RESTORE', 'x'.repeat(20)));
      results[i].push(await conn.call('FCALL', 'fa', '0', 'v'));
    }
    expect(results[0]).toEqual(results[1]);
  });

  it('an empty dump restores to nothing on both', async () => {
    await a.call('FUNCTION', 'FLUSH');
    const payload = bulk(await a.call('FUNCTION', 'DUMP'));
    await b.call('FUNCTION', 'FLUSH');
    expect(bulk(await b.call('FUNCTION', 'DUMP'))).toBe(payload);
    expect(await b.call('FUNCTION', 'RESTORE', payload)).toBe('+OK\r\n');
  });
});

describe('FUNCTION STATS while a function runs', () => {
  let ts: TsredisHandle;
  beforeAll(async () => {
    ts = await startTsredis(['busy-reply-threshold 50']);
  });
  afterAll(async () => {
    await ts?.stop();
  });

  it('reports the running function, its command and duration', async () => {
    const admin = await RawConnection.connect(ts.port);
    await admin.call('FUNCTION', 'LOAD', "#!lua name=slow\nredis.register_function('spin', function(keys, args) local i = 0 while true do i = i + 1 end end)");
    const caller = net.createConnection({ port: ts.port, host: '127.0.0.1' });
    let callerOut = '';
    caller.on('data', (d) => (callerOut += d.toString('latin1')));
    await new Promise((r) => caller.once('connect', r));
    caller.write(encodeCommand(['FCALL', 'spin', '1', 'k1', 'arg1']));
    await sleep(200);
    const stats = readReply(await admin.call('FUNCTION', 'STATS'))!.value;
    expect(stats.type).toBe('array');
    const flat = (stats as { value: Array<{ type: string; value: unknown }> }).value;
    expect(flat[0].value).toBe('running_script');
    const running = (flat[1] as { value: Array<{ value: unknown }> }).value;
    expect(running[0].value).toBe('name');
    expect(running[1].value).toBe('spin');
    expect(running[2].value).toBe('command');
    expect((running[3] as { value: Array<{ value: string }> }).value.map((x) => x.value)).toEqual(['FCALL', 'spin', '1', 'k1', 'arg1']);
    expect(running[4].value).toBe('duration_ms');
    expect(Number(running[5].value)).toBeGreaterThanOrEqual(100);
    expect(await admin.call('FUNCTION', 'KILL')).toBe('+OK\r\n');
    const deadline = Date.now() + 5000;
    while (!callerOut.includes('\r\n') && Date.now() < deadline) await sleep(10);
    expect(callerOut).toBe('-ERR Script killed by user with SCRIPT KILL... script: spin, on @user_function:2.\r\n');
    const after = readReply(await admin.call('FUNCTION', 'STATS'))!.value as { value: Array<{ type: string }> };
    expect(after.value[1].type).toBe('null');
    caller.destroy();
    admin.close();
  });
});

describe('function lookup', () => {
  let ts: TsredisHandle;
  beforeAll(async () => {
    ts = await startTsredis();
  });
  afterAll(async () => {
    await ts?.stop();
  });

  it('finds functions without regard to case, libraries by exact name', async () => {
    const c = await RawConnection.connect(ts.port);
    await c.call('FUNCTION', 'LOAD', "#!lua name=Mixed\nredis.register_function('CamelFn', function() return 'camel' end)");
    expect(await c.call('FCALL', 'camelfn', '0')).toBe('$5\r\ncamel\r\n');
    expect(await c.call('FCALL', 'CAMELFN', '0')).toBe('$5\r\ncamel\r\n');
    expect(await c.call('FUNCTION', 'DELETE', 'mixed')).toBe('-ERR Library not found\r\n');
    expect(await c.call('FUNCTION', 'LOAD', "#!lua name=other\nredis.register_function('camelFN', function() return 1 end)")).toBe(
      '-ERR Function camelFN already exists\r\n',
    );
    expect(await c.call('FUNCTION', 'DELETE', 'Mixed')).toBe('+OK\r\n');
    expect(await c.call('FCALL', 'camelfn', '0')).toBe('-ERR Function not found\r\n');
    c.close();
  });

  it('keeps the old library when a REPLACE fails', async () => {
    const c = await RawConnection.connect(ts.port);
    await c.call('FUNCTION', 'LOAD', "#!lua name=keep\nredis.register_function('kf', function() return 'old' end)");
    expect(await c.call('FUNCTION', 'LOAD', 'REPLACE', "#!lua name=keep\nerror('broken')")).toMatch(/^-ERR Error registering functions/);
    expect(await c.call('FCALL', 'kf', '0')).toBe('$3\r\nold\r\n');
    c.close();
  });
});
