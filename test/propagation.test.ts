/**
 * The propagation path that the AOF and replicas will hang on: write commands
 * reach every PropagationTarget once, reads never do, and expiry is
 * propagated as an explicit DEL.
 */
import { describe, it, expect } from 'vitest';
import { recordingServer } from './helpers/servers';

describe('propagation', () => {
  const ts = recordingServer();
  const { fed } = ts;

  it('propagates writes with their database, not reads or rejected commands', async () => {
    fed.length = 0;
    await ts.conn.call('SET', 'a', '1');
    await ts.conn.call('GET', 'a');
    await ts.conn.call('SET', 'a');
    await ts.conn.call('SELECT', '3');
    await ts.conn.call('SET', 'b', '2');
    await ts.conn.call('SELECT', '0');
    expect(fed).toEqual([
      [0, ['SET', 'a', '1']],
      [3, ['SET', 'b', '2']],
    ]);
  });

  it('propagates a lazily expired key as DEL before the command that found it', async () => {
    fed.length = 0;
    await ts.conn.call('SET', 'gone', 'x');
    ts.server.dbs[0].setExpire('gone', Date.now() - 1);
    fed.length = 0;
    expect(await ts.conn.call('GET', 'gone')).toBe('$-1\r\n');
    expect(fed).toEqual([[0, ['DEL', 'gone']]]);
  });

  it('propagates keys reclaimed by the active expire cycle', async () => {
    for (let i = 0; i < 50; i++) await ts.conn.call('SET', `t${i}`, 'x');
    for (let i = 0; i < 50; i++) ts.server.dbs[0].setExpire(`t${i}`, Date.now() - 1);
    fed.length = 0;
    ts.server.activeExpireCycle(50);
    expect(fed.every(([, argv]) => argv[0] === 'DEL')).toBe(true);
    const deleted = fed.map(([, argv]) => argv[1]);
    expect(deleted.sort()).toEqual(Array.from({ length: 50 }, (_, i) => `t${i}`).sort());
    expect(ts.server.dbs[0].keys.has('t0')).toBe(false);
  });
});
