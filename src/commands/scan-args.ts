/**
 * The arguments shared by HSCAN, SSCAN and ZSCAN (and SCAN's, plus TYPE):
 * `cursor [MATCH pattern] [COUNT count]`, parsed with Redis's exact rules
 * and error texts, and the reply shape they all use.
 *
 * Usage, in Redis's order of checks:
 *
 *   const cursor = parseScanCursor(c, argv[2]);      // 'ERR invalid cursor'
 *   if (cursor === null) return;
 *   ...look the key up: missing -> replyEmptyScan(c); wrong type -> WRONGTYPE...
 *   const opts = parseScanOptions(c, argv, 3);       // syntax / integer errors
 *   if (opts === null) return;
 *   ...collect items, keep those where scanMatches(opts, name)...
 *   replyScan(c, nextCursor, items);
 *
 * Cursors: Redis's are unsigned 64-bit; every table here has at most 2^30
 * buckets and uses Redis's reverse-binary cursor, in which the bits above the
 * table's mask do not matter, so the cursor is handed over as its low 32 bits.
 */
import type { ReplyWriter } from '../protocol/reply';
import { globMatch } from '../util/glob';
import { parseSafeInt } from '../util/numbers';
import { E } from './errors';

const ULONG_MAX = 18446744073709551615n;

export interface ScanOptions {
  /** The MATCH pattern, or null when absent or exactly "*" (matches everything). */
  match: string | null;
  /** COUNT: how much work one call does (default 10). */
  count: number;
  /** SCAN's TYPE filter (lower case as given), or null. */
  type: string | null;
}

/**
 * Parses a cursor as Redis (strtoul, base 10, no leading space, nothing
 * after the digits, no overflow; "" is 0 and "-1" wraps around as in C).
 * Returns its low 32 bits, or null after replying `ERR invalid cursor`.
 */
export function parseScanCursor(c: ReplyWriter, s: string): number | null {
  const v = scanCursorValue(s);
  if (v === null) {
    c.error('ERR invalid cursor');
    return null;
  }
  return v;
}

/** parseScanCursor without the reply: the low 32 bits of the cursor, or null when invalid. */
export function scanCursorValue(s: string): number | null {
  const n = s.length;
  if (n === 0) return 0; // strtoul("") converts nothing and stops at the end: cursor 0
  let i = 0;
  const c0 = s.charCodeAt(0);
  if (c0 === 43 || c0 === 45) i = 1; // '+' or '-'
  if (i === n) return null;
  // Fast path: up to 15 digits fit a double exactly.
  if (n - i <= 15) {
    let v = 0;
    for (let j = i; j < n; j++) {
      const d = s.charCodeAt(j) - 48;
      if (d < 0 || d > 9) return null;
      v = v * 10 + d;
    }
    if (c0 === 45) v = v === 0 ? 0 : Number(BigInt.asUintN(32, -BigInt(v)));
    return v % 4294967296;
  }
  for (let j = i; j < n; j++) {
    const d = s.charCodeAt(j) - 48;
    if (d < 0 || d > 9) return null;
  }
  let big = BigInt(s.slice(i));
  if (big > ULONG_MAX) return null; // ERANGE
  if (c0 === 45) big = -big;
  return Number(BigInt.asUintN(32, big));
}

/**
 * Parses the options after the cursor, from argv[start]. Replies the error
 * (`ERR syntax error`, `ERR value is not an integer or out of range`) and
 * returns null when they are invalid. `allowType` accepts SCAN's TYPE.
 */
export function parseScanOptions(c: ReplyWriter, argv: string[], start: number, allowType = false): ScanOptions | null {
  const opts: ScanOptions = { match: null, count: 10, type: null };
  let i = start;
  while (i < argv.length) {
    const more = argv.length - i;
    const opt = argv[i].toLowerCase();
    if (opt === 'count' && more >= 2) {
      const v = parseSafeInt(argv[i + 1]);
      if (v === null) {
        c.error(E.NOT_INTEGER);
        return null;
      }
      if (v < 1) {
        c.error(E.SYNTAX);
        return null;
      }
      opts.count = v;
      i += 2;
    } else if (opt === 'match' && more >= 2) {
      const p = argv[i + 1];
      opts.match = p === '*' ? null : p;
      i += 2;
    } else if (opt === 'type' && allowType && more >= 2) {
      opts.type = argv[i + 1];
      i += 2;
    } else {
      c.error(E.SYNTAX);
      return null;
    }
  }
  return opts;
}

/** Whether a name passes the MATCH filter. */
export function scanMatches(opts: ScanOptions, s: string): boolean {
  return opts.match === null || globMatch(opts.match, s);
}

/** The reply of every SCAN-family command: [cursor, [items...]]. */
export function replyScan(c: ReplyWriter, cursor: number, items: readonly string[]): void {
  c.arrayHeader(2);
  c.bulk(String(cursor));
  c.bulkArray(items);
}

/** The reply for a missing key: cursor 0 and nothing. */
export function replyEmptyScan(c: ReplyWriter): void {
  c.raw('*2\r\n$1\r\n0\r\n*0\r\n');
}
