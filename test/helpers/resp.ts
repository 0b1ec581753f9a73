/** A minimal raw RESP connection for tests: sends commands, returns each reply's exact bytes. */
import * as net from 'node:net';
import { readReply, type RespValue } from '../../src/protocol/resp-reader';

export function encodeCommand(argv: string[]): string {
  let s = '*' + argv.length + '\r\n';
  for (const a of argv) s += '$' + Buffer.byteLength(a, 'latin1') + '\r\n' + a + '\r\n';
  return s;
}

export class RawConnection {
  private buf = '';
  private waiters: Array<{ resolve: (s: string) => void; reject: (e: Error) => void }> = [];
  private closed = false;
  /** Pushes received out of band (RESP3 `>`), kept apart when `separatePushes` is on. */
  readonly socket: net.Socket;

  private constructor(socket: net.Socket) {
    this.socket = socket;
    socket.on('data', (d) => {
      this.buf += d.toString('latin1');
      this.drain();
    });
    socket.on('close', () => {
      this.closed = true;
      for (const w of this.waiters.splice(0)) w.reject(new Error('connection closed'));
    });
    socket.on('error', () => {});
  }

  static connect(port: number, host = '127.0.0.1'): Promise<RawConnection> {
    return new Promise((resolve, reject) => {
      const s = net.createConnection({ port, host }, () => resolve(new RawConnection(s)));
      s.once('error', reject);
    });
  }

  get isClosed(): boolean {
    return this.closed;
  }

  private drain(): void {
    // A complete reply always ends in CRLF: skip re-parsing a big partial reply on every chunk.
    if (!this.buf.endsWith('\r\n')) return;
    while (this.waiters.length > 0 && this.buf.length > 0) {
      const r = readReply(this.buf, 0);
      if (r === null) return;
      const raw = this.buf.slice(0, r.end);
      this.buf = this.buf.slice(r.end);
      this.waiters.shift()!.resolve(raw);
    }
  }

  /** The raw bytes (latin1) of the next reply. */
  read(timeoutMs = 5000): Promise<string> {
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('timed out waiting for a reply')), timeoutMs);
      this.waiters.push({
        resolve: (s) => {
          clearTimeout(t);
          resolve(s);
        },
        reject: (e) => {
          clearTimeout(t);
          reject(e);
        },
      });
      if (this.closed) {
        this.waiters.pop();
        clearTimeout(t);
        reject(new Error('connection closed'));
        return;
      }
      this.drain();
    });
  }

  /** Sends raw bytes (latin1 string or Buffer). */
  write(data: string | Buffer): void {
    if (typeof data === 'string') this.socket.write(data, 'latin1');
    else this.socket.write(data);
  }

  /** Sends one command and returns the raw bytes of its reply. */
  call(...argv: string[]): Promise<string> {
    this.write(encodeCommand(argv));
    return this.read();
  }

  /** Resolves when the server closes the connection (or rejects after the timeout). */
  waitClosed(timeoutMs = 3000): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('connection still open')), timeoutMs);
      this.socket.once('close', () => {
        clearTimeout(t);
        resolve();
      });
    });
  }

  /** Bytes received but not claimed by read(). */
  get pending(): string {
    return this.buf;
  }

  close(): void {
    this.socket.destroy();
  }
}

/** Decodes one complete raw reply; throws on an incomplete one. */
export function parseReply(raw: string): RespValue {
  const r = readReply(raw);
  if (r === null) throw new Error('incomplete reply: ' + JSON.stringify(raw));
  return r.value;
}

/** The elements of an array or set reply: bulk strings as themselves, anything else as its JSON. */
export function bulks(v: RespValue): string[] {
  if (v.type !== 'array' && v.type !== 'set') throw new Error('not an array: ' + JSON.stringify(v));
  return v.value.map((x) => (x.type === 'bulk' ? x.value : JSON.stringify(x)));
}

/** Sends commands pipelined (one write) and returns their raw replies. */
export async function pipeline(conn: RawConnection, cmds: string[][]): Promise<string[]> {
  let payload = '';
  for (const c of cmds) payload += encodeCommand(c);
  conn.write(payload);
  const out: string[] = [];
  for (let i = 0; i < cmds.length; i++) out.push(await conn.read(20000));
  return out;
}

/** Walks a whole HSCAN/SSCAN/ZSCAN of `key` and returns every item (with duplicates, if any). */
export async function scanAll(conn: RawConnection, cmd: string, key: string, count = 10): Promise<string[]> {
  let cursor = '0';
  const items: string[] = [];
  let calls = 0;
  do {
    const v = parseReply(await conn.call(cmd, key, cursor, 'COUNT', String(count)));
    if (v.type !== 'array') throw new Error('bad scan reply ' + JSON.stringify(v));
    cursor = (v.value[0] as { value: string }).value;
    items.push(...bulks(v.value[1]));
    if (++calls > 1_000_000) throw new Error('scan does not end');
  } while (cursor !== '0');
  return items;
}
