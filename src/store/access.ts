/**
 * Per-key access tracking for OBJECT IDLETIME and OBJECT FREQ (what Redis
 * keeps in the 24-bit `lru` field of every object).
 *
 * Memory matters more than this rarely used feature, so nothing is tracked
 * until something needs it (the first OBJECT IDLETIME / OBJECT FREQ, or an
 * eviction policy that calls enableAccessTracking). From then on each
 * database keeps a Map from key to a small integer (a V8 Smi, no
 * allocation): about 30-40 bytes for each key accessed since. Keys not
 * accessed since tracking began count as accessed when it began.
 *
 * The stored integer is read according to the current maxmemory-policy, as
 * Redis does with its lru field:
 * - LRU (any non-LFU policy): the access time in seconds since `epochMs`;
 * - LFU: (minutes & 0xffff) << 8 | logarithmic access counter (0..255).
 * Switching policy reinterprets old values, just like in Redis.
 */
import type { Config } from '../config/config';

/** The counter of a new key under LFU (Redis's LFU_INIT_VAL). */
export const LFU_INIT_VAL = 5;

/** Settings shared by every database's tracker, refreshed from the config by cron. */
export class AccessClock {
  /** A whole second, so that idle seconds are differences of whole seconds like Redis's LRU clock. */
  readonly epochMs: number;
  lfu = false;
  lfuLogFactor = 10;
  lfuDecayTime = 1;

  constructor(
    readonly now: () => number,
    private readonly config: Config,
  ) {
    this.epochMs = Math.floor(now() / 1000) * 1000;
    this.refresh();
  }

  refresh(): void {
    this.lfu = this.config.get('maxmemory-policy').includes('lfu');
    this.lfuLogFactor = this.config.getInt('lfu-log-factor');
    this.lfuDecayTime = this.config.getInt('lfu-decay-time');
  }

  /** LRU clock: seconds since epochMs. */
  seconds(now = this.now()): number {
    return Math.floor((now - this.epochMs) / 1000);
  }

  /** LFU clock: minutes, 16 bits (wraps like Redis's). */
  minutes(now = this.now()): number {
    return Math.floor(now / 60000) & 0xffff;
  }

  /** The value a key gets when created (or when first seen since tracking began). */
  initial(): number {
    return this.lfu ? (this.minutes() << 8) | LFU_INIT_VAL : this.seconds();
  }

  /** The LFU counter after decay for the time since its last decrement. */
  decayedCounter(packed: number): number {
    const ldt = packed >>> 8;
    let counter = packed & 255;
    const now = this.minutes();
    const elapsed = now >= ldt ? now - ldt : 65535 - ldt + now;
    const periods = this.lfuDecayTime > 0 ? Math.floor(elapsed / this.lfuDecayTime) : 0;
    if (periods > 0) counter = periods > counter ? 0 : counter - periods;
    return counter;
  }

  /** The value after one more access. */
  accessed(prev: number | undefined): number {
    if (!this.lfu) return this.seconds();
    let counter = this.decayedCounter(prev ?? this.initialLfuAtEpoch());
    if (counter < 255) {
      const base = Math.max(0, counter - LFU_INIT_VAL);
      const p = 1 / (base * this.lfuLogFactor + 1);
      if (Math.random() < p) counter++;
    }
    return (this.minutes() << 8) | counter;
  }

  /** LFU value of a key not seen since tracking began. */
  initialLfuAtEpoch(): number {
    return (this.minutes(this.epochMs) << 8) | LFU_INIT_VAL;
  }
}

/** One database's access times. */
export class AccessTracker {
  private readonly map = new Map<string, number>();

  constructor(readonly clock: AccessClock) {}

  get size(): number {
    return this.map.size;
  }

  /** A read or write access to an existing key (lookupKey without NOTOUCH). */
  touch(key: string): void {
    const clock = this.clock;
    this.map.set(key, clock.lfu ? clock.accessed(this.map.get(key)) : clock.seconds());
  }

  /** A new key. */
  created(key: string): void {
    this.map.set(key, this.clock.initial());
  }

  /** A key's value replaced: a new object for LRU, the counter kept for LFU (as dbOverwrite does). */
  written(key: string): void {
    if (this.clock.lfu && this.map.has(key)) return;
    this.map.set(key, this.clock.initial());
  }

  forget(key: string): void {
    this.map.delete(key);
  }

  clear(): void {
    this.map.clear();
  }

  /** The raw value (for moving a key with its access data, RENAME/MOVE). */
  get(key: string): number | undefined {
    return this.map.get(key);
  }

  set(key: string, value: number): void {
    this.map.set(key, value);
  }

  /** OBJECT IDLETIME, in seconds. */
  idleSeconds(key: string): number {
    const v = this.map.get(key);
    const at = v === undefined ? 0 : v;
    const idle = this.clock.seconds() - at;
    return idle > 0 ? idle : 0;
  }

  /** OBJECT FREQ. */
  frequency(key: string): number {
    const v = this.map.get(key);
    return this.clock.decayedCounter(v === undefined ? this.clock.initialLfuAtEpoch() : v);
  }
}

/** What enableAccessTracking needs from the server. */
interface TrackedServer {
  dbs: Array<{ access: AccessTracker | null }>;
  readonly config: Config;
  now(): number;
  readonly cronHooks: Array<() => void>;
}

const clocks = new WeakMap<object, AccessClock>();

/**
 * Starts tracking key accesses in every database of `server` (idempotent;
 * databases created later, e.g. by a load, get a tracker on the next call).
 */
export function enableAccessTracking(server: TrackedServer): void {
  let clock = clocks.get(server);
  if (clock === undefined) {
    clock = new AccessClock(() => server.now(), server.config);
    clocks.set(server, clock);
    const c = clock;
    server.cronHooks.push(() => c.refresh());
  }
  for (const db of server.dbs) if (db.access === null) db.access = new AccessTracker(clock);
}
