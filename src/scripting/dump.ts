/**
 * FUNCTION DUMP / FUNCTION RESTORE payloads, in Redis's format so that
 * payloads move between tsredis and Redis in both directions:
 *
 *   for each library: 0xF5 (RDB_OPCODE_FUNCTION2), the library code as an
 *   RDB string; then the RDB version (10) as 2 bytes little-endian and the
 *   CRC-64 (Jones polynomial, as Redis's crc64) of everything before, as
 *   8 bytes little-endian.
 *
 * Codes are written uncompressed; RESTORE also reads LZF-compressed and
 * integer-encoded RDB strings, as Redis writes them.
 */
import { parseLibraryMetadata, type FunctionsEngine, type Library } from './functions';

const RDB_OPCODE_FUNCTION2 = 0xf5;
const RDB_VERSION = 10;

let CRC_TABLE: BigUint64Array | null = null;

function crcTable(): BigUint64Array {
  if (CRC_TABLE !== null) return CRC_TABLE;
  const poly = 0x95ac9329ac4bc9b5n; // 0xad93d23594c935a9 reflected
  const t = new BigUint64Array(256);
  for (let i = 0; i < 256; i++) {
    let crc = BigInt(i);
    for (let k = 0; k < 8; k++) crc = crc & 1n ? (crc >> 1n) ^ poly : crc >> 1n;
    t[i] = crc;
  }
  CRC_TABLE = t;
  return t;
}

/** Redis's crc64 of a latin1 string. */
export function crc64(s: string, crc = 0n): bigint {
  const t = crcTable();
  for (let i = 0; i < s.length; i++) crc = t[Number((crc ^ BigInt(s.charCodeAt(i))) & 0xffn)] ^ (crc >> 8n);
  return crc;
}

function u64le(v: bigint): string {
  let s = '';
  for (let i = 0; i < 8; i++) {
    s += String.fromCharCode(Number(v & 0xffn));
    v >>= 8n;
  }
  return s;
}

function rdbLength(n: number): string {
  if (n < 64) return String.fromCharCode(n);
  if (n < 16384) return String.fromCharCode(0x40 | (n >> 8), n & 0xff);
  if (n <= 0xffffffff) return String.fromCharCode(0x80, (n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff);
  let s = String.fromCharCode(0x81);
  const b = BigInt(n);
  for (let i = 7; i >= 0; i--) s += String.fromCharCode(Number((b >> BigInt(8 * i)) & 0xffn));
  return s;
}

export function dumpLibraries(fe: FunctionsEngine): string {
  let payload = '';
  for (const lib of fe.libraries.values()) {
    payload += String.fromCharCode(RDB_OPCODE_FUNCTION2) + rdbLength(lib.code.length) + lib.code;
  }
  payload += String.fromCharCode(RDB_VERSION & 0xff, RDB_VERSION >> 8);
  return payload + u64le(crc64(payload));
}

class Reader {
  pos = 0;
  constructor(readonly s: string) {}
  byte(): number {
    if (this.pos >= this.s.length) throw new Error('truncated');
    return this.s.charCodeAt(this.pos++);
  }
  /** An RDB length; `encoded` tells a special string encoding (0xC0..). */
  length(): { n: number; encoded: boolean } {
    const b = this.byte();
    const type = b >> 6;
    if (type === 0) return { n: b & 0x3f, encoded: false };
    if (type === 1) return { n: ((b & 0x3f) << 8) | this.byte(), encoded: false };
    if (type === 3) return { n: b & 0x3f, encoded: true };
    if (b === 0x80) {
      let n = 0;
      for (let i = 0; i < 4; i++) n = n * 256 + this.byte();
      return { n, encoded: false };
    }
    if (b === 0x81) {
      let n = 0;
      for (let i = 0; i < 8; i++) n = n * 256 + this.byte();
      return { n, encoded: false };
    }
    throw new Error('bad length');
  }
  take(n: number): string {
    if (this.pos + n > this.s.length) throw new Error('truncated');
    const r = this.s.slice(this.pos, this.pos + n);
    this.pos += n;
    return r;
  }
  string(): string {
    const { n, encoded } = this.length();
    if (!encoded) return this.take(n);
    switch (n) {
      case 0: // int8
        return String((this.byte() << 24) >> 24);
      case 1: {
        const v = this.byte() | (this.byte() << 8);
        return String((v << 16) >> 16);
      }
      case 2: {
        const v = this.byte() | (this.byte() << 8) | (this.byte() << 16) | (this.byte() << 24);
        return String(v | 0);
      }
      case 3: {
        const clen = this.length().n;
        const ulen = this.length().n;
        return lzfDecompress(this.take(clen), ulen);
      }
      default:
        throw new Error('bad string encoding');
    }
  }
}

/** liblzf's decompression. */
export function lzfDecompress(input: string, outLen: number): string {
  const out = new Uint8Array(outLen);
  let ip = 0;
  let op = 0;
  while (ip < input.length) {
    let ctrl = input.charCodeAt(ip++);
    if (ctrl < 32) {
      ctrl++;
      if (op + ctrl > outLen || ip + ctrl > input.length) throw new Error('bad lzf data');
      for (let i = 0; i < ctrl; i++) out[op++] = input.charCodeAt(ip++);
    } else {
      let len = ctrl >> 5;
      let ref = op - ((ctrl & 0x1f) << 8) - 1;
      if (len === 7) len += input.charCodeAt(ip++);
      ref -= input.charCodeAt(ip++);
      len += 2;
      if (op + len > outLen || ref < 0) throw new Error('bad lzf data');
      for (let i = 0; i < len; i++) out[op++] = out[ref++];
    }
  }
  if (op !== outLen) throw new Error('bad lzf data');
  return Buffer.from(out).toString('latin1');
}

/** FUNCTION RESTORE: an error text, or null when the libraries were restored. */
export function restoreLibraries(fe: FunctionsEngine, payload: string, policy: 'append' | 'replace' | 'flush'): string | null {
  if (payload.length < 10) return 'ERR DUMP payload version or checksum are wrong';
  const body = payload.slice(0, payload.length - 8);
  const version = payload.charCodeAt(payload.length - 10) | (payload.charCodeAt(payload.length - 9) << 8);
  if (version > RDB_VERSION || u64le(crc64(body)) !== payload.slice(payload.length - 8)) {
    return 'ERR DUMP payload version or checksum are wrong';
  }
  const codes: string[] = [];
  const r = new Reader(payload.slice(0, payload.length - 10));
  try {
    while (r.pos < r.s.length) {
      const op = r.byte();
      if (op !== RDB_OPCODE_FUNCTION2) return 'ERR given type is not a function';
      codes.push(r.string());
    }
  } catch {
    return 'ERR payload is not valid';
  }
  if (policy === 'append') {
    for (const code of codes) {
      const md = parseLibraryMetadata(code);
      if (!('error' in md) && fe.libraries.has(md.name)) return `ERR Library ${md.name} already exists`;
    }
  }
  // A failing library leaves everything as it was.
  const saved = new Map<string, Library>(fe.libraries);
  if (policy === 'flush') fe.flush();
  for (const code of codes) {
    const res = fe.load(code, policy !== 'append');
    if ('error' in res) {
      fe.flush();
      for (const lib of saved.values()) fe.load(lib.code, true);
      return res.error;
    }
  }
  return null;
}
