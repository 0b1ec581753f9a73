/**
 * The slow log (SLOWLOG GET/LEN/RESET) and per-command latency histograms
 * (INFO latencystats). Both are fed by the server's per-command hook with
 * the command's duration; nothing here runs unless a command completes.
 */
import type { Server } from './server';
import type { Client } from './client';
import type { Command } from '../commands/types';

/** Redis keeps at most 32 arguments of a slow command, each cut at 128 bytes. */
const SLOWLOG_ENTRY_MAX_ARGC = 32;
const SLOWLOG_ENTRY_MAX_STRING = 128;

export interface SlowlogEntry {
  id: number;
  time: number;
  duration: number;
  argv: string[];
  peer: string;
  name: string;
}

/**
 * A latency histogram with about two significant digits: values are counted
 * in buckets of 1/128 of their power of two, and percentiles report a
 * bucket's upper bound, as Redis's HDR histograms do.
 */
export class LatencyHistogram {
  private counts = new Map<number, number>();
  total = 0;

  record(usec: number): void {
    const v = Math.max(1, Math.ceil(usec));
    const b = LatencyHistogram.bucket(v);
    this.counts.set(b, (this.counts.get(b) ?? 0) + 1);
    this.total++;
  }

  private static bucket(v: number): number {
    const exp = Math.floor(Math.log2(v));
    if (exp < 7) return v; // exact below 128
    const sub = Math.floor(v / 2 ** (exp - 7)); // 128..255
    return exp * 1000 + sub;
  }

  private static upperBound(b: number): number {
    if (b < 1000) return b;
    const exp = Math.floor(b / 1000);
    const sub = b % 1000;
    return (sub + 1) * 2 ** (exp - 7) - 1;
  }

  /** The value at percentile p (0..100). */
  percentile(p: number): number {
    if (this.total === 0) return 0;
    const rank = Math.max(1, Math.ceil((p / 100) * this.total));
    const keys = [...this.counts.keys()].sort((a, b) => a - b);
    let seen = 0;
    for (const k of keys) {
      seen += this.counts.get(k)!;
      if (seen >= rank) return LatencyHistogram.upperBound(k);
    }
    return LatencyHistogram.upperBound(keys[keys.length - 1]);
  }
}

/** Arguments that must not be shown (passwords): replaced by "(redacted)" as Redis 7 does. */
export function redactArgv(cmd: Command, argv: string[], server: Server): string[] {
  const base = cmd.parent?.name ?? cmd.name;
  if (base === 'auth') return [argv[0], ...argv.slice(1).map(() => '(redacted)')];
  if (base === 'hello') {
    const out = argv.slice();
    for (let i = 2; i < out.length; i++) {
      if (out[i].toLowerCase() === 'auth' && i + 2 < out.length) {
        out[i + 1] = '(redacted)';
        out[i + 2] = '(redacted)';
        i += 2;
      }
    }
    return out;
  }
  if (cmd.fullName === 'config|set') {
    const out = argv.slice();
    for (let i = 2; i + 1 < out.length; i += 2) {
      if (server.config.directive(out[i])?.sensitive) out[i + 1] = '(redacted)';
    }
    return out;
  }
  if (base === 'migrate') {
    const out = argv.slice();
    for (let i = 6; i < out.length; i++) {
      const t = out[i].toLowerCase();
      if (t === 'auth' && i + 1 < out.length) out[++i] = '(redacted)';
      else if (t === 'auth2' && i + 2 < out.length) {
        out[i + 1] = '(redacted)';
        out[i + 2] = '(redacted)';
        i += 2;
      }
    }
    return out;
  }
  return argv;
}

export class SlowLog {
  /** Newest first. */
  entries: SlowlogEntry[] = [];
  private nextId = 0;
  /** Per command (full name) latency histograms for INFO latencystats. */
  readonly latency = new Map<string, LatencyHistogram>();
  private slowerThan: number;
  private maxLen: number;
  private trackLatency: boolean;

  constructor(private readonly server: Server) {
    this.slowerThan = server.config.getInt('slowlog-log-slower-than');
    this.maxLen = server.config.getInt('slowlog-max-len');
    this.trackLatency = server.config.getBool('latency-tracking');
    server.slowlogHook = (c, cmd, argv, usec) => this.onCommand(c, cmd, argv, usec);
  }

  /** Re-reads the directives after CONFIG SET. */
  refreshConfig(): void {
    this.slowerThan = this.server.config.getInt('slowlog-log-slower-than');
    this.maxLen = this.server.config.getInt('slowlog-max-len');
    this.trackLatency = this.server.config.getBool('latency-tracking');
  }

  private onCommand(c: Client, cmd: Command, argv: string[], usec: number): void {
    if (this.trackLatency) {
      let h = this.latency.get(cmd.fullName);
      if (h === undefined) this.latency.set(cmd.fullName, (h = new LatencyHistogram()));
      h.record(usec);
    }
    if (this.slowerThan < 0 || cmd.flags.includes('skip_slowlog') || c.blocked !== null) return;
    const duration = Math.floor(usec);
    if (duration < this.slowerThan) return;
    this.push(c, redactArgv(cmd, argv, this.server), duration);
  }

  push(c: Client, argv: string[], duration: number): void {
    const keep = Math.min(argv.length, SLOWLOG_ENTRY_MAX_ARGC);
    const args: string[] = [];
    for (let i = 0; i < keep; i++) {
      if (keep !== argv.length && i === keep - 1) {
        args.push(`... (${argv.length - SLOWLOG_ENTRY_MAX_ARGC + 1} more arguments)`);
        break;
      }
      const a = argv[i];
      args.push(a.length > SLOWLOG_ENTRY_MAX_STRING ? `${a.slice(0, SLOWLOG_ENTRY_MAX_STRING)}... (${a.length - SLOWLOG_ENTRY_MAX_STRING} more bytes)` : a);
    }
    this.entries.unshift({
      id: this.nextId++,
      time: Math.floor(Date.now() / 1000),
      duration,
      argv: args,
      peer: c.addr,
      name: c.name,
    });
    while (this.entries.length > this.maxLen) this.entries.pop();
  }

  reset(): void {
    this.entries = [];
  }

  resetLatency(): void {
    this.latency.clear();
  }
}
