/**
 * Scripting commands (eval.c, functions.c): EVAL, EVALSHA, EVAL_RO,
 * EVALSHA_RO, SCRIPT, FUNCTION, FCALL, FCALL_RO. The Lua engine lives in
 * src/scripting.
 */
import { cmd, type CommandSpec } from './types';
import { E } from './errors';
import type { Client } from '../server/client';
import { parseInt64 } from '../util/numbers';
import { globMatch } from '../util/glob';
import { scripting } from '../scripting/engine';
import { functionsEngine } from '../scripting/functions';
import { dumpLibraries, restoreLibraries } from '../scripting/dump';

/** Parses numkeys: the keys and arguments that follow, or null after replying an error. */
function keysAndArgs(c: Client, argv: string[], badNumber: string): { keys: string[]; args: string[] } | null {
  const n = parseInt64(argv[2]);
  if (n === null) {
    c.error(badNumber);
    return null;
  }
  if (n > argv.length - 3) {
    c.error('ERR Number of keys can\'t be greater than number of args');
    return null;
  }
  if (n < 0) {
    c.error('ERR Number of keys can\'t be negative');
    return null;
  }
  const k = Number(n);
  return { keys: argv.slice(3, 3 + k), args: argv.slice(3 + k) };
}

/** The keys of EVAL / FCALL: the numkeys arguments after numkeys (none if numkeys is invalid). */
function scriptKeys(argv: string[]): number[] {
  const n = argv.length > 2 ? parseInt64(argv[2]) : null;
  if (n === null || n < 0 || n > argv.length - 3) return [];
  const out: number[] = [];
  for (let i = 0; i < Number(n); i++) out.push(3 + i);
  return out;
}

function evalGeneric(c: Client, argv: string[], isSha: boolean, ro: boolean): void {
  const ka = keysAndArgs(c, argv, E.NOT_INTEGER);
  if (ka === null) return;
  const server = c.server;
  // The script's writes propagate themselves (effects replication); EVAL does not.
  server.preventSelfPropagation();
  const engine = scripting(server).eval;
  let sha: string;
  if (isSha) {
    sha = argv[1].length === 40 ? argv[1].toLowerCase() : '';
  } else {
    const r = engine.createScript(argv[1]);
    if ('error' in r) return c.error(r.error);
    sha = r.sha;
  }
  const script = engine.scripts.get(sha);
  if (script === undefined) return c.error('NOSCRIPT No matching script. Please use EVAL.');
  engine.run(c, sha, script, ka.keys, ka.args, ro);
}

function fcallGeneric(c: Client, argv: string[], ro: boolean): void {
  const sc = scripting(c.server);
  const fe = functionsEngine(sc);
  const fn = fe.functions.get(argv[1].toLowerCase());
  if (fn === undefined) return c.error('ERR Function not found');
  const ka = keysAndArgs(c, argv, 'ERR Bad number of keys provided');
  if (ka === null) return;
  c.server.preventSelfPropagation();
  fe.call(c, fn, ka.keys, ka.args, ro, argv);
}

/** SCRIPT KILL / FUNCTION KILL (scriptKill). */
function killScript(c: Client, isEval: boolean): void {
  const run = scripting(c.server).current;
  if (run === null || run.suspended === null) return c.error('NOTBUSY No scripts in execution right now.');
  if (run.caller.kind === 'master') {
    return c.error('UNKILLABLE The busy script was sent by a master instance in the context of replication and cannot be killed.');
  }
  if (run.wrote) {
    return c.error(
      'UNKILLABLE Sorry the script already executed write commands against the dataset. ' +
        'You can either wait the script termination or kill the server in a hard way using the SHUTDOWN NOSAVE command.',
    );
  }
  if (isEval && !run.isEval) return c.error('BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.');
  if (!isEval && run.isEval) return c.error('BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.');
  run.killed = true;
  c.ok();
}

function helpReply(c: Client, lines: string[]): void {
  c.arrayHeader(lines.length);
  for (const l of lines) c.status(l);
}

const SCRIPT_HELP = [
  'SCRIPT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'DEBUG (YES|SYNC|NO)',
  '    Set the debug mode for subsequent scripts executed.',
  'EXISTS <sha1> [<sha1> ...]',
  '    Return information about the existence of the scripts in the script cache.',
  'FLUSH [ASYNC|SYNC]',
  '    Flush the Lua scripts cache. Very dangerous on replicas.',
  '    When called without the optional mode argument, the behavior is determined by the',
  '    lazyfree-lazy-user-flush configuration directive. Valid modes are:',
  '    * ASYNC: Asynchronously flush the scripts cache.',
  '    * SYNC: Synchronously flush the scripts cache.',
  'KILL',
  '    Kill the currently executing Lua script.',
  'LOAD <script>',
  '    Load a script into the scripts cache without executing it.',
  'HELP',
  '    Prints this help.',
];

const FUNCTION_HELP = [
  'FUNCTION <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'LOAD [REPLACE] <FUNCTION CODE>',
  '    Create a new library with the given library name and code.',
  'DELETE <LIBRARY NAME>',
  '    Delete the given library.',
  'LIST [LIBRARYNAME PATTERN] [WITHCODE]',
  '    Return general information on all the libraries:',
  '    * Library name',
  '    * The engine used to run the Library',
  '    * Library description',
  '    * Functions list',
  '    * Library code (if WITHCODE is given)',
  '    It also possible to get only function that matches a pattern using LIBRARYNAME argument.',
  'STATS',
  '    Return information about the current function running:',
  '    * Function name',
  '    * Command used to run the function',
  '    * Duration in MS that the function is running',
  '    If no function is running, return nil',
  '    In addition, returns a list of available engines.',
  'KILL',
  '    Kill the current running function.',
  'FLUSH [ASYNC|SYNC]',
  '    Delete all the libraries.',
  '    When called without the optional mode argument, the behavior is determined by the',
  '    lazyfree-lazy-user-flush configuration directive. Valid modes are:',
  '    * ASYNC: Asynchronously flush the libraries.',
  '    * SYNC: Synchronously flush the libraries.',
  'DUMP',
  '    Return a serialized payload representing the current libraries, can be restored using FUNCTION RESTORE command',
  'RESTORE <PAYLOAD> [FLUSH|APPEND|REPLACE]',
  '    Restore the libraries represented by the given payload, it is possible to give a restore policy to',
  '    control how to handle existing libraries (default APPEND):',
  '    * FLUSH: delete all existing libraries.',
  '    * APPEND: appends the restored libraries to the existing libraries. On collision, abort.',
  '    * REPLACE: appends the restored libraries to the existing libraries, On collision, replace the old',
  '      libraries with the new libraries (notice that even on this option there is a chance of failure',
  '      in case of functions name collision with another library).',
  'HELP',
  '    Prints this help.',
];

const evalFlags = ['noscript', 'stale', 'skip_monitor', 'no_mandatory_keys', 'movablekeys'] as const;

export const scriptingCommands: CommandSpec[] = [
  cmd({
    name: 'eval',
    arity: -3,
    flags: [...evalFlags],
    categories: ['scripting'],
    group: 'scripting',
    summary: 'Runs a Lua script on the server.',
    since: '2.6.0',
    getKeys: scriptKeys,
    handler: (c, argv) => evalGeneric(c, argv, false, false),
  }),
  cmd({
    name: 'evalsha',
    arity: -3,
    flags: [...evalFlags],
    categories: ['scripting'],
    group: 'scripting',
    summary: 'Runs a Lua script cached on the server, by its SHA1.',
    since: '2.6.0',
    getKeys: scriptKeys,
    handler: (c, argv) => evalGeneric(c, argv, true, false),
  }),
  cmd({
    name: 'eval_ro',
    arity: -3,
    flags: ['readonly', ...evalFlags],
    categories: ['scripting'],
    group: 'scripting',
    summary: 'Runs a read-only Lua script on the server.',
    since: '7.0.0',
    getKeys: scriptKeys,
    handler: (c, argv) => evalGeneric(c, argv, false, true),
  }),
  cmd({
    name: 'evalsha_ro',
    arity: -3,
    flags: ['readonly', ...evalFlags],
    categories: ['scripting'],
    group: 'scripting',
    summary: 'Runs a cached read-only Lua script on the server, by its SHA1.',
    since: '7.0.0',
    getKeys: scriptKeys,
    handler: (c, argv) => evalGeneric(c, argv, true, true),
  }),
  cmd({
    name: 'fcall',
    arity: -3,
    flags: [...evalFlags],
    categories: ['scripting'],
    group: 'scripting',
    summary: 'Calls a function of a library loaded with FUNCTION LOAD.',
    since: '7.0.0',
    getKeys: scriptKeys,
    handler: (c, argv) => fcallGeneric(c, argv, false),
  }),
  cmd({
    name: 'fcall_ro',
    arity: -3,
    flags: ['readonly', ...evalFlags],
    categories: ['scripting'],
    group: 'scripting',
    summary: 'Calls a read-only function of a library loaded with FUNCTION LOAD.',
    since: '7.0.0',
    getKeys: scriptKeys,
    handler: (c, argv) => fcallGeneric(c, argv, true),
  }),
  cmd({
    name: 'script',
    arity: -2,
    flags: [],
    group: 'scripting',
    summary: 'Manages the Lua script cache.',
    since: '2.6.0',
    handler: (c) => c.error(E.SYNTAX),
    subcommands: [
      cmd({
        name: 'debug',
        arity: 3,
        flags: ['noscript'],
        categories: ['scripting'],
        group: 'scripting',
        summary: 'Sets the debug mode of server-side Lua scripts.',
        since: '3.2.0',
        handler(c, argv) {
          if (c.multi !== null) return c.error('ERR SCRIPT DEBUG must be called outside MULTI');
          const mode = argv[2].toLowerCase();
          if (mode === 'no') return c.ok();
          if (mode === 'yes' || mode === 'sync') return c.error('ERR SCRIPT DEBUG (the Lua debugger) is not supported by this server');
          c.error('ERR Use SCRIPT DEBUG YES/SYNC/NO');
        },
      }),
      cmd({
        name: 'exists',
        arity: -3,
        flags: ['noscript'],
        categories: ['scripting'],
        group: 'scripting',
        summary: 'Tells whether scripts are in the script cache.',
        since: '2.6.0',
        tips: ['request_policy:all_shards', 'response_policy:agg_logical_and'],
        handler(c, argv) {
          const scripts = scripting(c.server).eval.scripts;
          c.arrayHeader(argv.length - 2);
          for (let i = 2; i < argv.length; i++) c.int(scripts.has(argv[i].toLowerCase()) ? 1 : 0);
        },
      }),
      cmd({
        name: 'flush',
        arity: -2,
        flags: ['noscript'],
        categories: ['scripting'],
        group: 'scripting',
        summary: 'Removes all scripts from the script cache.',
        since: '2.6.0',
        tips: ['request_policy:all_nodes', 'response_policy:all_succeeded'],
        handler(c, argv) {
          if (argv.length > 3 || (argv.length === 3 && !['sync', 'async'].includes(argv[2].toLowerCase()))) {
            return c.error('ERR SCRIPT FLUSH only support SYNC|ASYNC option');
          }
          scripting(c.server).resetEval();
          c.ok();
        },
      }),
      cmd({
        name: 'help',
        arity: 2,
        flags: ['loading', 'stale'],
        categories: ['scripting'],
        group: 'scripting',
        summary: 'Shows helpful text about the SCRIPT subcommands.',
        since: '5.0.0',
        handler: (c) => helpReply(c, SCRIPT_HELP),
      }),
      cmd({
        name: 'kill',
        arity: 2,
        flags: ['noscript', 'allow_busy'],
        categories: ['scripting'],
        group: 'scripting',
        summary: 'Stops the Lua script being run.',
        since: '2.6.0',
        tips: ['request_policy:all_shards', 'response_policy:one_succeeded'],
        handler: (c) => killScript(c, true),
      }),
      cmd({
        name: 'load',
        arity: 3,
        flags: ['noscript', 'stale'],
        categories: ['scripting'],
        group: 'scripting',
        summary: 'Loads a Lua script into the script cache without running it.',
        since: '2.6.0',
        tips: ['request_policy:all_nodes', 'response_policy:all_succeeded'],
        handler(c, argv) {
          const r = scripting(c.server).eval.createScript(argv[2]);
          if ('error' in r) return c.error(r.error);
          c.bulk(r.sha);
        },
      }),
    ],
  }),
  cmd({
    name: 'function',
    arity: -2,
    flags: [],
    group: 'scripting',
    summary: 'Manages function libraries.',
    since: '7.0.0',
    handler: (c) => c.error(E.SYNTAX),
    subcommands: [
      cmd({
        name: 'delete',
        arity: 3,
        flags: ['write', 'noscript'],
        categories: ['scripting'],
        group: 'scripting',
        summary: 'Deletes a library and its functions.',
        since: '7.0.0',
        tips: ['request_policy:all_shards', 'response_policy:all_succeeded'],
        handler(c, argv) {
          if (!functionsEngine(scripting(c.server)).delete(argv[2])) return c.error('ERR Library not found');
          c.server.dirty++;
          c.ok();
        },
      }),
      cmd({
        name: 'dump',
        arity: 2,
        flags: ['noscript'],
        categories: ['scripting'],
        group: 'scripting',
        summary: 'Dumps all libraries into a serialized payload.',
        since: '7.0.0',
        handler(c) {
          c.bulk(dumpLibraries(functionsEngine(scripting(c.server))));
        },
      }),
      cmd({
        name: 'flush',
        arity: -2,
        flags: ['write', 'noscript'],
        categories: ['scripting'],
        group: 'scripting',
        summary: 'Deletes all libraries and functions.',
        since: '7.0.0',
        tips: ['request_policy:all_shards', 'response_policy:all_succeeded'],
        handler(c, argv) {
          if (argv.length > 3) {
            return c.error(`ERR unknown subcommand or wrong number of arguments for '${argv[1]}'. Try FUNCTION HELP.`);
          }
          if (argv.length === 3 && !['sync', 'async'].includes(argv[2].toLowerCase())) {
            return c.error('ERR FUNCTION FLUSH only supports SYNC|ASYNC option');
          }
          functionsEngine(scripting(c.server)).flush();
          c.server.dirty++;
          c.ok();
        },
      }),
      cmd({
        name: 'help',
        arity: 2,
        flags: ['loading', 'stale'],
        categories: ['scripting'],
        group: 'scripting',
        summary: 'Shows helpful text about the FUNCTION subcommands.',
        since: '7.0.0',
        handler: (c) => helpReply(c, FUNCTION_HELP),
      }),
      cmd({
        name: 'kill',
        arity: 2,
        flags: ['noscript', 'allow_busy'],
        categories: ['scripting'],
        group: 'scripting',
        summary: 'Stops the function being run.',
        since: '7.0.0',
        tips: ['request_policy:all_shards', 'response_policy:one_succeeded'],
        handler: (c) => killScript(c, false),
      }),
      cmd({
        name: 'list',
        arity: -2,
        flags: ['noscript'],
        categories: ['scripting'],
        group: 'scripting',
        summary: 'Lists the libraries and their functions.',
        since: '7.0.0',
        tips: ['nondeterministic_output_order'],
        handler(c, argv) {
          let withCode = false;
          let pattern: string | null = null;
          for (let i = 2; i < argv.length; i++) {
            const a = argv[i];
            if (!withCode && a.toLowerCase() === 'withcode') {
              withCode = true;
              continue;
            }
            if (pattern === null && a.toLowerCase() === 'libraryname') {
              if (i >= argv.length - 1) return c.error('ERR library name argument was not given');
              pattern = argv[++i];
              continue;
            }
            return c.error(`ERR Unknown argument ${a}`);
          }
          const fe = functionsEngine(scripting(c.server));
          const libs = [...fe.libraries.values()].filter((l) => pattern === null || globMatch(pattern, l.name, true));
          c.arrayHeader(libs.length);
          for (const lib of libs) {
            c.mapHeader(withCode ? 4 : 3);
            c.bulk('library_name');
            c.bulk(lib.name);
            c.bulk('engine');
            c.bulk(lib.engine);
            c.bulk('functions');
            c.arrayHeader(lib.functions.size);
            for (const f of lib.functions.values()) {
              c.mapHeader(3);
              c.bulk('name');
              c.bulk(f.name);
              c.bulk('description');
              c.bulkOrNull(f.description);
              c.bulk('flags');
              const names = flagNames(f.flags);
              c.setHeader(names.length);
              for (const n of names) c.status(n);
            }
            if (withCode) {
              c.bulk('library_code');
              c.bulk(lib.code);
            }
          }
        },
      }),
      cmd({
        name: 'load',
        arity: -3,
        flags: ['write', 'denyoom', 'noscript'],
        categories: ['scripting'],
        group: 'scripting',
        summary: 'Creates a library.',
        since: '7.0.0',
        tips: ['request_policy:all_shards', 'response_policy:all_succeeded'],
        handler(c, argv) {
          let replace = false;
          for (let i = 2; i < argv.length - 1; i++) {
            if (argv[i].toLowerCase() === 'replace') replace = true;
            else return c.error(`ERR Unknown option given: ${argv[i]}`);
          }
          const r = functionsEngine(scripting(c.server)).load(argv[argv.length - 1], replace);
          if ('error' in r) return c.error(r.error);
          c.server.dirty++;
          c.bulk(r.name);
        },
      }),
      cmd({
        name: 'restore',
        arity: -3,
        flags: ['write', 'denyoom', 'noscript'],
        categories: ['scripting'],
        group: 'scripting',
        summary: 'Restores libraries from a payload made by FUNCTION DUMP.',
        since: '7.0.0',
        tips: ['request_policy:all_shards', 'response_policy:all_succeeded'],
        handler(c, argv) {
          if (argv.length > 4) {
            return c.error(`ERR unknown subcommand or wrong number of arguments for '${argv[1]}'. Try FUNCTION HELP.`);
          }
          let policy: 'append' | 'replace' | 'flush' = 'append';
          if (argv.length === 4) {
            const p = argv[3].toLowerCase();
            if (p !== 'append' && p !== 'replace' && p !== 'flush') {
              return c.error('ERR Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.');
            }
            policy = p;
          }
          const err = restoreLibraries(functionsEngine(scripting(c.server)), argv[2], policy);
          if (err !== null) return c.error(err);
          c.server.dirty++;
          c.ok();
        },
      }),
      cmd({
        name: 'stats',
        arity: 2,
        flags: ['noscript', 'allow_busy'],
        categories: ['scripting'],
        group: 'scripting',
        summary: 'Returns information about the function being run.',
        since: '7.0.0',
        tips: ['nondeterministic_output', 'request_policy:all_shards', 'response_policy:special'],
        handler(c) {
          const sc = scripting(c.server);
          if (sc.current !== null && sc.current.isEval) {
            return c.error('BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.');
          }
          const fe = functionsEngine(sc);
          c.mapHeader(2);
          c.bulk('running_script');
          const run = sc.current;
          if (run === null || run.isEval) c.nullBulk();
          else {
            c.mapHeader(3);
            c.bulk('name');
            c.bulk(run.name);
            c.bulk('command');
            c.bulkArray(run.argv ?? []);
            c.bulk('duration_ms');
            c.int(Math.floor(performance.now() - run.start));
          }
          c.bulk('engines');
          c.mapHeader(1);
          c.bulk('LUA');
          c.mapHeader(2);
          c.bulk('libraries_count');
          c.int(fe.libraries.size);
          c.bulk('functions_count');
          c.int(fe.functions.size);
        },
      }),
    ],
  }),
];

function flagNames(flags: number): string[] {
  const out: string[] = [];
  for (const [name, bit] of [
    ['no-writes', 1],
    ['allow-oom', 2],
    ['allow-stale', 4],
    ['no-cluster', 8],
    ['allow-cross-slot-keys', 32],
  ] as Array<[string, number]>) {
    if (flags & bit) out.push(name);
  }
  return out;
}
