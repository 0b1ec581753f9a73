/**
 * MEMORY: USAGE, STATS, DOCTOR, MALLOC-STATS, PURGE, HELP.
 *
 * The figures are this process's, not a C allocator's: MEMORY USAGE adds up
 * what the V8 heap holds for a key (its string, its slot in the database's
 * table, its TTL if any, and the value: see src/store/memsize.ts), sampling
 * big collections as Redis does; MEMORY STATS splits process.memoryUsage()
 * into Redis's headings (startup, clients, per-database table overhead,
 * dataset). The figures come from src/server/memstats.ts, which INFO's
 * memory section reads too.
 */
import type { Client } from '../server/client';
import { cmd, type CommandSpec } from './types';
import { E } from './errors';
import { parseInt64 } from '../util/numbers';
import { DEFAULT_SAMPLES, keyMemoryUsage, mallocStatsReport, memoryDoctorReport, memoryOverview } from '../server/memstats';

// ------------------------------------------------------------------ MEMORY USAGE

function memoryUsageCommand(c: Client, argv: string[]): void {
  let samples = DEFAULT_SAMPLES;
  for (let j = 3; j < argv.length; j++) {
    if (argv[j].toLowerCase() === 'samples' && j + 1 < argv.length) {
      const n = parseInt64(argv[j + 1]);
      if (n === null) return c.error(E.NOT_INTEGER);
      if (n < 0) return c.error(E.SYNTAX);
      // 0 means all of them; so does a count beyond any collection's size.
      samples = typeof n === 'bigint' || n > Number.MAX_SAFE_INTEGER ? 0 : n;
      j++;
    } else {
      return c.error(E.SYNTAX);
    }
  }
  const key = argv[2];
  // Redis looks the key up in the table itself: no hit/miss statistics, no
  // access-time update, and a key whose TTL has passed is still measured (not deleted).
  const v = c.db.keys.get(key);
  if (v === undefined) return c.nullBulk();
  c.int(keyMemoryUsage(c.db, key, v, samples));
}

/** Redis keeps these ratios in C floats: the reply shows the float's value in %.17g. */
function floatRatio(c: Client, num: number, den: number): void {
  c.double(Math.fround(den === 0 ? 0 : num / den));
}

function memoryStatsCommand(c: Client): void {
  const o = memoryOverview(c.server);
  const net = o.used > o.startup ? o.used - o.startup : 1;
  c.mapHeader(27 + o.dbs.length);
  const field = (name: string, n: number): void => {
    c.bulk(name);
    c.int(Math.round(n));
  };
  field('peak.allocated', o.peak);
  field('total.allocated', o.used);
  field('startup.allocated', o.startup);
  field('replication.backlog', o.replicationBacklog);
  field('clients.slaves', o.clientsReplicas);
  field('clients.normal', o.clientsNormal);
  field('cluster.links', 0);
  field('aof.buffer', o.aofBuffer);
  field('lua.caches', o.luaCaches);
  field('functions.caches', o.functionsCaches);
  for (const d of o.dbs) {
    c.bulk(`db.${d.id}`);
    c.mapHeader(3);
    field('overhead.hashtable.main', d.main);
    field('overhead.hashtable.expires', d.expires);
    field('overhead.hashtable.slot-to-keys', 0);
  }
  field('overhead.total', o.overhead);
  field('keys.count', o.keys);
  field('keys.bytes-per-key', o.keys > 0 ? Math.floor(net / o.keys) : 0);
  field('dataset.bytes', o.dataset);
  c.bulk('dataset.percentage');
  floatRatio(c, o.dataset * 100, net);
  c.bulk('peak.percentage');
  floatRatio(c, o.used * 100, o.peak);
  field('allocator.allocated', o.heapUsed);
  field('allocator.active', o.heapTotal);
  field('allocator.resident', o.rss);
  c.bulk('allocator-fragmentation.ratio');
  floatRatio(c, o.heapTotal, o.heapUsed);
  field('allocator-fragmentation.bytes', o.heapTotal - o.heapUsed);
  c.bulk('allocator-rss.ratio');
  floatRatio(c, o.rss, o.heapTotal);
  field('allocator-rss.bytes', o.rss - o.heapTotal);
  // The allocator's resident memory is the process's RSS here: nothing lies between them.
  c.bulk('rss-overhead.ratio');
  floatRatio(c, o.rss, o.rss);
  field('rss-overhead.bytes', 0);
  c.bulk('fragmentation');
  floatRatio(c, o.rss, o.used);
  field('fragmentation.bytes', o.rss - o.used);
}

// ------------------------------------------------------------------ the command

const MEMORY_HELP = [
  'DOCTOR',
  '    Report what looks wrong with memory use, in words.',
  'MALLOC-STATS',
  '    Report the statistics of the memory manager (here the V8 heap).',
  'PURGE',
  '    Ask the memory manager to give unused memory back.',
  'STATS',
  '    Report how memory is used, as name/value pairs.',
  'USAGE <key> [SAMPLES <count>]',
  '    Estimate the bytes <key> and its value take. Big collections are estimated',
  '    from <count> of their elements (default: 5, 0 means all of them).',
];

const sub = (spec: Parameters<typeof cmd>[0]): CommandSpec => cmd({ group: 'server', since: '4.0.0', ...spec });

export const memoryCommands: CommandSpec[] = [
  cmd({
    name: 'memory',
    arity: -2,
    group: 'server',
    summary: 'A container for the memory diagnostics commands.',
    since: '4.0.0',
    complexity: 'Depends on subcommand.',
    handler: (c, argv) => c.error(`ERR unknown subcommand '${(argv[1] ?? '').slice(0, 128)}'. Try MEMORY HELP.`),
    subcommands: [
      sub({
        name: 'doctor',
        arity: 2,
        summary: 'Describes memory problems in words.',
        complexity: 'O(1)',
        tips: ['nondeterministic_output', 'request_policy:all_shards', 'response_policy:special'],
        handler: (c) => c.verbatim(memoryDoctorReport(c.server)),
      }),
      sub({
        name: 'help',
        arity: 2,
        flags: ['loading', 'stale'],
        summary: 'Lists the MEMORY subcommands.',
        complexity: 'O(1)',
        handler: (c) => {
          const lines = ['MEMORY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:', ...MEMORY_HELP, 'HELP', '    Show this help.'];
          c.arrayHeader(lines.length);
          for (const l of lines) c.status(l);
        },
      }),
      sub({
        name: 'malloc-stats',
        arity: 2,
        summary: 'Reports the memory manager statistics.',
        complexity: 'Depends on how much memory is allocated, could be slow',
        tips: ['nondeterministic_output', 'request_policy:all_shards', 'response_policy:special'],
        handler: (c) => c.verbatim(mallocStatsReport()),
      }),
      sub({
        name: 'purge',
        arity: 2,
        summary: 'Asks the memory manager to release unused memory.',
        complexity: 'Depends on how much memory is allocated, could be slow',
        tips: ['request_policy:all_shards', 'response_policy:all_succeeded'],
        // V8 returns freed pages to the system on its own after garbage collections.
        handler: (c) => c.ok(),
      }),
      sub({
        name: 'stats',
        arity: 2,
        summary: 'Reports how memory is used.',
        complexity: 'O(1)',
        tips: ['nondeterministic_output', 'request_policy:all_shards', 'response_policy:special'],
        handler: memoryStatsCommand,
      }),
      sub({
        name: 'usage',
        arity: -3,
        flags: ['readonly'],
        firstKey: 2,
        lastKey: 2,
        keyStep: 1,
        summary: 'Estimates the memory a key and its value take.',
        complexity: 'O(N) where N is the number of samples.',
        keySpecs: [{ flags: ['RO'], beginSearch: { index: 2 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } }],
        args: [
          { name: 'key', type: 'key', key_spec_index: 0 },
          { name: 'count', type: 'integer', token: 'SAMPLES', optional: true },
        ],
        handler: memoryUsageCommand,
      }),
    ],
  }),
];
