/**
 * Redis 7 functions: libraries loaded with FUNCTION LOAD ("#!lua name=lib"),
 * whose code registers functions with redis.register_function, called with
 * FCALL / FCALL_RO.
 *
 * Libraries run in their own Lua state, as in Redis. Their code sees an
 * empty, read-only globals table whose metatable's __index is switched:
 * while a library loads it points to the load API (only `redis` with
 * register_function, log and the version), when a function runs it points
 * to the full environment (the standard libraries and the `redis` API).
 */
import type { Client } from '../server/client';
import {
  lua,
  lauxlib,
  lstr,
  toString,
  tableObject,
  setFunc,
  type LuaState,
  LUA_OK,
  LUA_TFUNCTION,
  LUA_MASKCOUNT,
  LUA_REGISTRYINDEX,
} from './lua';
import { REDIS_VERSION } from '../server/server';
import {
  LuaEngine,
  Scripting,
  SCRIPT_FLAG_NAMES,
  SCRIPT_FLAG_NO_WRITES,
  splitShebang,
} from './engine';
import { pushErrorTable, extractErrorInfo } from './convert';
import { registerLog, registerVersion } from './redislib';

const LOAD_TIMEOUT_MS = 500;

export interface FunctionInfo {
  name: string;
  description: string | null;
  flags: number;
  ref: number;
  library: Library;
}

export interface Library {
  name: string;
  engine: 'LUA';
  code: string;
  functions: Map<string, FunctionInfo>;
}

const NAME_ERROR = 'Library names can only contain letters, numbers, or underscores(_) and must be at least one character long';

function validName(name: string): boolean {
  if (name.length === 0) return false;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95)) return false;
  }
  return true;
}

/** The library being loaded, collecting its functions. */
interface LoadContext {
  library: Library;
  start: number;
}

export class FunctionsEngine extends LuaEngine {
  readonly libraries = new Map<string, Library>();
  /** Every function of every library, by name. */
  readonly functions = new Map<string, FunctionInfo>();
  private loading: LoadContext | null = null;
  /** The metatable of the globals: its __index is the load API or the runtime environment. */
  private readonly envMeta: number;
  private readonly loadApi: number;
  private readonly runtimeEnv: number;

  constructor(scripting: Scripting) {
    super(scripting, 'function');
    const L = this.L;
    // The runtime environment: the standard globals with `redis`, protected.
    lua.lua_pushglobaltable(L);
    this.installRedisApi(L);
    lua.lua_pushnil(L);
    lua.lua_setfield(L, -2, lstr('debug'));
    this.setErrorMetatable(L);
    this.protectRecursively(L);
    this.runtimeEnv = lauxlib.luaL_ref(L, LUA_REGISTRYINDEX);
    // The load API: only `redis` with register_function, log and the version.
    lua.lua_createtable(L, 0, 1);
    lua.lua_createtable(L, 0, 8);
    setFunc(L, -1, 'register_function', (L1: LuaState) => this.registerFunction(L1));
    registerLog(this, L);
    registerVersion(L, REDIS_VERSION);
    this.setErrorMetatable(L);
    lua.lua_setfield(L, -2, lstr('redis'));
    this.setErrorMetatable(L);
    this.protectRecursively(L);
    this.loadApi = lauxlib.luaL_ref(L, LUA_REGISTRYINDEX);
    // The globals every library chunk gets: empty and read-only, looking up through the metatable.
    lua.lua_createtable(L, 0, 0);
    lua.lua_createtable(L, 0, 1);
    lua.lua_rawgeti(L, LUA_REGISTRYINDEX, this.runtimeEnv);
    lua.lua_setfield(L, -2, lstr('__index'));
    lua.lua_pushvalue(L, -1);
    this.envMeta = lauxlib.luaL_ref(L, LUA_REGISTRYINDEX);
    lua.lua_setmetatable(L, -2);
    tableObject(L, -1).readonly = true;
    lua.lua_rawseti(L, LUA_REGISTRYINDEX, lua.LUA_RIDX_GLOBALS);
    lua.lua_rawgeti(L, LUA_REGISTRYINDEX, this.envMeta);
    tableObject(L, -1).readonly = true;
    lua.lua_pop(L, 1);
  }

  /** Points the globals' lookups at the load API or at the runtime environment. */
  private setEnv(load: boolean): void {
    const L = this.L;
    lua.lua_rawgeti(L, LUA_REGISTRYINDEX, this.envMeta);
    const meta = tableObject(L, -1);
    meta.readonly = false;
    lua.lua_pushstring(L, lstr('__index'));
    lua.lua_rawgeti(L, LUA_REGISTRYINDEX, load ? this.loadApi : this.runtimeEnv);
    lua.lua_rawset(L, -3);
    meta.readonly = true;
    lua.lua_pop(L, 1);
  }

  private registerFunction(L: LuaState): number {
    const argc = lua.lua_gettop(L);
    if (argc < 1 || argc > 2) {
      pushErrorTable(L, 'wrong number of arguments to redis.register_function');
      return lua.lua_error(L);
    }
    const load = this.loading;
    if (load === null) {
      pushErrorTable(L, 'redis.register_function can only be called on FUNCTION LOAD command');
      return lua.lua_error(L);
    }
    let name: string | null = null;
    let desc: string | null = null;
    let flags = 0;
    let cbRef = -1;
    const fail = (msg: string): number => {
      if (cbRef >= 0) lauxlib.luaL_unref(L, LUA_REGISTRYINDEX, cbRef);
      lua.lua_settop(L, 0);
      pushErrorTable(L, msg);
      return lua.lua_error(L);
    };
    if (argc === 1) {
      if (!lua.lua_istable(L, 1)) {
        return fail('calling redis.register_function with a single argument is only applicable to Lua table (representing named arguments).');
      }
      lua.lua_pushnil(L);
      while (lua.lua_next(L, 1)) {
        if (!lua.lua_isstring(L, -2)) return fail('named argument key given to redis.register_function is not a string');
        const key = toString(L, -2)!;
        if (key === 'function_name') {
          if (!lua.lua_isstring(L, -1)) return fail('function_name argument given to redis.register_function must be a string');
          name = toString(L, -1);
        } else if (key === 'description') {
          if (!lua.lua_isstring(L, -1)) return fail('description argument given to redis.register_function must be a string');
          desc = toString(L, -1);
        } else if (key === 'callback') {
          if (!lua.lua_isfunction(L, -1)) return fail('callback argument given to redis.register_function must be a function');
          if (cbRef >= 0) lauxlib.luaL_unref(L, LUA_REGISTRYINDEX, cbRef);
          lua.lua_pushvalue(L, -1);
          cbRef = lauxlib.luaL_ref(L, LUA_REGISTRYINDEX);
        } else if (key === 'flags') {
          if (!lua.lua_istable(L, -1)) return fail('flags argument to redis.register_function must be a table representing function flags');
          lua.lua_pushnil(L);
          while (lua.lua_next(L, -2)) {
            const f = lua.lua_type(L, -1) === lua.LUA_TSTRING ? toString(L, -1) : null;
            const def = SCRIPT_FLAG_NAMES.find(([n]) => n === f);
            if (def === undefined) return fail('unknown flag given');
            flags |= def[1];
            lua.lua_pop(L, 1);
          }
        } else {
          return fail('unknown argument given to redis.register_function');
        }
        lua.lua_pop(L, 1);
      }
      if (name === null) return fail('redis.register_function must get a function name argument');
      if (cbRef < 0) return fail('redis.register_function must get a callback argument');
    } else {
      if (!lua.lua_isstring(L, 1)) return fail('first argument to redis.register_function must be a string');
      if (lua.lua_type(L, 2) !== LUA_TFUNCTION) return fail('second argument to redis.register_function must be a function');
      name = toString(L, 1);
      lua.lua_pushvalue(L, 2);
      cbRef = lauxlib.luaL_ref(L, LUA_REGISTRYINDEX);
    }
    const lib = load.library;
    if (!validName(name!)) return fail(NAME_ERROR);
    if (lib.functions.has(name!)) return fail('Function already exists in the library');
    lib.functions.set(name!, { name: name!, description: desc, flags, ref: cbRef, library: lib });
    return 0;
  }

  /** FUNCTION LOAD: returns the library name, or an error text. */
  load(code: string, replace: boolean): { name: string } | { error: string } {
    const md = parseLibraryMetadata(code);
    if ('error' in md) return md;
    if (!validName(md.name)) return { error: `ERR ${NAME_ERROR}` };
    if (md.engine.toLowerCase() !== 'lua') return { error: `ERR Engine '${md.engine}' not found` };
    const old = this.libraries.get(md.name);
    if (old !== undefined && !replace) return { error: `ERR Library '${md.name}' already exists` };
    const library: Library = { name: md.name, engine: 'LUA', code, functions: new Map() };
    const err = this.runLibraryCode(library, '--' + code.slice(2));
    if (err !== null) {
      this.release(library);
      return { error: err };
    }
    if (library.functions.size === 0) {
      this.release(library);
      return { error: 'ERR No functions registered' };
    }
    for (const f of library.functions.values()) {
      const existing = this.functions.get(f.name.toLowerCase());
      if (existing !== undefined && existing.library !== old) {
        this.release(library);
        return { error: `ERR Function ${f.name} already exists` };
      }
    }
    if (old !== undefined) this.unlink(old);
    this.link(library);
    return { name: md.name };
  }

  private runLibraryCode(library: Library, code: string): string | null {
    const err = this.compile(code, '@user_function');
    if (err !== null) return `ERR Error compiling function: ${err}`;
    const L = this.L;
    const ctx: LoadContext = { library, start: performance.now() };
    this.loading = ctx;
    this.setEnv(true);
    lua.lua_sethook(
      L,
      (L1: LuaState) => {
        if (performance.now() - ctx.start > LOAD_TIMEOUT_MS) {
          pushErrorTable(L1, 'FUNCTION LOAD timeout');
          lua.lua_error(L1);
        }
      },
      LUA_MASKCOUNT,
      10000,
    );
    const status = lua.lua_pcall(L, 0, 0, 0);
    lua.lua_sethook(L, null, 0, 0);
    this.setEnv(false);
    this.loading = null;
    if (status !== LUA_OK) {
      const info = extractErrorInfo(L);
      lua.lua_pop(L, 1);
      return `ERR Error registering functions: ${info.msg}`;
    }
    return null;
  }

  private release(library: Library): void {
    for (const f of library.functions.values()) lauxlib.luaL_unref(this.L, LUA_REGISTRYINDEX, f.ref);
  }

  /**
   * Adds a library's functions to the lookup, where names are compared
   * without regard to case (as Redis's functions dictionary): of two names
   * of one library that differ only by case, the first one is called.
   */
  private link(library: Library): void {
    this.libraries.set(library.name, library);
    for (const f of library.functions.values()) {
      const key = f.name.toLowerCase();
      if (!this.functions.has(key)) this.functions.set(key, f);
    }
  }

  private unlink(library: Library): void {
    this.libraries.delete(library.name);
    for (const f of library.functions.values()) {
      const key = f.name.toLowerCase();
      if (this.functions.get(key)?.library === library) this.functions.delete(key);
    }
    this.release(library);
  }

  delete(name: string): boolean {
    const lib = this.libraries.get(name);
    if (lib === undefined) return false;
    this.unlink(lib);
    return true;
  }

  flush(): void {
    for (const lib of [...this.libraries.values()]) this.unlink(lib);
  }

  /** FCALL / FCALL_RO of a function found by name. */
  call(caller: Client, fn: FunctionInfo, keys: string[], args: string[], ro: boolean, argv?: string[]): void {
    if (!(fn.flags & SCRIPT_FLAG_NO_WRITES)) {
      const server = this.server;
      if (server.isReplica && server.config.getBool('replica-read-only') && caller.kind !== 'master' && caller.socket !== null) {
        caller.error('ERR Can not run script with write flag on readonly replica');
        return;
      }
      if (ro) {
        caller.error('ERR Can not execute a script with write flag using *_ro command.');
        return;
      }
    }
    const readOnly = ro || (fn.flags & SCRIPT_FLAG_NO_WRITES) !== 0;
    const run = this.newRun(caller, fn.name, false, readOnly);
    run.argv = argv;
    const L = this.L;
    this.start(run, (co) => {
      lua.lua_rawgeti(L, LUA_REGISTRYINDEX, fn.ref);
      this.pushStringArray(L, keys);
      this.pushStringArray(L, args);
      lua.lua_xmove(L, co, 3);
      return 2;
    });
  }
}

/** Reads "#!<engine> name=<lib>" from the first line of a library's code. */
export function parseLibraryMetadata(code: string): { engine: string; name: string } | { error: string } {
  if (!code.startsWith('#!')) return { error: 'ERR Missing library metadata' };
  const end = code.indexOf('\n');
  if (end < 0) return { error: 'ERR Invalid library metadata' };
  const parts = splitShebang(code.slice(0, end));
  if (parts === null || parts.length === 0) return { error: 'ERR Invalid library metadata' };
  const engine = parts[0].slice(2);
  let name: string | null = null;
  for (let i = 1; i < parts.length; i++) {
    const p = parts[i];
    if (p.slice(0, 5).toLowerCase() === 'name=') {
      if (name !== null) return { error: 'ERR Invalid metadata value, name argument was given multiple times' };
      name = p.slice(5);
      continue;
    }
    return { error: `ERR Invalid metadata value given: ${p}` };
  }
  if (name === null) return { error: 'ERR Library name was not given' };
  return { engine, name };
}

export function functionsEngine(sc: Scripting): FunctionsEngine {
  if (sc.functions === null) sc.functions = new FunctionsEngine(sc);
  return sc.functions;
}

