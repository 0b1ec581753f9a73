/**
 * Scripting behaviour the differential case files cannot show: scripts that
 * run past busy-reply-threshold (other clients get -BUSY, SCRIPT KILL /
 * FUNCTION KILL, UNKILLABLE after a write), with several connections; the
 * event loop staying responsive meanwhile; atomicity and frozen time;
 * propagation of a script's effects; replies nested deeper than the
 * generic reply reader can follow.
 *
 * Scenarios run against tsredis and the real redis-server and the raw
 * transcripts must be identical; tsredis-only checks follow.
 */
import * as net from 'node:net';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startTsredis, startRealRedis, redisServerAvailable, recordingServer, type RunningServer, type TsredisHandle } from './helpers/servers';
import { RawConnection, encodeCommand } from './helpers/resp';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A connection that collects everything it receives, for replies that arrive late. */
class Collector {
  buf = '';
  readonly socket: net.Socket;
  private constructor(socket: net.Socket) {
    this.socket = socket;
    socket.on('data', (d) => (this.buf += d.toString('latin1')));
    socket.on('error', () => {});
  }
  static connect(port: number): Promise<Collector> {
    return new Promise((resolve, reject) => {
      const s = net.createConnection({ port, host: '127.0.0.1' }, () => resolve(new Collector(s)));
      s.once('error', reject);
    });
  }
  send(...argv: string[]): void {
    this.socket.write(encodeCommand(argv), 'latin1');
  }
  take(): string {
    const s = this.buf;
    this.buf = '';
    return s;
  }
  async waitFor(text: string, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.buf.includes(text)) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${JSON.stringify(text)}, got ${JSON.stringify(this.buf)}`);
      await sleep(5);
    }
  }
  close(): void {
    this.socket.destroy();
  }
}

type Scenario = (port: number, log: (label: string, value: string) => void) => Promise<void>;

async function transcript(port: number, scenario: Scenario): Promise<string[]> {
  const out: string[] = [];
  const admin = await RawConnection.connect(port);
  await admin.call('FLUSHALL');
  await admin.call('SCRIPT', 'FLUSH');
  await admin.call('FUNCTION', 'FLUSH');
  await admin.call('CONFIG', 'SET', 'busy-reply-threshold', '100');
  try {
    await scenario(port, (label, value) => out.push(`${label} ${JSON.stringify(value)}`));
  } finally {
    await admin.call('CONFIG', 'SET', 'busy-reply-threshold', '5000');
    admin.close();
  }
  return out;
}

const available = redisServerAvailable();

/** Sends a command on `c` and waits long enough for the busy threshold to pass. */
async function pastThreshold(): Promise<void> {
  await sleep(250);
}

const scenarios: Record<string, Scenario> = {
  async 'other clients get BUSY, SCRIPT KILL stops a script that did not write'(port, log) {
    const a = await Collector.connect(port);
    const b = await Collector.connect(port);
    a.send('EVAL', 'local i = 0 while true do i = i + 1 end', '0');
    a.send('PING', 'after the script');
    await pastThreshold();
    for (const argv of [
      ['PING'],
      ['GET', 'x'],
      ['SET', 'x', 'y'],
      ['EVAL', 'return 1', '0'],
      ['MULTI'],
      ['DISCARD'],
      ['FUNCTION', 'STATS'],
      ['FUNCTION', 'KILL'],
      ['SCRIPT', 'LOAD', 'return 1'],
      ['CLIENT', 'SETNAME', 'x'],
    ]) {
      b.send(...argv);
      await sleep(30);
      log(argv.join(' '), b.take());
    }
    b.send('SCRIPT', 'KILL');
    await b.waitFor('\r\n');
    log('SCRIPT KILL', b.take());
    await a.waitFor('after the script');
    log('caller', a.take());
    b.send('SCRIPT', 'KILL');
    await b.waitFor('\r\n');
    log('SCRIPT KILL again', b.take());
    b.send('GET', 'x');
    await b.waitFor('\r\n');
    log('GET x', b.take());
    a.close();
    b.close();
  },

  async 'a script that wrote cannot be killed, and ends on its own'(port, log) {
    const a = await Collector.connect(port);
    const b = await Collector.connect(port);
    a.send(
      'EVAL',
      "redis.call('set', 'w', '1') local t0 = tonumber(redis.call('time')[1]) * 1000000 + tonumber(redis.call('time')[2]) " +
        "while true do local t = redis.call('time') if tonumber(t[1]) * 1000000 + tonumber(t[2]) - t0 > 600000 then break end end return 'done'",
      '0',
    );
    await pastThreshold();
    b.send('SCRIPT', 'KILL');
    await b.waitFor('\r\n');
    log('SCRIPT KILL', b.take());
    b.send('FUNCTION', 'KILL');
    await b.waitFor('\r\n');
    log('FUNCTION KILL', b.take());
    await a.waitFor('done', 5000);
    log('caller', a.take());
    b.send('GET', 'w');
    await b.waitFor('\r\n');
    log('GET w', b.take());
    a.close();
    b.close();
  },

  async 'FUNCTION KILL stops a function, SCRIPT KILL refuses to'(port, log) {
    const a = await Collector.connect(port);
    const b = await Collector.connect(port);
    b.send('FUNCTION', 'LOAD', "#!lua name=loops\nredis.register_function('spin', function() while true do end end)");
    await b.waitFor('\r\n');
    log('load', b.take());
    a.send('FCALL', 'spin', '0');
    await pastThreshold();
    b.send('PING');
    await b.waitFor('\r\n');
    log('PING', b.take());
    b.send('SCRIPT', 'KILL');
    await b.waitFor('\r\n');
    log('SCRIPT KILL', b.take());
    b.send('FUNCTION', 'KILL');
    await b.waitFor('\r\n');
    log('FUNCTION KILL', b.take());
    await a.waitFor('\r\n');
    log('caller', a.take());
    a.close();
    b.close();
  },

  async 'time is frozen while a script runs'(port, log) {
    const a = await Collector.connect(port);
    a.send('SET', 'k', 'v', 'PX', '100');
    await a.waitFor('\r\n');
    a.take();
    a.send(
      'EVAL',
      "local n = 0 local t0 = tonumber(redis.call('time')[1]) * 1000 + tonumber(redis.call('time')[2]) / 1000 " +
        "while true do local t = redis.call('time') if tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000 - t0 > 300 then break end " +
        "n = n + redis.call('exists', 'k') end return n > 0 and redis.call('exists', 'k')",
      '0',
    );
    await a.waitFor('\r\n', 5000);
    log('exists during the script', a.take());
    a.send('EXISTS', 'k');
    await a.waitFor('\r\n');
    log('exists after', a.take());
    a.close();
  },

  async 'replies nested as deep as the Lua stack allows'(port, log) {
    const a = await Collector.connect(port);
    a.send('EVAL', 'local t = {} t[1] = t return t', '0');
    a.send('EVAL', 'local t = {} t.map = t return t', '0');
    a.send('EVAL', 'local a = {} local cur = a for i = 1, 10000 do local n = {} cur[1] = n cur = n end return a', '0');
    a.send('PING', 'end');
    await a.waitFor('end');
    const all = a.take();
    log('length', String(all.length));
    log('sha', require('node:crypto').createHash('sha1').update(all, 'latin1').digest('hex'));
    a.close();
  },
};

describe.skipIf(!available)('scripting scenarios against real Redis', () => {
  let ours: TsredisHandle;
  let theirs: RunningServer;
  beforeAll(async () => {
    ours = await startTsredis();
    theirs = (await startRealRedis())!;
  });
  afterAll(async () => {
    await ours?.stop();
    await theirs?.stop();
  });
  for (const [name, scenario] of Object.entries(scenarios)) {
    it(name, async () => {
      const [a, b] = await Promise.all([transcript(ours.port, scenario), transcript(theirs.port, scenario)]);
      expect(a).toEqual(b);
    }, 20000);
  }
});

describe('a long script does not freeze the server', () => {
  let ts: TsredisHandle;
  beforeAll(async () => {
    ts = await startTsredis(['busy-reply-threshold 50']);
  });
  afterAll(async () => {
    await ts?.stop();
  });

  it('answers other clients while the script runs, then serves the caller in order', async () => {
    const a = await Collector.connect(ts.port);
    const b = await Collector.connect(ts.port);
    a.send('SET', 'before', '1');
    a.send('EVAL', "local i = 0 while i < 3e7 do i = i + 1 end redis.call('set', 'after', i) return i", '0');
    a.send('GET', 'after');
    const started = Date.now();
    await sleep(120);
    // While the script runs, every other client is answered promptly, with -BUSY.
    const latencies: number[] = [];
    for (let k = 0; k < 5; k++) {
      const t = Date.now();
      b.send('PING');
      await b.waitFor('\r\n', 2000);
      latencies.push(Date.now() - t);
      expect(b.take()).toBe('-BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.\r\n');
    }
    expect(Math.max(...latencies)).toBeLessThan(200);
    await a.waitFor('$8\r\n30000000\r\n', 60000);
    expect(a.take()).toBe('+OK\r\n:30000000\r\n$8\r\n30000000\r\n');
    expect(Date.now() - started).toBeGreaterThan(150);
    b.send('PING');
    await b.waitFor('\r\n');
    expect(b.take()).toBe('+PONG\r\n');
    a.close();
    b.close();
  }, 90000);

  it('keeps its writes atomic: nobody else writes while it is suspended', async () => {
    const a = await Collector.connect(ts.port);
    const b = await Collector.connect(ts.port);
    a.send('EVAL', "redis.call('set', 'atom', 'script') local i = 0 while i < 5e6 do i = i + 1 end return redis.call('get', 'atom')", '0');
    await sleep(100);
    b.send('SET', 'atom', 'intruder');
    await b.waitFor('\r\n');
    expect(b.take()).toMatch(/^-BUSY/);
    await a.waitFor('$6\r\nscript\r\n', 30000);
    b.send('GET', 'atom');
    await b.waitFor('\r\n');
    expect(b.take()).toBe('$6\r\nscript\r\n');
    a.close();
    b.close();
  }, 60000);

  it('runs to completion without yielding inside MULTI/EXEC', async () => {
    const a = await Collector.connect(ts.port);
    a.send('MULTI');
    a.send('EVAL', 'local i = 0 while i < 3e6 do i = i + 1 end return i', '0');
    a.send('EXEC');
    await a.waitFor('*1\r\n', 30000);
    expect(a.take()).toBe('+OK\r\n+QUEUED\r\n*1\r\n:3000000\r\n');
    a.close();
  }, 60000);

  it('survives its caller disconnecting', async () => {
    const a = await Collector.connect(ts.port);
    a.send('EVAL', "local i = 0 while i < 3e6 do i = i + 1 end redis.call('set', 'orphan', i) return i", '0');
    await sleep(80);
    a.close();
    const b = await RawConnection.connect(ts.port);
    const deadline = Date.now() + 30000;
    let reply = '';
    while (Date.now() < deadline) {
      reply = await b.call('GET', 'orphan');
      if (!reply.startsWith('-BUSY') && reply !== '$-1\r\n') break;
      await sleep(20);
    }
    expect(reply).toBe('$7\r\n3000000\r\n');
    b.close();
  }, 60000);

  it('SCRIPT KILL answers NOTBUSY when nothing runs', async () => {
    const b = await RawConnection.connect(ts.port);
    expect(await b.call('SCRIPT', 'KILL')).toBe('-NOTBUSY No scripts in execution right now.\r\n');
    expect(await b.call('FUNCTION', 'KILL')).toBe('-NOTBUSY No scripts in execution right now.\r\n');
    b.close();
  });
});

describe('a server stopped while a script is suspended', () => {
  it('ends the script', async () => {
    const ts = await startTsredis(['busy-reply-threshold 20']);
    const a = await Collector.connect(ts.port);
    a.send('EVAL', 'while true do end', '0');
    await sleep(100);
    await ts.stop();
    await sleep(50);
    // The suspended script does not keep running after the server stopped.
    const t = Date.now();
    await sleep(50);
    expect(Date.now() - t).toBeLessThan(500);
    a.close();
  });
});

describe('propagation of script effects', () => {
  const ts = recordingServer();
  const { fed } = ts;

  it('propagates the writes of a script, not EVAL, wrapped in MULTI/EXEC', async () => {
    fed.length = 0;
    await ts.conn.call('EVAL', "redis.call('set', 'a', '1') redis.call('get', 'a') redis.call('incr', 'a') return 1", '0');
    expect(fed).toEqual([
      [0, ['MULTI']],
      [0, ['set', 'a', '1']],
      [0, ['incr', 'a']],
      [0, ['EXEC']],
    ]);
  });

  it('propagates a single write alone and nothing for read-only scripts', async () => {
    fed.length = 0;
    await ts.conn.call('EVAL', "return redis.call('set', 'b', '2')", '0');
    await ts.conn.call('EVAL', "return redis.call('get', 'b')", '0');
    await ts.conn.call('EVAL_RO', "return redis.call('get', 'b')", '0');
    expect(fed).toEqual([[0, ['set', 'b', '2']]]);
  });

  it('follows SELECT inside the script', async () => {
    fed.length = 0;
    await ts.conn.call('EVAL', "redis.call('select', 2) redis.call('set', 'c', '3') redis.call('select', 0) redis.call('set', 'd', '4')", '0');
    expect(fed).toEqual([
      [2, ['MULTI']],
      [2, ['set', 'c', '3']],
      [0, ['set', 'd', '4']],
      [0, ['EXEC']],
    ]);
  });

  it('does not propagate writes after redis.set_repl(redis.REPL_NONE)', async () => {
    fed.length = 0;
    await ts.conn.call(
      'EVAL',
      "redis.call('set', 'e', '1') redis.set_repl(redis.REPL_NONE) redis.call('set', 'f', '1') redis.set_repl(redis.REPL_ALL) redis.call('set', 'g', '1')",
      '0',
    );
    expect(fed).toEqual([
      [0, ['MULTI']],
      [0, ['set', 'e', '1']],
      [0, ['set', 'g', '1']],
      [0, ['EXEC']],
    ]);
  });

  it('propagates FCALL effects and FUNCTION LOAD itself', async () => {
    fed.length = 0;
    const code = "#!lua name=plib\nredis.register_function('pf', function(keys) redis.call('set', keys[1], 'v') redis.call('del', 'nothing') return 1 end)";
    expect(await ts.conn.call('FUNCTION', 'LOAD', code)).toBe('$4\r\nplib\r\n');
    await ts.conn.call('FCALL', 'pf', '1', 'fk');
    expect(fed).toEqual([
      [0, ['FUNCTION', 'LOAD', code]],
      [0, ['set', 'fk', 'v']],
    ]);
  });

  it('propagates the writes of a script that yielded to the event loop as one transaction when it ends', async () => {
    await ts.conn.call('CONFIG', 'SET', 'busy-reply-threshold', '20');
    try {
      fed.length = 0;
      const reply = await ts.conn.call(
        'EVAL',
        "redis.call('set', 'y1', '1') local i = 0 while i < 3e6 do i = i + 1 end redis.call('set', 'y2', '2') return i",
        '0',
      );
      expect(reply).toBe(':3000000\r\n');
      expect(fed).toEqual([
        [0, ['MULTI']],
        [0, ['set', 'y1', '1']],
        [0, ['set', 'y2', '2']],
        [0, ['EXEC']],
      ]);
    } finally {
      await ts.conn.call('CONFIG', 'SET', 'busy-reply-threshold', '5000');
    }
  }, 30000);
});

describe('the script cache', () => {
  let ts: TsredisHandle;
  beforeAll(async () => {
    ts = await startTsredis();
  });
  afterAll(async () => {
    await ts?.stop();
  });

  it('compiles a script once and runs the cached function', async () => {
    const c = await RawConnection.connect(ts.port);
    const sha = (await c.call('SCRIPT', 'LOAD', 'return ARGV[1] .. "!"')).split('\r\n')[1];
    const { scripting } = await import('../src/scripting/engine');
    const engine = scripting(ts.server).eval;
    const cached = engine.scripts.get(sha)!;
    expect(cached).toBeDefined();
    for (let i = 0; i < 50; i++) expect(await c.call('EVALSHA', sha, '0', String(i))).toBe(`$${String(i).length + 1}\r\n${i}!\r\n`);
    expect(await c.call('EVAL', 'return ARGV[1] .. "!"', '0', 'x')).toBe('$2\r\nx!\r\n');
    expect(engine.scripts.get(sha)).toBe(cached);
    expect(engine.scripts.size).toBe(1);
    c.close();
  });

  it('SCRIPT FLUSH starts a new Lua state', async () => {
    const c = await RawConnection.connect(ts.port);
    const { scripting } = await import('../src/scripting/engine');
    const before = scripting(ts.server).eval;
    await c.call('SCRIPT', 'FLUSH');
    expect(scripting(ts.server).eval).not.toBe(before);
    expect(await c.call('EVAL', 'return 1', '0')).toBe(':1\r\n');
    c.close();
  });
});
