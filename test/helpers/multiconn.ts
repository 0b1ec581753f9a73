/**
 * Multi-connection differential scenarios (pub/sub, keyspace notifications,
 * WATCH from other clients): a script of steps, each sent on one of several
 * connections; after each step every connection's received bytes (replies
 * and pushes) are captured. The same script runs against tsredis and real
 * Redis and the transcripts must be equal.
 */
import * as net from 'node:net';
import { expect } from 'vitest';
import { readReply } from '../../src/protocol/resp-reader';
import { encodeCommand } from './resp';
import type { Server } from '../../src/server/server';
import type { Client } from '../../src/server/client';
import type { ServerPair } from './servers';

export class Conn {
  buf = '';
  closed = false;
  private listeners: Array<() => void> = [];

  private constructor(readonly socket: net.Socket) {
    socket.on('data', (d) => {
      this.buf += d.toString('latin1');
      this.poke();
    });
    socket.on('close', () => {
      this.closed = true;
      this.poke();
    });
    socket.on('error', () => {});
  }

  static connect(port: number): Promise<Conn> {
    return new Promise((resolve, reject) => {
      const s = net.createConnection({ port, host: '127.0.0.1' }, () => resolve(new Conn(s)));
      s.once('error', reject);
    });
  }

  private poke(): void {
    for (const fn of this.listeners.splice(0)) fn();
  }

  /** Resolves on the next data or close event, or after ms. */
  private nextEvent(ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        const i = this.listeners.indexOf(fire);
        if (i >= 0) this.listeners.splice(i, 1);
        resolve(false);
      }, ms);
      const fire = () => {
        clearTimeout(t);
        resolve(true);
      };
      this.listeners.push(fire);
    });
  }

  send(argv: string[]): void {
    this.socket.write(encodeCommand(argv), 'latin1');
  }

  /** Number of complete replies in the buffer. */
  completeReplies(): number {
    let n = 0;
    let pos = 0;
    while (pos < this.buf.length) {
      const r = readReply(this.buf, pos);
      if (r === null) break;
      pos = r.end;
      n++;
    }
    return n;
  }

  /** Waits until at least `n` complete replies are buffered (or the connection closes / times out). */
  async waitReplies(n: number, timeoutMs = 3000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.completeReplies() < n && !this.closed) {
      const left = deadline - Date.now();
      if (left <= 0) return;
      await this.nextEvent(left);
    }
  }

  /** Reads and parses the next complete reply, waiting for it. */
  async next(timeoutMs = 3000): Promise<string> {
    await this.waitReplies(1, timeoutMs);
    const r = readReply(this.buf, 0);
    if (r === null) throw new Error(`no reply (buffer: ${JSON.stringify(this.buf)})`);
    const raw = this.buf.slice(0, r.end);
    this.buf = this.buf.slice(r.end);
    return raw;
  }

  async call(...argv: string[]): Promise<string> {
    this.send(argv);
    return this.next();
  }

  take(): string {
    const s = this.buf;
    this.buf = '';
    return s;
  }

  close(): void {
    this.socket.destroy();
  }
}

export type Step =
  /** A command on connection `on` (default 0); `replies` complete replies are awaited on it (default 1; 0 for none). */
  | { on?: number; cmd: string[]; replies?: number }
  /** Waits (expiry, active expire cycle). */
  | { sleep: number }
  /** Switches a connection to RESP3 (HELLO 3 on real Redis; tsredis: HELLO 3, or the client's resp directly). */
  | { resp3: number }
  /** CONFIG SET on the server (directly on tsredis when CONFIG SET is unavailable). */
  | { config: [string, string] }
  /** Closes a connection. */
  | { close: number };

export interface Target {
  port: number;
  /** The in-process tsredis server, for what a real client would do through commands not implemented yet. */
  server?: Server;
}

function describeStep(s: Step): string {
  if ('cmd' in s) return `${s.on ?? 0}> ${s.cmd.join(' ')}`;
  if ('sleep' in s) return `sleep ${s.sleep}`;
  if ('resp3' in s) return `${s.resp3}> HELLO 3`;
  if ('config' in s) return `CONFIG SET ${s.config.join(' ')}`;
  return `${s.close}> close`;
}

/** The server-side client of a connection (matched by its address). */
export function serverClientOf(server: Server, conn: Conn): Client | undefined {
  const addr = `127.0.0.1:${conn.socket.localPort}`;
  for (const c of server.clients.values()) if (c.addr === addr) return c;
  return undefined;
}

/**
 * Runs a script with `nconn` connections; returns one transcript line per step:
 * the step and what each connection received meanwhile. `streams`, when given,
 * receives each connection's bytes concatenated (for comparisons where only
 * the order matters, not the step at which something arrived).
 */
export async function runScript(t: Target, nconn: number, steps: Step[], quietMs = 25, streams?: string[]): Promise<string[]> {
  const conns: Conn[] = [];
  for (let i = 0; i < nconn; i++) conns.push(await Conn.connect(t.port));
  const out: string[] = [];
  try {
    await conns[0].call('FLUSHALL');
    for (const step of steps) {
      if ('sleep' in step) {
        await new Promise((r) => setTimeout(r, step.sleep));
      } else if ('resp3' in step) {
        const c = conns[step.resp3];
        const reply = await c.call('HELLO', '3');
        if (reply.startsWith('-')) {
          const sc = t.server ? serverClientOf(t.server, c) : undefined;
          if (!sc) throw new Error('HELLO 3 failed: ' + reply);
          sc.resp = 3;
        }
      } else if ('config' in step) {
        const reply = await conns[0].call('CONFIG', 'SET', ...step.config);
        if (reply !== '+OK\r\n') {
          if (!t.server || !reply.startsWith('-ERR unknown command')) throw new Error('CONFIG SET failed: ' + reply);
          t.server.config.set(step.config[0], [step.config[1]]);
          t.server.configChanged(step.config[0]);
        }
      } else if ('close' in step) {
        conns[step.close].close();
      } else {
        const c = conns[step.on ?? 0];
        const before = c.completeReplies();
        c.send(step.cmd);
        await c.waitReplies(before + (step.replies ?? 1));
      }
      // Let pushes to the other connections arrive.
      await new Promise((r) => setTimeout(r, quietMs));
      let line = describeStep(step);
      conns.forEach((c, i) => {
        const got = c.take();
        if (streams) streams[i] = (streams[i] ?? '') + got;
        if (got !== '') line += `\n   [${i}] ${JSON.stringify(got)}`;
        if (c.closed && !line.includes(`[${i}] closed`)) line += `\n   [${i}] closed`;
      });
      out.push(line);
    }
  } finally {
    for (const c of conns) c.close();
  }
  return out;
}

/** Runs `steps` on real Redis, then on tsredis: the transcripts must be equal. Returns tsredis's. */
export async function sameTranscript(servers: ServerPair, nconn: number, steps: Step[], quietMs = 25): Promise<string[]> {
  const expected = await runScript({ port: servers.theirs.port }, nconn, steps, quietMs);
  const actual = await runScript({ port: servers.ours.port, server: servers.ours.server }, nconn, steps, quietMs);
  expect(actual.join('\n')).toBe(expected.join('\n'));
  return actual;
}

/**
 * As sameTranscript, comparing only each connection's whole stream of bytes
 * (for events whose timing may differ, e.g. active vs lazy expiry). Returns tsredis's streams.
 */
export async function sameStreams(servers: ServerPair, nconn: number, steps: Step[], quietMs = 25): Promise<string[]> {
  const expected: string[] = [];
  const actual: string[] = [];
  await runScript({ port: servers.theirs.port }, nconn, steps, quietMs, expected);
  await runScript({ port: servers.ours.port, server: servers.ours.server }, nconn, steps, quietMs, actual);
  expect(actual).toEqual(expected);
  return actual;
}
