/**
 * The `redis` table scripts see: redis.call / redis.pcall (commands run by
 * the script's pseudo client with Redis's script checks), error_reply,
 * status_reply, sha1hex, log, setresp, set_repl, and the no-op
 * replicate_commands / breakpoint / debug of Redis 7.
 */
import { createHash } from 'node:crypto';
import type { Server } from '../server/server';
import type { Command } from '../commands/types';
import {
  lua,
  lstr,
  pushString,
  bytesToLatin1,
  setFunc,
  type LuaState,
  LUA_TSTRING,
} from './lua';
import { luaArgsToArgv, pushCommandErrorTable, pushErrorTable, pushReply } from './convert';
import type { RunContext } from './engine';

export const REDIS_VERSION_NUM = 0x07000f;

export const REPL_NONE = 0;
export const REPL_AOF = 1;
export const REPL_REPLICA = 2;
export const REPL_ALL = 3;

/** Where the redis functions find the script being run. */
export interface RedisLibHost {
  readonly server: Server;
  running(): RunContext | null;
}

/** Raises the error table on top of the stack (redis.call's errors are tables). */
function raise(L: LuaState): number {
  return lua.lua_error(L);
}

/** Redis's lookupCommand for a script: a container with an unknown subcommand is unknown. */
export function lookupScriptCommand(server: Server, argv: string[]): Command | undefined {
  const base = server.commands.lookup(argv[0]);
  if (base === undefined || base.subcommandMap === undefined || argv.length === 1) return base;
  return base.subcommandMap.get(argv[1].toLowerCase());
}

/**
 * Runs a command for the script (scriptCall): Redis's checks, then the
 * command through the server's call path. Returns an error text (to become
 * an error table) or null, with the reply in the script client's output.
 */
function scriptCall(host: RedisLibHost, run: RunContext, argv: string[]): string | null {
  const server = host.server;
  const cmd = lookupScriptCommand(server, argv);
  if (cmd === undefined) return 'Unknown Redis command called from script';
  const arity = cmd.arity;
  if ((arity > 0 && argv.length !== arity) || argv.length < -arity) return 'Wrong number of args calling Redis command from script';
  if (cmd.flags.includes('noscript')) return 'This Redis command is not allowed from script';
  if (cmd.isWrite) {
    if (run.readOnly) return 'Write commands are not allowed from read-only scripts.';
    if (
      server.isReplica &&
      server.config.getBool('replica-read-only') &&
      run.caller.kind !== 'master' &&
      run.caller.socket !== null
    ) {
      return "-READONLY You can't write against a read only replica.";
    }
    run.wrote = true;
  }
  const c = run.client;
  // redis.set_repl(redis.REPL_NONE): the command's writes are not propagated. The server's
  // targets (AOF, replicas) are not told apart, so REPL_AOF and REPL_REPLICA propagate to all.
  const muted = run.repl === REPL_NONE;
  if (muted) server.propagationMuted++;
  try {
    server.call(c, cmd, argv);
  } finally {
    if (muted) server.propagationMuted--;
  }
  return null;
}

function genericCommand(host: RedisLibHost, L: LuaState, raiseError: boolean): number {
  const run = host.running();
  if (run === null) {
    pushErrorTable(L, 'redis.call/pcall can only be called inside a script invocation');
    return raise(L);
  }
  const argc = lua.lua_gettop(L);
  if (argc === 0) {
    pushErrorTable(L, 'Please specify at least one argument for this redis lib call');
    return raiseError ? raise(L) : 1;
  }
  const argv = luaArgsToArgv(L, argc);
  lua.lua_pop(L, argc);
  if (argv === null) {
    pushErrorTable(L, 'Lua redis lib command arguments must be strings or integers');
    return raiseError ? raise(L) : 1;
  }
  const err = scriptCall(host, run, argv);
  if (err !== null) {
    pushCommandErrorTable(L, err);
    return raiseError ? raise(L) : 1;
  }
  const reply = run.client.take();
  lua.lua_checkstack(L, 4);
  pushReply(L, reply, 0);
  if (raiseError && reply.charCodeAt(0) === 45) return raise(L);
  return 1;
}

function singleFieldTable(L: LuaState, field: string): number {
  if (lua.lua_gettop(L) !== 1 || lua.lua_type(L, -1) !== LUA_TSTRING) {
    pushErrorTable(L, 'wrong number or type of arguments');
    return 1;
  }
  lua.lua_createtable(L, 0, 0);
  lua.lua_pushstring(L, lstr(field));
  lua.lua_pushvalue(L, -3);
  lua.lua_settable(L, -3);
  return 1;
}

export function sha1hex(s: string): string {
  return createHash('sha1').update(s, 'latin1').digest('hex');
}

/** Fills the table at the top of the stack with the logging part of the API (also available to function libraries at load). */
export function registerLog(host: RedisLibHost, L: LuaState): void {
  setFunc(L, -1, 'log', (L1: LuaState) => {
    const argc = lua.lua_gettop(L1);
    if (argc < 2) {
      pushErrorTable(L1, 'redis.log() requires two arguments or more.');
      return raise(L1);
    }
    if (!lua.lua_isnumber(L1, 1)) {
      pushErrorTable(L1, 'First argument must be a number (log level).');
      return raise(L1);
    }
    const level = Math.trunc(lua.lua_tonumber(L1, 1));
    if (!(level >= 0 && level <= 3)) {
      pushErrorTable(L1, 'Invalid debug level.');
      return raise(L1);
    }
    let msg = '';
    for (let j = 2; j <= argc; j++) {
      const t = lua.lua_type(L1, j);
      if (t !== LUA_TSTRING && !lua.lua_isnumber(L1, j)) continue;
      const s = bytesToLatin1(lua.lua_tolstring(L1, j));
      if (j !== 2) msg += ' ';
      msg += s;
    }
    const log = host.server.log;
    if (level === 0) log.debug(msg);
    else if (level === 1) log.verbose(msg);
    else if (level === 2) log.notice(msg);
    else log.warn(msg);
    return 0;
  });
  const levels: Array<[string, number]> = [
    ['LOG_DEBUG', 0],
    ['LOG_VERBOSE', 1],
    ['LOG_NOTICE', 2],
    ['LOG_WARNING', 3],
  ];
  for (const [k, v] of levels) {
    lua.lua_pushnumber(L, v);
    lua.lua_setfield(L, -2, lstr(k));
  }
}

export function registerVersion(L: LuaState, version: string): void {
  lua.lua_pushnumber(L, REDIS_VERSION_NUM);
  lua.lua_setfield(L, -2, lstr('REDIS_VERSION_NUM'));
  pushString(L, version);
  lua.lua_setfield(L, -2, lstr('REDIS_VERSION'));
}

/** Creates the `redis` table of the runtime API and leaves it on the stack. */
export function pushRedisApi(host: RedisLibHost, L: LuaState, version: string): void {
  lua.lua_createtable(L, 0, 0);
  setFunc(L, -1, 'call', (L1: LuaState) => genericCommand(host, L1, true));
  setFunc(L, -1, 'pcall', (L1: LuaState) => genericCommand(host, L1, false));
  registerLog(host, L);
  registerVersion(L, version);
  setFunc(L, -1, 'setresp', (L1: LuaState) => {
    const run = host.running();
    if (run === null) {
      pushErrorTable(L1, 'redis.setresp can only be called inside a script invocation');
      return raise(L1);
    }
    if (lua.lua_gettop(L1) !== 1) {
      pushErrorTable(L1, 'redis.setresp() requires one argument.');
      return raise(L1);
    }
    const resp = Math.trunc(lua.lua_tonumber(L1, -1));
    if (resp !== 2 && resp !== 3) {
      pushErrorTable(L1, 'RESP version must be 2 or 3.');
      return raise(L1);
    }
    run.client.resp = resp;
    return 0;
  });
  setFunc(L, -1, 'sha1hex', (L1: LuaState) => {
    if (lua.lua_gettop(L1) !== 1) {
      pushErrorTable(L1, 'wrong number of arguments');
      return raise(L1);
    }
    const u8: Uint8Array | null = lua.lua_tolstring(L1, 1);
    pushString(L1, sha1hex(u8 === null ? '' : bytesToLatin1(u8)));
    return 1;
  });
  setFunc(L, -1, 'error_reply', (L1: LuaState) => {
    if (lua.lua_gettop(L1) !== 1 || lua.lua_type(L1, -1) !== LUA_TSTRING) {
      pushErrorTable(L1, 'wrong number or type of arguments');
      return 1;
    }
    const err = bytesToLatin1(lua.lua_tolstring(L1, -1));
    pushErrorTable(L1, err.charCodeAt(0) === 45 ? err : '-' + err);
    return 1;
  });
  setFunc(L, -1, 'status_reply', (L1: LuaState) => singleFieldTable(L1, 'ok'));
  setFunc(L, -1, 'set_repl', (L1: LuaState) => {
    const run = host.running();
    if (run === null) {
      pushErrorTable(L1, 'redis.set_repl can only be called inside a script invocation');
      return raise(L1);
    }
    if (lua.lua_gettop(L1) !== 1) {
      pushErrorTable(L1, 'redis.set_repl() requires two arguments.');
      return raise(L1);
    }
    const flags = Number(BigInt.asIntN(32, BigInt(Math.trunc(lua.lua_tonumber(L1, -1)) || 0)));
    if ((flags & ~(REPL_AOF | REPL_REPLICA)) !== 0) {
      pushErrorTable(L1, 'Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE.');
      return raise(L1);
    }
    run.repl = flags;
    return 0;
  });
  const repl: Array<[string, number]> = [
    ['REPL_NONE', REPL_NONE],
    ['REPL_AOF', REPL_AOF],
    ['REPL_SLAVE', REPL_REPLICA],
    ['REPL_REPLICA', REPL_REPLICA],
    ['REPL_ALL', REPL_ALL],
  ];
  for (const [k, v] of repl) {
    lua.lua_pushnumber(L, v);
    lua.lua_setfield(L, -2, lstr(k));
  }
  setFunc(L, -1, 'acl_check_cmd', (L1: LuaState) => {
    const run = host.running();
    if (run === null) {
      pushErrorTable(L1, 'redis.acl_check_cmd can only be called inside a script invocation');
      return raise(L1);
    }
    const argc = lua.lua_gettop(L1);
    if (argc === 0) {
      pushErrorTable(L1, 'Please specify at least one argument for this redis lib call');
      return raise(L1);
    }
    const argv = luaArgsToArgv(L1, argc);
    lua.lua_pop(L1, argc);
    if (argv === null) {
      pushErrorTable(L1, 'Lua redis lib command arguments must be strings or integers');
      return raise(L1);
    }
    if (lookupScriptCommand(host.server, argv) === undefined) {
      pushErrorTable(L1, 'Invalid command passed to redis.acl_check_cmd()');
      return raise(L1);
    }
    lua.lua_pushboolean(L1, 1);
    return 1;
  });
  setFunc(L, -1, 'breakpoint', (L1: LuaState) => {
    lua.lua_pushboolean(L1, 0);
    return 1;
  });
  setFunc(L, -1, 'debug', () => 0);
  setFunc(L, -1, 'replicate_commands', (L1: LuaState) => {
    lua.lua_pushboolean(L1, 1);
    return 1;
  });
}
