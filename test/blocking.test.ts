/**
 * Blocking list commands with several real connections: each scenario runs
 * against tsredis and against the real redis-server, and the raw replies
 * every connection received (in a fixed order) must be identical. Then the
 * tsredis-only checks: propagation of served pops, no waiter left behind,
 * long timeouts, CLIENT UNBLOCK, timing of double timeouts.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { bothServers, startTsredis, type TsredisHandle } from './helpers/servers';
import { RawConnection, encodeCommand } from './helpers/resp';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What a scenario can do against one server. */
interface Ctx {
  /** Opens a connection (closed at the end of the scenario). */
  conn(): Promise<RawConnection>;
  /** Waits until the server reports `n` blocked clients. */
  blocked(n: number): Promise<void>;
  /** Records a labelled value in the transcript that is compared between servers. */
  log(label: string, value: string): void;
}

type Scenario = (ctx: Ctx) => Promise<void>;

async function runScenario(port: number, scenario: Scenario): Promise<string[]> {
  const conns: RawConnection[] = [];
  const transcript: string[] = [];
  const admin = await RawConnection.connect(port);
  conns.push(admin);
  await admin.call('FLUSHALL');
  const ctx: Ctx = {
    async conn() {
      const c = await RawConnection.connect(port);
      conns.push(c);
      return c;
    },
    async blocked(n) {
      const deadline = Date.now() + 3000;
      for (;;) {
        const info = await admin.call('INFO', 'clients');
        const m = /blocked_clients:(\d+)/.exec(info);
        if (m && Number(m[1]) === n) return;
        if (Date.now() > deadline) throw new Error(`expected ${n} blocked clients, INFO says ${m?.[1]}`);
        await sleep(5);
      }
    },
    log(label, value) {
      transcript.push(`${label} ${JSON.stringify(value)}`);
    },
  };
  try {
    await scenario(ctx);
  } finally {
    for (const c of conns) c.close();
  }
  return transcript;
}

describe('blocking list commands: tsredis vs real Redis', () => {
  const servers = bothServers();

  /** Runs a scenario on both servers and compares the transcripts; returns ours. */
  async function both(scenario: Scenario): Promise<string[]> {
    const a = await runScenario(servers.ours.port, scenario);
    if (servers.real !== null) {
      const b = await runScenario(servers.real.port, scenario);
      expect(a).toEqual(b);
    }
    // Nobody is left waiting once every connection closed.
    await sleep(20);
    expect(servers.ours.server.blocking.hasWaiters).toBe(false);
    expect(servers.ours.server.blocking.blockedOnKeys).toBe(0);
    return a;
  }

  it('serves waiters in FIFO order, one element each', async () => {
    const t = await both(async (x) => {
      const [a, b, c, p] = [await x.conn(), await x.conn(), await x.conn(), await x.conn()];
      const ra = a.call('BLPOP', 'q', '0');
      await x.blocked(1);
      const rb = b.call('BLPOP', 'q', '0');
      await x.blocked(2);
      const rc = c.call('BRPOP', 'q', '0');
      await x.blocked(3);
      x.log('push', await p.call('RPUSH', 'q', '1', '2'));
      x.log('a', await ra);
      x.log('b', await rb);
      x.log('len', await p.call('LLEN', 'q'));
      x.log('push2', await p.call('RPUSH', 'q', 'x', 'y', 'z'));
      x.log('c', await rc);
      x.log('rest', await p.call('LRANGE', 'q', '0', '-1'));
    });
    expect(t[1]).toBe('a "*2\\r\\n$1\\r\\nq\\r\\n$1\\r\\n1\\r\\n"');
  });

  it('serves from the first key that becomes ready, in the order keys were signalled', async () => {
    await both(async (x) => {
      const [a, b, p] = [await x.conn(), await x.conn(), await x.conn()];
      const ra = a.call('BLPOP', 'k1', 'k2', 'k3', '0');
      await x.blocked(1);
      x.log('push k3', await p.call('RPUSH', 'k3', 'three'));
      x.log('a', await ra);
      const rb = b.call('BRPOP', 'k1', 'k2', '0');
      await x.blocked(1);
      await p.call('MULTI');
      await p.call('RPUSH', 'k2', 'b');
      await p.call('RPUSH', 'k1', 'a');
      x.log('exec', await p.call('EXEC'));
      x.log('b', await rb);
      x.log('k1', await p.call('LRANGE', 'k1', '0', '-1'));
    });
  });

  it('serves several waiters with one multi-element push and leaves the rest', async () => {
    await both(async (x) => {
      const cs = [await x.conn(), await x.conn(), await x.conn()];
      const p = await x.conn();
      const rs: Promise<string>[] = [];
      for (let i = 0; i < cs.length; i++) {
        rs.push(cs[i].call(i === 1 ? 'BRPOP' : 'BLPOP', 'q', '0'));
        await x.blocked(i + 1);
      }
      x.log('push', await p.call('LPUSH', 'q', 'a', 'b', 'c', 'd', 'e'));
      for (let i = 0; i < rs.length; i++) x.log(`c${i}`, await rs[i]);
      x.log('rest', await p.call('LRANGE', 'q', '0', '-1'));
    });
  });

  it('wakes waiters only after MULTI/EXEC, seeing the final state', async () => {
    await both(async (x) => {
      const [a, p] = [await x.conn(), await x.conn()];
      const ra = a.call('BLPOP', 'k', '0.3');
      await x.blocked(1);
      await p.call('MULTI');
      await p.call('RPUSH', 'k', 'a');
      await p.call('DEL', 'k');
      x.log('exec', await p.call('EXEC'));
      x.log('a times out', await ra);
      const ra2 = a.call('BLPOP', 'k', '0');
      await x.blocked(1);
      await p.call('MULTI');
      await p.call('RPUSH', 'k', 'a', 'b');
      await p.call('LPOP', 'k');
      await p.call('RPUSH', 'k', 'c');
      x.log('exec2', await p.call('EXEC'));
      x.log('a2', await ra2);
      x.log('rest', await p.call('LRANGE', 'k', '0', '-1'));
    });
  });

  it('wakes waiters only after a script, seeing the final state', async () => {
    await both(async (x) => {
      const [a, p] = [await x.conn(), await x.conn()];
      const ra = a.call('BRPOP', 'k', '0');
      await x.blocked(1);
      x.log('eval1', await p.call('EVAL', "redis.call('rpush', KEYS[1], 'x'); return redis.call('lpop', KEYS[1])", '1', 'k'));
      await sleep(30);
      x.log('eval2', await p.call('EVAL', "redis.call('rpush', KEYS[1], 'x', 'y'); return redis.call('llen', KEYS[1])", '1', 'k'));
      x.log('a', await ra);
      x.log('rest', await p.call('LRANGE', 'k', '0', '-1'));
    });
  });

  it('keeps waiting while the key holds another type, then serves once it is a list', async () => {
    await both(async (x) => {
      const [a, p] = [await x.conn(), await x.conn()];
      const ra = a.call('BLPOP', 'k', '0');
      await x.blocked(1);
      x.log('set', await p.call('SET', 'k', 'str'));
      await sleep(30);
      x.log('still blocked', await p.call('INFO', 'clients').then((s) => /blocked_clients:(\d+)/.exec(s)![1]));
      x.log('del', await p.call('DEL', 'k'));
      x.log('push', await p.call('RPUSH', 'k', 'v1'));
      x.log('a', await ra);
    });
  });

  it('serves a waiter when a list is renamed, moved or swapped onto its key', async () => {
    await both(async (x) => {
      const [a, p] = [await x.conn(), await x.conn()];
      let ra = a.call('BLPOP', 'k', '0');
      await x.blocked(1);
      await p.call('RPUSH', 'tmp', 'renamed');
      x.log('rename', await p.call('RENAME', 'tmp', 'k'));
      x.log('a1', await ra);
      ra = a.call('BLPOP', 'k', '0');
      await x.blocked(1);
      await p.call('SELECT', '1');
      await p.call('RPUSH', 'k', 'moved');
      x.log('move', await p.call('MOVE', 'k', '0'));
      x.log('a2', await ra);
      ra = a.call('BRPOP', 'k', '0');
      await x.blocked(1);
      await p.call('RPUSH', 'k', 'swapped1', 'swapped2');
      x.log('swapdb', await p.call('SWAPDB', '0', '1'));
      x.log('a3', await ra);
      await p.call('SELECT', '0');
      x.log('rest', await p.call('LRANGE', 'k', '0', '-1'));
      ra = a.call('BLPOP', 'k2', '0');
      await x.blocked(1);
      await p.call('RPUSH', 'src', 'copied');
      x.log('copy', await p.call('COPY', 'src', 'k2'));
      x.log('a4', await ra);
    });
  });

  it('keeps databases apart', async () => {
    await both(async (x) => {
      const [a, p] = [await x.conn(), await x.conn()];
      await a.call('SELECT', '2');
      const ra = a.call('BLPOP', 'k', '0');
      await x.blocked(1);
      x.log('push db0', await p.call('RPUSH', 'k', 'zero'));
      await sleep(30);
      await p.call('SELECT', '2');
      x.log('push db2', await p.call('RPUSH', 'k', 'two'));
      x.log('a', await ra);
      await p.call('SELECT', '0');
      x.log('db0', await p.call('LRANGE', 'k', '0', '-1'));
    });
  });

  it('forgets a waiter that disconnects', async () => {
    await both(async (x) => {
      const [a, b, p] = [await x.conn(), await x.conn(), await x.conn()];
      void a.call('BLPOP', 'k', '0').catch(() => {});
      await x.blocked(1);
      a.close();
      await x.blocked(0);
      const rb = b.call('BLPOP', 'k', '0');
      await x.blocked(1);
      x.log('push', await p.call('RPUSH', 'k', '1', '2'));
      x.log('b', await rb);
      x.log('rest', await p.call('LRANGE', 'k', '0', '-1'));
    });
  });

  it('times out with a null array, in RESP2 and RESP3', async () => {
    await both(async (x) => {
      const [a, b] = [await x.conn(), await x.conn()];
      await b.call('HELLO', '3');
      const started = Date.now();
      x.log('blpop', await a.call('BLPOP', 'k', '0.05'));
      x.log('brpop', await a.call('BRPOP', 'k1', 'k2', '0.05'));
      x.log('blmove', await a.call('BLMOVE', 'k', 'd', 'LEFT', 'RIGHT', '0.05'));
      x.log('brpoplpush', await a.call('BRPOPLPUSH', 'k', 'd', '0.05'));
      x.log('blmpop', await a.call('BLMPOP', '0.05', '1', 'k', 'LEFT'));
      x.log('blpop3', await b.call('BLPOP', 'k', '0.05'));
      x.log('blmove3', await b.call('BLMOVE', 'k', 'd', 'LEFT', 'RIGHT', '0.05'));
      x.log('blmpop3', await b.call('BLMPOP', '0.05', '1', 'k', 'LEFT', 'COUNT', '2'));
      expect(Date.now() - started).toBeGreaterThanOrEqual(8 * 50 - 10);
    });
  });

  it('takes tiny negative timeouts as 0 (forever), as the long double arithmetic does', async () => {
    await both(async (x) => {
      const [a, b, p] = [await x.conn(), await x.conn(), await x.conn()];
      const ra = a.call('BLPOP', 'k', '-0.0001');
      await x.blocked(1);
      const rb = b.call('BRPOP', 'k', '-0.001');
      await x.blocked(2);
      await sleep(50);
      x.log('push', await p.call('RPUSH', 'k', '1', '2'));
      x.log('a', await ra);
      x.log('b', await rb);
      x.log('error', await p.call('BLPOP', 'k', '-0.0011'));
    });
  });

  it('replies in RESP3 shapes when served', async () => {
    await both(async (x) => {
      const [a, p] = [await x.conn(), await x.conn()];
      await a.call('HELLO', '3');
      let r = a.call('BLPOP', 'k', '0');
      await x.blocked(1);
      await p.call('RPUSH', 'k', 'v');
      x.log('blpop', await r);
      r = a.call('BLMPOP', '0', '2', 'k', 'j', 'RIGHT', 'COUNT', '3');
      await x.blocked(1);
      await p.call('RPUSH', 'j', 'a', 'b');
      x.log('blmpop', await r);
      r = a.call('BLMOVE', 'k', 'd', 'RIGHT', 'LEFT', '0');
      await x.blocked(1);
      await p.call('RPUSH', 'k', 'm');
      x.log('blmove', await r);
    });
  });

  it('chains BLMOVE into another waiter', async () => {
    await both(async (x) => {
      const [a, b, c, p] = [await x.conn(), await x.conn(), await x.conn(), await x.conn()];
      const ra = a.call('BLMOVE', 'k1', 'k2', 'LEFT', 'RIGHT', '0');
      await x.blocked(1);
      const rb = b.call('BRPOPLPUSH', 'k2', 'k3', '0');
      await x.blocked(2);
      const rc = c.call('BLPOP', 'k3', '0');
      await x.blocked(3);
      x.log('push', await p.call('LPUSH', 'k1', 'x', 'y'));
      x.log('a', await ra);
      x.log('b', await rb);
      x.log('c', await rc);
      x.log('k1', await p.call('LRANGE', 'k1', '0', '-1'));
      x.log('exists', await p.call('EXISTS', 'k2', 'k3'));
    });
  });

  it('resolves a circular BLMOVE chain', async () => {
    await both(async (x) => {
      const [a, b, p] = [await x.conn(), await x.conn(), await x.conn()];
      const ra = a.call('BLMOVE', 'x', 'y', 'LEFT', 'LEFT', '0');
      await x.blocked(1);
      const rb = b.call('BLMOVE', 'y', 'x', 'LEFT', 'LEFT', '0');
      await x.blocked(2);
      x.log('push', await p.call('RPUSH', 'x', 'e'));
      x.log('a', await ra);
      x.log('b', await rb);
      x.log('x', await p.call('LRANGE', 'x', '0', '-1'));
      x.log('y', await p.call('EXISTS', 'y'));
    });
  });

  it('BLMOVE onto itself and onto a key another client waits on', async () => {
    await both(async (x) => {
      const [a, b, p] = [await x.conn(), await x.conn(), await x.conn()];
      const ra = a.call('BLMOVE', 'k', 'k', 'RIGHT', 'LEFT', '0');
      await x.blocked(1);
      const rb = b.call('BLPOP', 'k', '0');
      await x.blocked(2);
      x.log('push', await p.call('RPUSH', 'k', 'a', 'b'));
      x.log('a', await ra);
      x.log('b', await rb);
      x.log('k', await p.call('LRANGE', 'k', '0', '-1'));
    });
  });

  it('answers WRONGTYPE to a BLMOVE whose destination changed type, keeping the element', async () => {
    await both(async (x) => {
      const [a, b, p] = [await x.conn(), await x.conn(), await x.conn()];
      await p.call('SET', 'dst', 'str');
      const ra = a.call('BLMOVE', 'src', 'dst', 'LEFT', 'LEFT', '0');
      await x.blocked(1);
      const rb = b.call('BLPOP', 'src', '0');
      await x.blocked(2);
      x.log('push', await p.call('RPUSH', 'src', 'e1', 'e2'));
      x.log('a', await ra);
      x.log('b', await rb);
      x.log('src', await p.call('LRANGE', 'src', '0', '-1'));
      x.log('dst', await p.call('GET', 'dst'));
    });
  });

  it('BLMPOP takes up to COUNT elements from the first ready key', async () => {
    await both(async (x) => {
      const [a, b, p] = [await x.conn(), await x.conn(), await x.conn()];
      const ra = a.call('BLMPOP', '0', '2', 'x', 'y', 'RIGHT', 'COUNT', '2');
      await x.blocked(1);
      const rb = b.call('BLMPOP', '0', '1', 'y', 'LEFT', 'COUNT', '5');
      await x.blocked(2);
      x.log('push', await p.call('RPUSH', 'y', '1', '2', '3', '4', '5'));
      x.log('a', await ra);
      x.log('b', await rb);
      x.log('exists', await p.call('EXISTS', 'y'));
    });
  });

  it('continues with the pipeline of a client once served', async () => {
    await both(async (x) => {
      const [a, p] = [await x.conn(), await x.conn()];
      a.write(encodeCommand(['BLPOP', 'k', '0']) + encodeCommand(['PING']) + encodeCommand(['LLEN', 'k']));
      await x.blocked(1);
      x.log('push', await p.call('RPUSH', 'k', 'a', 'b'));
      x.log('blpop', await a.read());
      x.log('ping', await a.read());
      x.log('llen', await a.read());
    });
  });

  it('a served pop invalidates WATCH', async () => {
    await both(async (x) => {
      const [a, w, p] = [await x.conn(), await x.conn(), await x.conn()];
      await p.call('RPUSH', 'other', 'x');
      const ra = a.call('BLPOP', 'k', '0');
      await x.blocked(1);
      await p.call('RPUSH', 'k', 'v', 'w');
      x.log('a', await ra);
      await w.call('WATCH', 'k');
      const rb = a.call('BLMOVE', 'other', 'k', 'LEFT', 'LEFT', '0');
      x.log('b', await rb);
      await w.call('MULTI');
      await w.call('PING');
      x.log('exec', await w.call('EXEC'));
    });
  });

  it('emits the keyspace events of served pops', async () => {
    const t = await both(async (x) => {
      const [a, b, p, s] = [await x.conn(), await x.conn(), await x.conn(), await x.conn()];
      await p.call('CONFIG', 'SET', 'notify-keyspace-events', 'KEA');
      await s.call('PSUBSCRIBE', '__keyevent@0__:*');
      const events: string[] = [];
      let done = false;
      const pump = (async () => {
        while (!done) {
          try {
            events.push(await s.read(200));
          } catch {
            /* quiet period */
          }
        }
      })();
      const ra = a.call('BLPOP', 'w', '0');
      await x.blocked(1);
      const rb = b.call('BLMOVE', 'w2', 'w3', 'RIGHT', 'LEFT', '0');
      await x.blocked(2);
      await p.call('RPUSH', 'w', 'x', 'y');
      await ra;
      await p.call('RPUSH', 'w2', 'x');
      await rb;
      const rc = a.call('BLMPOP', '0', '1', 'w4', 'LEFT', 'COUNT', '9');
      await x.blocked(1);
      await p.call('RPUSH', 'w4', '1', '2');
      await rc;
      await sleep(50);
      done = true;
      await pump;
      await p.call('CONFIG', 'SET', 'notify-keyspace-events', '');
      for (const e of events) x.log('event', e);
    });
    expect(t.length).toBeGreaterThan(8);
  });

  it('CLIENT UNBLOCK with TIMEOUT and ERROR', async () => {
    await both(async (x) => {
      const [a, b, p] = [await x.conn(), await x.conn(), await x.conn()];
      const ida = (await a.call('CLIENT', 'ID')).slice(1, -2);
      const idb = (await b.call('CLIENT', 'ID')).slice(1, -2);
      const ra = a.call('BLPOP', 'k', '0');
      await x.blocked(1);
      const rb = b.call('BLMOVE', 'k', 'd', 'LEFT', 'LEFT', '0');
      await x.blocked(2);
      x.log('unblock a', await p.call('CLIENT', 'UNBLOCK', ida, 'TIMEOUT'));
      x.log('a', await ra);
      x.log('unblock b', await p.call('CLIENT', 'UNBLOCK', idb, 'ERROR'));
      x.log('b', await rb);
      x.log('again', await p.call('CLIENT', 'UNBLOCK', ida));
      const rc = a.call('BLMPOP', '0', '1', 'k', 'LEFT');
      await x.blocked(1);
      x.log('unblock default', await p.call('CLIENT', 'UNBLOCK', ida));
      x.log('c', await rc);
      x.log('push', await p.call('RPUSH', 'k', 'v'));
      x.log('k', await p.call('LRANGE', 'k', '0', '-1'));
    });
  });

  it('blocked clients do not time out from idle timeout and count in INFO', async () => {
    await both(async (x) => {
      const [a, b, p] = [await x.conn(), await x.conn(), await x.conn()];
      const ra = a.call('BLPOP', 'k', '0');
      const rb = b.call('BLMPOP', '5', '2', 'k', 'j', 'LEFT');
      await x.blocked(2);
      const info = await p.call('INFO', 'clients');
      x.log('blocked', /blocked_clients:\d+/.exec(info)![0]);
      x.log('in timeout table', /clients_in_timeout_table:\d+/.exec(info)![0]);
      await p.call('RPUSH', 'k', '1');
      await p.call('RPUSH', 'j', '2');
      x.log('a', await ra);
      x.log('b', await rb);
    });
  });
});

describe('blocking internals (tsredis only)', () => {
  let h: TsredisHandle;
  const fed: Array<[number, string[]]> = [];
  beforeAll(async () => {
    h = await startTsredis();
    h.server.propagationTargets.push({ feed: (db, argv) => fed.push([db, [...argv]]) });
  });
  afterAll(async () => {
    await h.stop();
  });

  async function waitBlocked(n: number): Promise<void> {
    const deadline = Date.now() + 3000;
    while (h.server.blocking.blockedOnKeys !== n) {
      if (Date.now() > deadline) throw new Error('not blocked');
      await sleep(2);
    }
  }

  it('propagates served pops as their non-blocking forms', async () => {
    const [a, p] = [await RawConnection.connect(h.port), await RawConnection.connect(h.port)];
    await p.call('FLUSHALL');
    fed.length = 0;
    let r = a.call('BLPOP', 'w', '0');
    await waitBlocked(1);
    await p.call('RPUSH', 'w', 'x', 'y');
    await r;
    r = a.call('BLMPOP', '0', '1', 'w2', 'RIGHT', 'COUNT', '3');
    await waitBlocked(1);
    await p.call('RPUSH', 'w2', 'x', 'y');
    await r;
    r = a.call('BLMOVE', 'w3', 'w4', 'right', 'LEFT', '0');
    await waitBlocked(1);
    await p.call('RPUSH', 'w3', 'x', 'y');
    await r;
    r = a.call('BRPOPLPUSH', 'w5', 'w6', '0');
    await waitBlocked(1);
    await p.call('RPUSH', 'w5', 'x');
    await r;
    // The immediate paths are rewritten too.
    await a.call('BRPOP', 'w', '0');
    await a.call('BLMPOP', '0', '1', 'w3', 'LEFT', 'COUNT', '5');
    await a.call('BLMOVE', 'w4', 'w7', 'LEFT', 'right', '0');
    await a.call('BRPOPLPUSH', 'w6', 'w7', '0');
    await a.call('LMPOP', '1', 'w7', 'LEFT', 'COUNT', '10');
    // Nothing propagated for what changes nothing.
    await a.call('LPOP', 'nokey');
    await a.call('LREM', 'nokey', '0', 'x');
    await a.call('LTRIM', 'nokey', '0', '1');
    expect(fed.map(([, argv]) => argv.join(' '))).toEqual([
      'RPUSH w x y',
      'LPOP w',
      'RPUSH w2 x y',
      'RPOP w2 2',
      'RPUSH w3 x y',
      'LMOVE w3 w4 right LEFT',
      'RPUSH w5 x',
      'RPOPLPUSH w5 w6',
      'RPOP w',
      'LPOP w3 1',
      'LMOVE w4 w7 LEFT right',
      'RPOPLPUSH w6 w7',
      'LPOP w7 2',
    ]);
    a.close();
    p.close();
  });

  it('times out after the double timeout, not before', async () => {
    const a = await RawConnection.connect(h.port);
    const t0 = Date.now();
    expect(await a.call('BLPOP', 'k', '0.15')).toBe('*-1\r\n');
    const took = Date.now() - t0;
    expect(took).toBeGreaterThanOrEqual(140);
    expect(took).toBeLessThan(1000);
    a.close();
  });

  it('handles timeouts beyond what setTimeout can wait', async () => {
    const a = await RawConnection.connect(h.port);
    const p = await RawConnection.connect(h.port);
    // 40 days: longer than 2^31-1 ms.
    const r = a.call('BLPOP', 'far', String(40 * 86400));
    await waitBlocked(1);
    await sleep(50);
    expect(h.server.blocking.blockedOnKeys).toBe(1);
    await p.call('RPUSH', 'far', 'v');
    expect(await r).toBe('*2\r\n$3\r\nfar\r\n$1\r\nv\r\n');
    a.close();
    p.close();
  });

  it('a timeout of 0 waits until served', async () => {
    const a = await RawConnection.connect(h.port);
    const p = await RawConnection.connect(h.port);
    const r = a.call('BRPOP', 'zero', '0');
    await waitBlocked(1);
    await sleep(300);
    expect(h.server.blocking.blockedOnKeys).toBe(1);
    await p.call('RPUSH', 'zero', 'late');
    expect(await r).toBe('*2\r\n$4\r\nzero\r\n$4\r\nlate\r\n');
    a.close();
    p.close();
  });

  it('many waiters on many keys are all served and forgotten', async () => {
    const p = await RawConnection.connect(h.port);
    await p.call('FLUSHALL');
    const conns: RawConnection[] = [];
    const replies: Promise<string>[] = [];
    for (let i = 0; i < 60; i++) {
      const c = await RawConnection.connect(h.port);
      conns.push(c);
      replies.push(c.call('BLPOP', `k${i % 7}`, `k${(i + 3) % 7}`, '0'));
    }
    await waitBlocked(60);
    // 20 per key: more than the waiters any key has, so everybody is served.
    for (let k = 0; k < 7; k++) await p.call('RPUSH', `k${k}`, ...Array.from({ length: 20 }, (_, j) => `v${k}.${j}`));
    const got = await Promise.all(replies);
    expect(got.every((r) => r.startsWith('*2\r\n'))).toBe(true);
    expect(h.server.blocking.hasWaiters).toBe(false);
    let left = 0;
    for (let k = 0; k < 7; k++) left += Number((await p.call('LLEN', `k${k}`)).slice(1, -2));
    expect(left).toBe(140 - 60);
    for (const c of conns) c.close();
    p.close();
  });
});
