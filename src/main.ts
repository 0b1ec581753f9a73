/**
 * tsredis-server: redis-server's command line.
 *   tsredis-server [/path/to/redis.conf] [--directive value ...] [-]
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import { Config, ConfigError, argvToConfigText, errnoText } from './config/config';
import { Server, REDIS_VERSION, TSREDIS_VERSION } from './server/server';
import { Logger, type RedisLogLevel } from './server/log';

const USAGE = `Usage: ./tsredis-server [/path/to/redis.conf] [options] [-]
       ./tsredis-server - (read config from stdin)
       ./tsredis-server -v or --version
       ./tsredis-server -h or --help

Examples:
       ./tsredis-server (run the server with default conf)
       echo 'maxmemory 128mb' | ./tsredis-server -
       ./tsredis-server /etc/redis/6379.conf
       ./tsredis-server --port 7777
       ./tsredis-server --port 7777 --replicaof 127.0.0.1 8888
       ./tsredis-server /etc/myredis.conf --loglevel verbose -
       ./tsredis-server /etc/myredis.conf --loglevel verbose
`;

/** The line `--version` prints: Redis's format (tools parse `v=`), plus tsredis's own version. */
export function versionLine(): string {
  return `Redis server v=${REDIS_VERSION} sha=00000000:0 malloc=libc bits=64 build=0000000000000000 tsredis=${TSREDIS_VERSION} node=${process.version}`;
}

/** Redis-style line for messages printed before the logger exists (`pid:C date # msg`). */
function earlyLog(msg: string): void {
  const d = new Date();
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const ts = `${p(d.getDate())} ${months[d.getMonth()]} ${d.getFullYear()} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`;
  process.stdout.write(`${process.pid}:C ${ts} # ${msg}\n`);
}

export interface MainOptions {
  /** Exit the process on fatal errors and shutdown (false in tests). */
  exit?: boolean;
}

/** Reads the configuration as redis-server does; exits with Redis's messages on errors. */
export function loadConfig(args: string[], fail: (msg: string, toStdout?: boolean) => never): Config {
  const config = new Config();
  const { file, stdin, text } = argvToConfigText(args);
  let fileText = '';
  if (file !== null) {
    try {
      fileText = fs.readFileSync(file, 'latin1');
    } catch (err) {
      fail(`Fatal error, can't open config file '${file}': ${errnoText(err)}`, true);
    }
    config.configFile = path.resolve(file);
  }
  if (stdin) {
    earlyLog('Reading config from stdin');
    fileText += fs.readFileSync(0, 'latin1');
  }
  try {
    config.load(fileText + '\n' + text, REDIS_VERSION);
  } catch (err) {
    if (err instanceof ConfigError) fail(err.message, err.message.startsWith('Fatal error'));
    throw err;
  }
  return config;
}

export async function main(args: string[], opts: MainOptions = {}): Promise<Server | null> {
  const exit = opts.exit ?? true;
  const die = (msg: string, toStdout = false): never => {
    if (toStdout) earlyLog(msg);
    else process.stderr.write(msg + '\n');
    if (exit) process.exit(1);
    throw new Error(msg);
  };
  if (args[0] === '-v' || args[0] === '--version') {
    process.stdout.write(versionLine() + '\n');
    return null;
  }
  if (args[0] === '-h' || args[0] === '--help') {
    process.stderr.write(USAGE);
    if (exit) process.exit(1);
    return null;
  }
  if (args[0] === '--test-memory' || args[0] === '--check-system') {
    die(`${args[0]} is not supported by tsredis`);
  }
  const config = loadConfig(args, die);

  // daemonize: run again detached, without a terminal, and let this process go.
  if (config.getBool('daemonize') && process.env.TSREDIS_DAEMONIZED !== '1' && exit) {
    const child = spawn(process.execPath, [...process.execArgv, process.argv[1], ...args], {
      detached: true,
      stdio: 'ignore',
      env: { ...process.env, TSREDIS_DAEMONIZED: '1' },
      cwd: process.cwd(),
    });
    child.unref();
    process.exit(0);
  }

  const daemonized = process.env.TSREDIS_DAEMONIZED === '1';
  const logfile = config.get('logfile');
  if (logfile !== '') {
    try {
      fs.appendFileSync(logfile, '');
    } catch (err) {
      die(`Can't open the log file: ${errnoText(err)}`);
    }
  }
  const log = new Logger({
    level: config.get('loglevel') as RedisLogLevel,
    // A daemon without a log file logs nowhere, as Redis sends it to /dev/null.
    file: logfile !== '' ? logfile : daemonized ? '/dev/null' : undefined,
  });
  log.warn('oO0OoO0OoO0Oo tsredis is starting oO0OoO0OoO0Oo');
  log.warn(`tsredis version=${TSREDIS_VERSION} (Redis ${REDIS_VERSION} compatible), bits=64, node=${process.version}, pid=${process.pid}, just started`);
  if (config.configFile === null) {
    log.warn('Warning: no config file specified, using the default config. In order to specify a config file use tsredis-server /path/to/redis.conf');
  } else {
    log.warn('Configuration loaded');
  }
  if (config.get('bind') === '' && config.get('unixsocket') === '') {
    log.warn('Configured to not listen anywhere, exiting.');
    if (exit) process.exit(1);
    return null;
  }

  const server = new Server(config, log);
  for (const [from, to, line, text] of config.renamedCommands) {
    const r = server.commands.rename(from, to);
    if (r !== 'ok') {
      const why = r === 'nosuch' ? 'No such command in rename-command' : 'Target command name already exists';
      die(`\n*** FATAL CONFIG FILE ERROR (Redis ${REDIS_VERSION}) ***\nReading the configuration file, at line ${line}\n>>> '${text}'\n${why}`);
    }
  }
  // Redis chdirs to `dir`; relative file names (dbfilename, appenddirname) resolve there.
  try {
    process.chdir(config.get('dir'));
  } catch (err) {
    die(`Can't chdir to '${config.get('dir')}': ${errnoText(err)}`);
  }

  let port: number;
  try {
    port = await server.listen();
  } catch (err) {
    log.warn((err as Error).message);
    if (exit) process.exit(1);
    throw err;
  }
  log.notice(`Running mode=standalone, port=${port}.`);

  const pidfile = config.get('pidfile') !== '' ? config.get('pidfile') : daemonized ? '/var/run/redis_6379.pid' : '';
  if (pidfile !== '') {
    try {
      fs.writeFileSync(pidfile, `${process.pid}\n`);
    } catch (err) {
      log.warn(`Failed to write PID file: ${errnoText(err)}`);
    }
  }
  const removePidfile = () => {
    if (pidfile === '') return;
    try {
      fs.unlinkSync(pidfile);
    } catch {
      // already gone
    }
  };

  log.notice('Server initialized');
  log.notice('Ready to accept connections');

  server.onShutdown = () => {
    removePidfile();
    if (exit) setImmediate(() => process.exit(0));
  };

  let signalled = false;
  const onSignal = (sig: 'SIGINT' | 'SIGTERM') => {
    if (signalled) {
      // A second signal while shutting down: give up at once.
      log.warn('You insist... exiting now.');
      removePidfile();
      if (exit) process.exit(1);
      return;
    }
    signalled = true;
    log.warn(`Received ${sig} scheduling shutdown...`);
    const flags = config.get(sig === 'SIGINT' ? 'shutdown-on-sigint' : 'shutdown-on-sigterm').split(' ');
    const shutdownOpts: { save?: boolean; force?: boolean; now?: boolean } = { force: flags.includes('force') };
    if (flags.includes('save')) shutdownOpts.save = true;
    if (flags.includes('nosave')) shutdownOpts.save = false;
    setImmediate(() => {
      const err = server.shutdown(shutdownOpts);
      if (err !== null) {
        log.warn(`SIGTERM received but errors trying to shut down the server, check the logs for more information`);
        signalled = false;
      }
    });
  };
  if (exit) {
    process.on('SIGTERM', () => onSignal('SIGTERM'));
    process.on('SIGINT', () => onSignal('SIGINT'));
  }
  return server;
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((err) => {
    process.stderr.write(String((err as Error).stack) + '\n');
    process.exit(1);
  });
}
