/**
 * Incremental parser of client requests: RESP multibulk and inline commands.
 *
 * Arguments come out as latin1 ("binary") strings: one byte per char, so any
 * byte sequence survives, and the string is a copy, so a stored value never
 * retains the socket chunk it came from.
 */

export class ProtocolError extends Error {}

const CR = 13;
const LF = 10;
/** Largest inline request or length line Redis accepts before giving up. */
const PROTO_INLINE_MAX_SIZE = 64 * 1024;
const MAX_MULTIBULK_LEN = 2147483647;
/** A bulk at least this big is collected chunk by chunk and joined once. */
const BIG_ARG = 32 * 1024;

export interface ParserLimits {
  protoMaxBulkLen: number;
  /** Whether the client must still authenticate (limits multibulk length to 10, as Redis does). */
  unauthenticated?: () => boolean;
}

export class RequestParser {
  private buf: Buffer = Buffer.alloc(0);
  private pos = 0;
  /** Chunks received while waiting for a big bulk to complete. */
  private waiting: Buffer[] = [];
  private waitingLen = 0;
  /** Bytes (counted from `pos`) needed before parsing can make progress. */
  private needed = 0;

  // State of a multibulk in progress.
  private argsLeft = 0;
  private argv: string[] = [];
  private bulkLen = -1;

  /** Total bytes consumed by complete commands: the replication offset of a primary's stream. */
  consumed = 0;
  /** Whether the last command returned was inline (replicas use it to ignore newline pings). */
  lastWasInline = false;

  constructor(public limits: ParserLimits) {}

  feed(chunk: Buffer): void {
    if (this.waitingLen > 0 || (this.needed > 0 && this.buf.length - this.pos + chunk.length < this.needed)) {
      if (this.waitingLen === 0) {
        const rest = this.buf.subarray(this.pos);
        this.waiting.push(rest);
        this.waitingLen = rest.length;
        this.buf = Buffer.alloc(0);
        this.pos = 0;
      }
      this.waiting.push(chunk);
      this.waitingLen += chunk.length;
      if (this.waitingLen < this.needed) return;
      this.buf = Buffer.concat(this.waiting, this.waitingLen);
      this.pos = 0;
      this.waiting = [];
      this.waitingLen = 0;
      return;
    }
    if (this.pos >= this.buf.length) {
      this.buf = chunk;
    } else {
      this.buf = Buffer.concat([this.buf.subarray(this.pos), chunk]);
    }
    this.pos = 0;
  }

  /** Bytes received and not yet consumed (the query buffer). */
  get pendingBytes(): number {
    return this.buf.length - this.pos + this.waitingLen;
  }

  /**
   * The next complete command, or null when more bytes are needed.
   * Empty commands (blank inline lines, `*0`) are skipped.
   * Throws ProtocolError with Redis's text on malformed input.
   */
  next(): string[] | null {
    for (;;) {
      if (this.waitingLen > 0) return null;
      const buf = this.buf;
      if (this.argsLeft === 0) {
        if (this.pos >= buf.length) return null;
        if (buf[this.pos] !== 42 /* '*' */) {
          const argv = this.parseInline();
          if (argv === null) return null;
          if (argv.length === 0) continue;
          this.lastWasInline = true;
          return argv;
        }
        const start = this.pos;
        const nl = findCR(buf, start + 1);
        if (nl < 0) {
          if (buf.length - start > PROTO_INLINE_MAX_SIZE) throw new ProtocolError('Protocol error: too big mbulk count string');
          return null;
        }
        const n = parseLength(buf, start + 1, nl);
        if (n === null || n > MAX_MULTIBULK_LEN) throw new ProtocolError('Protocol error: invalid multibulk length');
        if (n > 10 && this.limits.unauthenticated?.()) throw new ProtocolError('Protocol error: unauthenticated multibulk length');
        this.pos = nl + 2;
        this.consumed += this.pos - start;
        if (n <= 0) continue;
        this.argsLeft = n;
        this.argv = [];
        this.bulkLen = -1;
      }
      if (!this.parseBulks()) return null;
      const argv = this.argv;
      this.argv = [];
      this.lastWasInline = false;
      return argv;
    }
  }

  /** Reads bulks of the current multibulk; true when all arrived. */
  private parseBulks(): boolean {
    const buf = this.buf;
    const len = buf.length;
    while (this.argsLeft > 0) {
      if (this.bulkLen < 0) {
        const start = this.pos;
        if (start >= len) return false;
        const nl = findCR(buf, start + 1);
        if (nl < 0) {
          if (len - start > PROTO_INLINE_MAX_SIZE) throw new ProtocolError('Protocol error: too big bulk count string');
          return false;
        }
        if (buf[start] !== 36 /* '$' */) {
          throw new ProtocolError(`Protocol error: expected '$', got '${String.fromCharCode(buf[start])}'`);
        }
        const n = parseLength(buf, start + 1, nl);
        if (n === null || n < 0 || n > this.limits.protoMaxBulkLen) throw new ProtocolError('Protocol error: invalid bulk length');
        this.bulkLen = n;
        this.pos = nl + 2;
        this.consumed += this.pos - start;
      }
      const from = this.pos;
      const end = from + this.bulkLen;
      if (end + 2 > len) {
        if (this.bulkLen >= BIG_ARG) this.needed = this.bulkLen + 2;
        return false;
      }
      this.needed = 0;
      this.argv.push(bytesToString(buf, from, end));
      this.pos = end + 2;
      this.consumed += this.bulkLen + 2;
      this.bulkLen = -1;
      this.argsLeft--;
    }
    return true;
  }

  private parseInline(): string[] | null {
    const buf = this.buf;
    const start = this.pos;
    const nl = buf.indexOf(LF, start);
    if (nl < 0) {
      if (buf.length - start > PROTO_INLINE_MAX_SIZE) throw new ProtocolError('Protocol error: too big inline request');
      return null;
    }
    let end = nl;
    if (end > start && buf[end - 1] === CR) end--;
    const line = buf.latin1Slice(start, end);
    this.pos = nl + 1;
    this.consumed += nl + 1 - start;
    const argv = splitArgs(line);
    if (argv === null) throw new ProtocolError('Protocol error: unbalanced quotes in request');
    return argv;
  }
}

/**
 * Position of the CR of a CRLF at or after `from`, or -1 while the line is
 * incomplete (a CR must be followed by its LF in the buffer). A JS loop beats
 * Buffer#indexOf here: the lines are a few bytes long and the native call costs more.
 */
function findCR(buf: Buffer, from: number): number {
  const len = buf.length;
  for (let i = from; i < len; i++) {
    if (buf[i] === CR) return i + 1 < len ? i : -1;
  }
  return -1;
}

/**
 * Copies bytes into a latin1 string. Short strings (command names, small
 * values) are built in JS, which is cheaper than the native slice call;
 * both produce a flat copy that does not retain the buffer.
 */
function bytesToString(buf: Buffer, from: number, to: number): string {
  switch (to - from) {
    case 0:
      return '';
    case 1:
      return String.fromCharCode(buf[from]);
    case 2:
      return String.fromCharCode(buf[from], buf[from + 1]);
    case 3:
      return String.fromCharCode(buf[from], buf[from + 1], buf[from + 2]);
    case 4:
      return String.fromCharCode(buf[from], buf[from + 1], buf[from + 2], buf[from + 3]);
    case 5:
      return String.fromCharCode(buf[from], buf[from + 1], buf[from + 2], buf[from + 3], buf[from + 4]);
    case 6:
      return String.fromCharCode(buf[from], buf[from + 1], buf[from + 2], buf[from + 3], buf[from + 4], buf[from + 5]);
    case 7:
      return String.fromCharCode(buf[from], buf[from + 1], buf[from + 2], buf[from + 3], buf[from + 4], buf[from + 5], buf[from + 6]);
    case 8:
      return String.fromCharCode(buf[from], buf[from + 1], buf[from + 2], buf[from + 3], buf[from + 4], buf[from + 5], buf[from + 6], buf[from + 7]);
    default:
      return buf.latin1Slice(from, to);
  }
}

/** Parses a decimal length between `from` and `to`; null when it is not a plain integer. */
function parseLength(buf: Buffer, from: number, to: number): number | null {
  if (from >= to) return null;
  let neg = false;
  let i = from;
  if (buf[i] === 45 /* '-' */) {
    neg = true;
    i++;
    if (i >= to) return null;
  }
  let n = 0;
  for (; i < to; i++) {
    const d = buf[i] - 48;
    if (d < 0 || d > 9) return null;
    n = n * 10 + d;
    if (n > 9007199254740991) return null;
  }
  return neg ? -n : n;
}

function isHex(c: string): boolean {
  return /[0-9a-fA-F]/.test(c);
}

/**
 * Splits a line into arguments the way redis-cli and Redis's inline protocol
 * do: whitespace separates, "double quotes" take C-like escapes (\n \r \t \b \a
 * \\ \" \xHH), 'single quotes' take only \'. A closing quote must be followed
 * by a space or the end. Returns null on unbalanced quotes.
 */
export function splitArgs(line: string): string[] | null {
  const args: string[] = [];
  let i = 0;
  const n = line.length;
  for (;;) {
    while (i < n && isSpace(line.charCodeAt(i))) i++;
    if (i >= n) return args;
    let cur = '';
    let inDq = false;
    let inSq = false;
    let done = false;
    while (!done) {
      if (inDq) {
        if (i >= n) return null;
        const c = line[i];
        if (c === '\\' && i + 3 < n && line[i + 1] === 'x' && isHex(line[i + 2]) && isHex(line[i + 3])) {
          cur += String.fromCharCode(parseInt(line.substr(i + 2, 2), 16));
          i += 3;
        } else if (c === '\\' && i + 1 < n) {
          i++;
          const e = line[i];
          cur += e === 'n' ? '\n' : e === 'r' ? '\r' : e === 't' ? '\t' : e === 'b' ? '\b' : e === 'a' ? '\x07' : e;
        } else if (c === '"') {
          if (i + 1 < n && !isSpace(line.charCodeAt(i + 1))) return null;
          done = true;
        } else {
          cur += c;
        }
      } else if (inSq) {
        if (i >= n) return null;
        const c = line[i];
        if (c === '\\' && i + 1 < n && line[i + 1] === "'") {
          i++;
          cur += "'";
        } else if (c === "'") {
          if (i + 1 < n && !isSpace(line.charCodeAt(i + 1))) return null;
          done = true;
        } else {
          cur += c;
        }
      } else {
        if (i >= n) {
          done = true;
          break;
        }
        const c = line[i];
        if (isSpace(line.charCodeAt(i))) {
          done = true;
        } else if (c === '"') {
          inDq = true;
        } else if (c === "'") {
          inSq = true;
        } else {
          cur += c;
        }
      }
      if (i < n) i++;
    }
    args.push(cur);
  }
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 11 || c === 12;
}
