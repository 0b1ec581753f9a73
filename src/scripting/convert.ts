/**
 * Conversions between Redis replies and Lua values, as Redis's scripting
 * does them:
 *
 * - a command's reply (RESP2 or RESP3 text, as the script client received
 *   it) becomes a Lua value: integer -> number, bulk -> string, RESP2 null
 *   bulk/array -> false, RESP3 null -> nil, array -> table, status ->
 *   {ok=...}, error -> {err=...}, map -> {map={...}}, set -> {set={k=true}},
 *   double -> {double=n}, big number -> {big_number=s}, verbatim ->
 *   {verbatim_string={string=s, format=f}}, boolean -> boolean;
 * - the value a script returns becomes the reply to the caller: number ->
 *   integer (truncated), string -> bulk, true -> 1 (or #t), false -> null,
 *   table -> {err=}/{ok=}/{double=}/{big_number=}/{verbatim_string=}/
 *   {map=}/{set=} or an array that stops at the first nil.
 *
 * The reply text is decoded here directly into Lua values (it must tell a
 * RESP2 null from a RESP3 null, which the generic reply reader merges).
 */
import type { ReplyWriter } from '../protocol/reply';
import {
  lua,
  num51,
  constString,
  pushConst,
  pushString,
  toString,
  bytesToLatin1,
  type LuaState,
  LUA_TNIL,
  LUA_TNUMBER,
  LUA_TSTRING,
  LUA_TTABLE,
  LUA_TBOOLEAN,
} from './lua';

const K_ERR = constString('err');
const K_OK = constString('ok');
const K_MAP = constString('map');
const K_SET = constString('set');
const K_DOUBLE = constString('double');
const K_BIG = constString('big_number');
const K_VERBATIM = constString('verbatim_string');
const K_STRING = constString('string');
const K_FORMAT = constString('format');
const K_IGNORE_STATS = constString('ignore_error_stats_update');
const K_SOURCE = constString('source');
const K_LINE = constString('line');

/**
 * Pushes Redis's error table for an error text: "-CODE msg" keeps its code,
 * a text without '-' gets "ERR". Newlines at the ends are trimmed.
 */
export function pushErrorTable(L: LuaState, text: string): void {
  let msg: string;
  let code: string;
  if (text.charCodeAt(0) === 45) {
    const sp = text.indexOf(' ');
    if (sp < 0) {
      msg = text.slice(1);
      code = 'ERR';
    } else {
      msg = text.slice(sp + 1);
      code = text.slice(1, sp);
    }
  } else {
    msg = text;
    code = 'ERR';
  }
  msg = trimCrLf(msg);
  lua.lua_createtable(L, 0, 1);
  pushConst(L, K_ERR);
  pushString(L, code + ' ' + msg);
  lua.lua_settable(L, -3);
}

/** The array part Lua 5.1 ends up with after t[1..n] = ... into an empty table. */
function arraySizeFor(n: number): number {
  let size = 1;
  while (size < n) size *= 2;
  return n === 0 ? 0 : size;
}

/** The same error table, marked as already counted in the error statistics. */
export function pushCommandErrorTable(L: LuaState, text: string): void {
  pushErrorTable(L, text);
  pushConst(L, K_IGNORE_STATS);
  lua.lua_pushboolean(L, 1);
  lua.lua_settable(L, -3);
}

export function trimCrLf(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && (s.charCodeAt(a) === 13 || s.charCodeAt(a) === 10)) a++;
  while (b > a && (s.charCodeAt(b - 1) === 13 || s.charCodeAt(b - 1) === 10)) b--;
  return a === 0 && b === s.length ? s : s.slice(a, b);
}

/**
 * Decodes one reply from `s` at `pos` and pushes it as a Lua value.
 * Returns the position after the reply. The text is a complete reply
 * produced by the server itself.
 */
export function pushReply(L: LuaState, s: string, pos: number): number {
  const nl = s.indexOf('\r\n', pos);
  const t = s.charCodeAt(pos);
  const next = nl + 2;
  switch (t) {
    case 36: { // $ bulk
      const len = parseInt(s.slice(pos + 1, nl), 10);
      if (len < 0) {
        lua.lua_pushboolean(L, 0);
        return next;
      }
      pushString(L, s.slice(next, next + len));
      return next + len + 2;
    }
    case 58: // : integer
      lua.lua_pushnumber(L, Number(s.slice(pos + 1, nl)));
      return next;
    case 43: // + status (a one-key table: created with its single node, as the first insertion would size it)
      lua.lua_createtable(L, 0, 1);
      pushConst(L, K_OK);
      pushString(L, s.slice(pos + 1, nl));
      lua.lua_settable(L, -3);
      return next;
    case 45: // - error
      pushCommandErrorTable(L, s.slice(pos, nl));
      return next;
    case 42: { // * array
      const n = parseInt(s.slice(pos + 1, nl), 10);
      if (n < 0) {
        lua.lua_pushboolean(L, 0);
        return next;
      }
      lua.lua_checkstack(L, 3);
      lua.lua_createtable(L, arraySizeFor(n), 0);
      let p = next;
      for (let j = 0; j < n; j++) {
        lua.lua_pushnumber(L, j + 1);
        p = pushReply(L, s, p);
        lua.lua_settable(L, -3);
      }
      return p;
    }
    case 37: { // % map
      const n = parseInt(s.slice(pos + 1, nl), 10);
      lua.lua_checkstack(L, 4);
      lua.lua_createtable(L, 0, 0);
      pushConst(L, K_MAP);
      lua.lua_createtable(L, 0, 0);
      let p = next;
      for (let j = 0; j < n; j++) {
        p = pushReply(L, s, p);
        p = pushReply(L, s, p);
        lua.lua_settable(L, -3);
      }
      lua.lua_settable(L, -3);
      return p;
    }
    case 126: { // ~ set
      const n = parseInt(s.slice(pos + 1, nl), 10);
      lua.lua_checkstack(L, 4);
      lua.lua_createtable(L, 0, 0);
      pushConst(L, K_SET);
      lua.lua_createtable(L, 0, 0);
      let p = next;
      for (let j = 0; j < n; j++) {
        p = pushReply(L, s, p);
        lua.lua_pushboolean(L, 1);
        lua.lua_settable(L, -3);
      }
      lua.lua_settable(L, -3);
      return p;
    }
    case 62: { // > push: read as an array
      const n = parseInt(s.slice(pos + 1, nl), 10);
      lua.lua_createtable(L, 0, 0);
      let p = next;
      for (let j = 0; j < n; j++) {
        lua.lua_pushnumber(L, j + 1);
        p = pushReply(L, s, p);
        lua.lua_settable(L, -3);
      }
      return p;
    }
    case 95: // _ null
      lua.lua_pushnil(L);
      return next;
    case 35: // # boolean
      lua.lua_pushboolean(L, s.charCodeAt(pos + 1) === 116 ? 1 : 0);
      return next;
    case 44: { // , double
      const text = s.slice(pos + 1, nl);
      const l = text.toLowerCase();
      const d = l === 'inf' ? Infinity : l === '-inf' ? -Infinity : l === 'nan' || l === '-nan' ? NaN : Number(text);
      lua.lua_createtable(L, 0, 0);
      pushConst(L, K_DOUBLE);
      lua.lua_pushnumber(L, d);
      lua.lua_settable(L, -3);
      return next;
    }
    case 40: // ( big number
      lua.lua_createtable(L, 0, 0);
      pushConst(L, K_BIG);
      pushString(L, s.slice(pos + 1, nl));
      lua.lua_settable(L, -3);
      return next;
    case 61: { // = verbatim
      const len = parseInt(s.slice(pos + 1, nl), 10);
      const body = s.slice(next, next + len);
      lua.lua_createtable(L, 0, 0);
      pushConst(L, K_VERBATIM);
      lua.lua_createtable(L, 0, 0);
      pushConst(L, K_STRING);
      pushString(L, body.slice(4));
      lua.lua_settable(L, -3);
      pushConst(L, K_FORMAT);
      pushString(L, body.slice(0, 3));
      lua.lua_settable(L, -3);
      lua.lua_settable(L, -3);
      return next + len + 2;
    }
    case 124: { // | attribute: skipped, then the reply itself
      const n = parseInt(s.slice(pos + 1, nl), 10);
      let p = next;
      for (let j = 0; j < 2 * n; j++) {
        p = pushReply(L, s, p);
        lua.lua_pop(L, 1);
      }
      return pushReply(L, s, p);
    }
    default:
      throw new Error(`unexpected reply type byte '${s[pos]}'`);
  }
}

/** C's (long long) conversion of a double, as addReplyLongLong receives it. */
function doubleToLongLong(d: number): string {
  if (Number.isInteger(d) && d >= -9007199254740991 && d <= 9007199254740991) return String(d === 0 ? 0 : d);
  return String(num51.toInt64(d));
}

/** addReplyDouble: "%.17g" (inf/-inf spelled out), a bulk string in RESP2. */
function writeDouble(c: ReplyWriter, d: number): void {
  const text = num51.fmt17g(d);
  if (c.resp === 3) c.raw(',' + text + '\r\n');
  else c.bulk(text);
}

/** addReplyVerbatim: the format is 3 characters, padded with spaces. */
function writeVerbatim(c: ReplyWriter, s: string, format: string): void {
  if (c.resp !== 3) {
    c.bulk(s);
    return;
  }
  let ext = '';
  let i = 0;
  for (let k = 0; k < 3; k++) {
    if (i < format.length && format.charCodeAt(i) !== 0) ext += format[i++];
    else ext += ' ';
  }
  c.raw('=' + (s.length + 4) + '\r\n' + ext + ':' + s + '\r\n');
}

/** A table being written: its elements are converted one by one (without JS recursion: tables nest deeply). */
interface Frame {
  kind: 'array' | 'map' | 'set';
  deferred: DeferredLen;
  n: number;
  /** Map: the next value to convert is the entry's value (its key was just written). */
  valueNext: boolean;
}

/**
 * Writes the Lua value at the top of the stack as a reply to `c` and pops
 * it, as luaReplyToRedisReply does. `scriptResp` is the protocol the script
 * selected with redis.setresp (booleans are RESP3 booleans only when 3).
 * Lua's stack limit stops runaway nesting ("reached lua stack limit").
 */
export function writeLuaReply(c: ReplyWriter, scriptResp: number, L: LuaState): void {
  const frames: Frame[] = [];
  let pending = true;
  for (;;) {
    if (pending) {
      pending = false;
      const frame = writeValue(c, scriptResp, L);
      if (frame !== null) frames.push(frame);
    }
    const f = frames[frames.length - 1];
    if (f === undefined) return;
    if (f.kind === 'array') {
      lua.lua_pushnumber(L, f.n + 1);
      lua.lua_rawget(L, -2);
      if (lua.lua_type(L, -1) === LUA_TNIL) {
        lua.lua_pop(L, 2); // nil and the table
        f.deferred.finish('*' + f.n);
        frames.pop();
      } else {
        f.n++;
        pending = true;
      }
    } else if (f.kind === 'map') {
      if (f.valueNext) {
        f.valueNext = false;
        pending = true; // the value, under the key that was written
      } else if (lua.lua_next(L, -2)) {
        lua.lua_pushvalue(L, -2);
        f.n++;
        f.valueNext = true;
        pending = true;
      } else {
        lua.lua_pop(L, 2); // the map table and the outer table
        f.deferred.finish(c.resp === 3 ? '%' + f.n : '*' + f.n * 2);
        frames.pop();
      }
    } else {
      if (lua.lua_next(L, -2)) {
        lua.lua_pop(L, 1);
        lua.lua_pushvalue(L, -1);
        f.n++;
        pending = true;
      } else {
        lua.lua_pop(L, 2);
        f.deferred.finish((c.resp === 3 ? '~' : '*') + f.n);
        frames.pop();
      }
    }
  }
}

/** Converts the value at the top: scalars are written and popped; tables that contain elements start a frame. */
function writeValue(c: ReplyWriter, scriptResp: number, L: LuaState): Frame | null {
  if (!lua.lua_checkstack(L, 4)) {
    c.error('ERR reached lua stack limit');
    lua.lua_pop(L, 1);
    return null;
  }
  switch (lua.lua_type(L, -1)) {
    case LUA_TSTRING:
      c.bulk(toString(L, -1)!);
      break;
    case LUA_TBOOLEAN:
      if (scriptResp === 2) {
        if (lua.lua_toboolean(L, -1)) c.raw(':1\r\n');
        else c.nullBulk();
      } else c.bool(lua.lua_toboolean(L, -1));
      break;
    case LUA_TNUMBER:
      c.raw(':' + doubleToLongLong(lua.lua_tonumber(L, -1)) + '\r\n');
      break;
    case LUA_TTABLE: {
      // {err=...}
      pushConst(L, K_ERR);
      lua.lua_rawget(L, -2);
      if (lua.lua_type(L, -1) === LUA_TSTRING) {
        lua.lua_pop(L, 1);
        const info = extractErrorInfo(L);
        writeErrorText(c, trimCrLf('-' + info.msg), info.ignoreStats);
        lua.lua_pop(L, 1);
        return null;
      }
      lua.lua_pop(L, 1);
      // {ok=...}
      pushConst(L, K_OK);
      lua.lua_rawget(L, -2);
      if (lua.lua_type(L, -1) === LUA_TSTRING) {
        c.raw('+' + mapCrLf(toString(L, -1)!) + '\r\n');
        lua.lua_pop(L, 2);
        return null;
      }
      lua.lua_pop(L, 1);
      // {double=...}
      pushConst(L, K_DOUBLE);
      lua.lua_rawget(L, -2);
      if (lua.lua_type(L, -1) === LUA_TNUMBER) {
        writeDouble(c, lua.lua_tonumber(L, -1));
        lua.lua_pop(L, 2);
        return null;
      }
      lua.lua_pop(L, 1);
      // {big_number=...}
      pushConst(L, K_BIG);
      lua.lua_rawget(L, -2);
      if (lua.lua_type(L, -1) === LUA_TSTRING) {
        c.bigNumber(mapCrLf(toString(L, -1)!));
        lua.lua_pop(L, 2);
        return null;
      }
      lua.lua_pop(L, 1);
      // {verbatim_string={string=..., format=...}}
      pushConst(L, K_VERBATIM);
      lua.lua_rawget(L, -2);
      if (lua.lua_type(L, -1) === LUA_TTABLE) {
        pushConst(L, K_FORMAT);
        lua.lua_rawget(L, -2);
        if (lua.lua_type(L, -1) === LUA_TSTRING) {
          const format = toString(L, -1)!;
          pushConst(L, K_STRING);
          lua.lua_rawget(L, -3);
          if (lua.lua_type(L, -1) === LUA_TSTRING) {
            writeVerbatim(c, toString(L, -1)!, format);
            lua.lua_pop(L, 4);
            return null;
          }
          lua.lua_pop(L, 1);
        }
        lua.lua_pop(L, 1);
      }
      lua.lua_pop(L, 1);
      // {map={...}}: stays on the stack above the table while its entries are written
      pushConst(L, K_MAP);
      lua.lua_rawget(L, -2);
      if (lua.lua_type(L, -1) === LUA_TTABLE) {
        lua.lua_pushnil(L);
        return { kind: 'map', deferred: new DeferredLen(c), n: 0, valueNext: false };
      }
      lua.lua_pop(L, 1);
      // {set={...}}
      pushConst(L, K_SET);
      lua.lua_rawget(L, -2);
      if (lua.lua_type(L, -1) === LUA_TTABLE) {
        lua.lua_pushnil(L);
        return { kind: 'set', deferred: new DeferredLen(c), n: 0, valueNext: false };
      }
      lua.lua_pop(L, 1);
      // an array, up to the first nil
      return { kind: 'array', deferred: new DeferredLen(c), n: 0, valueNext: false };
    }
    default:
      c.nullBulk();
  }
  lua.lua_pop(L, 1);
  return null;
}

/** A reply whose element count is known only after its elements are written. */
class DeferredLen {
  private readonly head: string;
  constructor(private readonly c: ReplyWriter) {
    this.head = c.out;
    c.out = '';
  }
  finish(header: string): void {
    this.c.out = this.head + header + '\r\n' + this.c.out;
  }
}

function mapCrLf(s: string): string {
  if (s.indexOf('\r') < 0 && s.indexOf('\n') < 0) return s;
  return s.replace(/[\r\n]/g, ' ');
}

/** An error reply whose text starts with '-' (Redis adds "-ERR " otherwise); newlines become spaces. */
export function writeErrorText(c: ReplyWriter, text: string, ignoreStats: boolean): void {
  if (text.length === 0 || text.charCodeAt(0) !== 45) text = '-ERR ' + text;
  text = mapCrLf(text);
  if (ignoreStats) c.raw(text + '\r\n');
  else c.error(text.slice(1));
}

export interface ErrorInfo {
  msg: string;
  source: string | null;
  line: string | null;
  ignoreStats: boolean;
}

/** Reads Redis's error table at the top of the stack ({err=, source=, line=, ignore_error_stats_update=}). */
export function extractErrorInfo(L: LuaState): ErrorInfo {
  const info: ErrorInfo = { msg: '', source: null, line: null, ignoreStats: false };
  let hasMsg = false;
  if (lua.lua_isstring(L, -1)) {
    info.msg = 'ERR ' + toString(L, -1);
    hasMsg = true;
  }
  if (lua.lua_type(L, -1) === LUA_TTABLE) {
    pushConst(L, K_ERR);
    lua.lua_gettable(L, -2);
    if (lua.lua_isstring(L, -1)) {
      info.msg = toString(L, -1)!;
      hasMsg = true;
    }
    lua.lua_pop(L, 1);
    pushConst(L, K_SOURCE);
    lua.lua_gettable(L, -2);
    if (lua.lua_isstring(L, -1)) info.source = toString(L, -1);
    lua.lua_pop(L, 1);
    pushConst(L, K_LINE);
    lua.lua_gettable(L, -2);
    if (lua.lua_isstring(L, -1)) info.line = toString(L, -1);
    lua.lua_pop(L, 1);
    pushConst(L, K_IGNORE_STATS);
    lua.lua_gettable(L, -2);
    if (lua.lua_type(L, -1) === LUA_TBOOLEAN) info.ignoreStats = lua.lua_toboolean(L, -1);
    lua.lua_pop(L, 1);
  }
  // Redis 7.0 crashes on an error table without a message; reply something sensible instead.
  if (!hasMsg) info.msg = 'ERR unknown error';
  return info;
}

/**
 * The arguments of redis.call as latin1 strings: numbers as "%.17g",
 * strings as they are. Returns null when an argument is of another type.
 */
export function luaArgsToArgv(L: LuaState, argc: number): string[] | null {
  const argv = new Array<string>(argc);
  for (let j = 0; j < argc; j++) {
    const t = lua.lua_type(L, j + 1);
    if (t === LUA_TNUMBER) argv[j] = num51.fmt17g(lua.lua_tonumber(L, j + 1));
    else if (t === LUA_TSTRING) argv[j] = bytesToLatin1(lua.lua_tolstring(L, j + 1));
    else return null;
  }
  return argv;
}
