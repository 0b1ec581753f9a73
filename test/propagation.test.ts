/**
 * The propagation path that the AOF and replicas will hang on: write commands
 * reach every PropagationTarget once, reads never do, and expiry is
 * propagated as an explicit DEL.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startTsredis, type TsredisHandle } from './helpers/servers';
import { RawConnection } from './helpers/resp';

describe('propagation', () => {
  let h: TsredisHandle;
  let conn: RawConnection;
  const fed: Array<[number, string[]]> = [];
  beforeAll(async () => {
    h = await startTsredis();
    h.server.propagationTargets.push({ feed: (db, argv) => fed.push([db, [...argv]]) });
    conn = await RawConnection.connect(h.port);
  });
  afterAll(async () => {
    conn.close();
    await h.stop();
  });

  it('propagates writes with their database, not reads or rejected commands', async () => {
    fed.length = 0;
    await conn.call('SET', 'a', '1');
    await conn.call('GET', 'a');
    await conn.call('SET', 'a');
    await conn.call('SELECT', '3');
    await conn.call('SET', 'b', '2');
    await conn.call('SELECT', '0');
    expect(fed).toEqual([
      [0, ['SET', 'a', '1']],
      [3, ['SET', 'b', '2']],
    ]);
  });

  it('propagates a lazily expired key as DEL before the command that found it', async () => {
    fed.length = 0;
    await conn.call('SET', 'gone', 'x');
    h.server.dbs[0].setExpire('gone', Date.now() - 1);
    fed.length = 0;
    expect(await conn.call('GET', 'gone')).toBe('$-1\r\n');
    expect(fed).toEqual([[0, ['DEL', 'gone']]]);
  });

  it('propagates keys reclaimed by the active expire cycle', async () => {
    for (let i = 0; i < 50; i++) await conn.call('SET', `t${i}`, 'x');
    for (let i = 0; i < 50; i++) h.server.dbs[0].setExpire(`t${i}`, Date.now() - 1);
    fed.length = 0;
    h.server.activeExpireCycle(50);
    expect(fed.every(([, argv]) => argv[0] === 'DEL')).toBe(true);
    const deleted = fed.map(([, argv]) => argv[1]);
    expect(deleted.sort()).toEqual(Array.from({ length: 50 }, (_, i) => `t${i}`).sort());
    expect(h.server.dbs[0].keys.has('t0')).toBe(false);
  });
});
