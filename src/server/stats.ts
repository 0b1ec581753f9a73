/** Counters behind INFO stats, errorstats and commandstats. */
export class Stats {
  totalCommands = 0;
  totalConnections = 0;
  rejectedConnections = 0;
  expiredKeys = 0;
  expiredStaleKeys = 0;
  evictedKeys = 0;
  evictedClients = 0;
  keyspaceHits = 0;
  keyspaceMisses = 0;
  netInputBytes = 0;
  netOutputBytes = 0;
  totalErrorReplies = 0;
  unexpectedErrorReplies = 0;
  pubsubChannelsPublished = 0;
  /** Error replies by code (the first word: ERR, WRONGTYPE, ...). */
  errors = new Map<string, number>();
  /** Recent ops/sec samples (one per cron tick) for instantaneous_ops_per_sec. */
  private opsSamples: number[] = [];
  private inSamples: number[] = [];
  private outSamples: number[] = [];
  private lastSample = { time: Date.now(), ops: 0, inBytes: 0, outBytes: 0 };

  recordError(msg: string): void {
    this.totalErrorReplies++;
    const sp = msg.indexOf(' ');
    const code = sp < 0 ? msg : msg.slice(0, sp);
    // Redis keeps at most 128 distinct error codes; past that it stops tracking new ones.
    if (this.errors.has(code) || this.errors.size < 128) this.errors.set(code, (this.errors.get(code) ?? 0) + 1);
  }

  /** Called from the cron: records the rates of the last interval. */
  sample(now: number): void {
    const dt = now - this.lastSample.time;
    if (dt <= 0) return;
    const push = (arr: number[], v: number) => {
      arr.push(v);
      if (arr.length > 16) arr.shift();
    };
    push(this.opsSamples, ((this.totalCommands - this.lastSample.ops) * 1000) / dt);
    push(this.inSamples, ((this.netInputBytes - this.lastSample.inBytes) * 1000) / dt / 1024);
    push(this.outSamples, ((this.netOutputBytes - this.lastSample.outBytes) * 1000) / dt / 1024);
    this.lastSample = { time: now, ops: this.totalCommands, inBytes: this.netInputBytes, outBytes: this.netOutputBytes };
  }

  private static avg(arr: number[]): number {
    return arr.length === 0 ? 0 : arr.reduce((a, b) => a + b, 0) / arr.length;
  }

  get instantaneousOps(): number {
    return Math.round(Stats.avg(this.opsSamples));
  }
  get instantaneousInputKbps(): number {
    return Stats.avg(this.inSamples);
  }
  get instantaneousOutputKbps(): number {
    return Stats.avg(this.outSamples);
  }

  reset(): void {
    const fresh = new Stats();
    Object.assign(this, fresh);
  }
}
