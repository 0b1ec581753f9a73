/**
 * One numbered database: keys, their expiry times, and the single path every
 * change takes. Commands read with lookupRead/lookupWrite and change keys with
 * set/add/delete (or mutate a collection in place and call modified()); these
 * call the server's keyspace hooks (see KeyspaceHooks), which is where WATCH,
 * blocked clients, snapshots in progress, memory accounting and expiry
 * propagation attach.
 */
import { Dict } from './dict';
import { STR_BY_CONTENT, type RedisValue, type StringKind } from './value';
import type { AccessTracker } from './access';

/** What the rest of the server does when keys change; implemented by Server. */
export interface KeyspaceHooks {
  /** The time commands see: fixed for the duration of a command, transaction or script. */
  now(): number;
  /** Replicas report expired keys as missing but delete them only when told by their primary. */
  readonly expireOnAccess: boolean;
  /** Called before a key's value is replaced, deleted or mutated in place (a fork-less snapshot saves the old value here). */
  beforeWrite(db: Database, key: string): void;
  /** Called after a key changed (WATCH invalidation, client tracking, ...). */
  keyModified(db: Database, key: string): void;
  /** Called when a key expired and was deleted (propagation of DEL, notification, stats). */
  keyExpired(db: Database, key: string): void;
  /** Called on keyspace hits and misses (INFO stats; a miss also notifies `keymiss`). */
  keyspaceLookup(hit: boolean, db?: Database, key?: string): void;
  /** Called when a key is created (the `new` keyspace notification). */
  keyAdded?(db: Database, key: string): void;
}

export class Database {
  readonly keys = new Dict<RedisValue>();
  /** Absolute unix time in ms at which a key expires. */
  readonly expires = new Dict<number>();
  /** Average TTL estimate for INFO keyspace (ms), updated by the active expire cycle. */
  avgTtl = 0;
  /** Where the active expire cycle resumes its walk over `expires`. */
  expireCursor = 0;
  /** Per-key access times (OBJECT IDLETIME/FREQ); null until first needed (see access.ts). */
  access: AccessTracker | null = null;
  /**
   * The few string keys whose OBJECT ENCODING their content does not tell
   * (modified in place, INCRBYFLOAT results: see StringKind); null while
   * there are none. Any new value for a key forgets its entry.
   */
  private stringKinds: Map<string, StringKind> | null = null;

  constructor(
    readonly id: number,
    private readonly hooks: KeyspaceHooks,
  ) {}

  get size(): number {
    return this.keys.size;
  }

  /** Deletes `key` if its time has passed; true when the key is (logically) expired. */
  expireIfNeeded(key: string): boolean {
    const when = this.expires.get(key);
    if (when === undefined || when >= this.hooks.now()) return false;
    if (!this.hooks.expireOnAccess) return true;
    this.hooks.beforeWrite(this, key);
    this.keys.delete(key);
    this.expires.delete(key);
    if (this.access !== null) this.access.forget(key);
    if (this.stringKinds !== null) this.forgetStringKind(key);
    this.hooks.keyExpired(this, key);
    this.hooks.keyModified(this, key);
    return true;
  }

  /** Reads a key for a read-only purpose; counts a keyspace hit or miss. */
  lookupRead(key: string): RedisValue | undefined {
    const v = this.keys.get(key);
    if (v === undefined || (this.expires.size > 0 && this.expireIfNeeded(key))) {
      this.hooks.keyspaceLookup(false, this, key);
      return undefined;
    }
    this.hooks.keyspaceLookup(true);
    if (this.access !== null) this.access.touch(key);
    return v;
  }

  /** Reads a key that is about to be mutated in place; call modified() afterwards. */
  lookupWrite(key: string): RedisValue | undefined {
    const v = this.keys.get(key);
    if (v === undefined || (this.expires.size > 0 && this.expireIfNeeded(key))) return undefined;
    this.hooks.beforeWrite(this, key);
    if (this.access !== null) this.access.touch(key);
    return v;
  }

  /** Reads without side effects other than lazy expiry (no stats): for EXISTS-like checks and internal use. */
  peek(key: string): RedisValue | undefined {
    const v = this.keys.get(key);
    if (v === undefined || (this.expires.size > 0 && this.expireIfNeeded(key))) return undefined;
    return v;
  }

  has(key: string): boolean {
    return this.peek(key) !== undefined;
  }

  /** Sets a key's value, dropping its TTL unless keepTtl (SET's semantics). */
  set(key: string, value: RedisValue, keepTtl = false): void {
    // An expired key is deleted first (the `expired` event), as Redis's lookup before overwriting does.
    if (this.expires.size > 0) this.expireIfNeeded(key);
    this.hooks.beforeWrite(this, key);
    const created = this.keys.set(key, value);
    if (this.stringKinds !== null) this.forgetStringKind(key);
    if (!keepTtl && this.expires.size > 0) this.expires.delete(key);
    if (created) this.hooks.keyAdded?.(this, key);
    if (this.access !== null) this.access.written(key);
    this.hooks.keyModified(this, key);
  }

  /** Adds a key known to be absent (after a lookup returned undefined). */
  add(key: string, value: RedisValue): void {
    this.hooks.beforeWrite(this, key);
    this.keys.set(key, value);
    if (this.stringKinds !== null) this.forgetStringKind(key);
    this.hooks.keyAdded?.(this, key);
    if (this.access !== null) this.access.created(key);
    this.hooks.keyModified(this, key);
  }

  /** Replaces the value of an existing key keeping its TTL, without the modified signal (the caller sends it). */
  replaceValue(key: string, value: RedisValue): void {
    this.keys.set(key, value);
    if (this.stringKinds !== null) this.forgetStringKind(key);
  }

  /** How the string at `key` came to be (STR_BY_CONTENT unless marked since its last new value). */
  stringKind(key: string): StringKind {
    return this.stringKinds === null ? STR_BY_CONTENT : (this.stringKinds.get(key) ?? STR_BY_CONTENT);
  }

  /** Marks the string just stored at `key` (after set/add/replaceValue, which forget any mark). */
  setStringKind(key: string, kind: StringKind): void {
    if (kind !== STR_BY_CONTENT) (this.stringKinds ??= new Map()).set(key, kind);
    else if (this.stringKinds !== null) this.forgetStringKind(key);
  }

  private forgetStringKind(key: string): void {
    const m = this.stringKinds!;
    if (m.delete(key) && m.size === 0) this.stringKinds = null;
  }

  /** Deletes a key; true when it existed. */
  delete(key: string): boolean {
    if (!this.keys.has(key)) return false;
    if (this.expires.size > 0 && this.expireIfNeeded(key)) return false;
    this.hooks.beforeWrite(this, key);
    this.keys.delete(key);
    if (this.expires.size > 0) this.expires.delete(key);
    if (this.access !== null) this.access.forget(key);
    if (this.stringKinds !== null) this.forgetStringKind(key);
    this.hooks.keyModified(this, key);
    return true;
  }

  /** Signals that a value obtained with lookupWrite was changed in place. */
  modified(key: string): void {
    this.hooks.keyModified(this, key);
  }

  /** Deletes an emptied collection, or signals the change when it still holds elements. */
  modifiedOrDeleteIfEmpty(key: string, size: number): boolean {
    if (size === 0) {
      this.keys.delete(key);
      if (this.expires.size > 0) this.expires.delete(key);
      if (this.access !== null) this.access.forget(key);
      this.hooks.keyModified(this, key);
      return true;
    }
    this.hooks.keyModified(this, key);
    return false;
  }

  getExpire(key: string): number | undefined {
    return this.expires.size > 0 ? this.expires.get(key) : undefined;
  }

  /** Sets an absolute expiry time (ms) on an existing key. */
  setExpire(key: string, whenMs: number): void {
    this.hooks.beforeWrite(this, key);
    this.expires.set(key, whenMs);
    this.hooks.keyModified(this, key);
  }

  /** Removes a key's TTL; true when it had one. */
  persist(key: string): boolean {
    if (this.expires.size === 0 || !this.expires.has(key)) return false;
    this.hooks.beforeWrite(this, key);
    this.expires.delete(key);
    this.hooks.keyModified(this, key);
    return true;
  }

  /** Removes every key; returns how many there were. Watchers are signalled by the caller (one signal per db). */
  flush(): number {
    const n = this.keys.size;
    this.keys.clear();
    this.expires.clear();
    if (this.access !== null) this.access.clear();
    this.stringKinds = null;
    this.expireCursor = 0;
    this.avgTtl = 0;
    return n;
  }

  /** A random key that is not expired, or undefined. */
  randomKey(): string | undefined {
    for (let tries = 0; tries < 100; tries++) {
      const k = this.keys.randomKey();
      if (k === undefined) return undefined;
      const when = this.expires.size > 0 ? this.expires.get(k) : undefined;
      if (when === undefined || when >= this.hooks.now()) return k;
      if (this.hooks.expireOnAccess) this.expireIfNeeded(k);
      else if (tries > 50) return k; // a replica full of expired keys: Redis returns one of them too
    }
    return undefined;
  }

  /** Swaps contents with another database (SWAPDB); ids stay. */
  swapWith(other: Database): void {
    const swap = <T>(a: T, b: T): [T, T] => [b, a];
    const self = this as unknown as { keys: Dict<RedisValue>; expires: Dict<number>; avgTtl: number; expireCursor: number };
    const that = other as unknown as typeof self;
    [self.keys, that.keys] = swap(self.keys, that.keys);
    [self.expires, that.expires] = swap(self.expires, that.expires);
    [self.avgTtl, that.avgTtl] = swap(self.avgTtl, that.avgTtl);
    [self.expireCursor, that.expireCursor] = swap(self.expireCursor, that.expireCursor);
    [this.access, other.access] = swap(this.access, other.access);
    [this.stringKinds, other.stringKinds] = swap(this.stringKinds, other.stringKinds);
  }
}
