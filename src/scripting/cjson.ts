/**
 * cjson: lua-cjson 2.1.0 as Redis embeds it. Numbers are written with
 * "%.14g" (encode_number_precision), '/' is escaped, a table is an array
 * when all its keys are positive integers (sparse arrays refused past
 * ratio/safe), objects are written in the order of next(), JSON null is the
 * lightuserdata cjson.null, numbers are read with strtod (hex, inf and nan
 * accepted unless decode_invalid_numbers is off). Each module table (the
 * global one and every cjson.new()) has its own settings.
 */
import { lua, lauxlib, num51, lstr, pushBytes, type LuaState, type PrintfFlags, LUA_TNIL, LUA_TNUMBER, LUA_TSTRING, LUA_TBOOLEAN, LUA_TTABLE, LUA_TLIGHTUSERDATA } from './lua';

interface Config {
  sparseConvert: number;
  sparseRatio: number;
  sparseSafe: number;
  encodeMaxDepth: number;
  decodeMaxDepth: number;
  invalidNumbers: number; // 0 off, 1 on, 2 null
  decodeInvalidNumbers: number;
  keepBuffer: number;
  precision: number;
}

function newConfig(): Config {
  return {
    sparseConvert: 0,
    sparseRatio: 2,
    sparseSafe: 10,
    encodeMaxDepth: 1000,
    decodeMaxDepth: 1000,
    invalidNumbers: 0,
    decodeInvalidNumbers: 1,
    keepBuffer: 1,
    precision: 14,
  };
}

const NO_FLAGS: PrintfFlags = {};

/** C's (int) of a lua_Integer taken from a double. */
function cInt(d: number): number {
  return Number(BigInt.asIntN(32, num51.toInt64(d)));
}

function argInit(L: LuaState, args: number): void {
  lauxlib.luaL_argcheck(L, lua.lua_gettop(L) <= args, args + 1, lstr('found too many arguments'));
  while (lua.lua_gettop(L) < args) lua.lua_pushnil(L);
}

function integerOption(L: LuaState, idx: number, get: () => number, set: (v: number) => void, min: number, max: number): number {
  if (!lua.lua_isnil(L, idx)) {
    const value = cInt(lauxlib.luaL_checknumber(L, idx));
    lauxlib.luaL_argcheck(L, min <= value && value <= max, 1, lstr(`expected integer between ${min} and ${max}`));
    set(value);
  }
  lua.lua_pushnumber(L, get());
  return 1;
}

function enumOption(L: LuaState, idx: number, get: () => number, set: (v: number) => void, options: string[] | null): number {
  const opts = options ?? ['off', 'on'];
  if (!lua.lua_isnoneornil(L, idx)) {
    if (lua.lua_isboolean(L, idx)) set(lua.lua_toboolean(L, idx) ? 1 : 0);
    else set(lauxlib.luaL_checkoption(L, idx, null, opts.map(lstr)));
  }
  const v = get();
  if (v === 0 || v === 1) lua.lua_pushboolean(L, v);
  else lua.lua_pushstring(L, lstr(opts[v]));
  return 1;
}

// ------------------------------------------------------------------ encode

const ESCAPES: Array<string | null> = (() => {
  const t: Array<string | null> = new Array(256).fill(null);
  for (let i = 0; i < 32; i++) t[i] = '\\u' + i.toString(16).padStart(4, '0');
  t[8] = '\\b';
  t[9] = '\\t';
  t[10] = '\\n';
  t[12] = '\\f';
  t[13] = '\\r';
  t[34] = '\\"';
  t[92] = '\\\\';
  t[47] = '\\/';
  t[127] = '\\u007f';
  return t;
})();

class Encoder {
  parts: string[] = [];
  constructor(
    readonly L: LuaState,
    readonly cfg: Config,
  ) {}

  error(idx: number, reason: string): never {
    const L = this.L;
    const tname = lauxlib.luaL_typename(L, idx);
    lauxlib.luaL_error(L, lstr('Cannot serialise %s: %s'), tname, lstr(reason));
    throw new Error('unreachable');
  }

  string(idx: number): void {
    const s: Uint8Array = lua.lua_tolstring(this.L, idx);
    let out = '"';
    let run = 0;
    for (let i = 0; i < s.length; i++) {
      const esc = ESCAPES[s[i]];
      if (esc !== null) {
        if (run < i) out += latin1(s, run, i);
        out += esc;
        run = i + 1;
      }
    }
    if (run < s.length) out += latin1(s, run, s.length);
    this.parts.push(out + '"');
  }

  number(idx: number): void {
    const n = lua.lua_tonumber(this.L, idx);
    const cfg = this.cfg;
    if (cfg.invalidNumbers === 0) {
      if (!isFinite(n)) this.error(idx, 'must not be NaN or Inf');
    } else if (cfg.invalidNumbers === 1) {
      if (n !== n) {
        this.parts.push('nan');
        return;
      }
    } else if (!isFinite(n)) {
      this.parts.push('null');
      return;
    }
    this.parts.push(formatNumber(n, cfg.precision));
  }

  depthCheck(depth: number): void {
    if (depth <= this.cfg.encodeMaxDepth && lua.lua_checkstack(this.L, 3)) return;
    lauxlib.luaL_error(this.L, lstr('Cannot serialise, excessive nesting (%d)'), depth);
  }

  /** The array length of the table at the top, or -1 when it must be an object. */
  arrayLength(): number {
    const L = this.L;
    let max = 0;
    let items = 0;
    lua.lua_pushnil(L);
    while (lua.lua_next(L, -2)) {
      if (lua.lua_type(L, -2) === LUA_TNUMBER) {
        const k = lua.lua_tonumber(L, -2);
        if (k !== 0 && Math.floor(k) === k && k >= 1) {
          if (k > max) max = k;
          items++;
          lua.lua_pop(L, 1);
          continue;
        }
      }
      lua.lua_pop(L, 2);
      return -1;
    }
    const cfg = this.cfg;
    if (cfg.sparseRatio > 0 && max > items * cfg.sparseRatio && max > cfg.sparseSafe) {
      if (!cfg.sparseConvert) this.error(-1, 'excessively sparse array');
      return -1;
    }
    return max;
  }

  value(depth: number): void {
    const L = this.L;
    switch (lua.lua_type(L, -1)) {
      case LUA_TSTRING:
        this.string(-1);
        return;
      case LUA_TNUMBER:
        this.number(-1);
        return;
      case LUA_TBOOLEAN:
        this.parts.push(lua.lua_toboolean(L, -1) ? 'true' : 'false');
        return;
      case LUA_TTABLE: {
        depth++;
        this.depthCheck(depth);
        const len = this.arrayLength();
        if (len > 0) {
          this.parts.push('[');
          for (let i = 1; i <= len; i++) {
            if (i > 1) this.parts.push(',');
            lua.lua_rawgeti(L, -1, i);
            this.value(depth);
            lua.lua_pop(L, 1);
          }
          this.parts.push(']');
        } else {
          this.parts.push('{');
          let comma = false;
          lua.lua_pushnil(L);
          while (lua.lua_next(L, -2)) {
            if (comma) this.parts.push(',');
            else comma = true;
            const kt = lua.lua_type(L, -2);
            if (kt === LUA_TNUMBER) {
              this.parts.push('"');
              this.number(-2);
              this.parts.push('":');
            } else if (kt === LUA_TSTRING) {
              this.string(-2);
              this.parts.push(':');
            } else {
              this.error(-2, 'table key must be a number or string');
            }
            this.value(depth);
            lua.lua_pop(L, 1);
          }
          this.parts.push('}');
        }
        return;
      }
      case LUA_TNIL:
        this.parts.push('null');
        return;
      case LUA_TLIGHTUSERDATA:
        if (lua.lua_touserdata(L, -1) === null) {
          this.parts.push('null');
          return;
        }
        this.error(-1, 'type not supported');
        return;
      default:
        this.error(-1, 'type not supported');
    }
  }
}

function latin1(s: Uint8Array, a: number, b: number): string {
  let out = '';
  for (let i = a; i < b; i++) out += String.fromCharCode(s[i]);
  return out;
}

/** fpconv_g_fmt: "%.<precision>g". */
function formatNumber(n: number, precision: number): string {
  if (precision === 14) return num51.fmt14g(n);
  return num51.formatFloat(n, 103, NO_FLAGS, 0, precision);
}

function encode(L: LuaState, cfg: Config): number {
  lauxlib.luaL_argcheck(L, lua.lua_gettop(L) === 1, 1, lstr('expected 1 argument'));
  const enc = new Encoder(L, cfg);
  enc.value(0);
  const s = enc.parts.join('');
  const u8 = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) u8[i] = s.charCodeAt(i);
  pushBytes(L, u8);
  return 1;
}

// ------------------------------------------------------------------ decode

const T_OBJ_BEGIN = 0;
const T_OBJ_END = 1;
const T_ARR_BEGIN = 2;
const T_ARR_END = 3;
const T_STRING = 4;
const T_NUMBER = 5;
const T_BOOLEAN = 6;
const T_NULL = 7;
const T_COLON = 8;
const T_COMMA = 9;
const T_END = 10;
const T_WHITESPACE = 11;
const T_ERROR = 12;
const T_UNKNOWN = 13;

const TOKEN_NAMES = [
  'T_OBJ_BEGIN',
  'T_OBJ_END',
  'T_ARR_BEGIN',
  'T_ARR_END',
  'T_STRING',
  'T_NUMBER',
  'T_BOOLEAN',
  'T_NULL',
  'T_COLON',
  'T_COMMA',
  'T_END',
  'T_WHITESPACE',
  'T_ERROR',
  'T_UNKNOWN',
];

const CH2TOKEN: number[] = (() => {
  const t = new Array<number>(256).fill(T_ERROR);
  t[0] = T_END;
  t[32] = t[9] = t[13] = t[10] = T_WHITESPACE;
  t[123] = T_OBJ_BEGIN;
  t[125] = T_OBJ_END;
  t[91] = T_ARR_BEGIN;
  t[93] = T_ARR_END;
  t[58] = T_COLON;
  t[44] = T_COMMA;
  for (const ch of 'fiInNt"+-0123456789') t[ch.charCodeAt(0)] = T_UNKNOWN;
  return t;
})();

const ESCAPE2CHAR: number[] = (() => {
  const t = new Array<number>(256).fill(0);
  t[34] = 34;
  t[92] = 92;
  t[47] = 47;
  t[98] = 8;
  t[116] = 9;
  t[110] = 10;
  t[102] = 12;
  t[114] = 13;
  t[117] = 117;
  return t;
})();

interface Token {
  type: number;
  index: number;
  str?: Uint8Array;
  num?: number;
  bool?: boolean;
  err?: string;
}

class Decoder {
  ptr = 0;
  depth = 0;
  constructor(
    readonly L: LuaState,
    readonly cfg: Config,
    readonly data: Uint8Array,
  ) {}

  at(i: number): number {
    return i < this.data.length ? this.data[i] : 0;
  }

  setError(t: Token, msg: string): void {
    t.type = T_ERROR;
    t.index = this.ptr;
    t.err = msg;
  }

  matches(word: string): boolean {
    for (let k = 0; k < word.length; k++) if (this.at(this.ptr + k) !== word.charCodeAt(k)) return false;
    return true;
  }

  isInvalidNumber(): boolean {
    let p = this.ptr;
    if (this.at(p) === 43) return true;
    if (this.at(p) === 45) p++;
    const c = this.at(p);
    if (c === 48) {
      const c2 = this.at(p + 1);
      return (c2 | 0x20) === 120 || (c2 >= 48 && c2 <= 57);
    }
    if (c <= 57) return false;
    const three = String.fromCharCode(this.at(p), this.at(p + 1), this.at(p + 2)).toLowerCase();
    return three === 'inf' || three === 'nan';
  }

  numberToken(t: Token): void {
    t.type = T_NUMBER;
    const r = num51.strtod(this.data, this.ptr);
    if (r === null) this.setError(t, 'invalid number');
    else {
      t.num = r.n;
      this.ptr = r.end;
    }
  }

  hex4(p: number): number {
    let v = 0;
    for (let k = 0; k < 4; k++) {
      const c = this.at(p + k);
      let d: number;
      if (c >= 48 && c <= 57) d = c - 48;
      else if ((c | 0x20) >= 97 && (c | 0x20) <= 102) d = (c | 0x20) - 87;
      else return -1;
      v = (v << 4) | d;
    }
    return v;
  }

  unicodeEscape(out: number[]): boolean {
    let cp = this.hex4(this.ptr + 2);
    if (cp < 0) return false;
    let escLen = 6;
    if ((cp & 0xf800) === 0xd800) {
      if (cp & 0x400) return false;
      if (this.at(this.ptr + 6) !== 92 || this.at(this.ptr + 7) !== 117) return false;
      let low = this.hex4(this.ptr + 8);
      if (low < 0 || (low & 0xfc00) !== 0xdc00) return false;
      low &= 0x3ff;
      cp = (((cp & 0x3ff) << 10) | low) + 0x10000;
      escLen = 12;
    }
    if (cp < 0x80) out.push(cp);
    else if (cp < 0x800) out.push(0xc0 | (cp >> 6), 0x80 | (cp & 0x3f));
    else if (cp < 0x10000) out.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
    else out.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 0x3f), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
    this.ptr += escLen;
    return true;
  }

  stringToken(t: Token): void {
    this.ptr++;
    const out: number[] = [];
    for (;;) {
      const ch = this.at(this.ptr);
      if (ch === 34) break;
      if (ch === 0) {
        this.setError(t, 'unexpected end of string');
        return;
      }
      let c = ch;
      if (ch === 92) {
        c = ESCAPE2CHAR[this.at(this.ptr + 1)];
        if (c === 117) {
          if (this.unicodeEscape(out)) continue;
          this.setError(t, 'invalid unicode escape code');
          return;
        }
        if (c === 0) {
          this.setError(t, 'invalid escape code');
          return;
        }
        this.ptr++;
      }
      out.push(c);
      this.ptr++;
    }
    this.ptr++;
    t.type = T_STRING;
    t.str = Uint8Array.from(out);
  }

  next(): Token {
    let ch: number;
    const t: Token = { type: T_END, index: 0 };
    for (;;) {
      ch = this.at(this.ptr);
      t.type = CH2TOKEN[ch];
      if (t.type !== T_WHITESPACE) break;
      this.ptr++;
    }
    t.index = this.ptr;
    if (t.type === T_ERROR) {
      this.setError(t, 'invalid token');
      return t;
    }
    if (t.type === T_END) return t;
    if (t.type !== T_UNKNOWN) {
      this.ptr++;
      return t;
    }
    if (ch === 34) this.stringToken(t);
    else if (ch === 45 || (ch >= 48 && ch <= 57)) {
      if (!this.cfg.decodeInvalidNumbers && this.isInvalidNumber()) this.setError(t, 'invalid number');
      else this.numberToken(t);
    } else if (this.matches('true')) {
      t.type = T_BOOLEAN;
      t.bool = true;
      this.ptr += 4;
    } else if (this.matches('false')) {
      t.type = T_BOOLEAN;
      t.bool = false;
      this.ptr += 5;
    } else if (this.matches('null')) {
      t.type = T_NULL;
      this.ptr += 4;
    } else if (this.cfg.decodeInvalidNumbers && this.isInvalidNumber()) {
      this.numberToken(t);
    } else this.setError(t, 'invalid token');
    return t;
  }

  parseError(expected: string, t: Token): never {
    const found = t.type === T_ERROR ? t.err! : TOKEN_NAMES[t.type];
    lauxlib.luaL_error(this.L, lstr('Expected %s but found %s at character %d'), lstr(expected), lstr(found), t.index + 1);
    throw new Error('unreachable');
  }

  descend(slots: number): void {
    this.depth++;
    if (this.depth <= this.cfg.decodeMaxDepth && lua.lua_checkstack(this.L, slots)) return;
    lauxlib.luaL_error(this.L, lstr('Found too many nested data structures (%d) at character %d'), this.depth, this.ptr);
  }

  value(t: Token): void {
    const L = this.L;
    switch (t.type) {
      case T_STRING:
        pushBytes(L, t.str!);
        return;
      case T_NUMBER:
        lua.lua_pushnumber(L, t.num!);
        return;
      case T_BOOLEAN:
        lua.lua_pushboolean(L, t.bool ? 1 : 0);
        return;
      case T_OBJ_BEGIN:
        this.object();
        return;
      case T_ARR_BEGIN:
        this.array();
        return;
      case T_NULL:
        lua.lua_pushlightuserdata(L, null);
        return;
      default:
        this.parseError('value', t);
    }
  }

  object(): void {
    const L = this.L;
    this.descend(3);
    lua.lua_createtable(L, 0, 0);
    let t = this.next();
    if (t.type === T_OBJ_END) {
      this.depth--;
      return;
    }
    for (;;) {
      if (t.type !== T_STRING) this.parseError('object key string', t);
      pushBytes(L, t.str!);
      t = this.next();
      if (t.type !== T_COLON) this.parseError('colon', t);
      t = this.next();
      this.value(t);
      lua.lua_rawset(L, -3);
      t = this.next();
      if (t.type === T_OBJ_END) {
        this.depth--;
        return;
      }
      if (t.type !== T_COMMA) this.parseError('comma or object end', t);
      t = this.next();
    }
  }

  array(): void {
    const L = this.L;
    this.descend(2);
    lua.lua_createtable(L, 0, 0);
    let t = this.next();
    if (t.type === T_ARR_END) {
      this.depth--;
      return;
    }
    for (let i = 1; ; i++) {
      this.value(t);
      lua.lua_rawseti(L, -2, i);
      t = this.next();
      if (t.type === T_ARR_END) {
        this.depth--;
        return;
      }
      if (t.type !== T_COMMA) this.parseError('comma or array end', t);
      t = this.next();
    }
  }
}

function decode(L: LuaState, cfg: Config): number {
  lauxlib.luaL_argcheck(L, lua.lua_gettop(L) === 1, 1, lstr('expected 1 argument'));
  const data: Uint8Array = lauxlib.luaL_checklstring(L, 1);
  if (data.length >= 2 && (data[0] === 0 || data[1] === 0)) {
    return lauxlib.luaL_error(L, lstr('JSON parser does not support UTF-16 or UTF-32'));
  }
  const d = new Decoder(L, cfg, data);
  let t = d.next();
  d.value(t);
  t = d.next();
  if (t.type !== T_END) d.parseError('the end', t);
  return 1;
}

// ------------------------------------------------------------------ module

function pushModule(L: LuaState): void {
  const cfg = newConfig();
  lua.lua_createtable(L, 0, 13);
  const fns: Array<[string, (L: LuaState) => number]> = [
    ['encode', (L1) => encode(L1, cfg)],
    ['decode', (L1) => decode(L1, cfg)],
    [
      'encode_sparse_array',
      (L1) => {
        argInit(L1, 3);
        enumOption(L1, 1, () => cfg.sparseConvert, (v) => (cfg.sparseConvert = v), null);
        integerOption(L1, 2, () => cfg.sparseRatio, (v) => (cfg.sparseRatio = v), 0, 2147483647);
        integerOption(L1, 3, () => cfg.sparseSafe, (v) => (cfg.sparseSafe = v), 0, 2147483647);
        return 3;
      },
    ],
    [
      'encode_max_depth',
      (L1) => {
        argInit(L1, 1);
        return integerOption(L1, 1, () => cfg.encodeMaxDepth, (v) => (cfg.encodeMaxDepth = v), 1, 2147483647);
      },
    ],
    [
      'decode_max_depth',
      (L1) => {
        argInit(L1, 1);
        return integerOption(L1, 1, () => cfg.decodeMaxDepth, (v) => (cfg.decodeMaxDepth = v), 1, 2147483647);
      },
    ],
    [
      'encode_number_precision',
      (L1) => {
        argInit(L1, 1);
        return integerOption(L1, 1, () => cfg.precision, (v) => (cfg.precision = v), 1, 14);
      },
    ],
    [
      'encode_keep_buffer',
      (L1) => {
        argInit(L1, 1);
        return enumOption(L1, 1, () => cfg.keepBuffer, (v) => (cfg.keepBuffer = v), null);
      },
    ],
    [
      'encode_invalid_numbers',
      (L1) => {
        argInit(L1, 1);
        return enumOption(L1, 1, () => cfg.invalidNumbers, (v) => (cfg.invalidNumbers = v), ['off', 'on', 'null']);
      },
    ],
    [
      'decode_invalid_numbers',
      (L1) => {
        argInit(L1, 1);
        return enumOption(L1, 1, () => cfg.decodeInvalidNumbers, (v) => (cfg.decodeInvalidNumbers = v), null);
      },
    ],
    [
      'new',
      (L1) => {
        pushModule(L1);
        return 1;
      },
    ],
  ];
  for (const [name, fn] of fns) {
    lua.lua_pushcfunction(L, fn);
    lua.lua_setfield(L, -2, lstr(name));
  }
  lua.lua_pushlightuserdata(L, null);
  lua.lua_setfield(L, -2, lstr('null'));
  lua.lua_pushstring(L, lstr('cjson'));
  lua.lua_setfield(L, -2, lstr('_NAME'));
  lua.lua_pushstring(L, lstr('2.1.0'));
  lua.lua_setfield(L, -2, lstr('_VERSION'));
}

export function openCjson(L: LuaState): void {
  pushModule(L);
  lua.lua_setglobal(L, lstr('cjson'));
}
