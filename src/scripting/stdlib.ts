/**
 * The Lua 5.1 standard library as Redis exposes it: the base functions
 * (with Redis's pcall), coroutine, string (5.1's format and friends), table
 * and math (with Redis's deterministic random). fengari implements Lua 5.3;
 * everything that differs in 5.1 -- argument conversions, error texts,
 * missing or extra functions -- is written here.
 */
import {
  lua,
  lauxlib,
  lualib,
  num51,
  lstr,
  pushString,
  pushBytes,
  bytesToLatin1,
  setFunc,
  type LuaState,
  type PrintfFlags,
  LUA_TNIL,
  LUA_TNUMBER,
  LUA_TSTRING,
  LUA_TTABLE,
  LUA_TFUNCTION,
  LUA_TBOOLEAN,
  LUA_MULTRET,
  LUA_OK,
  LUA_YIELD,
} from './lua';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const luaconf: any = require('fengari/src/luaconf.js');

/** Per-server state the libraries need. */
export interface LibContext {
  /** The thread running the current script (it stands for Lua 5.1's main thread). */
  scriptThread: LuaState | null;
  /** Redis's rand48 state, shared by EVAL and functions as in Redis. */
  rand: Rand48;
}

/** Redis's redisLrand48: the drand48 generator, same sequence for the same seed everywhere. */
export class Rand48 {
  private x = (0x1234n << 32n) | (0xabcdn << 16n) | 0x330en;
  next(): number {
    this.x = (0x5deece66dn * this.x + 0xbn) & 0xffffffffffffn;
    return Number(this.x >> 17n);
  }
  seed(v: number): void {
    const s = BigInt(v >>> 0);
    this.x = ((s >> 16n) << 32n) | ((s & 0xffffn) << 16n) | 0x330en;
  }
}

const REDIS_LRAND48_MAX = 2147483647;

/** luaL_checkint: a C int from a Lua number (truncated, wrapped to 32 bits). */
function checkInt(L: LuaState, arg: number): number {
  return Number(BigInt.asIntN(32, num51.toInt64(lauxlib.luaL_checknumber(L, arg))));
}

function optInt(L: LuaState, arg: number, def: number): number {
  return lua.lua_isnoneornil(L, arg) ? def : checkInt(L, arg);
}

function typeName(L: LuaState, idx: number): string {
  return bytesToLatin1(lauxlib.luaL_typename(L, idx));
}

// ------------------------------------------------------------------ base

function luaB_assert(L: LuaState): number {
  lauxlib.luaL_checkany(L, 1);
  if (!lua.lua_toboolean(L, 1)) {
    const msg = lauxlib.luaL_optlstring(L, 2, lstr('assertion failed!'));
    return lauxlib.luaL_error(L, lstr('%s'), msg);
  }
  return lua.lua_gettop(L);
}

function luaB_error(L: LuaState): number {
  const level = optInt(L, 2, 1);
  lua.lua_settop(L, 1);
  if (lua.lua_isstring(L, 1) && level > 0) {
    lauxlib.luaL_where(L, level);
    lua.lua_pushvalue(L, 1);
    lua.lua_concat(L, 2);
  }
  return lua.lua_error(L);
}

function luaB_ipairsaux(L: LuaState): number {
  const i = checkInt(L, 2) + 1;
  lauxlib.luaL_checktype(L, 1, LUA_TTABLE);
  lua.lua_pushnumber(L, i);
  lua.lua_rawgeti(L, 1, i);
  return lua.lua_isnil(L, -1) ? 0 : 2;
}

function luaB_ipairs(L: LuaState): number {
  lauxlib.luaL_checktype(L, 1, LUA_TTABLE);
  lua.lua_pushvalue(L, lua.lua_upvalueindex(1));
  lua.lua_pushvalue(L, 1);
  lua.lua_pushnumber(L, 0);
  return 3;
}

function luaB_next(L: LuaState): number {
  lauxlib.luaL_checktype(L, 1, LUA_TTABLE);
  lua.lua_settop(L, 2);
  if (lua.lua_next(L, 1)) return 2;
  lua.lua_pushnil(L);
  return 1;
}

function luaB_pairs(L: LuaState): number {
  lauxlib.luaL_checktype(L, 1, LUA_TTABLE);
  lua.lua_pushvalue(L, lua.lua_upvalueindex(1));
  lua.lua_pushvalue(L, 1);
  lua.lua_pushnil(L);
  return 3;
}

function luaB_tonumber(L: LuaState): number {
  const base = optInt(L, 2, 10);
  if (base === 10) {
    lauxlib.luaL_checkany(L, 1);
    if (lua.lua_isnumber(L, 1)) {
      lua.lua_pushnumber(L, lua.lua_tonumber(L, 1));
      return 1;
    }
  } else {
    const s: Uint8Array = lauxlib.luaL_checklstring(L, 1);
    lauxlib.luaL_argcheck(L, base >= 2 && base <= 36, 2, lstr('base out of range'));
    const r = num51.strtoul(s, base);
    if (r.end > 0) {
      let i = r.end;
      while (i < s.length && num51.isCspace(s[i])) i++;
      if (i === s.length || s[i] === 0) {
        lua.lua_pushnumber(L, r.n);
        return 1;
      }
    }
  }
  lua.lua_pushnil(L);
  return 1;
}

function luaB_tostring(L: LuaState): number {
  lauxlib.luaL_checkany(L, 1);
  if (lauxlib.luaL_callmeta(L, 1, lstr('__tostring'))) return 1;
  switch (lua.lua_type(L, 1)) {
    case LUA_TNUMBER:
      pushString(L, num51.fmt14g(lua.lua_tonumber(L, 1)));
      break;
    case LUA_TSTRING:
      lua.lua_pushvalue(L, 1);
      break;
    case LUA_TBOOLEAN:
      lua.lua_pushliteral(L, lua.lua_toboolean(L, 1) ? 'true' : 'false');
      break;
    case LUA_TNIL:
      lua.lua_pushliteral(L, 'nil');
      break;
    default:
      lua.lua_pushfstring(L, lstr('%s: %p'), lauxlib.luaL_typename(L, 1), lua.lua_topointer(L, 1));
  }
  return 1;
}

function luaB_unpack(L: LuaState): number {
  lauxlib.luaL_checktype(L, 1, LUA_TTABLE);
  let i = optInt(L, 2, 1);
  const e = lua.lua_isnoneornil(L, 3) ? lua.lua_rawlen(L, 1) : checkInt(L, 3);
  if (i > e) return 0;
  const n = e - i + 1;
  if (n <= 0 || n >= 8000000 || !lua.lua_checkstack(L, n)) return lauxlib.luaL_error(L, lstr('too many results to unpack'));
  lua.lua_rawgeti(L, 1, i);
  while (i++ < e) lua.lua_rawgeti(L, 1, i);
  return n;
}

/** Redis's pcall: errors raised as {err=...} tables (redis.call) come back as their message. */
function finishPcall(L: LuaState, status: number): number {
  if (status !== LUA_OK && status !== LUA_YIELD) {
    lua.lua_remove(L, 1);
    if (lua.lua_istable(L, -1)) {
      lua.lua_getfield(L, -1, lstr('err'));
      if (lua.lua_isstring(L, -1)) lua.lua_replace(L, -2);
    }
    lua.lua_pushboolean(L, 0);
    lua.lua_insert(L, 1);
  }
  return lua.lua_gettop(L);
}

function luaB_pcall(L: LuaState): number {
  const argc = lua.lua_gettop(L);
  if (argc === 0) {
    // Redis's pcall calls the placeholder itself when given nothing.
    lua.lua_pushboolean(L, 0);
    lua.lua_pushliteral(L, 'attempt to call a boolean value');
    return 2;
  }
  lua.lua_pushboolean(L, 1);
  lua.lua_insert(L, 1);
  const status = lua.lua_pcallk(L, argc - 1, LUA_MULTRET, 0, 0, finishPcall);
  return finishPcall(L, status);
}

function finishXpcall(L: LuaState, status: number): number {
  lua.lua_pushboolean(L, status === LUA_OK || status === LUA_YIELD ? 1 : 0);
  lua.lua_replace(L, 1);
  return lua.lua_gettop(L);
}

function luaB_xpcall(L: LuaState): number {
  lauxlib.luaL_checkany(L, 2);
  lua.lua_settop(L, 2);
  lua.lua_insert(L, 1);
  const status = lua.lua_pcallk(L, 0, LUA_MULTRET, 1, 0, finishXpcall);
  return finishXpcall(L, status);
}

function loadAux(L: LuaState, status: number): number {
  if (status === LUA_OK) return 1;
  lua.lua_pushnil(L);
  lua.lua_insert(L, -2);
  return 2;
}

function luaB_loadstring(L: LuaState): number {
  const s: Uint8Array = lauxlib.luaL_checklstring(L, 1);
  const chunkname = lauxlib.luaL_optlstring(L, 2, s);
  return loadAux(L, lauxlib.luaL_loadbuffer(L, s, s.length, chunkname));
}

function luaB_load(L: LuaState): number {
  const cname = lauxlib.luaL_optlstring(L, 2, lstr('=(load)'));
  lauxlib.luaL_checktype(L, 1, LUA_TFUNCTION);
  lua.lua_settop(L, 3);
  const reader = (Lr: LuaState): Uint8Array | null => {
    lauxlib.luaL_checkstack(Lr, 2, lstr('too many nested functions'));
    lua.lua_pushvalue(Lr, 1);
    lua.lua_call(Lr, 0, 1);
    if (lua.lua_isnil(Lr, -1)) {
      lua.lua_pop(Lr, 1);
      return null;
    }
    if (lua.lua_isstring(Lr, -1)) {
      lua.lua_replace(Lr, 3);
      const piece: Uint8Array = lua.lua_tolstring(Lr, 3);
      return piece.length === 0 ? null : piece;
    }
    return lauxlib.luaL_error(Lr, lstr('reader function must return a string'));
  };
  return loadAux(L, lua.lua_load(L, reader, null, cname, null));
}

function luaB_collectgarbage(L: LuaState): number {
  const opts = ['stop', 'restart', 'collect', 'count', 'step', 'setpause', 'setstepmul'];
  const o = lauxlib.luaL_checkoption(L, 1, lstr('collect'), opts.map(lstr));
  optInt(L, 2, 0);
  switch (opts[o]) {
    case 'count':
      lua.lua_pushnumber(L, process.memoryUsage().heapUsed / 1024);
      return 1;
    case 'step':
      lua.lua_pushboolean(L, 0);
      return 1;
    case 'setpause':
    case 'setstepmul':
      lua.lua_pushnumber(L, opts[o] === 'setpause' ? 200 : 200);
      return 1;
    default:
      lua.lua_pushnumber(L, 0);
      return 1;
  }
}

function luaB_gcinfo(L: LuaState): number {
  lua.lua_pushnumber(L, Math.floor(process.memoryUsage().heapUsed / 1024));
  return 1;
}

function luaB_select(L: LuaState): number {
  const n = lua.lua_gettop(L);
  if (lua.lua_type(L, 1) === LUA_TSTRING && lua.lua_tolstring(L, 1)[0] === 35 /* # */) {
    lua.lua_pushnumber(L, n - 1);
    return 1;
  }
  let i = checkInt(L, 1);
  if (i < 0) i = n + i;
  else if (i > n) i = n;
  lauxlib.luaL_argcheck(L, i >= 1, 1, lstr('index out of range'));
  return n - i;
}

function luaB_rawequal(L: LuaState): number {
  lauxlib.luaL_checkany(L, 1);
  lauxlib.luaL_checkany(L, 2);
  lua.lua_pushboolean(L, lua.lua_rawequal(L, 1, 2));
  return 1;
}

function luaB_rawget(L: LuaState): number {
  lauxlib.luaL_checktype(L, 1, LUA_TTABLE);
  lauxlib.luaL_checkany(L, 2);
  lua.lua_settop(L, 2);
  lua.lua_rawget(L, 1);
  return 1;
}

function luaB_rawset(L: LuaState): number {
  lauxlib.luaL_checktype(L, 1, LUA_TTABLE);
  lauxlib.luaL_checkany(L, 2);
  lauxlib.luaL_checkany(L, 3);
  lua.lua_settop(L, 3);
  lua.lua_rawset(L, 1);
  return 1;
}

function luaB_getmetatable(L: LuaState): number {
  lauxlib.luaL_checkany(L, 1);
  if (!lua.lua_getmetatable(L, 1)) {
    lua.lua_pushnil(L);
    return 1;
  }
  lauxlib.luaL_getmetafield(L, 1, lstr('__metatable'));
  return 1;
}

function luaB_setmetatable(L: LuaState): number {
  const t = lua.lua_type(L, 2);
  lauxlib.luaL_checktype(L, 1, LUA_TTABLE);
  lauxlib.luaL_argcheck(L, t === LUA_TNIL || t === LUA_TTABLE, 2, lstr('nil or table expected'));
  if (lauxlib.luaL_getmetafield(L, 1, lstr('__metatable')) !== LUA_TNIL) {
    return lauxlib.luaL_error(L, lstr('cannot change a protected metatable'));
  }
  lua.lua_settop(L, 2);
  lua.lua_setmetatable(L, 1);
  return 1;
}

function luaB_type(L: LuaState): number {
  lauxlib.luaL_checkany(L, 1);
  lua.lua_pushstring(L, lauxlib.luaL_typename(L, 1));
  return 1;
}

// ------------------------------------------------------------------ coroutine

function coStatus(L: LuaState, co: LuaState): 'running' | 'suspended' | 'normal' | 'dead' {
  if (L === co) return 'running';
  switch (lua.lua_status(co)) {
    case LUA_YIELD:
      return 'suspended';
    case LUA_OK: {
      const ar = new lua.lua_Debug();
      if (lua.lua_getstack(co, 0, ar)) return 'normal';
      if (lua.lua_gettop(co) === 0) return 'dead';
      return 'suspended';
    }
    default:
      return 'dead';
  }
}

function getco(L: LuaState): LuaState {
  const co = lua.lua_tothread(L, 1);
  lauxlib.luaL_argcheck(L, co, 1, lstr('coroutine expected'));
  return co;
}

function auxresume(L: LuaState, co: LuaState, narg: number): number {
  const status = coStatus(L, co);
  if (!lua.lua_checkstack(co, narg)) lauxlib.luaL_error(L, lstr('too many arguments to resume'));
  if (status !== 'suspended') {
    pushString(L, `cannot resume ${status} coroutine`);
    return -1;
  }
  lua.lua_xmove(L, co, narg);
  const r = lua.lua_resume(co, L, narg);
  if (r === LUA_OK || r === LUA_YIELD) {
    const nres = lua.lua_gettop(co);
    if (!lua.lua_checkstack(L, nres + 1)) lauxlib.luaL_error(L, lstr('too many results to resume'));
    lua.lua_xmove(co, L, nres);
    return nres;
  }
  lua.lua_xmove(co, L, 1);
  return -1;
}

function luaB_coresume(L: LuaState): number {
  const co = getco(L);
  const r = auxresume(L, co, lua.lua_gettop(L) - 1);
  if (r < 0) {
    lua.lua_pushboolean(L, 0);
    lua.lua_insert(L, -2);
    return 2;
  }
  lua.lua_pushboolean(L, 1);
  lua.lua_insert(L, -(r + 1));
  return r + 1;
}

function luaB_auxwrap(L: LuaState): number {
  const co = lua.lua_tothread(L, lua.lua_upvalueindex(1));
  const r = auxresume(L, co, lua.lua_gettop(L));
  if (r < 0) {
    if (lua.lua_isstring(L, -1)) {
      lauxlib.luaL_where(L, 1);
      lua.lua_insert(L, -2);
      lua.lua_concat(L, 2);
    }
    return lua.lua_error(L);
  }
  return r;
}

function luaB_cocreate(L: LuaState): number {
  lauxlib.luaL_argcheck(L, lua.lua_isfunction(L, 1) && !lua.lua_iscfunction(L, 1), 1, lstr('Lua function expected'));
  const NL = lua.lua_newthread(L);
  lua.lua_pushvalue(L, 1);
  lua.lua_xmove(L, NL, 1);
  return 1;
}

function luaB_cowrap(L: LuaState): number {
  luaB_cocreate(L);
  lua.lua_pushcclosure(L, luaB_auxwrap, 1);
  return 1;
}

function luaB_costatus(L: LuaState): number {
  const co = getco(L);
  lua.lua_pushliteral(L, coStatus(L, co));
  return 1;
}

// ------------------------------------------------------------------ string.format (5.1)

const FLAGS = '-+ #0';

function addQuoted(s: Uint8Array, out: number[]): void {
  out.push(34);
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === 34 || c === 92 || c === 10) out.push(92, c);
    else if (c === 13) out.push(92, 114);
    else if (c === 0) out.push(92, 48, 48, 48);
    else out.push(c);
  }
  out.push(34);
}

function pushAscii(out: number[], s: string, cstring = true): void {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (cstring && c === 0) return; // sprintf output is appended up to its first NUL
    out.push(c & 0xff);
  }
}

function strFormat(L: LuaState): number {
  const top = lua.lua_gettop(L);
  let arg = 1;
  const fmt: Uint8Array = lauxlib.luaL_checklstring(L, arg);
  const out: number[] = [];
  const chunks: Uint8Array[] = [];
  const flushOut = () => {
    if (out.length > 0) {
      chunks.push(Uint8Array.from(out));
      out.length = 0;
    }
  };
  let i = 0;
  while (i < fmt.length) {
    const c = fmt[i];
    if (c !== 37) {
      out.push(c);
      i++;
      continue;
    }
    i++;
    if (fmt[i] === 37) {
      out.push(37);
      i++;
      continue;
    }
    if (++arg > top) lauxlib.luaL_argerror(L, arg, lstr('no value'));
    // scan the format spec: flags, width (2 digits), precision (2 digits)
    const start = i;
    while (i < fmt.length && fmt[i] !== 0 && FLAGS.includes(String.fromCharCode(fmt[i]))) i++;
    if (i - start >= FLAGS.length + 1) lauxlib.luaL_error(L, lstr('invalid format (repeated flags)'));
    const flags: PrintfFlags = {};
    for (let k = start; k < i; k++) {
      switch (fmt[k]) {
        case 45: flags.minus = true; break;
        case 43: flags.plus = true; break;
        case 32: flags.space = true; break;
        case 35: flags.alt = true; break;
        case 48: flags.zero = true; break;
      }
    }
    let width = 0;
    if (isDigit(fmt[i])) width = fmt[i++] - 48;
    if (isDigit(fmt[i])) width = width * 10 + fmt[i++] - 48;
    let prec = -1;
    if (fmt[i] === 46) {
      i++;
      prec = 0;
      if (isDigit(fmt[i])) prec = fmt[i++] - 48;
      if (isDigit(fmt[i])) prec = prec * 10 + fmt[i++] - 48;
    }
    if (isDigit(fmt[i])) lauxlib.luaL_error(L, lstr('invalid format (width or precision too long)'));
    const conv = i < fmt.length ? fmt[i] : 0;
    i++;
    switch (conv) {
      case 99: { // c
        const v = Number(BigInt.asIntN(8, num51.toInt64(lauxlib.luaL_checknumber(L, arg)))) & 0xff;
        const body = String.fromCharCode(v);
        const padded = pad('', body, width, flags);
        pushAscii(out, padded);
        break;
      }
      case 100:
      case 105: { // d i
        const v = num51.toInt64(lauxlib.luaL_checknumber(L, arg));
        pushAscii(out, num51.formatInteger(v, conv, flags, width, prec));
        break;
      }
      case 111:
      case 117:
      case 120:
      case 88: { // o u x X
        const v = num51.toUint64(lauxlib.luaL_checknumber(L, arg));
        pushAscii(out, num51.formatInteger(v, conv, flags, width, prec));
        break;
      }
      case 101:
      case 69:
      case 102:
      case 103:
      case 71: { // e E f g G
        pushAscii(out, num51.formatFloat(lauxlib.luaL_checknumber(L, arg), conv, flags, width, prec));
        break;
      }
      case 113: { // q
        addQuoted(lauxlib.luaL_checklstring(L, arg), out);
        break;
      }
      case 115: { // s
        const s: Uint8Array = lauxlib.luaL_checklstring(L, arg);
        if (prec < 0 && s.length >= 100) {
          flushOut();
          chunks.push(s);
          break;
        }
        let z = s.indexOf(0);
        let body = bytesToLatin1(z >= 0 ? s.subarray(0, z) : s);
        if (prec >= 0 && body.length > prec) body = body.slice(0, prec);
        pushAscii(out, pad('', body, width, flags), false);
        break;
      }
      default: {
        const shown = conv === 0 ? '' : String.fromCharCode(conv);
        return lauxlib.luaL_error(L, lstr('%s'), lstr(`invalid option '%${shown}' to 'format'`));
      }
    }
  }
  flushOut();
  let total = 0;
  for (const ch of chunks) total += ch.length;
  const res = new Uint8Array(total);
  let at = 0;
  for (const ch of chunks) {
    res.set(ch, at);
    at += ch.length;
  }
  pushBytes(L, res);
  return 1;
}

function isDigit(c: number | undefined): boolean {
  return c !== undefined && c >= 48 && c <= 57;
}

function pad(sign: string, body: string, width: number, flags: PrintfFlags): string {
  const len = sign.length + body.length;
  if (width <= len) return sign + body;
  if (flags.minus) return sign + body + ' '.repeat(width - len);
  return ' '.repeat(width - len) + sign + body;
}

// ------------------------------------------------------------------ table (5.1)

function auxGetn(L: LuaState, n: number): number {
  lauxlib.luaL_checktype(L, n, LUA_TTABLE);
  return lua.lua_rawlen(L, n);
}

function tconcat(L: LuaState): number {
  const sep: Uint8Array = lauxlib.luaL_optlstring(L, 2, lstr(''));
  lauxlib.luaL_checktype(L, 1, LUA_TTABLE);
  let i = optInt(L, 3, 1);
  const last = lua.lua_isnoneornil(L, 4) ? lua.lua_rawlen(L, 1) : checkInt(L, 4);
  const parts: Uint8Array[] = [];
  let total = 0;
  for (; i <= last; i++) {
    lua.lua_rawgeti(L, 1, i);
    if (!lua.lua_isstring(L, -1)) {
      return lauxlib.luaL_error(L, lstr("invalid value (%s) at index %d in table for 'concat'"), lauxlib.luaL_typename(L, -1), i);
    }
    const piece: Uint8Array = lua.lua_tolstring(L, -1);
    lua.lua_pop(L, 1);
    parts.push(piece);
    total += piece.length;
    if (i !== last) {
      parts.push(sep);
      total += sep.length;
    }
  }
  const res = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    res.set(p, at);
    at += p.length;
  }
  pushBytes(L, res);
  return 1;
}

function foreachi(L: LuaState): number {
  const n = auxGetn(L, 1);
  lauxlib.luaL_checktype(L, 2, LUA_TFUNCTION);
  for (let i = 1; i <= n; i++) {
    lua.lua_pushvalue(L, 2);
    lua.lua_pushnumber(L, i);
    lua.lua_rawgeti(L, 1, i);
    lua.lua_call(L, 2, 1);
    if (!lua.lua_isnil(L, -1)) return 1;
    lua.lua_pop(L, 1);
  }
  return 0;
}

function foreach(L: LuaState): number {
  lauxlib.luaL_checktype(L, 1, LUA_TTABLE);
  lauxlib.luaL_checktype(L, 2, LUA_TFUNCTION);
  lua.lua_pushnil(L);
  while (lua.lua_next(L, 1)) {
    lua.lua_pushvalue(L, 2);
    lua.lua_pushvalue(L, -3);
    lua.lua_pushvalue(L, -3);
    lua.lua_call(L, 2, 1);
    if (!lua.lua_isnil(L, -1)) return 1;
    lua.lua_pop(L, 2);
  }
  return 0;
}

function maxn(L: LuaState): number {
  let max = 0;
  lauxlib.luaL_checktype(L, 1, LUA_TTABLE);
  lua.lua_pushnil(L);
  while (lua.lua_next(L, 1)) {
    lua.lua_pop(L, 1);
    if (lua.lua_type(L, -1) === LUA_TNUMBER) {
      const v = lua.lua_tonumber(L, -1);
      if (v > max) max = v;
    }
  }
  lua.lua_pushnumber(L, max);
  return 1;
}

function getn(L: LuaState): number {
  lua.lua_pushnumber(L, auxGetn(L, 1));
  return 1;
}

function setn(L: LuaState): number {
  lauxlib.luaL_checktype(L, 1, LUA_TTABLE);
  return lauxlib.luaL_error(L, lstr("'setn' is obsolete"));
}

function tinsert(L: LuaState): number {
  let e = auxGetn(L, 1) + 1;
  let pos: number;
  switch (lua.lua_gettop(L)) {
    case 2:
      pos = e;
      break;
    case 3: {
      pos = checkInt(L, 2);
      if (pos > e) e = pos;
      for (let i = e; i > pos; i--) {
        lua.lua_rawgeti(L, 1, i - 1);
        lua.lua_rawseti(L, 1, i);
      }
      break;
    }
    default:
      return lauxlib.luaL_error(L, lstr("wrong number of arguments to 'insert'"));
  }
  lua.lua_rawseti(L, 1, pos);
  return 0;
}

function tremove(L: LuaState): number {
  const e = auxGetn(L, 1);
  let pos = optInt(L, 2, e);
  if (!(pos >= 1 && pos <= e)) return 0;
  lua.lua_rawgeti(L, 1, pos);
  for (; pos < e; pos++) {
    lua.lua_rawgeti(L, 1, pos + 1);
    lua.lua_rawseti(L, 1, pos);
  }
  lua.lua_pushnil(L);
  lua.lua_rawseti(L, 1, e);
  return 1;
}

function set2(L: LuaState, i: number, j: number): void {
  lua.lua_rawseti(L, 1, i);
  lua.lua_rawseti(L, 1, j);
}

function sortComp(L: LuaState, a: number, b: number): boolean {
  if (!lua.lua_isnil(L, 2)) {
    lua.lua_pushvalue(L, 2);
    lua.lua_pushvalue(L, a - 1);
    lua.lua_pushvalue(L, b - 2);
    lua.lua_call(L, 2, 1);
    const res = lua.lua_toboolean(L, -1);
    lua.lua_pop(L, 1);
    return res;
  }
  return lua.lua_compare(L, a, b, lua.LUA_OPLT) === 1 || lua.lua_compare(L, a, b, lua.LUA_OPLT) === true;
}

/** Lua 5.1's quicksort (same comparisons in the same order, so the same result for unstable cases). */
function auxsort(L: LuaState, l: number, u: number): void {
  while (l < u) {
    lua.lua_rawgeti(L, 1, l);
    lua.lua_rawgeti(L, 1, u);
    if (sortComp(L, -1, -2)) set2(L, l, u);
    else lua.lua_pop(L, 2);
    if (u - l === 1) break;
    let i = Math.floor((l + u) / 2);
    lua.lua_rawgeti(L, 1, i);
    lua.lua_rawgeti(L, 1, l);
    if (sortComp(L, -2, -1)) set2(L, i, l);
    else {
      lua.lua_pop(L, 1);
      lua.lua_rawgeti(L, 1, u);
      if (sortComp(L, -1, -2)) set2(L, i, u);
      else lua.lua_pop(L, 2);
    }
    if (u - l === 2) break;
    lua.lua_rawgeti(L, 1, i);
    lua.lua_pushvalue(L, -1);
    lua.lua_rawgeti(L, 1, u - 1);
    set2(L, i, u - 1);
    i = l;
    let j = u - 1;
    for (;;) {
      for (;;) {
        lua.lua_rawgeti(L, 1, ++i);
        if (!sortComp(L, -1, -2)) break;
        if (i > u) lauxlib.luaL_error(L, lstr('invalid order function for sorting'));
        lua.lua_pop(L, 1);
      }
      for (;;) {
        lua.lua_rawgeti(L, 1, --j);
        if (!sortComp(L, -3, -1)) break;
        if (j < l) lauxlib.luaL_error(L, lstr('invalid order function for sorting'));
        lua.lua_pop(L, 1);
      }
      if (j < i) {
        lua.lua_pop(L, 3);
        break;
      }
      set2(L, i, j);
    }
    lua.lua_rawgeti(L, 1, u - 1);
    lua.lua_rawgeti(L, 1, i);
    set2(L, u - 1, i);
    if (i - l < u - i) {
      j = l;
      i = i - 1;
      l = i + 2;
    } else {
      j = i + 1;
      i = u;
      u = j - 2;
    }
    auxsort(L, j, i);
  }
}

function tsort(L: LuaState): number {
  const n = auxGetn(L, 1);
  lauxlib.luaL_checkstack(L, 40, lstr(''));
  if (!lua.lua_isnoneornil(L, 2)) lauxlib.luaL_checktype(L, 2, LUA_TFUNCTION);
  lua.lua_settop(L, 2);
  auxsort(L, 1, n);
  return 0;
}

// ------------------------------------------------------------------ math (5.1)

function mathFn1(f: (x: number) => number) {
  return (L: LuaState): number => {
    lua.lua_pushnumber(L, f(lauxlib.luaL_checknumber(L, 1)));
    return 1;
  };
}

function mathFn2(f: (x: number, y: number) => number) {
  return (L: LuaState): number => {
    lua.lua_pushnumber(L, f(lauxlib.luaL_checknumber(L, 1), lauxlib.luaL_checknumber(L, 2)));
    return 1;
  };
}

const RADIANS_PER_DEGREE = Math.PI / 180.0;

/** glibc's default NaN (sign bit set), what C's fmod(x, 0) returns. */
const NEG_NAN = (() => {
  const f = new Float64Array(1);
  new Uint32Array(f.buffer)[1] = 0xfff80000;
  return f[0];
})();

function fmod(a: number, b: number): number {
  const r = a % b;
  if (r !== r && a === a && b === b) return NEG_NAN;
  return r;
}

function mathModf(L: LuaState): number {
  const x = lauxlib.luaL_checknumber(L, 1);
  let ip: number;
  let fp: number;
  if (x === Infinity || x === -Infinity) {
    ip = x;
    fp = x > 0 ? 0 : -0;
  } else {
    ip = Math.trunc(x);
    fp = x - ip;
    if (fp === 0 && (x < 0 || Object.is(x, -0))) fp = -0;
  }
  lua.lua_pushnumber(L, ip);
  lua.lua_pushnumber(L, fp);
  return 2;
}

function mathFrexp(L: LuaState): number {
  const x = lauxlib.luaL_checknumber(L, 1);
  if (x === 0 || !isFinite(x)) {
    lua.lua_pushnumber(L, x);
    lua.lua_pushnumber(L, 0);
    return 2;
  }
  const [m, e] = luaconf.frexp(x) as [number, number];
  lua.lua_pushnumber(L, m);
  lua.lua_pushnumber(L, e);
  return 2;
}

function mathLdexp(L: LuaState): number {
  const m = lauxlib.luaL_checknumber(L, 1);
  let e = checkInt(L, 2);
  let r = m;
  while (e > 1000) {
    r *= Math.pow(2, 1000);
    e -= 1000;
  }
  while (e < -1000) {
    r *= Math.pow(2, -1000);
    e += 1000;
  }
  lua.lua_pushnumber(L, r * Math.pow(2, e));
  return 1;
}

function mathMinMax(max: boolean) {
  return (L: LuaState): number => {
    const n = lua.lua_gettop(L);
    let d = lauxlib.luaL_checknumber(L, 1);
    for (let i = 2; i <= n; i++) {
      const v = lauxlib.luaL_checknumber(L, i);
      if (max ? v > d : v < d) d = v;
    }
    lua.lua_pushnumber(L, d);
    return 1;
  };
}

// ------------------------------------------------------------------ setup

export function openStdlib(L: LuaState, ctx: LibContext): void {
  // base
  lua.lua_pushglobaltable(L);
  const G = lua.lua_gettop(L);
  const base: Array<[string, (L: LuaState) => number]> = [
    ['assert', luaB_assert],
    ['collectgarbage', luaB_collectgarbage],
    ['error', luaB_error],
    ['gcinfo', luaB_gcinfo],
    ['getmetatable', luaB_getmetatable],
    ['loadstring', luaB_loadstring],
    ['load', luaB_load],
    ['next', luaB_next],
    ['pcall', luaB_pcall],
    ['rawequal', luaB_rawequal],
    ['rawget', luaB_rawget],
    ['rawset', luaB_rawset],
    ['select', luaB_select],
    ['setmetatable', luaB_setmetatable],
    ['tonumber', luaB_tonumber],
    ['tostring', luaB_tostring],
    ['type', luaB_type],
    ['unpack', luaB_unpack],
    ['xpcall', luaB_xpcall],
  ];
  lua.lua_pushvalue(L, G);
  lua.lua_setfield(L, G, lstr('_G'));
  for (const [name, fn] of base) setFunc(L, G, name, fn);
  lua.lua_pushliteral(L, 'Lua 5.1');
  lua.lua_setfield(L, G, lstr('_VERSION'));
  lua.lua_pushcfunction(L, luaB_ipairsaux);
  lua.lua_pushcclosure(L, luaB_ipairs, 1);
  lua.lua_setfield(L, G, lstr('ipairs'));
  lua.lua_pushcfunction(L, luaB_next);
  lua.lua_pushcclosure(L, luaB_pairs, 1);
  lua.lua_setfield(L, G, lstr('pairs'));

  // coroutine
  lua.lua_createtable(L, 0, 6);
  setFunc(L, -1, 'create', luaB_cocreate);
  setFunc(L, -1, 'resume', luaB_coresume);
  setFunc(L, -1, 'running', (L1: LuaState) => {
    if (L1 === ctx.scriptThread) lua.lua_pushnil(L1);
    else lua.lua_pushthread(L1);
    return 1;
  });
  setFunc(L, -1, 'status', luaB_costatus);
  setFunc(L, -1, 'wrap', luaB_cowrap);
  setFunc(L, -1, 'yield', (L1: LuaState) => {
    if (L1 === ctx.scriptThread || !lua.lua_isyieldable(L1)) {
      lua.lua_pushliteral(L1, 'attempt to yield across metamethod/C-call boundary');
      return lua.lua_error(L1);
    }
    return lua.lua_yield(L1, lua.lua_gettop(L1));
  });
  lua.lua_setfield(L, G, lstr('coroutine'));

  // table
  lua.lua_createtable(L, 0, 9);
  const tab: Array<[string, (L: LuaState) => number]> = [
    ['concat', tconcat],
    ['foreach', foreach],
    ['foreachi', foreachi],
    ['getn', getn],
    ['maxn', maxn],
    ['insert', tinsert],
    ['remove', tremove],
    ['setn', setn],
    ['sort', tsort],
  ];
  for (const [name, fn] of tab) setFunc(L, -1, name, fn);
  lua.lua_setfield(L, G, lstr('table'));

  // string: fengari's (patched) functions and 5.1's format, in a table laid out as 5.1's
  lauxlib.luaL_requiref(L, lstr('_string53'), lualib.luaopen_string, 0);
  const s53 = lua.lua_gettop(L);
  lua.lua_createtable(L, 0, 15);
  for (const name of ['byte', 'char', 'dump', 'find', 'format', 'gfind', 'gmatch', 'gsub', 'len', 'lower', 'match', 'rep', 'reverse', 'sub', 'upper']) {
    if (name === 'format') lua.lua_pushcfunction(L, strFormat);
    else lua.lua_getfield(L, s53, lstr(name === 'gfind' ? 'gmatch' : name));
    lua.lua_setfield(L, -2, lstr(name));
  }
  // strings index the new table
  lua.lua_pushliteral(L, '');
  lua.lua_getmetatable(L, -1);
  lua.lua_pushvalue(L, -3);
  lua.lua_setfield(L, -2, lstr('__index'));
  lua.lua_pop(L, 2);
  lua.lua_setfield(L, G, lstr('string'));
  lua.lua_pop(L, 1);

  // math, in 5.1's order and size, with Redis's random
  lua.lua_createtable(L, 0, 28);
  const random = (L1: LuaState): number => {
    const r = (ctx.rand.next() % REDIS_LRAND48_MAX) / REDIS_LRAND48_MAX;
    switch (lua.lua_gettop(L1)) {
      case 0:
        lua.lua_pushnumber(L1, r);
        break;
      case 1: {
        const u = checkInt(L1, 1);
        lauxlib.luaL_argcheck(L1, 1 <= u, 1, lstr('interval is empty'));
        lua.lua_pushnumber(L1, Math.floor(r * u) + 1);
        break;
      }
      case 2: {
        const l = checkInt(L1, 1);
        const u = checkInt(L1, 2);
        lauxlib.luaL_argcheck(L1, l <= u, 2, lstr('interval is empty'));
        lua.lua_pushnumber(L1, Math.floor(r * (u - l + 1)) + l);
        break;
      }
      default:
        return lauxlib.luaL_error(L1, lstr('wrong number of arguments'));
    }
    return 1;
  };
  const randomseed = (L1: LuaState): number => {
    ctx.rand.seed(checkInt(L1, 1));
    return 0;
  };
  const m: Array<[string, (L: LuaState) => number]> = [
    ['abs', mathFn1(Math.abs)],
    ['acos', mathFn1(Math.acos)],
    ['asin', mathFn1(Math.asin)],
    ['atan2', mathFn2(Math.atan2)],
    ['atan', mathFn1(Math.atan)],
    ['ceil', mathFn1(Math.ceil)],
    ['cosh', mathFn1(Math.cosh)],
    ['cos', mathFn1(Math.cos)],
    ['deg', mathFn1((x) => x / RADIANS_PER_DEGREE)],
    ['exp', mathFn1(Math.exp)],
    ['floor', mathFn1(Math.floor)],
    ['fmod', mathFn2(fmod)],
    ['frexp', mathFrexp],
    ['ldexp', mathLdexp],
    ['log10', mathFn1(Math.log10)],
    ['log', mathFn1(Math.log)],
    ['max', mathMinMax(true)],
    ['min', mathMinMax(false)],
    ['modf', mathModf],
    ['pow', mathFn2(Math.pow)],
    ['rad', mathFn1((x) => x * RADIANS_PER_DEGREE)],
    ['random', random],
    ['randomseed', randomseed],
    ['sinh', mathFn1(Math.sinh)],
    ['sin', mathFn1(Math.sin)],
    ['sqrt', mathFn1(Math.sqrt)],
    ['tanh', mathFn1(Math.tanh)],
    ['tan', mathFn1(Math.tan)],
  ];
  for (const [name, fn] of m) setFunc(L, -1, name, fn);
  lua.lua_pushnumber(L, Math.PI);
  lua.lua_setfield(L, -2, lstr('pi'));
  lua.lua_pushnumber(L, Infinity);
  lua.lua_setfield(L, -2, lstr('huge'));
  lua.lua_getfield(L, -1, lstr('fmod'));
  lua.lua_setfield(L, -2, lstr('mod'));
  lua.lua_setfield(L, G, lstr('math'));

  // debug: used by the error handler only, then removed from the globals
  lauxlib.luaL_requiref(L, lstr('debug'), lualib.luaopen_debug, 1);
  lua.lua_pop(L, 1);

  lua.lua_pop(L, 1); // globals
}

export { checkInt, optInt, typeName };
