/**
 * Pub/sub across connections: message delivery and order, patterns, shard
 * channels, RESP3 pushes, PUBSUB introspection, and the output buffer limit
 * that disconnects slow subscribers. Scenarios run against tsredis and real
 * Redis; transcripts must be identical.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { bothServers, startTsredis, redisServerAvailable, type TsredisHandle } from './helpers/servers';
import { Conn, sameTranscript, serverClientOf, type Step } from './helpers/multiconn';
import { seeded } from './helpers/random';

const available = redisServerAvailable();

const c = (on: number, ...cmd: string[]): Step => ({ on, cmd });
const cn = (on: number, replies: number, ...cmd: string[]): Step => ({ on, cmd, replies });

describe.skipIf(!available)('pub/sub differential', () => {
  const servers = bothServers();
  const same = (nconn: number, steps: Step[]) => sameTranscript(servers, nconn, steps);

  it('delivers messages to channel subscribers in subscription order', async () => {
    const t = await same(4, [
      c(1, 'SUBSCRIBE', 'news'),
      c(2, 'SUBSCRIBE', 'news'),
      cn(3, 2, 'SUBSCRIBE', 'news', 'other'),
      c(0, 'PUBLISH', 'news', 'first'),
      c(0, 'PUBLISH', 'other', 'second'),
      c(0, 'PUBLISH', 'nobody', 'third'),
      c(0, 'PUBLISH', 'news', '\x00\xff\r\n binary'),
      c(0, 'PUBLISH', 'news', ''),
      c(2, 'UNSUBSCRIBE', 'news'),
      c(0, 'PUBLISH', 'news', 'after unsubscribe'),
      c(2, 'SUBSCRIBE', 'news'),
      c(0, 'PUBLISH', 'news', 'resubscribed goes last'),
      c(0, 'PUBSUB', 'NUMSUB', 'news', 'other', 'nobody'),
      c(0, 'PUBSUB', 'NUMPAT'),
    ]);
    // The scenario did deliver something (guards against an empty transcript).
    expect(t.join('\n')).toContain('resubscribed goes last');
  });

  it('delivers pattern messages and counts receivers', async () => {
    await same(4, [
      c(1, 'PSUBSCRIBE', 'news.*'),
      c(2, 'PSUBSCRIBE', 'n?ws.[ab]'),
      c(3, 'SUBSCRIBE', 'news.a'),
      c(3, 'PSUBSCRIBE', 'news.*'),
      c(0, 'PUBLISH', 'news.a', 'm1'),
      c(0, 'PUBLISH', 'news.c', 'm2'),
      c(0, 'PUBLISH', 'nows.b', 'm3'),
      c(0, 'PUBLISH', 'other', 'm4'),
      c(0, 'PUBSUB', 'NUMPAT'),
      c(0, 'PUBSUB', 'NUMSUB', 'news.a', 'news.*'),
      c(1, 'PUNSUBSCRIBE', 'news.*'),
      c(0, 'PUBSUB', 'NUMPAT'),
      c(0, 'PUBLISH', 'news.a', 'm5'),
      c(3, 'PUNSUBSCRIBE'),
      c(0, 'PUBSUB', 'NUMPAT'),
      c(0, 'PUBLISH', 'news.a', 'm6'),
    ]);
  });

  it('pattern edge cases: escapes, classes, binary', async () => {
    await same(2, [
      c(1, 'PSUBSCRIBE', 'a\\*b'),
      c(1, 'PSUBSCRIBE', '[^x]y'),
      c(1, 'PSUBSCRIBE', '\x00*\xff'),
      c(0, 'PUBLISH', 'a*b', '1'),
      c(0, 'PUBLISH', 'axb', '2'),
      c(0, 'PUBLISH', 'zy', '3'),
      c(0, 'PUBLISH', 'xy', '4'),
      c(0, 'PUBLISH', '\x00abc\xff', '5'),
    ]);
  });

  it('shard channels', async () => {
    await same(3, [
      cn(1, 2, 'SSUBSCRIBE', 's1', 's2'),
      c(2, 'SSUBSCRIBE', 's1'),
      c(2, 'SUBSCRIBE', 's1'),
      c(0, 'SPUBLISH', 's1', 'hello'),
      c(0, 'PUBLISH', 's1', 'plain'),
      c(0, 'SPUBLISH', 's2', 'x'),
      c(0, 'SPUBLISH', 's3', 'y'),
      c(0, 'PUBSUB', 'SHARDNUMSUB', 's1', 's2', 's3'),
      c(0, 'PUBSUB', 'SHARDCHANNELS', 's1'),
      c(0, 'PUBSUB', 'NUMSUB', 's1'),
      c(1, 'SUNSUBSCRIBE', 's1'),
      c(0, 'SPUBLISH', 's1', 'again'),
      c(1, 'SUNSUBSCRIBE'),
      c(0, 'PUBSUB', 'SHARDNUMSUB', 's1', 's2'),
    ]);
  });

  it('introspection from another connection, and cleanup on disconnect', async () => {
    await same(3, [
      c(1, 'SUBSCRIBE', 'only'),
      c(1, 'PSUBSCRIBE', 'p*'),
      c(2, 'SSUBSCRIBE', 'sh'),
      c(0, 'PUBSUB', 'CHANNELS'),
      c(0, 'PUBSUB', 'CHANNELS', 'o*'),
      c(0, 'PUBSUB', 'CHANNELS', 'x*'),
      c(0, 'PUBSUB', 'NUMSUB', 'only', 'p*'),
      c(0, 'PUBSUB', 'NUMPAT'),
      c(0, 'PUBSUB', 'SHARDCHANNELS'),
      c(0, 'PUBSUB', 'SHARDCHANNELS', 'x*'),
      { close: 1 },
      { close: 2 },
      { sleep: 50 },
      c(0, 'PUBSUB', 'CHANNELS'),
      c(0, 'PUBSUB', 'NUMSUB', 'only'),
      c(0, 'PUBSUB', 'NUMPAT'),
      c(0, 'PUBSUB', 'SHARDCHANNELS'),
      c(0, 'PUBLISH', 'only', 'gone'),
    ]);
  });

  it('RESP3: confirmations and messages are pushes, other commands still work', async () => {
    await same(3, [
      { resp3: 1 },
      c(1, 'UNSUBSCRIBE'),
      c(1, 'SUBSCRIBE', 'ch'),
      c(1, 'PSUBSCRIBE', 'c*'),
      c(1, 'SSUBSCRIBE', 'sh'),
      c(1, 'SET', 'k', 'v'),
      c(1, 'GET', 'k'),
      c(1, 'PING'),
      c(1, 'PING', 'x'),
      c(0, 'PUBLISH', 'ch', 'from zero'),
      c(0, 'SPUBLISH', 'sh', 'shard'),
      // Publishing to itself: the pushes come before the reply.
      cn(1, 3, 'PUBLISH', 'ch', 'to myself'),
      c(1, 'PUBSUB', 'NUMSUB', 'ch'),
      c(2, 'SUBSCRIBE', 'ch'),
      c(0, 'PUBLISH', 'ch', 'both protocols'),
      c(1, 'UNSUBSCRIBE', 'ch'),
      c(1, 'PUNSUBSCRIBE'),
      c(1, 'SUNSUBSCRIBE'),
      c(1, 'UNSUBSCRIBE'),
    ]);
  });

  it('RESP3: publish inside a transaction to itself', async () => {
    await same(2, [
      { resp3: 1 },
      c(1, 'SUBSCRIBE', 'ch'),
      c(1, 'MULTI'),
      c(1, 'PUBLISH', 'ch', 'inside'),
      c(1, 'GET', 'nokey'),
      c(1, 'EXEC'),
    ]);
  });

  it('RESP3: CLIENT REPLY OFF silences replies, not pushes', async () => {
    await same(2, [
      { resp3: 1 },
      c(1, 'SUBSCRIBE', 'ch'),
      cn(1, 0, 'CLIENT', 'REPLY', 'OFF'),
      cn(1, 1, 'PUBLISH', 'ch', 'to myself while off'),
      cn(1, 0, 'SET', 'k', 'v'),
      c(0, 'PUBLISH', 'ch', 'from another'),
      cn(1, 0, 'MULTI'),
      cn(1, 0, 'PUBLISH', 'ch', 'inside exec'),
      cn(1, 1, 'EXEC'),
      cn(1, 1, 'SUBSCRIBE', 'other'),
      cn(1, 1, 'UNSUBSCRIBE', 'other'),
      cn(1, 0, 'CLIENT', 'REPLY', 'SKIP'),
      c(1, 'CLIENT', 'REPLY', 'ON'),
      c(1, 'GET', 'k'),
    ]);
  });

  it('RESP2 subscriber mode rules and PING', async () => {
    await same(2, [
      c(1, 'SUBSCRIBE', 'a'),
      c(1, 'PING'),
      c(1, 'PING', 'hi'),
      c(1, 'GET', 'x'),
      c(1, 'PUBLISH', 'a', 'x'),
      c(0, 'PUBLISH', 'a', 'from zero'),
      c(1, 'UNSUBSCRIBE'),
      c(1, 'PING'),
      c(1, 'PUBLISH', 'a', 'x'),
    ]);
  });

  it('messages published in a pipeline keep their order', async () => {
    const steps: Step[] = [c(1, 'SUBSCRIBE', 'seq'), c(2, 'PSUBSCRIBE', 's*')];
    for (let i = 0; i < 50; i++) steps.push(c(0, 'PUBLISH', 'seq', String(i)));
    await same(3, steps);
  });

  it('many publishers interleaved are seen in the same order by every subscriber', async () => {
    const steps: Step[] = [c(3, 'SUBSCRIBE', 'x'), c(4, 'SUBSCRIBE', 'x')];
    for (let i = 0; i < 12; i++) steps.push(c(i % 3, 'PUBLISH', 'x', `p${i % 3}-${i}`));
    await same(5, steps);
  });
});

/**
 * Random subscribe/unsubscribe/publish traffic. Orders Redis leaves to its
 * hash tables are avoided: a client holds at most one pattern, and
 * unsubscribes from everything only when it has at most one channel.
 */
function randomScript(seed: number, length: number): Step[] {
  const rnd = seeded(seed);
  const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)];
  const channels = ['a', 'b', 'ab', 'x\x00y', ''];
  const patterns = ['a*', '?', '[ab]', 'x*', '*'];
  const subs = [1, 2, 3];
  const own = new Map<number, { ch: Set<string>; pat: Set<string>; sh: Set<string> }>();
  for (const i of subs) own.set(i, { ch: new Set(), pat: new Set(), sh: new Set() });
  const steps: Step[] = [{ resp3: 3 }];
  for (let n = 0; n < length; n++) {
    const r = rnd();
    if (r < 0.35) {
      steps.push(c(0, rnd() < 0.8 ? 'PUBLISH' : 'SPUBLISH', pick(channels), `m${n}`));
      continue;
    }
    if (r < 0.4) {
      steps.push(c(0, 'PUBSUB', pick(['NUMSUB', 'SHARDNUMSUB']), ...channels));
      continue;
    }
    if (r < 0.43) {
      steps.push(c(0, 'PUBSUB', 'NUMPAT'));
      continue;
    }
    const i = pick(subs);
    const o = own.get(i)!;
    const what = rnd();
    if (what < 0.3) {
      const ch = pick(channels);
      o.ch.add(ch);
      steps.push(c(i, 'SUBSCRIBE', ch));
    } else if (what < 0.45) {
      const ch = pick(channels);
      o.ch.delete(ch);
      steps.push(c(i, 'UNSUBSCRIBE', ch));
    } else if (what < 0.5 && o.ch.size <= 1) {
      steps.push(c(i, 'UNSUBSCRIBE'));
      o.ch.clear();
    } else if (what < 0.65 && o.pat.size === 0) {
      const p = pick(patterns);
      o.pat.add(p);
      steps.push(c(i, 'PSUBSCRIBE', p));
    } else if (what < 0.75) {
      if (o.pat.size > 0 && rnd() < 0.5) {
        steps.push(c(i, 'PUNSUBSCRIBE'));
        o.pat.clear();
      } else {
        const p = pick(patterns);
        steps.push(c(i, 'PUNSUBSCRIBE', p));
        o.pat.delete(p);
      }
    } else if (what < 0.85) {
      const ch = pick(channels);
      o.sh.add(ch);
      steps.push(c(i, 'SSUBSCRIBE', ch));
    } else if (what < 0.95) {
      const ch = pick(channels);
      o.sh.delete(ch);
      steps.push(c(i, 'SUNSUBSCRIBE', ch));
    } else {
      steps.push(c(i, 'PING', `p${n}`));
    }
  }
  return steps;
}

describe.skipIf(!available)('pub/sub randomized differential', () => {
  const servers = bothServers();

  for (const seed of [1, 2, 3]) {
    it(`random traffic, seed ${seed}`, async () => {
      const actual = await sameTranscript(servers, 4, randomScript(seed, 70), 15);
      expect(actual.join('\n')).toContain('message');
    });
  }
});

describe('pub/sub on tsredis', () => {
  let ours: TsredisHandle;
  beforeAll(async () => {
    ours = await startTsredis(['client-output-buffer-limit pubsub 1mb 256kb 1']);
  });
  afterAll(async () => {
    await ours?.stop();
  });

  it('a pipelined burst arrives complete and in order', async () => {
    const sub = await Conn.connect(ours.port);
    const pub = await Conn.connect(ours.port);
    await sub.call('SUBSCRIBE', 'burst');
    let batch = '';
    const n = 2000;
    for (let i = 0; i < n; i++) batch += `*3\r\n$7\r\nPUBLISH\r\n$5\r\nburst\r\n$${String(i).length}\r\n${i}\r\n`;
    pub.socket.write(batch, 'latin1');
    await pub.waitReplies(n);
    expect(pub.take()).toBe(':1\r\n'.repeat(n));
    await sub.waitReplies(n);
    let expected = '';
    for (let i = 0; i < n; i++) expected += `*3\r\n$7\r\nmessage\r\n$5\r\nburst\r\n$${String(i).length}\r\n${i}\r\n`;
    expect(sub.take()).toBe(expected);
    sub.close();
    pub.close();
  });

  it('RESP3 subscribers get pushes, RESP2 subscribers arrays, from one publish', async () => {
    const a = await Conn.connect(ours.port);
    const b = await Conn.connect(ours.port);
    const pub = await Conn.connect(ours.port);
    await a.call('SUBSCRIBE', 'mix');
    const client = serverClientOf(ours.server, b)!;
    client.resp = 3;
    expect(await b.call('SUBSCRIBE', 'mix')).toBe('>3\r\n$9\r\nsubscribe\r\n$3\r\nmix\r\n:1\r\n');
    expect(await pub.call('PUBLISH', 'mix', 'm')).toBe(':2\r\n');
    expect(await a.next()).toBe('*3\r\n$7\r\nmessage\r\n$3\r\nmix\r\n$1\r\nm\r\n');
    expect(await b.next()).toBe('>3\r\n$7\r\nmessage\r\n$3\r\nmix\r\n$1\r\nm\r\n');
    for (const x of [a, b, pub]) x.close();
  });

  it('disconnects a subscriber that never reads (hard limit) and keeps memory bounded', async () => {
    const sub = await Conn.connect(ours.port);
    const pub = await Conn.connect(ours.port);
    await sub.call('SUBSCRIBE', 'flood');
    const subClient = serverClientOf(ours.server, sub)!;
    expect(subClient).toBeDefined();
    sub.socket.pause(); // never read again: the kernel buffers fill, then the server's.
    const payload = 'x'.repeat(16 * 1024);
    let maxBuffered = 0;
    let sent = 0;
    // Up to 64 MB of messages: far beyond the 1 MB hard limit.
    while (sent < 4096 && !subClient.closed) {
      let batch = '';
      for (let i = 0; i < 64; i++) batch += `*3\r\n$7\r\nPUBLISH\r\n$5\r\nflood\r\n$${payload.length}\r\n${payload}\r\n`;
      pub.socket.write(batch, 'latin1');
      sent += 64;
      await pub.waitReplies(64);
      pub.take();
      maxBuffered = Math.max(maxBuffered, subClient.outputBytes);
    }
    expect(subClient.closed).toBe(true);
    // Dropped well before the flood ended, and its pending output never grew much past the limit.
    expect(sent).toBeLessThan(4096);
    expect(maxBuffered).toBeLessThan(1024 * 1024 + 64 * (payload.length + 64) + 1);
    expect(ours.server.clients.has(subClient.id)).toBe(false);
    expect(await pub.call('PUBSUB', 'NUMSUB', 'flood')).toBe('*2\r\n$5\r\nflood\r\n:0\r\n');
    expect(await pub.call('PUBLISH', 'flood', 'x')).toBe(':0\r\n');
    sub.close();
    pub.close();
  });

  it('disconnects a subscriber that stays over the soft limit longer than its seconds', async () => {
    const sub = await Conn.connect(ours.port);
    const pub = await Conn.connect(ours.port);
    await sub.call('SUBSCRIBE', 'slow');
    const subClient = serverClientOf(ours.server, sub)!;
    sub.socket.pause();
    const payload = 'y'.repeat(1024);
    const start = Date.now();
    let overSoft = 0;
    // Keep the backlog between the soft (256kb) and hard (1mb) limits: only time can close it.
    while (!subClient.closed && Date.now() - start < 5000) {
      if (subClient.outputBytes < 512 * 1024) {
        let batch = '';
        for (let i = 0; i < 32; i++) batch += `*3\r\n$7\r\nPUBLISH\r\n$4\r\nslow\r\n$${payload.length}\r\n${payload}\r\n`;
        pub.socket.write(batch, 'latin1');
        await pub.waitReplies(32);
        pub.take();
      } else {
        if (overSoft === 0) overSoft = Date.now();
        await pub.call('PUBLISH', 'slow', 'tick');
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    expect(subClient.closed).toBe(true);
    expect(overSoft).toBeGreaterThan(0);
    // Not before the soft limit's 1 second.
    expect(Date.now() - overSoft).toBeGreaterThanOrEqual(900);
    expect(subClient.outputBytes === 0 || subClient.closed).toBe(true);
    sub.close();
    pub.close();
  });

  it('a reading subscriber under a flood is not disconnected', async () => {
    const sub = await Conn.connect(ours.port);
    const pub = await Conn.connect(ours.port);
    await sub.call('SUBSCRIBE', 'fast');
    const subClient = serverClientOf(ours.server, sub)!;
    const payload = 'z'.repeat(1000);
    for (let round = 0; round < 20; round++) {
      let batch = '';
      for (let i = 0; i < 100; i++) batch += `*3\r\n$7\r\nPUBLISH\r\n$4\r\nfast\r\n$${payload.length}\r\n${payload}\r\n`;
      pub.socket.write(batch, 'latin1');
      await pub.waitReplies(100);
      pub.take();
      await sub.waitReplies(100);
      sub.take();
    }
    expect(subClient.closed).toBe(false);
    sub.close();
    pub.close();
  });

  it('normal clients are not subject to the pubsub limit', async () => {
    const a = await Conn.connect(ours.port);
    const client = serverClientOf(ours.server, a)!;
    // Two megabytes of replies to a normal (non-subscriber) client.
    const big = 'v'.repeat(2 * 1024 * 1024);
    expect(await a.call('ECHO', big)).toBe(`$${big.length}\r\n${big}\r\n`);
    expect(client.closed).toBe(false);
    a.close();
  });
});
