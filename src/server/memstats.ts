/**
 * Where this process's memory goes, in Redis's terms: the MEMORY USAGE
 * estimate of a key (src/store/memsize.ts has the V8 figures), the split of
 * process.memoryUsage() that MEMORY STATS and INFO memory report (startup,
 * clients, per-database table overhead, dataset), MEMORY DOCTOR's report and
 * MEMORY MALLOC-STATS's V8 heap statistics.
 *
 * It imports nothing that loads the command table, so the server, INFO and
 * tests can import it without import cycles.
 */
import * as v8 from 'node:v8';
import type { Server } from './server';
import type { CollectionValue, RedisValue, TypeName } from '../store/value';
import type { Database } from '../store/db';
import { DICT_ENTRY_BYTES, EXPIRE_ENTRY_BYTES, objectBytes, stringBytes } from '../store/memsize';

// ------------------------------------------------------------------ MEMORY USAGE

/** Redis's default number of elements sampled in a collection (OBJ_COMPUTE_SIZE_DEF_SAMPLES). */
export const DEFAULT_SAMPLES = 5;

/**
 * Bytes an element takes in types that do not estimate themselves yet
 * (memoryUsage), with short members: measured on the V8 heap for sorted
 * sets (compact arrays: a member string, its slot and a double; skiplist:
 * a node in typed arrays plus a member map entry), rough for the others.
 */
const GENERIC_ELEMENT_BYTES: Record<Exclude<TypeName, 'string'>, number> = {
  list: 40,
  hash: 96,
  set: 64,
  zset: 160,
  stream: 128,
};
const COMPACT_ZSET_ELEMENT_BYTES = 48;

/** Bytes a value takes; `samples` as MEMORY USAGE's option (0: every element). */
export function valueMemoryUsage(v: RedisValue, samples: number): number {
  if (typeof v === 'string') return stringBytes(v.length);
  if (v.memoryUsage !== undefined) return v.memoryUsage(samples);
  // A type without its own estimate: its own figure if it keeps one, else a per-element guess.
  const own = v as CollectionValue & { approxBytes?: () => number; isCompact?: boolean };
  if (typeof own.approxBytes === 'function') return own.approxBytes();
  const perElement = v.type === 'zset' && own.isCompact === true ? COMPACT_ZSET_ELEMENT_BYTES : GENERIC_ELEMENT_BYTES[v.type];
  return objectBytes(4) + v.size * perElement;
}

/** Bytes the key takes in `db`: its name, its table slot, its TTL, its value. */
export function keyMemoryUsage(db: Database, key: string, v: RedisValue, samples: number): number {
  let bytes = stringBytes(key.length) + DICT_ENTRY_BYTES + valueMemoryUsage(v, samples);
  if (db.getExpire(key) !== undefined) bytes += EXPIRE_ENTRY_BYTES;
  return bytes;
}

// ------------------------------------------------------------------ the overview (MEMORY STATS, DOCTOR, INFO)

function usedMemory(): number {
  const m = process.memoryUsage();
  return m.heapUsed + m.external;
}

/** What the process held when this module loaded: the startup figure of a server that did not record its own. */
const moduleStartupMemory = usedMemory();
const startups = new WeakMap<Server, number>();
const peaks = new WeakMap<Server, number>();

/**
 * Called once a server is set up, before it loads or receives data: Redis's
 * startup.allocated. From then on the peak is sampled by cron (10 times a
 * second, as Redis does), not only when INFO or MEMORY STATS look.
 */
export function recordStartupMemory(s: Server): void {
  const used = usedMemory();
  startups.set(s, used);
  peaks.set(s, used);
  s.cronHooks.push(() => {
    const now = usedMemory();
    if (now > (peaks.get(s) ?? 0)) peaks.set(s, now);
  });
}

export interface DbOverhead {
  id: number;
  /** The keys' table slots (overhead.hashtable.main). */
  main: number;
  /** The TTL table (overhead.hashtable.expires). */
  expires: number;
}

export interface MemoryOverview {
  /** process.memoryUsage() at the time of the overview. */
  rss: number;
  heapTotal: number;
  heapUsed: number;
  external: number;
  /** V8 heap in use plus memory held outside it for JS objects (Buffers): used_memory / total.allocated. */
  used: number;
  peak: number;
  startup: number;
  clientsNormal: number;
  clientsReplicas: number;
  replicationBacklog: number;
  aofBuffer: number;
  luaCaches: number;
  functionsCaches: number;
  dbs: DbOverhead[];
  overhead: number;
  keys: number;
  dataset: number;
}

/** Splits the process's memory into Redis's headings. Also records the peak. */
export function memoryOverview(s: Server): MemoryOverview {
  const m = process.memoryUsage();
  const used = m.heapUsed + m.external;
  const peak = Math.max(peaks.get(s) ?? 0, used);
  peaks.set(s, peak);
  const startup = Math.min(startups.get(s) ?? moduleStartupMemory, used);
  let clientsNormal = 0;
  let clientsReplicas = 0;
  for (const cl of s.clients.values()) {
    const mem = cl.outputBytes + cl.parser.pendingBytes;
    if (cl.kind === 'replica') clientsReplicas += mem;
    else clientsNormal += mem;
  }
  // The script cache is not counted apart yet (INFO's used_memory_scripts_eval neither): it is in the dataset.
  const luaCaches = 0;
  const dbs: DbOverhead[] = [];
  let keys = 0;
  let tables = 0;
  for (const db of s.dbs) {
    const n = db.size;
    if (n === 0) continue;
    const d = { id: db.id, main: n * DICT_ENTRY_BYTES, expires: db.expires.size * EXPIRE_ENTRY_BYTES };
    dbs.push(d);
    keys += n;
    tables += d.main + d.expires;
  }
  const overhead = startup + clientsNormal + clientsReplicas + luaCaches + tables;
  return {
    rss: m.rss,
    heapTotal: m.heapTotal,
    heapUsed: m.heapUsed,
    external: m.external,
    used,
    peak,
    startup,
    clientsNormal,
    clientsReplicas,
    replicationBacklog: 0,
    aofBuffer: 0,
    luaCaches,
    functionsCaches: 0,
    dbs,
    overhead,
    keys,
    dataset: Math.max(0, used - overhead),
  };
}

// ------------------------------------------------------------------ MEMORY DOCTOR

const MB = 1024 * 1024;

/** A readable report of what looks wrong with the memory of this server. */
export function memoryDoctorReport(s: Server): string {
  const o = memoryOverview(s);
  // Below a few MB of data every ratio is dominated by the runtime itself and means nothing.
  if (o.used - o.startup < 5 * MB) {
    return (
      'This server holds almost no data, so there is nothing to diagnose yet: ' +
      'the memory in use is mostly the Node.js runtime itself. ' +
      'Run MEMORY DOCTOR again once the dataset has grown.\n'
    );
  }
  const issues: string[] = [];
  if (o.peak > o.used * 1.5) {
    issues.push(
      `Peak memory: memory use peaked at ${human(o.peak)}, ${(o.peak / o.used).toFixed(2)} times the ${human(o.used)} in use now. ` +
        'The process may keep part of that memory from the operating system for a while; ' +
        'the V8 heap shrinks again after garbage collections.',
    );
  }
  if (o.rss > o.used * 1.4 && o.rss - o.used > 10 * MB) {
    issues.push(
      `High RSS: the process has ${human(o.rss)} resident for ${human(o.used)} of live data (ratio ${(o.rss / o.used).toFixed(2)}). ` +
        'Part of it is the runtime (code, stacks, heap headroom kept by the garbage collector); ' +
        'if it keeps growing, look at big client buffers or a past peak.',
    );
  }
  let normalClients = 0;
  for (const cl of s.clients.values()) if (cl.kind !== 'replica') normalClients++;
  if (normalClients > 0 && o.clientsNormal / normalClients > 200 * 1024) {
    issues.push(
      `Big client buffers: the ${normalClients} clients hold ${human(o.clientsNormal)} of query and reply buffers. ` +
        'Slow readers of big replies (or of a busy pub/sub channel) cause this; client-output-buffer-limit bounds it.',
    );
  }
  if (o.clientsReplicas > 10 * MB) {
    issues.push(
      `Big replica buffers: ${human(o.clientsReplicas)} wait in the output buffers of replicas. ` +
        'The replicas may be slow or the link saturated.',
    );
  }
  if (issues.length === 0) {
    return `No memory problems found: ${human(o.used)} in use, ${human(o.rss)} resident, peak ${human(o.peak)}.\n`;
  }
  return `Memory report: ${issues.length} possible problem${issues.length > 1 ? 's' : ''} found.\n\n${issues.map((t) => ` * ${t}\n`).join('\n')}`;
}

function human(n: number): string {
  if (n < 1024) return `${n}B`;
  if (n < MB) return `${(n / 1024).toFixed(2)}K`;
  if (n < 1024 * MB) return `${(n / MB).toFixed(2)}M`;
  return `${(n / (1024 * MB)).toFixed(2)}G`;
}

// ------------------------------------------------------------------ MEMORY MALLOC-STATS

/** The V8 heap's own statistics, in place of jemalloc's report. */
export function mallocStatsReport(): string {
  const lines: string[] = ['___ Begin V8 heap statistics ___', `Node.js ${process.version}, V8 ${process.versions.v8}`];
  const h = v8.getHeapStatistics() as unknown as Record<string, number>;
  for (const [k, val] of Object.entries(h)) lines.push(`  ${k}: ${val}`);
  lines.push('Heap spaces (size, used, available, physical):');
  for (const sp of v8.getHeapSpaceStatistics()) {
    lines.push(`  ${sp.space_name}: ${sp.space_size} ${sp.space_used_size} ${sp.space_available_size} ${sp.physical_space_size}`);
  }
  const m = process.memoryUsage();
  lines.push(`Process: rss ${m.rss}, heapTotal ${m.heapTotal}, heapUsed ${m.heapUsed}, external ${m.external}, arrayBuffers ${m.arrayBuffers}`);
  lines.push('___ End V8 heap statistics ___');
  return lines.join('\n') + '\n';
}

