/** A minimal raw RESP connection for tests: sends commands, returns each reply's exact bytes. */
import * as net from 'node:net';
import { readReply } from '../../src/protocol/resp-reader';

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
