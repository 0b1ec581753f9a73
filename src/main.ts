/**
 * tsredis-server: redis-server's command line.
 *   tsredis-server [/path/to/redis.conf] [--directive value ...]
 */
import * as fs from 'node:fs';
import { Config, ConfigError, argvToConfigText } from './config/config';
import { Server, REDIS_VERSION, TSREDIS_VERSION } from './server/server';
import { Logger, type RedisLogLevel } from './server/log';

const USAGE = `Usage: ./tsredis-server [/path/to/redis.conf] [options] [-]
       ./tsredis-server - (read config from stdin)
       ./tsredis-server -v or --version
       ./tsredis-server -h or --help

Examples:
       ./tsredis-server (run the server with default conf)
       ./tsredis-server /etc/redis/6379.conf
       ./tsredis-server --port 7777
       ./tsredis-server --port 7777 --replicaof 127.0.0.1 8888
       ./tsredis-server /etc/myredis.conf --loglevel verbose
`;

export async function main(args: string[]): Promise<Server | null> {
  if (args[0] === '-v' || args[0] === '--version') {
    process.stdout.write(`Redis server v=${REDIS_VERSION} tsredis=${TSREDIS_VERSION} bits=64 node=${process.version}\n`);
    return null;
  }
  if (args[0] === '-h' || args[0] === '--help') {
    process.stdout.write(USAGE);
    return null;
  }
  const config = new Config();
  const { file, text } = argvToConfigText(args);
  try {
    let fileText = '';
    if (file === '-') fileText = fs.readFileSync(0, 'utf8');
    else if (file !== null) {
      try {
        fileText = fs.readFileSync(file, 'utf8');
      } catch (err) {
        process.stderr.write(`Fatal error, can't open config file '${file}': ${(err as Error).message}\n`);
        process.exit(1);
      }
      config.configFile = fs.realpathSync(file);
    }
    config.load(fileText + '\n' + text, REDIS_VERSION);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(err.message + '\n');
      process.exit(1);
    }
    throw err;
  }
  const dir = config.get('dir');
  if (dir !== '') {
    try {
      process.chdir(dir);
    } catch (err) {
      process.stderr.write(`Can't chdir to '${dir}': ${(err as Error).message}\n`);
      process.exit(1);
    }
  }
  const log = new Logger({ level: config.get('loglevel') as RedisLogLevel, file: config.get('logfile') });
  const server = new Server(config, log);
  log.warn(`tsredis ${TSREDIS_VERSION} (Redis ${REDIS_VERSION} compatible) starting, pid=${process.pid}`);
  if (file === null) log.warn('Warning: no config file specified, using the default config. In order to specify a config file use tsredis-server /path/to/redis.conf');
  try {
    const port = await server.listen();
    log.notice(`Ready to accept connections tcp on port ${port}`);
  } catch (err) {
    log.warn((err as Error).message);
    process.exit(1);
  }
  server.onShutdown = () => {
    setImmediate(() => process.exit(0));
  };
  const onSignal = (sig: string) => {
    log.warn(`Received ${sig} scheduling shutdown...`);
    const err = server.shutdown({});
    if (err !== null) log.warn(err);
  };
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  process.on('SIGINT', () => onSignal('SIGINT'));
  return server;
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((err) => {
    process.stderr.write(String((err as Error).stack) + '\n');
    process.exit(1);
  });
}
