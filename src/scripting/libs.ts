/**
 * The extra libraries Redis links into its Lua: bit (LuaBitOp), struct
 * (Roberto Ierusalimschy's struct), cjson and cmsgpack. Each behaves as the
 * C library Redis ships, error texts included.
 */
import { lua, lauxlib, lstr, pushBytes, setFunc, type LuaState, LUA_TNONE } from './lua';
import { openCjson } from './cjson';
import { openCmsgpack } from './cmsgpack';

const F64 = new Float64Array(1);
const U32 = new Uint32Array(F64.buffer);
const F32 = new Float32Array(1);
const U8_32 = new Uint8Array(F32.buffer);
const U8_64 = new Uint8Array(F64.buffer);

// ------------------------------------------------------------------ bit

/** LuaBitOp's argument normalisation: round to an integer (2^52+2^51 trick), keep the low 32 bits. */
function barg(L: LuaState, idx: number): number {
  F64[0] = lauxlib.luaL_checknumber(L, idx) + 6755399441055744.0;
  return U32[0] >>> 0;
}

function bret(L: LuaState, b: number): number {
  lua.lua_pushnumber(L, b | 0);
  return 1;
}

function bitVariadic(op: (a: number, b: number) => number) {
  return (L: LuaState): number => {
    let b = barg(L, 1);
    for (let i = lua.lua_gettop(L); i > 1; i--) b = op(b, barg(L, i));
    return bret(L, b);
  };
}

function openBit(L: LuaState): void {
  lua.lua_createtable(L, 0, 12);
  setFunc(L, -1, 'tobit', (L1) => bret(L1, barg(L1, 1)));
  setFunc(L, -1, 'bnot', (L1) => bret(L1, ~barg(L1, 1)));
  setFunc(L, -1, 'band', bitVariadic((a, b) => a & b));
  setFunc(L, -1, 'bor', bitVariadic((a, b) => a | b));
  setFunc(L, -1, 'bxor', bitVariadic((a, b) => a ^ b));
  setFunc(L, -1, 'lshift', (L1) => {
    const b = barg(L1, 1);
    return bret(L1, b << (barg(L1, 2) & 31));
  });
  setFunc(L, -1, 'rshift', (L1) => {
    const b = barg(L1, 1);
    return bret(L1, b >>> (barg(L1, 2) & 31));
  });
  setFunc(L, -1, 'arshift', (L1) => {
    const b = barg(L1, 1);
    return bret(L1, (b | 0) >> (barg(L1, 2) & 31));
  });
  setFunc(L, -1, 'rol', (L1) => {
    const b = barg(L1, 1);
    const n = barg(L1, 2) & 31;
    return bret(L1, (b << n) | (b >>> (32 - n)));
  });
  setFunc(L, -1, 'ror', (L1) => {
    const b = barg(L1, 1);
    const n = barg(L1, 2) & 31;
    return bret(L1, (b >>> n) | (b << (32 - n)));
  });
  setFunc(L, -1, 'bswap', (L1) => {
    const b = barg(L1, 1);
    return bret(L1, (b >>> 24) | ((b >>> 8) & 0xff00) | ((b & 0xff00) << 8) | (b << 24));
  });
  setFunc(L, -1, 'tohex', (L1) => {
    let b = barg(L1, 1);
    let n = lua.lua_type(L1, 2) === LUA_TNONE ? 8 : barg(L1, 2) | 0;
    let digits = '0123456789abcdef';
    if (n < 0) {
      n = -n;
      digits = '0123456789ABCDEF';
    }
    if (n > 8) n = 8;
    const out = new Uint8Array(n);
    for (let i = n; --i >= 0; ) {
      out[i] = digits.charCodeAt(b & 15);
      b >>>= 4;
    }
    pushBytes(L1, out);
    return 1;
  });
  lua.lua_setglobal(L, lstr('bit'));
}

// ------------------------------------------------------------------ struct

const MAXINTSIZE = 32;
const MAXALIGN = 8;

interface StructHeader {
  little: boolean;
  align: number;
}

class FormatReader {
  i = 0;
  constructor(readonly fmt: Uint8Array) {}
  get done(): boolean {
    return this.i >= this.fmt.length || this.fmt[this.i] === 0;
  }
  next(): number {
    return this.fmt[this.i++];
  }
  isDigit(): boolean {
    const c = this.fmt[this.i];
    return c !== undefined && c >= 48 && c <= 57;
  }
  getnum(L: LuaState, df: number): number {
    if (!this.isDigit()) return df;
    let a = 0;
    do {
      const d = this.fmt[this.i] - 48;
      if (a > Math.floor(2147483647 / 10) || a * 10 > 2147483647 - d) lauxlib.luaL_error(L, lstr('integral size overflow'));
      a = a * 10 + d;
      this.i++;
    } while (this.isDigit());
    return a;
  }
}

function optsize(L: LuaState, opt: number, f: FormatReader): number {
  switch (opt) {
    case 66: case 98: return 1; // B b
    case 72: case 104: return 2; // H h
    case 76: case 108: return 8; // L l
    case 84: return 8; // T
    case 102: return 4; // f
    case 100: return 8; // d
    case 120: return 1; // x
    case 99: return f.getnum(L, 1); // c
    case 105: case 73: { // i I
      const sz = f.getnum(L, 4);
      if (sz > MAXINTSIZE) lauxlib.luaL_error(L, lstr('integral size %d is larger than limit of %d'), sz, MAXINTSIZE);
      return sz;
    }
    default:
      return 0;
  }
}

function gettoalign(len: number, h: StructHeader, opt: number, size: number): number {
  if (size === 0 || opt === 99) return 0;
  if (size > h.align) size = h.align;
  return (size - (len & (size - 1))) & (size - 1);
}

function controloptions(L: LuaState, opt: number, f: FormatReader, h: StructHeader): void {
  switch (opt) {
    case 32:
      return;
    case 62:
      h.little = false;
      return;
    case 60:
      h.little = true;
      return;
    case 33: {
      const a = f.getnum(L, MAXALIGN);
      if (a === 0 || (a & (a - 1)) !== 0) lauxlib.luaL_error(L, lstr('alignment %d is not a power of 2'), a);
      h.align = a;
      return;
    }
    default:
      lauxlib.luaL_argerror(L, 1, lua.lua_pushfstring(L, lstr("invalid format option '%c'"), opt));
  }
}

function isIntOpt(opt: number): boolean {
  return opt === 98 || opt === 66 || opt === 104 || opt === 72 || opt === 108 || opt === 76 || opt === 84 || opt === 105 || opt === 73;
}

function structPack(L: LuaState): number {
  const f = new FormatReader(lauxlib.luaL_checklstring(L, 1));
  const h: StructHeader = { little: true, align: 1 };
  lua.lua_pushnil(L); // as struct.c: a mark after the arguments (a missing one reads as nil)
  let arg = 2;
  let total = 0;
  const out: number[] = [];
  while (!f.done) {
    const opt = f.next();
    let size = optsize(L, opt, f);
    let toalign = gettoalign(total, h, opt, size);
    total += toalign;
    while (toalign-- > 0) out.push(0);
    if (isIntOpt(opt)) {
      const n = lauxlib.luaL_checknumber(L, arg++);
      let v = n < 0 ? BigInt.asUintN(64, toInt64(n)) : toUint64(n);
      const bytes = new Array<number>(size);
      if (h.little) {
        for (let i = 0; i < size; i++) {
          bytes[i] = Number(v & 0xffn);
          v >>= 8n;
        }
      } else {
        for (let i = size - 1; i >= 0; i--) {
          bytes[i] = Number(v & 0xffn);
          v >>= 8n;
        }
      }
      out.push(...bytes);
    } else if (opt === 120) {
      out.push(0);
    } else if (opt === 102) {
      F32[0] = lauxlib.luaL_checknumber(L, arg++);
      const b = Array.from(U8_32);
      if (!h.little) b.reverse();
      out.push(...b);
    } else if (opt === 100) {
      F64[0] = lauxlib.luaL_checknumber(L, arg++);
      const b = Array.from(U8_64);
      if (!h.little) b.reverse();
      out.push(...b);
    } else if (opt === 99 || opt === 115) {
      const s: Uint8Array = lauxlib.luaL_checklstring(L, arg++);
      if (size === 0) size = s.length;
      lauxlib.luaL_argcheck(L, s.length >= size, arg, lstr('string too short'));
      for (let i = 0; i < size; i++) out.push(s[i]);
      if (opt === 115) {
        out.push(0);
        size++;
      }
    } else {
      controloptions(L, opt, f, h);
    }
    total += size;
  }
  pushBytes(L, Uint8Array.from(out));
  return 1;
}

function toInt64(n: number): bigint {
  if (!(n >= -9223372036854775808 && n < 9223372036854775808)) return -(1n << 63n);
  return BigInt(Math.trunc(n));
}

function toUint64(n: number): bigint {
  if (n !== n) return 1n << 63n;
  if (n < 9223372036854775808) return BigInt.asUintN(64, toInt64(n));
  if (n >= 18446744073709551616) return 0n;
  return BigInt(Math.trunc(n - 9223372036854775808)) + (1n << 63n);
}

function structUnpack(L: LuaState): number {
  const f = new FormatReader(lauxlib.luaL_checklstring(L, 1));
  const data: Uint8Array = lauxlib.luaL_checklstring(L, 2);
  const ld = data.length;
  let pos = (lua.lua_isnoneornil(L, 3) ? 1 : Math.trunc(lauxlib.luaL_checknumber(L, 3))) - 1;
  lauxlib.luaL_argcheck(L, pos >= 0, 3, lstr('offset must be 1 or greater'));
  const h: StructHeader = { little: true, align: 1 };
  let n = 0;
  while (!f.done) {
    const opt = f.next();
    let size = optsize(L, opt, f);
    pos += gettoalign(pos, h, opt, size);
    lauxlib.luaL_argcheck(L, size <= ld && pos <= ld - size, 2, lstr('data string too short'));
    lauxlib.luaL_checkstack(L, 2, lstr('too many results'));
    if (isIntOpt(opt)) {
      const issigned = opt >= 97;
      let l = 0n;
      if (!h.little) for (let i = 0; i < size; i++) l = ((l << 8n) | BigInt(data[pos + i])) & 0xffffffffffffffffn;
      else for (let i = size - 1; i >= 0; i--) l = ((l << 8n) | BigInt(data[pos + i])) & 0xffffffffffffffffn;
      let res: number;
      if (!issigned) res = Number(l);
      else {
        const shift = size * 8 - 1;
        const mask = shift >= 64 ? 0n : (0xffffffffffffffffn << BigInt(shift)) & 0xffffffffffffffffn;
        if ((l & mask) !== 0n) l |= mask;
        res = Number(BigInt.asIntN(64, l));
      }
      lua.lua_pushnumber(L, res);
      n++;
    } else if (opt === 120) {
      // padding
    } else if (opt === 102) {
      const b = data.slice(pos, pos + 4);
      if (!h.little) b.reverse();
      U8_32.set(b);
      lua.lua_pushnumber(L, F32[0]);
      n++;
    } else if (opt === 100) {
      const b = data.slice(pos, pos + 8);
      if (!h.little) b.reverse();
      U8_64.set(b);
      lua.lua_pushnumber(L, F64[0]);
      n++;
    } else if (opt === 99) {
      if (size === 0) {
        if (n === 0 || !lua.lua_isnumber(L, -1)) lauxlib.luaL_error(L, lstr("format 'c0' needs a previous size"));
        size = Math.trunc(lua.lua_tonumber(L, -1));
        lua.lua_pop(L, 1);
        n--;
        lauxlib.luaL_argcheck(L, size <= ld && pos <= ld - size, 2, lstr('data string too short'));
      }
      pushBytes(L, data.slice(pos, pos + size));
      n++;
    } else if (opt === 115) {
      const e = data.indexOf(0, pos);
      if (e < 0) lauxlib.luaL_error(L, lstr('unfinished string in data'));
      size = e - pos + 1;
      pushBytes(L, data.slice(pos, pos + size - 1));
      n++;
    } else {
      controloptions(L, opt, f, h);
    }
    pos += size;
  }
  lua.lua_pushnumber(L, pos + 1);
  return n + 1;
}

function structSize(L: LuaState): number {
  const f = new FormatReader(lauxlib.luaL_checklstring(L, 1));
  const h: StructHeader = { little: true, align: 1 };
  let pos = 0;
  while (!f.done) {
    const opt = f.next();
    const size = optsize(L, opt, f);
    pos += gettoalign(pos, h, opt, size);
    if (opt === 115) lauxlib.luaL_argerror(L, 1, lstr("option 's' has no fixed size"));
    else if (opt === 99 && size === 0) lauxlib.luaL_argerror(L, 1, lstr("option 'c0' has no fixed size"));
    const isalnum = (opt >= 48 && opt <= 57) || (opt >= 65 && opt <= 90) || (opt >= 97 && opt <= 122);
    if (!isalnum) controloptions(L, opt, f, h);
    pos += size;
  }
  lua.lua_pushnumber(L, pos);
  return 1;
}

function openStruct(L: LuaState): void {
  lua.lua_createtable(L, 0, 3);
  setFunc(L, -1, 'pack', structPack);
  setFunc(L, -1, 'unpack', structUnpack);
  setFunc(L, -1, 'size', structSize);
  lua.lua_setglobal(L, lstr('struct'));
}

/** Opens cjson, struct, cmsgpack and bit in the globals, in Redis's order. */
export function openExtraLibs(L: LuaState): void {
  openCjson(L);
  openStruct(L);
  openCmsgpack(L);
  openBit(L);
}
