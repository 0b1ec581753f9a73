/**
 * Logging through pino: Redis-like readable lines on a terminal
 * (`pid:M 22 Nov 2026 01:22:22.123 * message`), JSON lines otherwise
 * (containers, files read by collectors). `loglevel` and `logfile` map onto
 * pino levels and destinations.
 */
import pino from 'pino';

export type RedisLogLevel = 'debug' | 'verbose' | 'notice' | 'warning' | 'nothing';

const PINO_LEVEL: Record<RedisLogLevel, string> = {
  debug: 'trace',
  verbose: 'debug',
  notice: 'info',
  warning: 'warn',
  nothing: 'silent',
};

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** Redis marks each line with the verbosity: . debug, - verbose, * notice, # warning. */
const MARK: Record<number, string> = { 10: '.', 20: '-', 30: '*', 40: '#', 50: '#', 60: '#' };

function redisTimestamp(ms: number): string {
  const d = new Date(ms);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${p(d.getDate())} ${MONTHS[d.getMonth()]} ${d.getFullYear()} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`;
}

export class Logger {
  private pino: pino.Logger;
  private role = 'M';

  constructor(opts: { level?: RedisLogLevel; file?: string; pretty?: boolean } = {}) {
    this.pino = Logger.create(opts);
  }

  private static create(opts: { level?: RedisLogLevel; file?: string; pretty?: boolean }): pino.Logger {
    const level = PINO_LEVEL[opts.level ?? 'notice'];
    const toFile = opts.file !== undefined && opts.file !== '';
    const pretty = opts.pretty ?? (!toFile && process.stdout.isTTY === true);
    const dest = pino.destination({ dest: toFile ? opts.file : 1, sync: true, mkdir: toFile });
    if (pretty) {
      // A Redis-style line, written synchronously so nothing is lost on a crash.
      const pid = process.pid;
      const logger = pino(
        {
          level,
          base: undefined,
          timestamp: false,
          formatters: { level: (_l, n) => ({ level: n }) },
        },
        {
          write: (line: string) => {
            const rec = JSON.parse(line) as { level: number; msg: string; role?: string };
            dest.write(`${pid}:${rec.role ?? 'M'} ${redisTimestamp(Date.now())} ${MARK[rec.level] ?? '*'} ${rec.msg}\n`);
          },
        },
      );
      return logger;
    }
    return pino({ level, base: { pid: process.pid }, timestamp: pino.stdTimeFunctions.isoTime }, dest);
  }

  reconfigure(opts: { level?: RedisLogLevel; file?: string; pretty?: boolean }): void {
    this.pino = Logger.create(opts);
  }

  setLevel(level: RedisLogLevel): void {
    this.pino.level = PINO_LEVEL[level];
  }

  /** Redis's role letter on each line: M primary, S replica, C child, X sentinel. */
  setRole(role: 'M' | 'S'): void {
    this.role = role;
  }

  debug(msg: string): void {
    this.pino.trace({ role: this.role }, msg);
  }
  verbose(msg: string): void {
    this.pino.debug({ role: this.role }, msg);
  }
  notice(msg: string): void {
    this.pino.info({ role: this.role }, msg);
  }
  info(msg: string): void {
    this.pino.info({ role: this.role }, msg);
  }
  warn(msg: string): void {
    this.pino.warn({ role: this.role }, msg);
  }
}
