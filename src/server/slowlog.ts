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

/** Where a command keeps its latency histogram. */
const HISTOGRAM = Symbol('latencyHistogram');

export interface SlowlogEntry {
  id: number;
  time: number;
  duration: number;
  argv: string[];
  peer: string;
  name: string;
}

/** Sub-buckets per power of two: values are kept to about 1.5% (Redis's HDR histograms keep 2 digits). */
const SUB_BITS = 6;
const SUB = 1 << SUB_BITS;

/**
 * A per-command latency histogram: microsecond values counted in buckets of
 * 1/64 of their power of two, in a flat typed array (recording is an index
 * computation and an increment: it runs for every command). Percentiles
 * report a bucket's upper bound, as Redis's HDR histograms do.
 */
export class LatencyHistogram {
  private counts = new Uint32Array(32 * SUB);
  total = 0;

  record(usec: number): void {
    let v = usec >= 1 ? Math.ceil(usec) : 1;
    if (v > 0x7fffffff) v = 0x7fffffff;
    this.counts[LatencyHistogram.bucket(v)]++;
    this.total++;
  }

  private static bucket(v: number): number {
    const exp = 31 - Math.clz32(v);
    if (exp < SUB_BITS) return v; // exact below 64
    return (exp - SUB_BITS + 1) * SUB + ((v >>> (exp - SUB_BITS)) - SUB);
  }

  private static upperBound(b: number): number {
    if (b < SUB) return b;
    const exp = Math.floor(b / SUB) + SUB_BITS - 1;
    const sub = (b % SUB) + SUB;
    return (sub + 1) * 2 ** (exp - SUB_BITS) - 1;
  }

  /** The value at percentile p (0..100). */
  percentile(p: number): number {
    if (this.total === 0) return 0;
    const rank = Math.max(1, Math.ceil((p / 100) * this.total));
    let seen = 0;
    let last = 0;
    for (let b = 0; b < this.counts.length; b++) {
      const n = this.counts[b];
      if (n === 0) continue;
      seen += n;
      last = b;
      if (seen >= rank) return LatencyHistogram.upperBound(b);
    }
    return LatencyHistogram.upperBound(last);
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
      // Kept on the command object itself: no map lookup on the hot path.
      const holder = cmd as Command & { [HISTOGRAM]?: LatencyHistogram };
      let h = holder[HISTOGRAM];
      if (h === undefined) {
        h = new LatencyHistogram();
        holder[HISTOGRAM] = h;
        this.latency.set(cmd.fullName, h);
      }
      h.record(usec);
    }
    if (this.slowerThan < 0 || usec < this.slowerThan) return;
    if (cmd.flags.includes('skip_slowlog') || c.blocked !== null) return;
    this.push(c, redactArgv(cmd, argv, this.server), Math.floor(usec));
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
    for (const command of this.server.commands.everything()) delete (command as Command & { [HISTOGRAM]?: LatencyHistogram })[HISTOGRAM];
    this.latency.clear();
  }
}
