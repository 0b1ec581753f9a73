/**
 * Reply encoding. A ReplyWriter appends RESP text (latin1, one char per
 * byte) to `out`; the connection sends it in one write per batch of input.
 * Which RESP version is spoken only changes the encoding of nulls,
 * maps, sets, doubles, booleans, big numbers, verbatim strings and pushes.
 */
import { formatDouble17g } from '../util/numbers';

export class ReplyWriter {
  out = '';
  /** 2 or 3, as chosen by HELLO. */
  resp: 2 | 3 = 2;

  /** Appends raw protocol text. */
  raw(s: string): void {
    this.out += s;
  }

  ok(): void {
    this.out += '+OK\r\n';
  }

  status(s: string): void {
    this.out += '+' + s + '\r\n';
  }

  /**
   * An error reply. `msg` is the full text, with its code (`ERR ...`,
   * `WRONGTYPE ...`); a text that does not start with a code gets `ERR `.
   * Newlines are replaced by spaces, as Redis does, to keep the protocol intact.
   */
  error(msg: string): void {
    if (/[\r\n]/.test(msg)) msg = msg.replace(/[\r\n]/g, ' ');
    this.out += '-' + msg + '\r\n';
    this.onError(msg);
  }

  /** Hook for error statistics; the server's Client overrides it. */
  protected onError(_msg: string): void {}

  int(n: number | bigint): void {
    this.out += ':' + n + '\r\n';
  }

  bulk(s: string): void {
    this.out += '$' + s.length + '\r\n' + s + '\r\n';
  }

  /** A bulk string, or null when undefined/null. */
  bulkOrNull(s: string | undefined | null): void {
    if (s === undefined || s === null) this.nullBulk();
    else this.out += '$' + s.length + '\r\n' + s + '\r\n';
  }

  /** The null of a missing bulk string ($-1 / _). */
  nullBulk(): void {
    this.out += this.resp === 3 ? '_\r\n' : '$-1\r\n';
  }

  /** The null of a missing array (*-1 / _). */
  nullArray(): void {
    this.out += this.resp === 3 ? '_\r\n' : '*-1\r\n';
  }

  arrayHeader(n: number): void {
    this.out += '*' + n + '\r\n';
  }

  /** A map of n pairs: RESP3 `%`, RESP2 a flat array of 2n. */
  mapHeader(n: number): void {
    this.out += this.resp === 3 ? '%' + n + '\r\n' : '*' + n * 2 + '\r\n';
  }

  /** A set: RESP3 `~`, RESP2 an array. */
  setHeader(n: number): void {
    this.out += this.resp === 3 ? '~' + n + '\r\n' : '*' + n + '\r\n';
  }

  /** A push message: RESP3 `>`, RESP2 an array. */
  pushHeader(n: number): void {
    this.out += this.resp === 3 ? '>' + n + '\r\n' : '*' + n + '\r\n';
  }

  /** An array of bulk strings. */
  bulkArray(items: readonly string[]): void {
    let s = '*' + items.length + '\r\n';
    for (let i = 0; i < items.length; i++) {
      const it = items[i];
      s += '$' + it.length + '\r\n' + it + '\r\n';
    }
    this.out += s;
  }

  /** A double: RESP3 `,`, RESP2 a bulk string in %.17g. */
  double(d: number): void {
    const text = formatDouble17g(d);
    if (this.resp === 3) this.out += ',' + text + '\r\n';
    else this.bulk(text);
  }

  /** A boolean: RESP3 `#t`/`#f`, RESP2 the integers 1/0. */
  bool(b: boolean): void {
    if (this.resp === 3) this.out += b ? '#t\r\n' : '#f\r\n';
    else this.out += b ? ':1\r\n' : ':0\r\n';
  }

  /** A verbatim string (RESP3 `=` with a 3-letter format), plain bulk in RESP2. */
  verbatim(s: string, format = 'txt'): void {
    if (this.resp === 3) this.out += '=' + (s.length + 4) + '\r\n' + format + ':' + s + '\r\n';
    else this.bulk(s);
  }

  bigNumber(s: string): void {
    if (this.resp === 3) this.out += '(' + s + '\r\n';
    else this.bulk(s);
  }

  /** RESP3 `_` / RESP2 `$-1`: the generic null. */
  nil(): void {
    this.nullBulk();
  }

  /** Takes what was written and clears it. */
  take(): string {
    const s = this.out;
    this.out = '';
    return s;
  }
}
