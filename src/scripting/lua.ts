/**
 * Access to the fengari Lua VM (patched to behave as Redis's Lua 5.1, see
 * patches/fengari+0.1.5.patch) and helpers moving Redis's latin1 strings
 * (one char per byte) in and out of Lua strings (byte arrays).
 */
/* eslint-disable @typescript-eslint/no-explicit-any */

// fengari ships no type declarations: its API is used as the C API it mirrors.
const fengari: any = require('fengari');
const lstring: any = require('fengari/src/lstring.js');
const lobject: any = require('fengari/src/lobject.js');
const ldo: any = require('fengari/src/ldo.js');
const lnum51: any = require('fengari/src/lnum51.js');

export const lua: any = fengari.lua;
export const lauxlib: any = fengari.lauxlib;
export const lualib: any = fengari.lualib;

/** A lua_State (main state or thread). */
export type LuaState = any;
/** A function callable from Lua: returns the number of results it pushed. */
export type LuaCFunction = (L: LuaState) => number;

export const {
  LUA_OK,
  LUA_YIELD,
  LUA_ERRRUN,
  LUA_ERRSYNTAX,
  LUA_ERRMEM,
  LUA_ERRERR,
  LUA_MULTRET,
  LUA_REGISTRYINDEX,
  LUA_TNONE,
  LUA_TNIL,
  LUA_TBOOLEAN,
  LUA_TLIGHTUSERDATA,
  LUA_TNUMBER,
  LUA_TSTRING,
  LUA_TTABLE,
  LUA_TFUNCTION,
  LUA_TUSERDATA,
  LUA_TTHREAD,
  LUA_MASKCOUNT,
  LUA_MASKLINE,
} = lua as Record<string, number>;

/** Number formatting and parsing with Lua 5.1 / glibc rules (part of the patch). */
export const num51 = lnum51 as {
  fmt14g(x: number): string;
  fmt17g(x: number): string;
  signbit(x: number): boolean;
  formatFloat(x: number, conv: number, flags: PrintfFlags, width: number, prec: number): string;
  formatInteger(v: bigint, conv: number, flags: PrintfFlags, width: number, prec: number): string;
  toInt64(d: number): bigint;
  toUint64(d: number): bigint;
  str2number(s: Uint8Array): number | null;
  strtod(s: Uint8Array, i: number): { n: number; end: number } | null;
  strtoul(s: Uint8Array, base: number): { n: number; end: number };
  isCspace(c: number): boolean;
};

export interface PrintfFlags {
  minus?: boolean;
  plus?: boolean;
  space?: boolean;
  alt?: boolean;
  zero?: boolean;
}

/** Latin1 text of a byte array. */
export function bytesToLatin1(u8: Uint8Array): string {
  const n = u8.length;
  if (n < 64) {
    let s = '';
    for (let i = 0; i < n; i++) s += String.fromCharCode(u8[i]);
    return s;
  }
  return Buffer.from(u8.buffer, u8.byteOffset, n).toString('latin1');
}

/** A byte array (not from Buffer's shared pool) holding a latin1 string. */
export function latin1ToBytes(s: string): Uint8Array {
  const n = s.length;
  if (n < 64) {
    const u8 = new Uint8Array(n);
    for (let i = 0; i < n; i++) u8[i] = s.charCodeAt(i);
    return u8;
  }
  const b = Buffer.allocUnsafeSlow(n);
  b.latin1Write(s, 0);
  return b;
}

/** ASCII/latin1 JS string to a Lua string constant (for names and messages). */
export function lstr(s: string): Uint8Array {
  return latin1ToBytes(s);
}

/** Pushes a latin1 string as a Lua string, without an extra copy. */
export function pushString(L: LuaState, s: string): void {
  ldo.luaD_inctop(L);
  lobject.setsvalue2s(L, L.top - 1, lstring.luaS_bless(L, latin1ToBytes(s)));
}

/** An immutable Lua string made once, pushed without copying (keys used on hot paths). */
export type ConstString = { readonly ts: unknown };

export function constString(s: string): ConstString {
  return { ts: lstring.luaS_bless(null, latin1ToBytes(s)) };
}

export function pushConst(L: LuaState, k: ConstString): void {
  ldo.luaD_inctop(L);
  lobject.setsvalue2s(L, L.top - 1, k.ts);
}

/** Pushes bytes as a Lua string (takes ownership of the array). */
export function pushBytes(L: LuaState, u8: Uint8Array): void {
  ldo.luaD_inctop(L);
  lobject.setsvalue2s(L, L.top - 1, lstring.luaS_bless(L, u8));
}

/**
 * The latin1 string of the value at idx if it is a string or a number
 * (numbers are converted in place, as lua_tolstring does), else null.
 */
export function toString(L: LuaState, idx: number): string | null {
  const u8: Uint8Array | null = lua.lua_tolstring(L, idx);
  if (u8 === null) return null;
  return bytesToLatin1(u8);
}

/** The bytes of the string (or number) at idx, or null. */
export function toBytes(L: LuaState, idx: number): Uint8Array | null {
  return lua.lua_tolstring(L, idx);
}

/** luaL_checklstring as a latin1 string. */
export function checkString(L: LuaState, idx: number): string {
  return bytesToLatin1(lauxlib.luaL_checklstring(L, idx));
}

/** lua_pushcfunction + lua_setfield(t, name). */
export function setFunc(L: LuaState, tableIdx: number, name: string, fn: LuaCFunction): void {
  const t = lua.lua_absindex(L, tableIdx);
  lua.lua_pushcfunction(L, fn);
  lua.lua_setfield(L, t, lstr(name));
}

/** Raises a Lua error with a message (luaL_error, with the caller's position). */
export function luaError(L: LuaState, msg: string): never {
  lauxlib.luaL_where(L, 1);
  pushString(L, msg);
  lua.lua_concat(L, 2);
  lua.lua_error(L);
  throw new Error('unreachable');
}

/** luaL_argerror with Lua 5.1's wording. */
export function argError(L: LuaState, arg: number, extramsg: string): never {
  lauxlib.luaL_argerror(L, arg, lstr(extramsg));
  throw new Error('unreachable');
}

/** The table object at idx (for flags such as readonly). */
export function tableObject(L: LuaState, idx: number): { readonly: boolean } {
  return lua.lua_topointer(L, idx);
}
