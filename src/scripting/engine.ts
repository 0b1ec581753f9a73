/**
 * The Lua engine: Lua states set up as Redis's (libraries, `redis` API,
 * read-only globals), the EVAL script cache, and the machinery that runs a
 * script or function for a client.
 *
 * A script runs in a Lua coroutine with a count hook. Within
 * busy-reply-threshold (lua-time-limit) it runs to completion synchronously,
 * like Redis. Past it, Redis keeps serving other clients with -BUSY and
 * accepts SCRIPT KILL; here the hook yields the coroutine back to the event
 * loop every few milliseconds: the caller stays blocked, other clients get
 * -BUSY (server.busyScript), and the script resumes on the next turn with
 * the same frozen time and its writes still pending (server.suspendCall /
 * resumeCall), so it stays atomic for everyone else.
 */
import type { Server, SuspendedCall } from '../server/server';
import type { Client } from '../server/client';
import { REDIS_VERSION } from '../server/server';
import {
  lua,
  lauxlib,
  lstr,
  pushString,
  pushConst,
  constString,
  toString,
  bytesToLatin1,
  latin1ToBytes,
  tableObject,
  type LuaState,
  LUA_OK,
  LUA_YIELD,
  LUA_TTABLE,
  LUA_MASKCOUNT,
  LUA_MASKLINE,
  LUA_REGISTRYINDEX,
} from './lua';
import { openStdlib, Rand48, type LibContext } from './stdlib';
import { pushRedisApi, sha1hex, type RedisLibHost, REPL_ALL } from './redislib';
import { extractErrorInfo, pushErrorTable, writeErrorText, writeLuaReply } from './convert';
import { openExtraLibs } from './libs';
import { splitArgs } from '../protocol/parser';

const K_KEYS = constString('KEYS');
const K_ARGV = constString('ARGV');

/** How many VM instructions between two calls of the hook. */
const HOOK_COUNT = 10000;
/** While past the busy threshold, how long the script runs between two turns of the event loop (ms). */
const BUSY_SLICE_MS = 10;

export const SCRIPT_FLAG_NO_WRITES = 1;
export const SCRIPT_FLAG_ALLOW_OOM = 2;
export const SCRIPT_FLAG_ALLOW_STALE = 4;
export const SCRIPT_FLAG_NO_CLUSTER = 8;
export const SCRIPT_FLAG_EVAL_COMPAT_MODE = 16;
export const SCRIPT_FLAG_ALLOW_CROSS_SLOT = 32;

export const SCRIPT_FLAG_NAMES: Array<[string, number]> = [
  ['no-writes', SCRIPT_FLAG_NO_WRITES],
  ['allow-oom', SCRIPT_FLAG_ALLOW_OOM],
  ['allow-stale', SCRIPT_FLAG_ALLOW_STALE],
  ['no-cluster', SCRIPT_FLAG_NO_CLUSTER],
  ['allow-cross-slot-keys', SCRIPT_FLAG_ALLOW_CROSS_SLOT],
];

/** The busy errors, as Redis words them. */
export const BUSY_EVAL_ERROR = 'BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.';
export const BUSY_FUNCTION_ERROR = 'BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.';

/** One script or function invocation. */
export interface RunContext {
  engine: LuaEngine;
  caller: Client;
  /** The script client that runs redis.call's commands. */
  client: Client;
  /** The SHA1 (EVAL) or the function name, as error messages show it. */
  name: string;
  isEval: boolean;
  readOnly: boolean;
  /** A write command ran: SCRIPT KILL can no longer stop the script. */
  wrote: boolean;
  killed: boolean;
  start: number;
  timedOut: boolean;
  lastSlice: number;
  repl: number;
  thread: LuaState;
  /** The script may hand the event loop back (a top-level command of a connected client). */
  canYield: boolean;
  suspended: SuspendedCall | null;
  /** The server stopped while the script was suspended. */
  aborted: boolean;
  /** The command that started the run (FUNCTION STATS). */
  argv?: string[];
  /** Called once the script ended and its reply was written. */
  onDone?: () => void;
}

export interface CachedScript {
  body: string;
  flags: number;
  ref: number;
}

/** A Lua state with Redis's environment. */
export class LuaEngine implements RedisLibHost {
  readonly L: LuaState;
  readonly lib: LibContext;
  readonly client: Client;
  private readonly hook: (L: LuaState) => void;
  private readonly tostringRef: number;
  /** A thread whose last script returned normally, reused by the next run (creating one costs). */
  private spareThread: LuaState = null;

  constructor(
    readonly scripting: Scripting,
    readonly kind: 'eval' | 'function',
  ) {
    const server = scripting.server;
    this.lib = { scriptThread: null, rand: scripting.rand };
    const L = lauxlib.luaL_newstate();
    this.L = L;
    // A JS exception inside a library function becomes a Lua error instead of a crash.
    lua.lua_atnativeerror(L, (L1: LuaState) => {
      const e = lua.lua_touserdata(L1, -1) as Error;
      server.log.warn(`Lua engine internal error: ${e && e.stack ? e.stack : String(e)}`);
      pushString(L1, `internal error: ${e && e.message ? e.message : String(e)}`);
      return 1;
    });
    openStdlib(L, this.lib);
    openExtraLibs(L);
    lua.lua_getglobal(L, lstr('tostring'));
    this.tostringRef = lauxlib.luaL_ref(L, LUA_REGISTRYINDEX);
    this.client = server.createClient(null);
    this.client.kind = 'lua';
    this.client.denyBlocking = true;
    this.client.authenticated = true;
    this.hook = (L1: LuaState) => this.onHook(L1);
  }

  get server(): Server {
    return this.scripting.server;
  }

  running(): RunContext | null {
    const r = this.scripting.current;
    return r !== null && r.engine === this ? r : null;
  }

  /** Installs `redis` and Redis's error handler in the globals at the top of the stack. */
  protected installRedisApi(L: LuaState): void {
    pushRedisApi(this, L, REDIS_VERSION);
    lua.lua_setfield(L, -2, lstr('redis'));
  }

  /** Makes the table at the top of the stack, and every table reachable from it, read-only. */
  protected protectRecursively(L: LuaState): void {
    const t = tableObject(L, -1);
    if (t.readonly) return;
    t.readonly = true;
    lua.lua_checkstack(L, 3);
    lua.lua_pushnil(L);
    while (lua.lua_next(L, -2)) {
      if (lua.lua_type(L, -1) === LUA_TTABLE) this.protectRecursively(L);
      lua.lua_pop(L, 1);
    }
    if (lua.lua_getmetatable(L, -1)) {
      this.protectRecursively(L);
      lua.lua_pop(L, 1);
    }
  }

  /** Sets a metatable on the table at the top of the stack that raises on reads of missing keys. */
  protected setErrorMetatable(L: LuaState): void {
    lua.lua_createtable(L, 0, 1);
    lua.lua_pushcfunction(L, (L1: LuaState) => {
      if (lua.lua_gettop(L1) !== 2) return lauxlib.luaL_error(L1, lstr('Wrong number of arguments to luaProtectedTableError'));
      if (!lua.lua_isstring(L1, -1)) {
        return lauxlib.luaL_error(L1, lstr('Second argument to luaProtectedTableError must be a string or number'));
      }
      return lauxlib.luaL_error(L1, lstr("Script attempted to access nonexistent global variable '%s'"), lua.lua_tolstring(L1, -1));
    });
    lua.lua_setfield(L, -2, lstr('__index'));
    lua.lua_setmetatable(L, -2);
  }

  /** Compiles code into a function left on the stack of L, or returns the error message. */
  compile(code: string, chunkname: string): string | null {
    const u8 = latin1ToBytes(code);
    const status = lauxlib.luaL_loadbuffer(this.L, u8, u8.length, lstr(chunkname));
    if (status !== LUA_OK) {
      const msg = toString(this.L, -1) ?? 'unknown error';
      lua.lua_pop(this.L, 1);
      return msg;
    }
    return null;
  }

  // ---------------------------------------------------------------- running

  /**
   * Starts a run: `push` places the function and its arguments on the new
   * thread's stack and returns the argument count. The reply goes to
   * run.caller, now or (if the script yields) when it ends.
   */
  start(run: RunContext, push: (co: LuaState) => number): void {
    const sc = this.scripting;
    sc.current = run;
    this.lib.scriptThread = run.thread;
    run.client.db = run.caller.db;
    run.client.resp = 2;
    run.client.user = run.caller.user;
    if (this.server.config.getInt('busy-reply-threshold') > 0) {
      lua.lua_sethook(run.thread, this.hook, LUA_MASKCOUNT, HOOK_COUNT);
    }
    // Redis's error handler, as the thread's message handler: runtime errors become
    // {err=..., source=..., line=...} where they are raised (as lua_pcall(..., errh) does).
    lua.lua_pushcfunction(run.thread, this.errorHandler);
    run.thread.errfunc = lua.lua_gettop(run.thread);
    const nargs = push(run.thread);
    this.resume(run, nargs);
  }

  /** __redis__err__handler: {err='ERR ' .. tostring(e)} (tables kept) with the source and line of the Lua code at fault. */
  private readonly errorHandler = (L: LuaState): number => {
    const ar = new lua.lua_Debug();
    let found = lua.lua_getstack(L, 1, ar);
    if (found) {
      lua.lua_getinfo(L, lstr('Sl'), ar);
      if (ar.what && bytesToLatin1(ar.what) === 'C') {
        found = lua.lua_getstack(L, 2, ar);
        if (found) lua.lua_getinfo(L, lstr('Sl'), ar);
      }
    }
    if (lua.lua_type(L, 1) !== LUA_TTABLE) {
      lua.lua_rawgeti(L, LUA_REGISTRYINDEX, this.tostringRef);
      lua.lua_pushvalue(L, 1);
      lua.lua_call(L, 1, 1);
      const msg = toString(L, -1) ?? 'nil';
      lua.lua_pop(L, 1);
      lua.lua_createtable(L, 0, 0);
      lua.lua_pushstring(L, lstr('err'));
      pushString(L, 'ERR ' + msg);
      lua.lua_settable(L, -3);
      lua.lua_replace(L, 1);
    }
    lua.lua_settop(L, 1);
    if (found) {
      pushString(L, ar.source ? bytesToLatin1(ar.source) : '');
      lua.lua_setfield(L, 1, lstr('source'));
      lua.lua_pushnumber(L, ar.currentline);
      lua.lua_setfield(L, 1, lstr('line'));
    }
    return 1;
  };

  private resume(run: RunContext, nargs: number): void {
    let status: number;
    try {
      status = lua.lua_resume(run.thread, null, nargs);
    } catch (e) {
      // Not a Lua error: a bug. Report it as the script's error rather than leaving the server stuck.
      this.server.log.warn(`Lua engine internal error: ${(e as Error).stack}`);
      pushString(run.thread, `internal error: ${(e as Error).message}`);
      status = lua.LUA_ERRRUN;
    }
    if (status === LUA_YIELD && !run.aborted) {
      this.suspend(run);
      return;
    }
    this.finish(run, status);
  }

  /** The script yielded from the hook: hand the event loop back, resume on its next turn. */
  private suspend(run: RunContext): void {
    const server = this.server;
    run.suspended = server.suspendCall();
    const caller = run.caller;
    if (caller.blocked === null) {
      caller.blocked = { kind: 'script', timeout: 0, data: run };
    }
    setImmediate(() => {
      if (run.aborted) {
        this.finish(run, lua.LUA_ERRRUN);
        return;
      }
      server.resumeCall(run.suspended!, () => this.resume(run, 0));
      if (this.scripting.current !== run) {
        // The script ended: its writes were propagated by resumeCall; serve what they unblocked.
        server.afterCommand();
      }
    });
  }

  private finish(run: RunContext, status: number): void {
    const co = run.thread;
    const c = run.caller;
    if (status === LUA_OK) {
      // The stack holds the error handler, then the results: the reply is the first result.
      if (lua.lua_gettop(co) < 2) lua.lua_pushnil(co);
      else lua.lua_settop(co, 2);
      writeLuaReply(c, run.client.resp, co);
    } else if (run.aborted) {
      c.error('ERR Script aborted: the server is shutting down');
    } else {
      this.replyError(run, status);
    }
    run.client.out = '';
    if (status === LUA_OK && !run.killed && !run.aborted) {
      lua.lua_settop(co, 0);
      co.errfunc = 0;
      lua.lua_sethook(co, null, 0, 0);
      this.spareThread = co;
    }
    this.lib.scriptThread = null;
    this.scripting.current = null;
    this.server.busyScript = null;
    lua.lua_settop(this.L, 0);
    if (run.suspended !== null) {
      run.suspended = null;
      if (c.blocked !== null && c.blocked.kind === 'script') this.server.unblockClient(c);
    }
    run.onDone?.();
  }

  /**
   * Replies the error a script ended with, as luaCallFunction does: the
   * handler's {err, source, line} table gives "-<err> script: <name>, on
   * <source>:<line>."; anything else (the handler itself failed) gives
   * "Error running script".
   */
  private replyError(run: RunContext, status: number): void {
    const co = run.thread;
    const L = this.L;
    lua.lua_xmove(co, L, 1);
    if (lua.lua_type(L, -1) !== LUA_TTABLE) {
      const msg = status === lua.LUA_ERRERR ? 'error in error handling' : (toString(L, -1) ?? 'execution failure');
      lua.lua_pop(L, 1);
      run.caller.error(`ERR Error running script ${run.name}, ${msg.slice(0, 100)}`);
      return;
    }
    const info = extractErrorInfo(L);
    lua.lua_pop(L, 1);
    let text = '-' + info.msg;
    if (info.line !== null && info.source !== null) text += ` script: ${run.name}, on ${info.source}:${info.line}.`;
    writeErrorText(run.caller, text, info.ignoreStats);
  }

  private onHook(L: LuaState): void {
    const run = this.scripting.current;
    if (run === null || run.engine !== this) return;
    if (run.killed || run.aborted) {
      // Keep raising on every line so that pcall cannot swallow the kill.
      lua.lua_sethook(L, this.hook, LUA_MASKLINE, 0);
      if (L !== run.thread) lua.lua_sethook(run.thread, this.hook, LUA_MASKLINE, 0);
      this.server.log.warn('Lua script killed by user with SCRIPT KILL.');
      pushErrorTable(L, 'Script killed by user with SCRIPT KILL...');
      lua.lua_error(L);
      return;
    }
    const now = performance.now();
    if (!run.timedOut) {
      if (now - run.start < this.server.config.getInt('busy-reply-threshold')) return;
      run.timedOut = true;
      run.lastSlice = now;
      this.server.log.warn(
        `Slow script detected: still in execution after ${Math.round(now - run.start)} milliseconds. ` +
          `You can try killing the script using the ${run.isEval ? 'SCRIPT KILL' : 'FUNCTION KILL'} command.`,
      );
      this.server.busyScript = { error: run.isEval ? BUSY_EVAL_ERROR : BUSY_FUNCTION_ERROR };
    }
    if (run.canYield && L === run.thread && now - run.lastSlice >= BUSY_SLICE_MS && lua.lua_isyieldable(L)) {
      run.lastSlice = now;
      lua.lua_yield(L, 0);
    }
  }

  /** Pushes an array of strings as a new table (luaCreateArray). */
  pushStringArray(L: LuaState, items: string[]): void {
    // Sized as filling an empty table with 1..n would leave it (same layout, no rehashing on the way).
    lua.lua_createtable(L, arraySizeFor(items.length), 0);
    for (let j = 0; j < items.length; j++) {
      pushString(L, items[j]);
      lua.lua_rawseti(L, -2, j + 1);
    }
  }

  /** A new run context for `caller`. */
  newRun(caller: Client, name: string, isEval: boolean, readOnly: boolean): RunContext {
    let thread = this.spareThread;
    if (thread !== null) this.spareThread = null;
    else {
      thread = lua.lua_newthread(this.L);
      lua.lua_pop(this.L, 1);
    }
    return {
      engine: this,
      caller,
      client: this.client,
      name,
      isEval,
      readOnly,
      wrote: false,
      killed: false,
      start: performance.now(),
      timedOut: false,
      lastSlice: 0,
      repl: REPL_ALL,
      thread,
      canYield: caller.socket !== null && this.server.callNesting === 1,
      suspended: null,
      aborted: false,
    };
  }
}

/** The EVAL engine: scripts cached by SHA1, KEYS and ARGV as globals. */
export class EvalEngine extends LuaEngine {
  readonly scripts = new Map<string, CachedScript>();
  /** EVAL's body -> SHA1, so that a cached script is not hashed again. */
  private readonly shaOfBody = new Map<string, string>();
  private readonly globals: { readonly: boolean };

  constructor(scripting: Scripting) {
    super(scripting, 'eval');
    const L = this.L;
    lua.lua_pushglobaltable(L);
    this.installRedisApi(L);
    lua.lua_pop(L, 1);
    // Redis's error handler, kept as a global for compatibility (errors are formatted by the engine).
    const handler =
      'local dbg = debug\n' +
      'function __redis__err__handler(err)\n' +
      "  local info = dbg.getinfo(2, 'nSl')\n" +
      "  if info and info.what == 'C' then info = dbg.getinfo(3, 'nSl') end\n" +
      "  if type(err) ~= 'table' then err = {err = 'ERR ' .. tostring(err)} end\n" +
      '  if info then err.source = info.source err.line = info.currentline end\n' +
      '  return err\n' +
      'end\n' +
      'debug = nil\n';
    if (this.compile(handler, '@err_handler') !== null || lua.lua_pcall(L, 0, 0, 0) !== LUA_OK) {
      throw new Error('cannot install the Lua error handler');
    }
    lua.lua_pushglobaltable(L);
    this.setErrorMetatable(L);
    this.protectRecursively(L);
    this.globals = tableObject(L, -1);
    lua.lua_pop(L, 1);
  }

  /**
   * Compiles a script body (with its optional shebang) and caches it.
   * Returns the SHA1, or an error reply text.
   */
  createScript(body: string): { sha: string } | { error: string } {
    let sha = this.shaOfBody.get(body);
    if (sha !== undefined) return { sha };
    sha = sha1hex(body);
    if (this.scripts.has(sha)) return { sha };
    const flags = parseEvalShebang(body);
    if (typeof flags === 'string') return { error: flags };
    let code = body;
    if (flags.shebangLength > 0) code = '--' + body.slice(2);
    const err = this.compile(code, '@user_script');
    if (err !== null) return { error: `ERR Error compiling script (new function): ${err}` };
    const ref = lauxlib.luaL_ref(this.L, LUA_REGISTRYINDEX);
    this.scripts.set(sha, { body, flags: flags.flags, ref });
    this.shaOfBody.set(body, sha);
    return { sha };
  }

  /** Runs a cached script for `caller` (EVAL/EVALSHA and their _RO forms). */
  run(caller: Client, sha: string, script: CachedScript, keys: string[], args: string[], ro: boolean): void {
    const server = this.server;
    const flags = script.flags;
    if (!(flags & SCRIPT_FLAG_EVAL_COMPAT_MODE)) {
      if (!(flags & SCRIPT_FLAG_NO_WRITES)) {
        if (server.isReplica && server.config.getBool('replica-read-only') && caller.kind !== 'master' && caller.socket !== null) {
          caller.error('ERR Can not run script with write flag on readonly replica');
          return;
        }
        if (ro) {
          caller.error('ERR Can not execute a script with write flag using *_ro command.');
          return;
        }
      }
    }
    const readOnly = ro || (!(flags & SCRIPT_FLAG_EVAL_COMPAT_MODE) && (flags & SCRIPT_FLAG_NO_WRITES) !== 0);
    const run = this.newRun(caller, sha, true, readOnly);
    const L = this.L;
    const G = this.globals;
    G.readonly = false;
    lua.lua_pushglobaltable(L);
    pushConst(L, K_KEYS);
    this.pushStringArray(L, keys);
    lua.lua_rawset(L, -3);
    pushConst(L, K_ARGV);
    this.pushStringArray(L, args);
    lua.lua_rawset(L, -3);
    lua.lua_pop(L, 1);
    G.readonly = true;
    this.start(run, (co) => {
      lua.lua_rawgeti(L, LUA_REGISTRYINDEX, script.ref);
      lua.lua_xmove(L, co, 1);
      return 0;
    });
  }
}

/**
 * The array part Lua 5.1 ends up with after t[1..n] = ... into an empty
 * table: the next power of two (creating it at that size is equivalent).
 */
export function arraySizeFor(n: number): number {
  let size = 1;
  while (size < n) size *= 2;
  return n === 0 ? 0 : size;
}

/** Reads an EVAL script's shebang ("#!lua flags=no-writes,allow-oom"): its flags, or an error text. */
export function parseEvalShebang(body: string): { flags: number; shebangLength: number } | string {
  let flags = SCRIPT_FLAG_EVAL_COMPAT_MODE;
  if (!body.startsWith('#!')) return { flags, shebangLength: 0 };
  const end = body.indexOf('\n');
  if (end < 0) return 'ERR Invalid script shebang';
  const parts = splitShebang(body.slice(0, end));
  if (parts === null || parts.length === 0) return 'ERR Invalid engine in script shebang';
  if (parts[0] !== '#!lua') return `ERR Unexpected engine in script shebang: ${parts[0]}`;
  flags &= ~SCRIPT_FLAG_EVAL_COMPAT_MODE;
  for (let j = 1; j < parts.length; j++) {
    const p = parts[j];
    if (!p.startsWith('flags=')) return `ERR Unknown lua shebang option: ${p}`;
    const list = p.slice(6);
    for (const f of list === '' ? [] : list.split(',')) {
      const def = SCRIPT_FLAG_NAMES.find(([name]) => name === f);
      if (def === undefined) return `ERR Unexpected flag in script shebang: ${f}`;
      flags |= def[1];
    }
  }
  return { flags, shebangLength: end };
}

/** sdssplitargs on a shebang line (quotes and escapes as redis-cli). */
export function splitShebang(line: string): string[] | null {
  return splitArgs(line);
}

/** Per-server scripting state: the engines, the running script, the random generator. */
export class Scripting {
  readonly rand = new Rand48();
  current: RunContext | null = null;
  private evalEngine: EvalEngine | null = null;
  /** Libraries and functions (FUNCTION LOAD), set up on first use. */
  functions: import('./functions').FunctionsEngine | null = null;

  constructor(readonly server: Server) {
    server.closeHooks.push(() => {
      const r = this.current;
      if (r !== null && r.suspended !== null) r.aborted = true;
    });
  }

  get eval(): EvalEngine {
    if (this.evalEngine === null) this.evalEngine = new EvalEngine(this);
    return this.evalEngine;
  }

  /** SCRIPT FLUSH: a new Lua state and an empty cache (as Redis's scriptingReset). */
  resetEval(): void {
    this.evalEngine = null;
  }

  /** Number of cached EVAL scripts and an estimate of their memory (INFO). */
  evalStats(): { scripts: number; memory: number } {
    if (this.evalEngine === null) return { scripts: 0, memory: 0 };
    let memory = 0;
    for (const s of this.evalEngine.scripts.values()) memory += s.body.length;
    return { scripts: this.evalEngine.scripts.size, memory };
  }
}

const perServer = new WeakMap<Server, Scripting>();

export function scripting(server: Server): Scripting {
  let s = perServer.get(server);
  if (s === undefined) {
    s = new Scripting(server);
    perServer.set(server, s);
  }
  return s;
}

/**
 * The scripting fields of INFO memory, in Redis's order. Memory sizes are
 * estimates (fengari's heap is not measurable per state): a fresh Lua state
 * counts as Redis's does (31744 / 33792 bytes) plus what the scripts and
 * libraries hold.
 */
export function scriptingInfo(server: Server): Array<[string, number]> {
  const sc = scripting(server);
  const ev = sc.evalStats();
  const vmEval = 31744 + Math.ceil((ev.memory * 2) / 1024) * 1024;
  const scriptsEval = ev.scripts * 128 + ev.memory;
  let functions = 0;
  let fnMemory = 184;
  let libCode = 0;
  if (sc.functions !== null) {
    for (const lib of sc.functions.libraries.values()) {
      functions += lib.functions.size;
      fnMemory += 128 + lib.name.length + lib.code.length + 64 * lib.functions.size;
      libCode += lib.code.length;
    }
  }
  const vmFunctions = 33792 + Math.ceil((libCode * 2) / 1024) * 1024;
  return [
    ['used_memory_lua', vmEval],
    ['used_memory_vm_eval', vmEval],
    ['used_memory_scripts_eval', scriptsEval],
    ['number_of_cached_scripts', ev.scripts],
    ['number_of_functions', functions],
    ['number_of_libraries', sc.functions === null ? 0 : sc.functions.libraries.size],
    ['used_memory_vm_functions', vmFunctions],
    ['used_memory_vm_total', vmEval + vmFunctions],
    ['used_memory_functions', fnMemory],
    ['used_memory_scripts', scriptsEval + fnMemory],
  ];
}
