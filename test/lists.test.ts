/**
 * Lists beyond the case files: the packed deque checked against a plain
 * array model with its invariants after every step, long random command
 * sequences compared byte for byte with the real Redis, keyspace events
 * compared with Redis, big lists (linear costs, no stalls, big replies),
 * and memory per element.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import * as net from 'node:net';
import { bothServers, startTsredis, redisServerAvailable, type TsredisHandle } from './helpers/servers';
import { RawConnection, encodeCommand } from './helpers/resp';
import { ListValue, NODE_MAX_COUNT, decodeElement, encodeElement } from '../src/store/types/list';
import { Config } from '../src/config/config';
import { seeded } from './helpers/random';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A random element: mostly from a small alphabet (so that LREM/LPOS/LINSERT find matches), sometimes binary or big. */
function randomElement(r: () => number): string {
  const x = r();
  if (x < 0.6) return 'abcde'[Math.floor(r() * 5)];
  if (x < 0.8) return String(Math.floor(r() * 1000));
  if (x < 0.9) return '';
  if (x < 0.97) {
    let s = '';
    const n = Math.floor(r() * 40);
    for (let i = 0; i < n; i++) s += String.fromCharCode(Math.floor(r() * 256));
    return s;
  }
  return 'x'.repeat(Math.floor(r() * 20000));
}

describe('ListValue against an array model', () => {
  function check(l: ListValue, model: string[]): void {
    l.checkInvariants();
    expect(l.size).toBe(model.length);
  }

  /** Random operations on a list and its model; lists longer than `cap` only shrink (small caps exercise the one-node form). */
  function randomOps(seed: number, steps: number, cap: number): void {
    {
      const r = seeded(seed);
      const l = new ListValue();
      const model: string[] = [];
      for (let step = 0; step < steps; step++) {
        let op = Math.floor(r() * 16);
        if (model.length > cap && op <= 3) op = 4 + Math.floor(r() * 3);
        const v = r() < 0.9 ? 'abcdef'[Math.floor(r() * 6)] + (r() < 0.3 ? String(step) : '') : randomElement(r);
        switch (op) {
          case 0:
          case 1: {
            const n = 1 + Math.floor(r() * (r() < 0.1 ? 300 : 5));
            for (let i = 0; i < n; i++) {
              l.pushTail(v + i);
              model.push(v + i);
            }
            break;
          }
          case 2:
          case 3: {
            const n = 1 + Math.floor(r() * (r() < 0.1 ? 300 : 5));
            for (let i = 0; i < n; i++) {
              l.pushHead(v + i);
              model.unshift(v + i);
            }
            break;
          }
          case 4:
            expect(l.popHead()).toBe(model.shift());
            break;
          case 5:
            expect(l.popTail()).toBe(model.pop());
            break;
          case 6: {
            const k = Math.floor(r() * 200);
            const head = r() < 0.5;
            const { n, data } = l.popManyEncoded(k, head);
            const expected = head ? model.splice(0, k) : model.splice(Math.max(0, model.length - k)).reverse();
            expect(n).toBe(expected.length);
            expect(data).toBe(expected.map(encodeElement).join(''));
            break;
          }
          case 7: {
            const i = Math.floor(r() * (model.length + 4)) - 2;
            expect(l.get(i)).toBe(i < 0 ? model[model.length + i] : model[i]);
            break;
          }
          case 8: {
            const i = Math.floor(r() * (model.length + 2)) - 1;
            const ok = l.set(i, v);
            const j = i < 0 ? model.length + i : i;
            expect(ok).toBe(j >= 0 && j < model.length);
            if (ok) model[j] = v;
            break;
          }
          case 9: {
            const i = Math.floor(r() * (model.length + 1));
            l.insertAt(i, v);
            model.splice(i, 0, v);
            break;
          }
          case 10: {
            const count = Math.floor(r() * 7) - 3;
            const target = 'abcdef'[Math.floor(r() * 6)];
            let removed = 0;
            if (count >= 0) {
              for (let i = 0; i < model.length && (count === 0 || removed < count); i++) {
                if (model[i] === target) {
                  model.splice(i--, 1);
                  removed++;
                }
              }
            } else {
              for (let i = model.length - 1; i >= 0 && removed < -count; i--) {
                if (model[i] === target) {
                  model.splice(i, 1);
                  removed++;
                }
              }
            }
            expect(l.removeMatching(target, count)).toBe(removed);
            break;
          }
          case 11: {
            const a = Math.floor(r() * 50);
            const b = Math.floor(r() * 50);
            l.removeHead(a);
            model.splice(0, a);
            l.removeTail(b);
            model.splice(Math.max(0, model.length - b));
            break;
          }
          case 12: {
            if (model.length === 0) break;
            const s = Math.floor(r() * model.length);
            const e = s + Math.floor(r() * (model.length - s));
            let out = '';
            l.writeRange({ raw: (x) => (out += x) }, s, e);
            expect(out).toBe(model.slice(s, e + 1).map(encodeElement).join(''));
            expect(l.range(s, e)).toEqual(model.slice(s, e + 1));
            break;
          }
          case 13: {
            const target = 'abcdef'[Math.floor(r() * 6)];
            const fromTail = r() < 0.5;
            const skip = Math.floor(r() * 3);
            const count = Math.floor(r() * 4);
            const maxlen = r() < 0.5 ? 0 : Math.floor(r() * model.length);
            const expected: number[] = [];
            let matches = 0;
            const limit = maxlen === 0 ? model.length : Math.min(maxlen, model.length);
            for (let t = 0; t < limit; t++) {
              const i = fromTail ? model.length - 1 - t : t;
              if (model[i] === target && ++matches > skip) {
                expected.push(i);
                if (count !== 0 && expected.length >= count) break;
              }
            }
            expect(l.positions(target, fromTail, skip, count, maxlen)).toEqual(expected);
            expect(l.indexOf(target)).toBe(model.indexOf(target));
            break;
          }
          case 14: {
            // LMOVE-like transfer of encodings within the same list.
            const fromHead = r() < 0.5;
            const toHead = r() < 0.5;
            const e = l.popEncoded(fromHead);
            const mv = fromHead ? model.shift() : model.pop();
            expect(e === undefined ? undefined : decodeElement(e)).toBe(mv);
            if (e !== undefined) {
              l.pushEncoded(e, toHead);
              if (toHead) model.unshift(mv!);
              else model.push(mv!);
            }
            break;
          }
          case 15: {
            if (r() < 0.05) {
              const c = l.clone();
              expect(c.toArray()).toEqual(model);
              c.pushTail('only in the clone');
              expect(l.size).toBe(model.length);
            }
            break;
          }
        }
        check(l, model);
      }
      expect(l.toArray()).toEqual(model);
      expect([...l]).toEqual(model);
    }
  }

  it('keeps the order through random operations at both ends and in the middle', () => {
    for (const seed of [1, 2, 3, 4, 5, 6]) randomOps(seed, 4000, Infinity);
  });

  it('moves between the one-node form and the node array correctly', () => {
    for (const seed of [21, 22, 23, 24, 25, 26, 27, 28]) randomOps(seed, 3000, seed % 2 === 0 ? 140 : 20);
  });

  it('keeps nodes bounded and merges after removals', () => {
    const l = new ListValue();
    for (let i = 0; i < 10000; i++) l.pushTail(i % 2 === 0 ? 'keep' : 'drop');
    expect(l.nodeCount).toBeLessThanOrEqual(Math.ceil(10000 / NODE_MAX_COUNT) + 1);
    expect(l.removeMatching('drop', 0)).toBe(5000);
    l.checkInvariants();
    expect(l.nodeCount).toBeLessThanOrEqual(Math.ceil(5000 / NODE_MAX_COUNT) + 2);
    for (let i = 0; i < 5000; i++) l.insertAt(2500, 'mid');
    l.checkInvariants();
    expect(l.nodeCount).toBeLessThanOrEqual(Math.ceil(10000 / (NODE_MAX_COUNT / 2)) + 2);
  });

  it('reports the quicklist encoding as Redis 7.0 does, at any size', () => {
    const config = new Config();
    const l = new ListValue();
    l.pushTail('a');
    expect(l.encoding(config)).toBe('quicklist');
    for (let i = 0; i < 1000; i++) l.pushTail('x'.repeat(100));
    expect(l.encoding(config)).toBe('quicklist');
    expect(l.type).toBe('list');
  });

  it('stores small elements in about their encoded size', async () => {
    const v8 = await import('node:v8');
    const vm = await import('node:vm');
    v8.setFlagsFromString('--expose_gc');
    const gc = vm.runInNewContext('gc') as () => void;
    const heap = () => {
      gc();
      gc();
      return process.memoryUsage().heapUsed;
    };
    const N = 200000;
    const before = heap();
    const l = new ListValue();
    for (let i = 0; i < N; i++) l.pushTail(Buffer.from('xxx').toString('latin1'));
    const perElement = (heap() - before) / N;
    // "$3\r\nxxx\r\n" is 9 bytes; an array of strings would take ~34.
    expect(perElement).toBeLessThan(14);
    expect(l.size).toBe(N);
    // A short list is one object plus its node string (Redis: ~110 bytes with its robj and quicklist).
    const before2 = heap();
    const lists: ListValue[] = [];
    for (let i = 0; i < 50000; i++) {
      const x = new ListValue();
      x.pushTail(Buffer.from('v' + i).toString('latin1'));
      lists.push(x);
    }
    const perList = (heap() - before2) / 50000;
    expect(perList).toBeLessThan(130);
    expect(lists.length).toBe(50000);
  });
});

describe('lists against real Redis', () => {
  const available = redisServerAvailable();
  const servers = bothServers();

  /** One random list command over keys l0..l2 (and a string key s). */
  function randomCommand(r: () => number): string[] {
    const key = () => (r() < 0.05 ? 's' : r() < 0.02 ? 'missing' : `l${Math.floor(r() * 3)}`);
    const idx = () => String(Math.floor(r() * 300) - 150);
    const el = () => randomElement(r);
    const side = () => (r() < 0.5 ? 'LEFT' : 'RIGHT');
    const x = Math.floor(r() * 22);
    switch (x) {
      case 0:
      case 1:
      case 2: {
        const n = 1 + Math.floor(r() * (r() < 0.15 ? 200 : 4));
        return [r() < 0.5 ? 'LPUSH' : 'RPUSH', key(), ...Array.from({ length: n }, el)];
      }
      case 3:
        return [r() < 0.5 ? 'LPUSHX' : 'RPUSHX', key(), el()];
      case 4:
      case 5:
        return r() < 0.5 ? [r() < 0.5 ? 'LPOP' : 'RPOP', key()] : [r() < 0.5 ? 'LPOP' : 'RPOP', key(), String(Math.floor(r() * 30))];
      case 6:
      case 7:
        return ['LRANGE', key(), idx(), idx()];
      case 8:
        return ['LINDEX', key(), idx()];
      case 9:
        return ['LSET', key(), idx(), el()];
      case 10:
        return ['LINSERT', key(), r() < 0.5 ? 'BEFORE' : 'AFTER', el(), el()];
      case 11:
        return ['LREM', key(), String(Math.floor(r() * 7) - 3), el()];
      case 12:
        return r() < 0.3 ? ['LTRIM', key(), idx(), idx()] : ['LTRIM', key(), String(Math.floor(r() * 3)), String(-1 - Math.floor(r() * 3))];
      case 13:
      case 14: {
        const argv = ['LPOS', key(), el()];
        if (r() < 0.5) argv.push('RANK', String(r() < 0.5 ? 1 + Math.floor(r() * 3) : -1 - Math.floor(r() * 3)));
        if (r() < 0.5) argv.push('COUNT', String(Math.floor(r() * 4)));
        if (r() < 0.3) argv.push('MAXLEN', String(Math.floor(r() * 50)));
        return argv;
      }
      case 15:
        return ['LMOVE', key(), key(), side(), side()];
      case 16:
        return ['RPOPLPUSH', key(), key()];
      case 17: {
        const n = 1 + Math.floor(r() * 3);
        const argv = ['LMPOP', String(n), ...Array.from({ length: n }, key), side()];
        if (r() < 0.6) argv.push('COUNT', String(1 + Math.floor(r() * 20)));
        return argv;
      }
      case 18:
        return ['LLEN', key()];
      case 19:
        return [r() < 0.5 ? 'BLPOP' : 'BRPOP', key(), key(), '0.001'];
      case 20:
        return ['BLMOVE', key(), key(), side(), side(), '0.001'];
      default: {
        const argv = ['BLMPOP', '0.001', '2', key(), key(), side()];
        if (r() < 0.5) argv.push('COUNT', String(1 + Math.floor(r() * 5)));
        return argv;
      }
    }
  }

  it.skipIf(!available)('random command sequences give identical replies', async () => {
    const a = await RawConnection.connect(servers.ours.port);
    const b = await RawConnection.connect(servers.theirs.port);
    try {
      for (const seed of [11, 12, 13, 14]) {
        const r = seeded(seed);
        for (const c of [a, b]) {
          await c.call('FLUSHALL');
          await c.call('SET', 's', 'string');
          if (seed === 14) await c.call('HELLO', '3');
        }
        for (let step = 0; step < 1500; step++) {
          const argv = randomCommand(r);
          const [ra, rb] = await Promise.all([a.call(...argv), b.call(...argv)]);
          if (ra !== rb) {
            expect.soft(ra, `seed ${seed} step ${step}: ${JSON.stringify(argv).slice(0, 300)}`).toBe(rb);
            throw new Error('mismatch');
          }
          if (step % 100 === 99) {
            for (const k of ['l0', 'l1', 'l2']) {
              const [x, y] = await Promise.all([a.call('LRANGE', k, '0', '-1'), b.call('LRANGE', k, '0', '-1')]);
              expect(x).toBe(y);
            }
          }
        }
      }
      // Our lists are internally consistent at the end.
      for (const k of ['l0', 'l1', 'l2']) {
        const v = servers.ours.server.dbs[0].keys.get(k);
        if (v instanceof ListValue) v.checkInvariants();
      }
    } finally {
      a.close();
      b.close();
    }
  }, 120000);

  it.skipIf(!available)('emits the same keyspace events as Redis', async () => {
    const script: string[][] = [
      ['RPUSH', 'l', '1', '2', '3', '4'],
      ['LPUSH', 'l', '0'],
      ['LPUSHX', 'l', 'x'],
      ['RPUSHX', 'l', 'y'],
      ['LPUSHX', 'nokey', 'y'],
      ['LPOP', 'l'],
      ['RPOP', 'l', '2'],
      ['LPOP', 'l', '0'],
      ['LINSERT', 'l', 'BEFORE', '2', 'z'],
      ['LINSERT', 'l', 'BEFORE', 'nothere', 'z'],
      ['LSET', 'l', '0', 'w'],
      ['LREM', 'l', '0', 'nothere'],
      ['LREM', 'l', '1', 'z'],
      ['LTRIM', 'l', '0', '-1'],
      ['LTRIM', 'l', '1', '-1'],
      ['LRANGE', 'l', '0', '-1'],
      ['LMOVE', 'l', 'm', 'LEFT', 'RIGHT'],
      ['RPOPLPUSH', 'm', 'm'],
      ['LMOVE', 'l', 'm', 'LEFT', 'LEFT'],
      ['LMOVE', 'l', 'l2', 'LEFT', 'LEFT'],
      ['RPUSH', 'n', '1', '2'],
      ['LMPOP', '1', 'n', 'LEFT', 'COUNT', '5'],
      ['RPUSH', 'n', '1', '2'],
      ['BLPOP', 'n', '0'],
      ['BLMPOP', '0', '1', 'n', 'LEFT', 'COUNT', '5'],
      ['RPUSH', 'n', '1', '2'],
      ['LTRIM', 'n', '5', '6'],
      ['RPUSH', 'n', '1', '2'],
      ['LREM', 'n', '0', '1'],
      ['LREM', 'n', '0', '2'],
      ['RPUSH', 'n', '1'],
      ['LSET', 'n', '0', '1'],
      ['BLMOVE', 'n', 'n2', 'LEFT', 'LEFT', '0'],
      ['BRPOPLPUSH', 'n2', 'n3', '0'],
      ['BRPOP', 'n3', '0'],
      ['LRANGE', 'nokey', '0', '-1'],
      ['LINDEX', 'nokey', '0'],
      ['LLEN', 'nokey'],
      ['LPOS', 'nokey', 'a'],
      ['LINDEX', 'n3', '0'],
      ['SET', 'end', '1'],
    ];
    async function events(port: number): Promise<string[]> {
      const c = await RawConnection.connect(port);
      const s = await RawConnection.connect(port);
      await c.call('FLUSHALL');
      await c.call('CONFIG', 'SET', 'notify-keyspace-events', 'KEAnm');
      await s.call('PSUBSCRIBE', '__key*__:*');
      for (const argv of script) await c.call(...argv);
      const out: string[] = [];
      for (;;) {
        const m = await s.read(2000);
        out.push(m);
        if (m.includes('__keyevent@0__:set')) break;
      }
      await c.call('CONFIG', 'SET', 'notify-keyspace-events', '');
      c.close();
      s.close();
      return out;
    }
    const mine = await events(servers.ours.port);
    const real = await events(servers.theirs.port);
    expect(mine).toEqual(real);
    expect(mine.length).toBeGreaterThan(40);
  });
});

describe('big lists', () => {
  let h: TsredisHandle;
  beforeAll(async () => {
    h = await startTsredis();
  });
  afterAll(async () => {
    await h.stop();
  });

  /** Sends a command and counts the reply's bytes until `expected` arrived (replies too big to parse in a test). */
  function bigCall(port: number, argv: string[], expected: number): Promise<{ bytes: number; head: string; tail: string }> {
    return new Promise((resolve, reject) => {
      const s = net.createConnection({ port, host: '127.0.0.1' }, () => s.write(encodeCommand(argv), 'latin1'));
      let bytes = 0;
      let head = '';
      let tail = '';
      const timer = setTimeout(() => {
        s.destroy();
        reject(new Error(`got ${bytes} of ${expected} bytes`));
      }, 30000);
      s.on('data', (d: Buffer) => {
        bytes += d.length;
        if (head.length < 64) head += d.subarray(0, 64).toString('latin1');
        tail = (tail + d.subarray(Math.max(0, d.length - 64)).toString('latin1')).slice(-64);
        if (bytes >= expected) {
          clearTimeout(timer);
          // Anything more would be a protocol error: give it a moment to show up.
          setTimeout(() => {
            s.destroy();
            resolve({ bytes, head, tail });
          }, 50);
        }
      });
      s.on('error', reject);
    });
  }

  const encodedSize = (v: string) => 1 + String(v.length).length + 2 + v.length + 2;

  it('builds, reads and trims a list of a million elements in linear time', async () => {
    const c = await RawConnection.connect(h.port);
    await c.call('FLUSHALL');
    const batch: string[] = [];
    for (let i = 0; i < 1000; i++) batch.push('element-' + i);
    let t0 = Date.now();
    for (let i = 0; i < 1000; i++) await c.call('RPUSH', 'big', ...batch);
    expect(await c.call('LLEN', 'big')).toBe(':1000000\r\n');
    const pushMs = Date.now() - t0;
    t0 = Date.now();
    expect(await c.call('LINDEX', 'big', '500000')).toBe('$9\r\nelement-0\r\n');
    expect(await c.call('LINDEX', 'big', '-1')).toBe('$11\r\nelement-999\r\n');
    expect(await c.call('LSET', 'big', '654321', 'changed')).toBe('+OK\r\n');
    expect(await c.call('LINDEX', 'big', '654321')).toBe('$7\r\nchanged\r\n');
    expect(await c.call('LPOS', 'big', 'changed')).toBe(':654321\r\n');
    expect(await c.call('LINSERT', 'big', 'BEFORE', 'changed', 'inserted')).toBe(':1000001\r\n');
    expect(await c.call('LREM', 'big', '-1', 'inserted')).toBe(':1\r\n');
    expect(await c.call('LREM', 'big', '0', 'element-7')).toBe(':1000\r\n');
    const midMs = Date.now() - t0;
    // A full LRANGE: ~17 MB of reply.
    let expected = '*999000\r\n'.length;
    for (let i = 0; i < 1000; i++) {
      for (const v of batch) if (v !== 'element-7') expected += encodedSize(v);
    }
    expected += encodedSize('changed') - encodedSize('element-321');
    t0 = Date.now();
    const full = await bigCall(h.port, ['LRANGE', 'big', '0', '-1'], expected);
    const rangeMs = Date.now() - t0;
    expect(full.bytes).toBe(expected);
    expect(full.head.startsWith('*999000\r\n$9\r\nelement-0\r\n')).toBe(true);
    expect(full.tail.endsWith('$11\r\nelement-999\r\n')).toBe(true);
    t0 = Date.now();
    expect(await c.call('LTRIM', 'big', '100000', '-100000')).toBe('+OK\r\n');
    expect(await c.call('LLEN', 'big')).toBe(':799001\r\n');
    const r = await bigCall(h.port, ['LPOP', 'big', '500000'], 1);
    expect(r.head.startsWith('*500000\r\n')).toBe(true);
    await sleep(200);
    expect(await c.call('LLEN', 'big')).toBe(':299001\r\n');
    const trimMs = Date.now() - t0;
    // Generous bounds (shared CI machines): what matters is nothing quadratic.
    expect(pushMs).toBeLessThan(15000);
    expect(midMs).toBeLessThan(3000);
    expect(rangeMs).toBeLessThan(5000);
    expect(trimMs).toBeLessThan(3000);
    (h.server.dbs[0].keys.get('big') as ListValue).checkInvariants();
    await c.call('DEL', 'big');
    c.close();
  }, 60000);

  it('sends a reply bigger than the flush threshold in parts, and stays responsive', async () => {
    const c = await RawConnection.connect(h.port);
    await c.call('FLUSHALL');
    const value = 'v'.repeat(500);
    const batch = Array.from({ length: 1000 }, () => value);
    for (let i = 0; i < 160; i++) await c.call('RPUSH', 'huge', ...batch);
    // 160k elements of 500 bytes: ~81 MB of reply.
    const expected = '*160000\r\n'.length + 160000 * ('$500\r\n'.length + 502);
    const got = await bigCall(h.port, ['LRANGE', 'huge', '0', '-1'], expected);
    expect(got.bytes).toBe(expected);
    expect(got.head.startsWith('*160000\r\n$500\r\nvvv')).toBe(true);
    expect(got.tail.endsWith('vvv\r\n')).toBe(true);
    expect(await c.call('PING')).toBe('+PONG\r\n');
    await c.call('DEL', 'huge');
    c.close();
  }, 60000);
});
