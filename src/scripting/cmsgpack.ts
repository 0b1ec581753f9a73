/**
 * cmsgpack: lua-cmsgpack 0.4.0 as Redis embeds it. Integral numbers that
 * fit an int64 are packed as the smallest MessagePack integer, others as a
 * float when a float holds them exactly, else as a double; a table is an
 * array when its keys are exactly 1..n, else a map (in next() order);
 * tables nested deeper than 16 levels, functions and other values pack as
 * nil. unpack reads every value, unpack_one/unpack_limit also return the
 * next offset (-1 at the end).
 */
import { lua, lauxlib, num51, lstr, pushBytes, type LuaState, LUA_TSTRING, LUA_TBOOLEAN, LUA_TNUMBER, LUA_TTABLE, LUA_TNIL } from './lua';

const MAX_NESTING = 16;
const F32 = new Float32Array(1);
const F64 = new Float64Array(1);
const B32 = new Uint8Array(F32.buffer);
const B64 = new Uint8Array(F64.buffer);

class Buf {
  bytes: number[] = [];
  push(...b: number[]): void {
    for (const x of b) this.bytes.push(x & 0xff);
  }
  be(v: bigint, n: number): void {
    for (let i = n - 1; i >= 0; i--) this.bytes.push(Number((v >> BigInt(8 * i)) & 0xffn));
  }
}

function encodeInt(buf: Buf, n: bigint): void {
  if (n >= 0n) {
    if (n <= 127n) buf.push(Number(n));
    else if (n <= 0xffn) buf.push(0xcc, Number(n));
    else if (n <= 0xffffn) {
      buf.push(0xcd);
      buf.be(n, 2);
    } else if (n <= 0xffffffffn) {
      buf.push(0xce);
      buf.be(n, 4);
    } else {
      buf.push(0xcf);
      buf.be(n, 8);
    }
  } else {
    if (n >= -32n) buf.push(Number(n) & 0xff);
    else if (n >= -128n) buf.push(0xd0, Number(n) & 0xff);
    else if (n >= -32768n) {
      buf.push(0xd1);
      buf.be(BigInt.asUintN(16, n), 2);
    } else if (n >= -2147483648n) {
      buf.push(0xd2);
      buf.be(BigInt.asUintN(32, n), 4);
    } else {
      buf.push(0xd3);
      buf.be(BigInt.asUintN(64, n), 8);
    }
  }
}

function encodeDouble(buf: Buf, d: number): void {
  F32[0] = d;
  if (F32[0] === d) {
    buf.push(0xca, B32[3], B32[2], B32[1], B32[0]);
  } else {
    F64[0] = d;
    buf.push(0xcb, B64[7], B64[6], B64[5], B64[4], B64[3], B64[2], B64[1], B64[0]);
  }
}

function encodeNumber(buf: Buf, n: number): void {
  // IS_INT64_EQUIVALENT: finite and (int64_t)n == n
  if (isFinite(n) && n >= -9223372036854775808 && n < 9223372036854775808 && Math.trunc(n) === n) {
    encodeInt(buf, num51.toInt64(n));
  } else encodeDouble(buf, n);
}

function encodeBytes(buf: Buf, s: Uint8Array): void {
  const len = s.length;
  if (len < 32) buf.push(0xa0 | len);
  else if (len <= 0xff) buf.push(0xd9, len);
  else if (len <= 0xffff) {
    buf.push(0xda);
    buf.be(BigInt(len), 2);
  } else {
    buf.push(0xdb);
    buf.be(BigInt(len), 4);
  }
  for (let i = 0; i < len; i++) buf.bytes.push(s[i]);
}

function encodeHeader(buf: Buf, n: number, fix: number, b16: number, b32: number): void {
  if (n <= 15) buf.push(fix | n);
  else if (n <= 65535) {
    buf.push(b16);
    buf.be(BigInt(n), 2);
  } else {
    buf.push(b32);
    buf.be(BigInt(n), 4);
  }
}

/** Keys exactly 1..n (no holes, no others). */
function tableIsArray(L: LuaState): boolean {
  let count = 0;
  let max = 0;
  const top = lua.lua_gettop(L);
  lua.lua_pushnil(L);
  while (lua.lua_next(L, -2)) {
    lua.lua_pop(L, 1);
    let n: number;
    if (lua.lua_type(L, -1) !== LUA_TNUMBER || (n = lua.lua_tonumber(L, -1)) <= 0 || !(isFinite(n) && (n | 0) === n)) {
      lua.lua_settop(L, top);
      return false;
    }
    if (n > max) max = n;
    count++;
  }
  lua.lua_settop(L, top);
  return max === count;
}

/** Encodes the value at the top of the stack and pops it. */
function encodeValue(L: LuaState, buf: Buf, level: number): void {
  let t = lua.lua_type(L, -1);
  if (t === LUA_TTABLE && level === MAX_NESTING) t = LUA_TNIL;
  switch (t) {
    case LUA_TSTRING:
      encodeBytes(buf, lua.lua_tolstring(L, -1));
      break;
    case LUA_TBOOLEAN:
      buf.push(lua.lua_toboolean(L, -1) ? 0xc3 : 0xc2);
      break;
    case LUA_TNUMBER:
      encodeNumber(buf, lua.lua_tonumber(L, -1));
      break;
    case LUA_TTABLE:
      if (tableIsArray(L)) {
        const len = lua.lua_rawlen(L, -1);
        encodeHeader(buf, len, 0x90, 0xdc, 0xdd);
        lauxlib.luaL_checkstack(L, 1, lstr('in function mp_encode_lua_table_as_array'));
        for (let j = 1; j <= len; j++) {
          lua.lua_pushnumber(L, j);
          lua.lua_gettable(L, -2);
          encodeValue(L, buf, level + 1);
        }
      } else {
        lauxlib.luaL_checkstack(L, 3, lstr('in function mp_encode_lua_table_as_map'));
        let len = 0;
        lua.lua_pushnil(L);
        while (lua.lua_next(L, -2)) {
          lua.lua_pop(L, 1);
          len++;
        }
        encodeHeader(buf, len, 0x80, 0xde, 0xdf);
        lua.lua_pushnil(L);
        while (lua.lua_next(L, -2)) {
          lua.lua_pushvalue(L, -2);
          encodeValue(L, buf, level + 1);
          encodeValue(L, buf, level + 1);
        }
      }
      break;
    default:
      buf.push(0xc0);
  }
  lua.lua_pop(L, 1);
}

function mpPack(L: LuaState): number {
  const nargs = lua.lua_gettop(L);
  if (nargs === 0) return lauxlib.luaL_argerror(L, 0, lstr('MessagePack pack needs input.'));
  if (!lua.lua_checkstack(L, nargs)) return lauxlib.luaL_argerror(L, 0, lstr('Too many arguments for MessagePack pack.'));
  for (let i = 1; i <= nargs; i++) {
    const buf = new Buf();
    lauxlib.luaL_checkstack(L, 1, lstr('in function mp_check'));
    lua.lua_pushvalue(L, i);
    encodeValue(L, buf, 0);
    pushBytes(L, Uint8Array.from(buf.bytes));
  }
  lua.lua_concat(L, nargs);
  return 1;
}

const ERR_EOF = 1;
const ERR_BADFMT = 2;

class Cursor {
  err = 0;
  constructor(
    readonly s: Uint8Array,
    public p: number,
  ) {}
  get left(): number {
    return this.s.length - this.p;
  }
  need(n: number): boolean {
    if (this.left < n) {
      this.err = ERR_EOF;
      return false;
    }
    return true;
  }
  uint(off: number, n: number): bigint {
    let v = 0n;
    for (let i = 0; i < n; i++) v = (v << 8n) | BigInt(this.s[this.p + off + i]);
    return v;
  }
}

function decodeArray(L: LuaState, c: Cursor, len: number): void {
  lua.lua_createtable(L, 0, 0);
  lauxlib.luaL_checkstack(L, 1, lstr('in function mp_decode_to_lua_array'));
  let index = 1;
  while (len-- > 0) {
    lua.lua_pushnumber(L, index++);
    decodeValue(L, c);
    if (c.err) return;
    lua.lua_settable(L, -3);
  }
}

function decodeMap(L: LuaState, c: Cursor, len: number): void {
  lua.lua_createtable(L, 0, 0);
  while (len-- > 0) {
    decodeValue(L, c);
    if (c.err) return;
    decodeValue(L, c);
    if (c.err) return;
    lua.lua_settable(L, -3);
  }
}

function decodeValue(L: LuaState, c: Cursor): void {
  if (!c.need(1)) return;
  lauxlib.luaL_checkstack(L, 1, lstr('too many return values at once; use unpack_one or unpack_limit instead.'));
  const b = c.s[c.p];
  const sized = (hdr: number, n: number): number | null => {
    if (!c.need(hdr + n)) return null;
    return n;
  };
  switch (b) {
    case 0xcc:
      if (!c.need(2)) return;
      lua.lua_pushnumber(L, c.s[c.p + 1]);
      c.p += 2;
      return;
    case 0xd0:
      if (!c.need(2)) return;
      lua.lua_pushnumber(L, (c.s[c.p + 1] << 24) >> 24);
      c.p += 2;
      return;
    case 0xcd:
      if (!c.need(3)) return;
      lua.lua_pushnumber(L, Number(c.uint(1, 2)));
      c.p += 3;
      return;
    case 0xd1:
      if (!c.need(3)) return;
      lua.lua_pushnumber(L, Number(BigInt.asIntN(16, c.uint(1, 2))));
      c.p += 3;
      return;
    case 0xce:
      if (!c.need(5)) return;
      lua.lua_pushnumber(L, Number(c.uint(1, 4)));
      c.p += 5;
      return;
    case 0xd2:
      if (!c.need(5)) return;
      lua.lua_pushnumber(L, Number(BigInt.asIntN(32, c.uint(1, 4))));
      c.p += 5;
      return;
    case 0xcf:
    case 0xd3:
      if (!c.need(9)) return;
      lua.lua_pushnumber(L, Number(BigInt.asIntN(64, c.uint(1, 8))));
      c.p += 9;
      return;
    case 0xc0:
      lua.lua_pushnil(L);
      c.p += 1;
      return;
    case 0xc3:
    case 0xc2:
      lua.lua_pushboolean(L, b === 0xc3 ? 1 : 0);
      c.p += 1;
      return;
    case 0xca:
      if (!c.need(5)) return;
      for (let i = 0; i < 4; i++) B32[3 - i] = c.s[c.p + 1 + i];
      lua.lua_pushnumber(L, F32[0]);
      c.p += 5;
      return;
    case 0xcb:
      if (!c.need(9)) return;
      for (let i = 0; i < 8; i++) B64[7 - i] = c.s[c.p + 1 + i];
      lua.lua_pushnumber(L, F64[0]);
      c.p += 9;
      return;
    case 0xd9:
    case 0xda:
    case 0xdb: {
      const hdr = b === 0xd9 ? 2 : b === 0xda ? 3 : 5;
      if (!c.need(hdr)) return;
      const l = Number(c.uint(1, hdr - 1));
      if (sized(hdr, l) === null) return;
      pushBytes(L, c.s.slice(c.p + hdr, c.p + hdr + l));
      c.p += hdr + l;
      return;
    }
    case 0xdc:
    case 0xdd:
    case 0xde:
    case 0xdf: {
      const hdr = b === 0xdc || b === 0xde ? 3 : 5;
      if (!c.need(hdr)) return;
      const l = Number(c.uint(1, hdr - 1));
      c.p += hdr;
      if (b === 0xdc || b === 0xdd) decodeArray(L, c, l);
      else decodeMap(L, c, l);
      return;
    }
    default:
      if ((b & 0x80) === 0) {
        lua.lua_pushnumber(L, b);
        c.p += 1;
      } else if ((b & 0xe0) === 0xe0) {
        lua.lua_pushnumber(L, (b << 24) >> 24);
        c.p += 1;
      } else if ((b & 0xe0) === 0xa0) {
        const l = b & 0x1f;
        if (!c.need(1 + l)) return;
        pushBytes(L, c.s.slice(c.p + 1, c.p + 1 + l));
        c.p += 1 + l;
      } else if ((b & 0xf0) === 0x90) {
        c.p += 1;
        decodeArray(L, c, b & 0xf);
      } else if ((b & 0xf0) === 0x80) {
        c.p += 1;
        decodeMap(L, c, b & 0xf);
      } else c.err = ERR_BADFMT;
  }
}

function unpackFull(L: LuaState, limit: number, offset: number): number {
  const s: Uint8Array = lauxlib.luaL_checklstring(L, 1);
  const len = s.length;
  const decodeAll = limit === 0 && offset === 0;
  if (offset < 0 || limit < 0) {
    return lauxlib.luaL_error(L, lstr('Invalid request to unpack with offset of %d and limit of %d.'), offset, len);
  } else if (offset > len) {
    return lauxlib.luaL_error(L, lstr('Start offset %d greater than input length %d.'), offset, len);
  }
  if (decodeAll) limit = 2147483647;
  const c = new Cursor(s, offset);
  let cnt: number;
  for (cnt = 0; c.left > 0 && cnt < limit; cnt++) {
    decodeValue(L, c);
    if (c.err === ERR_EOF) return lauxlib.luaL_error(L, lstr('Missing bytes in input.'));
    if (c.err === ERR_BADFMT) return lauxlib.luaL_error(L, lstr('Bad data format in input.'));
  }
  if (!decodeAll) {
    lauxlib.luaL_checkstack(L, 1, lstr('in function mp_unpack_full'));
    lua.lua_pushnumber(L, c.left === 0 ? -1 : len - c.left);
    lua.lua_insert(L, 2);
    cnt += 1;
  }
  return cnt;
}

function cInt(d: number): number {
  return Number(BigInt.asIntN(32, num51.toInt64(d)));
}

export function openCmsgpack(L: LuaState): void {
  lua.lua_createtable(L, 0, 8);
  const fns: Array<[string, (L: LuaState) => number]> = [
    ['pack', mpPack],
    ['unpack', (L1) => unpackFull(L1, 0, 0)],
    [
      'unpack_one',
      (L1) => {
        const offset = lua.lua_isnoneornil(L1, 2) ? 0 : cInt(lauxlib.luaL_checknumber(L1, 2));
        lua.lua_pop(L1, lua.lua_gettop(L1) - 1);
        return unpackFull(L1, 1, offset);
      },
    ],
    [
      'unpack_limit',
      (L1) => {
        const limit = cInt(lauxlib.luaL_checknumber(L1, 2));
        const offset = lua.lua_isnoneornil(L1, 3) ? 0 : cInt(lauxlib.luaL_checknumber(L1, 3));
        lua.lua_pop(L1, lua.lua_gettop(L1) - 1);
        return unpackFull(L1, limit, offset);
      },
    ],
  ];
  for (const [name, fn] of fns) {
    lua.lua_pushcfunction(L, fn);
    lua.lua_setfield(L, -2, lstr(name));
  }
  const meta: Array<[string, string]> = [
    ['_NAME', 'cmsgpack'],
    ['_VERSION', 'lua-cmsgpack 0.4.0'],
    ['_COPYRIGHT', 'Copyright (C) 2012, Salvatore Sanfilippo'],
    ['_DESCRIPTION', 'MessagePack C implementation for Lua'],
  ];
  for (const [k, v] of meta) {
    lua.lua_pushstring(L, lstr(v));
    lua.lua_setfield(L, -2, lstr(k));
  }
  lua.lua_setglobal(L, lstr('cmsgpack'));
}
