/**
 * Bit commands on string values (bitops.c): SETBIT, GETBIT, BITCOUNT,
 * BITPOS, BITOP, BITFIELD, BITFIELD_RO. Bits are numbered from the most
 * significant bit of the first byte. Strings are immutable in JS, so a write
 * builds the new value: a single byte change by slicing, multi-byte
 * operations through a Buffer.
 */
import { cmd, type CommandArg, type CommandSpec } from './types';
import { E } from './errors';
import { NOTIFY } from '../server/notify';
import type { Client } from '../server/client';
import { parseInt64 } from '../util/numbers';
import { STR_RAW } from '../store/value';
import { clampBig, cstr, ks, obeysLimits, optIs, setKey, MAX_JS_STRING, ERR_STRING_TOO_LONG } from './strings';

const ERR_BIT_OFFSET = 'ERR bit offset is not an integer or out of range';
const ERR_BIT_VALUE = 'ERR bit is not an integer or out of range';
const ERR_BITPOS_BIT = 'ERR The bit argument must be 1 or 0.';
const ERR_BITOP_NOT = 'ERR BITOP NOT must be called with a single source key.';
const ERR_OVERFLOW_TYPE = 'ERR Invalid OVERFLOW type specified';
const ERR_BITFIELD_TYPE = 'ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.';
const ERR_BITFIELD_RO = 'ERR BITFIELD_RO only supports the GET subcommand';

/** Set bits in each byte value. */
const POPCOUNT = new Uint8Array(256);
for (let i = 1; i < 256; i++) POPCOUNT[i] = (i & 1) + POPCOUNT[i >> 1];

/**
 * Parses a bit offset as getBitOffsetFromArgument: a non-negative 64-bit
 * integer whose byte index stays under proto-max-bulk-len; with `bits` > 0 the
 * "#N" form means N * bits. Returns -1 after an error reply.
 */
function bitOffset(c: Client, arg: string, bits: number): number {
  const hash = bits > 0 && arg.length > 0 && arg.charCodeAt(0) === 35;
  let v = parseInt64(hash ? arg.slice(1) : arg);
  if (v === null) {
    c.error(ERR_BIT_OFFSET);
    return -1;
  }
  if (hash) {
    const p = typeof v === 'number' ? v * bits : 0;
    // Like the C multiplication, wrap around on overflow.
    v = typeof v === 'number' && Number.isSafeInteger(p) ? p : BigInt.asIntN(64, BigInt(v) * BigInt(bits));
  }
  if (v < 0 || (obeysLimits(c) && Math.floor(Number(v) / 8) >= c.server.config.protoMaxBulkLen)) {
    c.error(ERR_BIT_OFFSET);
    return -1;
  }
  return Number(v);
}

/** Bytes a write up to `bit` needs; false (after an error reply) when JS cannot hold such a string. */
function fitsString(c: Client, bytes: number): boolean {
  if (bytes > MAX_JS_STRING) {
    c.error(ERR_STRING_TOO_LONG);
    return false;
  }
  return true;
}

/** Counts the set bits of s in the bit range [from, to] (inclusive, within the string). */
function countBits(s: string, from: number, to: number): number {
  const fb = Math.floor(from / 8);
  const tb = Math.floor(to / 8);
  let n = 0;
  for (let i = fb; i <= tb; i++) n += POPCOUNT[s.charCodeAt(i)];
  // Remove the bits of the edge bytes that lie outside the range.
  const lead = from - fb * 8;
  if (lead > 0) n -= POPCOUNT[s.charCodeAt(fb) & ~((1 << (8 - lead)) - 1) & 0xff];
  const trail = 7 - (to - tb * 8);
  if (trail > 0) n -= POPCOUNT[s.charCodeAt(tb) & ((1 << trail) - 1)];
  return n;
}

/** The first bit equal to `bit` in [from, to], or -1. */
function findBit(s: string, bit: number, from: number, to: number): number {
  const fb = Math.floor(from / 8);
  const tb = Math.floor(to / 8);
  const skip = bit ? 0 : 0xff;
  for (let i = fb; i <= tb; i++) {
    const b = s.charCodeAt(i);
    const lo = i === fb ? from - fb * 8 : 0;
    const hi = i === tb ? to - tb * 8 : 7;
    if (lo === 0 && hi === 7 && b === skip) continue;
    for (let k = lo; k <= hi; k++) {
      if (((b >> (7 - k)) & 1) === bit) return i * 8 + k;
    }
  }
  return -1;
}

/** Normalizes BITCOUNT/BITPOS range ends: negative from the end, clamped to [0, totlen-1]. */
function normRange(start0: number | bigint, end0: number | bigint, totlen: number): [number, number] {
  let start = clampBig(start0);
  let end = clampBig(end0);
  if (start < 0) start = totlen + start;
  if (end < 0) end = totlen + end;
  if (start < 0) start = 0;
  if (end < 0) end = 0;
  if (end >= totlen) end = totlen - 1;
  return [start, end];
}

function parseUnit(c: Client, arg: string): boolean | null {
  if (optIs(arg, 'bit')) return true;
  if (optIs(arg, 'byte')) return false;
  c.error(E.SYNTAX);
  return null;
}

// ---------------------------------------------------------------- BITFIELD

const OW_WRAP = 0;
const OW_SAT = 1;
const OW_FAIL = 2;

interface BitfieldOp {
  op: 'get' | 'set' | 'incrby';
  offset: number;
  bits: number;
  signed: boolean;
  value: bigint;
  overflow: number;
}

const U64 = (1n << 64n) - 1n;
const I64_MAX = (1n << 63n) - 1n;

/** Reads `bits` bits at a bit offset as an unsigned integer; bytes past the end read as zero. */
function readBits(byteAt: (i: number) => number, offset: number, bits: number): bigint {
  const first = Math.floor(offset / 8);
  const skip = offset - first * 8;
  const nbytes = Math.ceil((skip + bits) / 8);
  let acc = 0n;
  for (let i = 0; i < nbytes; i++) acc = (acc << 8n) | BigInt(byteAt(first + i));
  return (acc >> BigInt(nbytes * 8 - skip - bits)) & ((1n << BigInt(bits)) - 1n);
}

/** Writes the low `bits` bits of v at a bit offset (the buffer is large enough). */
function writeBits(buf: Buffer, offset: number, bits: number, v: bigint): void {
  const first = Math.floor(offset / 8);
  const skip = offset - first * 8;
  const nbytes = Math.ceil((skip + bits) / 8);
  let acc = 0n;
  for (let i = 0; i < nbytes; i++) acc = (acc << 8n) | BigInt(buf[first + i]);
  const shift = BigInt(nbytes * 8 - skip - bits);
  const mask = ((1n << BigInt(bits)) - 1n) << shift;
  acc = (acc & ~mask) | ((v << shift) & mask);
  for (let i = nbytes - 1; i >= 0; i--) {
    buf[first + i] = Number(acc & 0xffn);
    acc >>= 8n;
  }
}

function toSigned(u: bigint, bits: number): bigint {
  return BigInt.asIntN(bits, u);
}

/**
 * checkUnsignedBitfieldOverflow with C's uint64/int64 arithmetic: returns
 * [overflow, limit] where limit is the wrapped or saturated value.
 */
function unsignedOverflow(value: bigint, incr: bigint, bits: number, ow: number): [number, bigint] {
  const max = (1n << BigInt(bits)) - 1n;
  const maxincr = BigInt.asIntN(64, max - value);
  const minincr = BigInt.asIntN(64, -value);
  const wrap = (): bigint => BigInt.asUintN(64, value + incr) & max;
  if (value > max || (incr > 0n && incr > maxincr)) return [1, ow === OW_WRAP ? wrap() : ow === OW_SAT ? max : 0n];
  if (incr < 0n && incr < minincr) return [-1, ow === OW_WRAP ? wrap() : 0n];
  return [0, 0n];
}

/** checkSignedBitfieldOverflow, likewise. */
function signedOverflow(value: bigint, incr: bigint, bits: number, ow: number): [number, bigint] {
  const max = bits === 64 ? I64_MAX : (1n << BigInt(bits - 1)) - 1n;
  const min = -max - 1n;
  const maxincr = BigInt.asIntN(64, max - value);
  const minincr = BigInt.asIntN(64, min - value);
  const wrap = (): bigint => {
    let r = BigInt.asUintN(64, value + incr);
    if (bits < 64) {
      const msb = 1n << BigInt(bits - 1);
      const mask = (U64 << BigInt(bits)) & U64;
      r = r & msb ? r | mask : r & ~mask & U64;
    }
    return BigInt.asIntN(64, r);
  };
  if (value > max || (bits !== 64 && incr > maxincr) || (value >= 0n && incr > 0n && incr > maxincr)) {
    return [1, ow === OW_WRAP ? wrap() : max];
  }
  if (value < min || (bits !== 64 && incr < minincr) || (value < 0n && incr < 0n && incr < minincr)) {
    return [-1, ow === OW_WRAP ? wrap() : min];
  }
  return [0, 0n];
}

function bitfieldGeneric(c: Client, argv: string[], readonlyCommand: boolean): void {
  const ops: BitfieldOp[] = [];
  let overflow = OW_WRAP;
  let readonly = true;
  let highest = -1;
  for (let j = 2; j < argv.length; j++) {
    const remargs = argv.length - j - 1;
    const sub = cstr(argv[j]).toLowerCase();
    let op: BitfieldOp['op'];
    if (sub === 'get' && remargs >= 2) op = 'get';
    else if (sub === 'set' && remargs >= 3) op = 'set';
    else if (sub === 'incrby' && remargs >= 3) op = 'incrby';
    else if (sub === 'overflow' && remargs >= 1) {
      const t = cstr(argv[++j]).toLowerCase();
      if (t === 'wrap') overflow = OW_WRAP;
      else if (t === 'sat') overflow = OW_SAT;
      else if (t === 'fail') overflow = OW_FAIL;
      else return c.error(ERR_OVERFLOW_TYPE);
      continue;
    } else return c.error(E.SYNTAX);

    const type = cstr(argv[j + 1]);
    const t0 = type.charCodeAt(0);
    const signed = t0 === 105; // 'i'
    if (!signed && t0 !== 117) return c.error(ERR_BITFIELD_TYPE); // 'u'
    const nb = parseInt64(type.slice(1));
    if (nb === null || nb < 1 || (signed && nb > 64) || (!signed && nb > 63)) return c.error(ERR_BITFIELD_TYPE);
    const bits = Number(nb);
    const offset = bitOffset(c, argv[j + 2], bits);
    if (offset < 0) return;
    let value = 0n;
    if (op !== 'get') {
      readonly = false;
      if (offset + bits - 1 > highest) highest = offset + bits - 1;
      const v = parseInt64(argv[j + 3]);
      if (v === null) return c.error(E.NOT_INTEGER);
      value = BigInt(v);
    }
    ops.push({ op, offset, bits, signed, value, overflow });
    j += op === 'get' ? 2 : 3;
  }

  const db = c.db;
  const key = argv[1];
  if (readonly) {
    const v = db.lookupRead(key);
    if (v !== undefined && typeof v !== 'string') return c.error(E.WRONGTYPE);
    const s = (v as string | undefined) ?? '';
    const byteAt = (i: number): number => (i < s.length ? s.charCodeAt(i) : 0);
    c.arrayHeader(ops.length);
    for (const o of ops) {
      const u = readBits(byteAt, o.offset, o.bits);
      c.int(o.signed ? toSigned(u, o.bits) : u);
    }
    return;
  }
  if (readonlyCommand) return c.error(ERR_BITFIELD_RO);
  const old = db.lookupWrite(key);
  if (old !== undefined && typeof old !== 'string') return c.error(E.WRONGTYPE);
  const need = Math.floor(highest / 8) + 1;
  if (!fitsString(c, need)) return;
  const s = (old as string | undefined) ?? '';
  const grown = old === undefined || need > s.length;
  const buf = Buffer.alloc(Math.max(need, s.length));
  buf.latin1Write(s, 0);
  const byteAt = (i: number): number => (i < buf.length ? buf[i] : 0);
  c.arrayHeader(ops.length);
  let changes = 0;
  for (const o of ops) {
    if (o.op === 'get') {
      const u = readBits(byteAt, o.offset, o.bits);
      c.int(o.signed ? toSigned(u, o.bits) : u);
      continue;
    }
    const oldU = readBits(byteAt, o.offset, o.bits);
    let newval: bigint;
    let retval: bigint;
    let ovf: number;
    if (o.signed) {
      const oldval = toSigned(oldU, o.bits);
      if (o.op === 'incrby') {
        const [f, wrapped] = signedOverflow(oldval, o.value, o.bits, o.overflow);
        ovf = f;
        newval = f ? wrapped : oldval + o.value;
        retval = newval;
      } else {
        const [f, wrapped] = signedOverflow(o.value, 0n, o.bits, o.overflow);
        ovf = f;
        newval = f ? wrapped : o.value;
        retval = oldval;
      }
    } else {
      if (o.op === 'incrby') {
        const [f, wrapped] = unsignedOverflow(oldU, o.value, o.bits, o.overflow);
        ovf = f;
        newval = f ? wrapped : BigInt.asUintN(64, oldU + o.value);
        retval = newval;
      } else {
        const v = BigInt.asUintN(64, o.value);
        const [f, wrapped] = unsignedOverflow(v, 0n, o.bits, o.overflow);
        ovf = f;
        newval = f ? wrapped : v;
        retval = oldU;
      }
    }
    if (ovf !== 0 && o.overflow === OW_FAIL) c.nullBulk();
    else {
      c.int(retval);
      writeBits(buf, o.offset, o.bits, BigInt.asUintN(64, newval));
      // Only writes that changed something count, as in Redis: a key created or
      // grown for failed writes alone is neither notified nor propagated.
      if (grown || newval !== (o.signed ? toSigned(oldU, o.bits) : oldU)) changes++;
    }
  }
  if (changes > 0 || grown) {
    // Like Redis, only real changes signal the key (WATCH); growth alone does not.
    const nv = buf.latin1Slice(0, buf.length);
    if (old === undefined) db.add(key, nv);
    else {
      db.replaceValue(key, nv);
      if (changes > 0) db.modified(key);
    }
  }
  // Redis unshares the string for any write op, changed or not: it is raw from then on.
  db.setStringKind(key, STR_RAW);
  if (changes > 0) {
    c.server.notify(NOTIFY.string, 'setbit', key, db.id);
    c.server.dirty += changes;
  }
}

// ---------------------------------------------------------------- BITOP

function bitop(c: Client, argv: string[]): void {
  const opname = cstr(argv[1]).toLowerCase();
  if (opname !== 'and' && opname !== 'or' && opname !== 'xor' && opname !== 'not') return c.error(E.SYNTAX);
  if (opname === 'not' && argv.length !== 4) return c.error(ERR_BITOP_NOT);
  const db = c.db;
  const srcs: string[] = [];
  let maxlen = 0;
  for (let j = 3; j < argv.length; j++) {
    const v = db.lookupRead(argv[j]);
    if (v === undefined) {
      srcs.push('');
      continue;
    }
    if (typeof v !== 'string') return c.error(E.WRONGTYPE);
    srcs.push(v);
    if (v.length > maxlen) maxlen = v.length;
  }
  const dest = argv[2];
  const server = c.server;
  if (maxlen > 0) {
    const res = Buffer.alloc(maxlen);
    res.latin1Write(srcs[0], 0);
    if (opname === 'not') {
      for (let i = 0; i < maxlen; i++) res[i] = ~res[i] & 0xff;
    } else {
      for (let k = 1; k < srcs.length; k++) {
        const s = srcs[k];
        const b = Buffer.from(s, 'latin1');
        const n = b.length;
        if (opname === 'and') {
          for (let i = 0; i < n; i++) res[i] &= b[i];
          res.fill(0, n);
        } else if (opname === 'or') {
          for (let i = 0; i < n; i++) res[i] |= b[i];
        } else {
          for (let i = 0; i < n; i++) res[i] ^= b[i];
        }
      }
    }
    setKey(db, dest, res.latin1Slice(0, maxlen));
    db.setStringKind(dest, STR_RAW); // built as a raw sds in Redis
    server.notify(NOTIFY.string, 'set', dest, db.id);
    server.dirty++;
  } else if (db.keys.has(dest)) {
    // Redis's dbDelete here ignores TTLs: a logically expired destination is
    // deleted (and notified) as a plain key, not reported as expired.
    db.persist(dest);
    db.delete(dest);
    server.notify(NOTIFY.generic, 'del', dest, db.id);
    server.dirty++;
  }
  c.int(maxlen);
}

// ---------------------------------------------------------------- commands

const key = (): CommandArg => ({ name: 'key', type: 'key', key_spec_index: 0 });
const unit = (): CommandArg => ({
  name: 'index_unit',
  type: 'oneof',
  since: '7.0.0',
  optional: true,
  arguments: [
    { name: 'byte', type: 'pure-token', token: 'BYTE' },
    { name: 'bit', type: 'pure-token', token: 'BIT' },
  ],
});
const common = { firstKey: 1, lastKey: 1, keyStep: 1, categories: ['bitmap'], group: 'bitmap' } as const;

export const bitCommands: CommandSpec[] = [
  cmd({
    ...common,
    categories: ['bitmap'],
    name: 'setbit',
    keySpecs: [ks(['RW', 'access', 'update'])],
    arity: 4,
    flags: ['write', 'denyoom'],
    since: '2.2.0',
    summary: 'Sets or clears one bit of a string value, returning its previous value.',
    complexity: 'O(1)',
    args: [key(), { name: 'offset', type: 'integer' }, { name: 'value', type: 'integer' }],
    handler(c, argv) {
      const offset = bitOffset(c, argv[2], 0);
      if (offset < 0) return;
      const on = parseInt64(argv[3]);
      if (on === null) return c.error(ERR_BIT_VALUE);
      if (on !== 0 && on !== 1) return c.error(ERR_BIT_VALUE);
      const key = argv[1];
      const db = c.db;
      const v = db.lookupWrite(key);
      if (v !== undefined && typeof v !== 'string') return c.error(E.WRONGTYPE);
      const byte = Math.floor(offset / 8);
      if (!fitsString(c, byte + 1)) return;
      const s = (v as string | undefined) ?? '';
      const shift = 7 - (offset - byte * 8);
      const byteval = byte < s.length ? s.charCodeAt(byte) : 0;
      const bitval = (byteval >> shift) & 1;
      if (v === undefined || byte >= s.length || bitval !== on) {
        const nb = on ? byteval | (1 << shift) : byteval & ~(1 << shift);
        const ch = String.fromCharCode(nb);
        const nv = byte < s.length ? s.slice(0, byte) + ch + s.slice(byte + 1) : s + '\0'.repeat(byte - s.length) + ch;
        if (v === undefined) db.add(key, nv);
        else {
          db.replaceValue(key, nv);
          db.modified(key);
        }
        c.server.notify(NOTIFY.string, 'setbit', key, db.id);
        c.server.dirty++;
      }
      // Redis unshares the string even when the bit already had that value: it is raw from then on.
      db.setStringKind(key, STR_RAW);
      c.int(bitval);
    },
  }),
  cmd({
    ...common,
    categories: ['bitmap'],
    name: 'getbit',
    keySpecs: [ks(['RO', 'access'])],
    arity: 3,
    flags: ['readonly', 'fast'],
    since: '2.2.0',
    summary: 'Returns one bit of a string value.',
    complexity: 'O(1)',
    args: [key(), { name: 'offset', type: 'integer' }],
    handler(c, argv) {
      const offset = bitOffset(c, argv[2], 0);
      if (offset < 0) return;
      const v = c.db.lookupRead(argv[1]);
      if (v === undefined) return c.int(0);
      if (typeof v !== 'string') return c.error(E.WRONGTYPE);
      const byte = Math.floor(offset / 8);
      if (byte >= v.length) return c.int(0);
      c.int((v.charCodeAt(byte) >> (7 - (offset - byte * 8))) & 1);
    },
  }),
  cmd({
    ...common,
    categories: ['bitmap'],
    name: 'bitcount',
    keySpecs: [ks(['RO', 'access'])],
    history: [['7.0.0', 'BYTE|BIT option.']],
    arity: -2,
    flags: ['readonly'],
    since: '2.6.0',
    summary: 'Counts the set bits of a string value, optionally within a byte or bit range.',
    complexity: 'O(N)',
    args: [key(), { name: 'index', type: 'block', optional: true, arguments: [{ name: 'start', type: 'integer' }, { name: 'end', type: 'integer' }, unit()] }],
    handler(c, argv) {
      const v = c.db.lookupRead(argv[1]);
      if (v === undefined) return c.int(0);
      if (typeof v !== 'string') return c.error(E.WRONGTYPE);
      const len = v.length;
      let start: number;
      let end: number;
      let isbit = false;
      if (argv.length === 4 || argv.length === 5) {
        const s0 = parseInt64(argv[2]);
        if (s0 === null) return c.error(E.NOT_INTEGER);
        const e0 = parseInt64(argv[3]);
        if (e0 === null) return c.error(E.NOT_INTEGER);
        if (s0 < 0 && e0 < 0 && s0 > e0) return c.int(0);
        if (argv.length === 5) {
          const u = parseUnit(c, argv[4]);
          if (u === null) return;
          isbit = u;
        }
        [start, end] = normRange(s0, e0, isbit ? len * 8 : len);
      } else if (argv.length === 2) {
        start = 0;
        end = len - 1;
      } else return c.error(E.SYNTAX);
      if (start > end) return c.int(0);
      c.int(isbit ? countBits(v, start, end) : countBits(v, start * 8, end * 8 + 7));
    },
  }),
  cmd({
    ...common,
    categories: ['bitmap'],
    name: 'bitpos',
    keySpecs: [ks(['RO', 'access'])],
    history: [['7.0.0', 'BYTE|BIT option.']],
    arity: -3,
    flags: ['readonly'],
    since: '2.8.7',
    summary: 'Finds the first set or clear bit of a string value, optionally within a range.',
    complexity: 'O(N)',
    args: [
      key(),
      { name: 'bit', type: 'integer' },
      {
        name: 'index',
        type: 'block',
        optional: true,
        arguments: [{ name: 'start', type: 'integer' }, { name: 'end_index', type: 'block', optional: true, arguments: [{ name: 'end', type: 'integer' }, unit()] }],
      },
    ],
    handler(c, argv) {
      const b = parseInt64(argv[2]);
      if (b === null) return c.error(E.NOT_INTEGER);
      if (b !== 0 && b !== 1) return c.error(ERR_BITPOS_BIT);
      const bit = b;
      const v = c.db.lookupRead(argv[1]);
      if (v === undefined) return c.int(bit ? -1 : 0);
      if (typeof v !== 'string') return c.error(E.WRONGTYPE);
      const len = v.length;
      let start: number;
      let end: number;
      let isbit = false;
      let endGiven = false;
      const argc = argv.length;
      if (argc >= 4 && argc <= 6) {
        const s0 = parseInt64(argv[3]);
        if (s0 === null) return c.error(E.NOT_INTEGER);
        if (argc === 6) {
          const u = parseUnit(c, argv[5]);
          if (u === null) return;
          isbit = u;
        }
        let e0: number | bigint;
        if (argc >= 5) {
          const e = parseInt64(argv[4]);
          if (e === null) return c.error(E.NOT_INTEGER);
          e0 = e;
          endGiven = true;
        } else e0 = isbit ? len * 8 + 7 : len - 1;
        [start, end] = normRange(s0, e0, isbit ? len * 8 : len);
      } else if (argc === 3) {
        start = 0;
        end = len - 1;
      } else return c.error(E.SYNTAX);
      if (start > end) return c.int(-1);
      const from = isbit ? start : start * 8;
      const to = isbit ? end : end * 8 + 7;
      const pos = findBit(v, bit, from, to);
      if (pos >= 0) return c.int(pos);
      // Without an explicit end, the string is seen as padded with zero bits on the right.
      c.int(bit === 0 && !endGiven ? to + 1 : -1);
    },
  }),
  cmd({
    ...common,
    categories: ['bitmap'],
    name: 'bitop',
    keySpecs: [ks(['OW', 'update'], 2, 0, 1), ks(['RO', 'access'], 3, -1, 1)],
    arity: -4,
    firstKey: 2,
    lastKey: -1,
    flags: ['write', 'denyoom'],
    since: '2.6.0',
    summary: 'Stores the bitwise AND, OR, XOR or NOT of string values at a destination key.',
    complexity: 'O(N)',
    args: [
      { name: 'operation', type: 'string' },
      { name: 'destkey', type: 'key', key_spec_index: 0 },
      { name: 'key', type: 'key', key_spec_index: 1, multiple: true },
    ],
    handler: bitop,
  }),
  cmd({
    ...common,
    categories: ['bitmap'],
    name: 'bitfield',
    keySpecs: [ks(['RW', 'access', 'update', 'variable_flags'], 1, 0, 1, 'This command allows both access and modification of the key')],
    arity: -2,
    flags: ['write', 'denyoom'],
    since: '3.2.0',
    summary: 'Reads, writes and increments integers of any width at any bit offset of a string value.',
    complexity: 'O(1) for each operation',
    args: [
      key(),
      {
        name: 'operation',
        type: 'oneof',
        optional: true,
        multiple: true,
        arguments: [
          { name: 'encoding_offset', type: 'block', token: 'GET', arguments: [{ name: 'encoding', type: 'string' }, { name: 'offset', type: 'integer' }] },
          {
            name: 'write',
            type: 'block',
            arguments: [
              {
                name: 'wrap_sat_fail',
                type: 'oneof',
                token: 'OVERFLOW',
                optional: true,
                arguments: [
                  { name: 'wrap', type: 'pure-token', token: 'WRAP' },
                  { name: 'sat', type: 'pure-token', token: 'SAT' },
                  { name: 'fail', type: 'pure-token', token: 'FAIL' },
                ],
              },
              {
                name: 'write_operation',
                type: 'oneof',
                arguments: [
                  {
                    name: 'encoding_offset_value',
                    type: 'block',
                    token: 'SET',
                    arguments: [{ name: 'encoding', type: 'string' }, { name: 'offset', type: 'integer' }, { name: 'value', type: 'integer' }],
                  },
                  {
                    name: 'encoding_offset_increment',
                    type: 'block',
                    token: 'INCRBY',
                    arguments: [{ name: 'encoding', type: 'string' }, { name: 'offset', type: 'integer' }, { name: 'increment', type: 'integer' }],
                  },
                ],
              },
            ],
          },
        ],
      },
    ],
    handler(c, argv) {
      bitfieldGeneric(c, argv, false);
    },
  }),
  cmd({
    ...common,
    categories: ['bitmap'],
    name: 'bitfield_ro',
    keySpecs: [ks(['RO', 'access'])],
    arity: -2,
    flags: ['readonly', 'fast'],
    since: '6.0.0',
    summary: 'Reads integers of any width at any bit offset of a string value.',
    complexity: 'O(1) for each operation',
    args: [
      key(),
      {
        name: 'encoding_offset',
        type: 'block',
        token: 'GET',
        optional: true,
        multiple: true,
        multiple_token: true,
        arguments: [{ name: 'encoding', type: 'string' }, { name: 'offset', type: 'integer' }],
      },
    ],
    handler(c, argv) {
      bitfieldGeneric(c, argv, true);
    },
  }),
];
