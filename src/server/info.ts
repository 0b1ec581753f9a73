/**
 * INFO: Redis 7.0's sections, field names and number formats. Subsystems
 * that own a section's facts (persistence, replication) can replace the
 * section's generator or add fields with registerInfoSection/addInfoFields.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import type { Server } from './server';
import { REDIS_VERSION, TSREDIS_VERSION } from './server';
import { memoryOverview } from './memstats';
import { scriptingInfo } from '../scripting/engine';

/** Field name and value, in output order. */
export type InfoFields = Array<[string, string | number]>;
export type InfoSectionFn = (server: Server) => InfoFields;

/** Sections in output order, with their headers. */
const SECTION_ORDER: Array<[string, string]> = [
  ['server', 'Server'],
  ['clients', 'Clients'],
  ['memory', 'Memory'],
  ['persistence', 'Persistence'],
  ['stats', 'Stats'],
  ['replication', 'Replication'],
  ['cpu', 'CPU'],
  ['modules', 'Modules'],
  ['commandstats', 'Commandstats'],
  ['errorstats', 'Errorstats'],
  ['latencystats', 'Latencystats'],
  ['cluster', 'Cluster'],
  ['keyspace', 'Keyspace'],
];

const DEFAULT_SECTIONS = ['server', 'clients', 'memory', 'persistence', 'stats', 'replication', 'cpu', 'modules', 'errorstats', 'cluster', 'keyspace'];

const overrides = new Map<string, InfoSectionFn>();
const extras = new Map<string, InfoSectionFn[]>();

/** Replaces the generator of a section (e.g. replication by the replication module). */
export function registerInfoSection(section: string, fn: InfoSectionFn): void {
  overrides.set(section, fn);
}

/** Appends fields to a section's default ones. */
export function addInfoFields(section: string, fn: InfoSectionFn): void {
  const list = extras.get(section) ?? [];
  list.push(fn);
  extras.set(section, list);
}

// ---------------------------------------------------------------- formatting helpers

/** Redis's bytesToHuman: "123B", "1.13M", "23.54G". */
export function bytesToHuman(n: number): string {
  if (n < 1024) return `${n}B`;
  const units = ['K', 'M', 'G', 'T', 'P', 'E'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(2)}${units[i]}`;
}

function fixed(n: number, digits: number): string {
  return Number.isFinite(n) ? n.toFixed(digits) : '0.' + '0'.repeat(digits);
}

function cpuSeconds(usec: number): string {
  return `${Math.floor(usec / 1e6)}.${String(Math.floor(usec % 1e6)).padStart(6, '0')}`;
}


function osName(): string {
  const arch = os.arch() === 'x64' ? 'x86_64' : os.arch() === 'arm64' ? 'aarch64' : os.arch();
  return `${os.type()} ${os.release()} ${arch}`;
}

// ---------------------------------------------------------------- sections

function serverSection(s: Server): InfoFields {
  const uptime = s.uptimeSeconds();
  const now = Date.now();
  return [
    ['redis_version', REDIS_VERSION],
    ['tsredis_version', TSREDIS_VERSION],
    ['redis_git_sha1', '00000000'],
    ['redis_git_dirty', 0],
    ['redis_build_id', '0000000000000000'],
    ['redis_mode', 'standalone'],
    ['os', osName()],
    ['arch_bits', 64],
    ['monotonic_clock', 'POSIX clock_gettime'],
    ['multiplexing_api', process.platform === 'linux' ? 'epoll' : process.platform === 'win32' ? 'iocp' : 'kqueue'],
    ['atomicvar_api', 'c11-builtin'],
    ['gcc_version', '0.0.0'],
    ['node_version', process.version.slice(1)],
    ['process_id', process.pid],
    ['process_supervised', s.config.get('supervised')],
    ['run_id', s.runId],
    ['tcp_port', s.config.get('port')],
    ['server_time_usec', `${now}${String(Math.floor((performance.now() % 1) * 1000)).padStart(3, '0')}`],
    ['uptime_in_seconds', uptime],
    ['uptime_in_days', Math.floor(uptime / 86400)],
    ['hz', s.config.get('hz')],
    ['configured_hz', s.config.get('hz')],
    ['lru_clock', Math.floor(now / 1000) & ((1 << 24) - 1)],
    ['executable', path.resolve(process.argv[1] ?? process.execPath)],
    ['config_file', s.config.configFile ?? ''],
    ['io_threads_active', 0],
  ];
}

function clientsSection(s: Server): InfoFields {
  let connected = 0;
  let maxIn = 0;
  let maxOut = 0;
  let blocked = 0;
  let inTimeout = 0;
  for (const c of s.clients.values()) {
    if (c.closed) continue;
    if (c.kind !== 'replica') connected++;
    maxIn = Math.max(maxIn, c.parser.pendingBytes);
    maxOut = Math.max(maxOut, c.outputBytes);
    const b = c.blocked;
    if (b !== null && b.kind !== 'pause') {
      blocked++;
      if (b.timeout > 0) inTimeout++;
    }
  }
  return [
    ['connected_clients', connected],
    ['cluster_connections', 0],
    ['maxclients', s.config.get('maxclients')],
    ['client_recent_max_input_buffer', maxIn],
    ['client_recent_max_output_buffer', maxOut],
    ['blocked_clients', blocked],
    ['tracking_clients', 0],
    ['clients_in_timeout_table', inTimeout],
  ];
}

function memorySection(s: Server): InfoFields {
  // The same split as MEMORY STATS (startup, clients, table overhead, dataset).
  const o = memoryOverview(s);
  const m = { rss: o.rss, heapTotal: o.heapTotal, heapUsed: o.heapUsed };
  const { used, peak, startup, clientsNormal, clientsReplicas, overhead, dataset } = o;
  const maxmemory = Number(s.config.get('maxmemory'));
  const total = os.totalmem();
  return [
    ['used_memory', used],
    ['used_memory_human', bytesToHuman(used)],
    ['used_memory_rss', m.rss],
    ['used_memory_rss_human', bytesToHuman(m.rss)],
    ['used_memory_peak', peak],
    ['used_memory_peak_human', bytesToHuman(peak)],
    ['used_memory_peak_perc', `${fixed((used * 100) / peak, 2)}%`],
    ['used_memory_overhead', overhead],
    ['used_memory_startup', startup],
    ['used_memory_dataset', dataset],
    ['used_memory_dataset_perc', `${fixed((dataset * 100) / Math.max(1, used - startup), 2)}%`],
    ['allocator_allocated', m.heapUsed],
    ['allocator_active', m.heapTotal],
    ['allocator_resident', m.rss],
    ['total_system_memory', total],
    ['total_system_memory_human', bytesToHuman(total)],
    ...scriptingMemoryFields(s),
    ['maxmemory', s.config.get('maxmemory')],
    ['maxmemory_human', bytesToHuman(maxmemory)],
    ['maxmemory_policy', s.config.get('maxmemory-policy')],
    ['allocator_frag_ratio', fixed(m.heapTotal / Math.max(1, m.heapUsed), 2)],
    ['allocator_frag_bytes', m.heapTotal - m.heapUsed],
    ['allocator_rss_ratio', fixed(m.rss / Math.max(1, m.heapTotal), 2)],
    ['allocator_rss_bytes', m.rss - m.heapTotal],
    ['rss_overhead_ratio', fixed(m.rss / Math.max(1, m.rss), 2)],
    ['rss_overhead_bytes', 0],
    ['mem_fragmentation_ratio', fixed(m.rss / Math.max(1, used), 2)],
    ['mem_fragmentation_bytes', m.rss - used],
    ['mem_not_counted_for_evict', 0],
    ['mem_replication_backlog', 0],
    ['mem_total_replication_buffers', 0],
    ['mem_clients_slaves', clientsReplicas],
    ['mem_clients_normal', clientsNormal],
    ['mem_cluster_links', 0],
    ['mem_aof_buffer', 0],
    ['mem_allocator', 'libc'],
    ['active_defrag_running', 0],
    ['lazyfree_pending_objects', 0],
    ['lazyfreed_objects', 0],
  ];
}

function persistenceSection(s: Server): InfoFields {
  return [
    ['loading', 0],
    ['async_loading', 0],
    ['current_cow_peak', 0],
    ['current_cow_size', 0],
    ['current_cow_size_age', 0],
    ['current_fork_perc', '0.00'],
    ['current_save_keys_processed', 0],
    ['current_save_keys_total', 0],
    ['rdb_changes_since_last_save', s.dirty],
    ['rdb_bgsave_in_progress', 0],
    ['rdb_last_save_time', s.lastSave],
    ['rdb_last_bgsave_status', 'ok'],
    ['rdb_last_bgsave_time_sec', -1],
    ['rdb_current_bgsave_time_sec', -1],
    ['rdb_saves', 0],
    ['rdb_last_cow_size', 0],
    ['rdb_last_load_keys_expired', 0],
    ['rdb_last_load_keys_loaded', 0],
    ['aof_enabled', s.config.getBool('appendonly') ? 1 : 0],
    ['aof_rewrite_in_progress', 0],
    ['aof_rewrite_scheduled', 0],
    ['aof_last_rewrite_time_sec', -1],
    ['aof_current_rewrite_time_sec', -1],
    ['aof_last_bgrewrite_status', 'ok'],
    ['aof_rewrites', 0],
    ['aof_rewrites_consecutive_failures', 0],
    ['aof_last_write_status', 'ok'],
    ['aof_last_cow_size', 0],
    ['module_fork_in_progress', 0],
    ['module_fork_last_cow_size', 0],
  ];
}

function statsSection(s: Server): InfoFields {
  const st = s.stats;
  return [
    ['total_connections_received', st.totalConnections],
    ['total_commands_processed', st.totalCommands],
    ['instantaneous_ops_per_sec', st.instantaneousOps],
    ['total_net_input_bytes', st.netInputBytes],
    ['total_net_output_bytes', st.netOutputBytes],
    ['total_net_repl_input_bytes', 0],
    ['total_net_repl_output_bytes', 0],
    ['instantaneous_input_kbps', fixed(st.instantaneousInputKbps, 2)],
    ['instantaneous_output_kbps', fixed(st.instantaneousOutputKbps, 2)],
    ['instantaneous_input_repl_kbps', '0.00'],
    ['instantaneous_output_repl_kbps', '0.00'],
    ['rejected_connections', st.rejectedConnections],
    ['sync_full', 0],
    ['sync_partial_ok', 0],
    ['sync_partial_err', 0],
    ['expired_keys', st.expiredKeys],
    ['expired_stale_perc', '0.00'],
    ['expired_time_cap_reached_count', 0],
    ['expire_cycle_cpu_milliseconds', 0],
    ['evicted_keys', st.evictedKeys],
    ['evicted_clients', st.evictedClients],
    ['total_eviction_exceeded_time', 0],
    ['current_eviction_exceeded_time', 0],
    ['keyspace_hits', st.keyspaceHits],
    ['keyspace_misses', st.keyspaceMisses],
    ['pubsub_channels', s.pubsub.channels.size],
    ['pubsub_patterns', s.pubsub.patterns.size],
    ['pubsubshard_channels', s.pubsub.shardChannels.size],
    ['latest_fork_usec', 0],
    ['total_forks', 0],
    ['migrate_cached_sockets', 0],
    ['slave_expires_tracked_keys', 0],
    ['active_defrag_hits', 0],
    ['active_defrag_misses', 0],
    ['active_defrag_key_hits', 0],
    ['active_defrag_key_misses', 0],
    ['total_active_defrag_time', 0],
    ['current_active_defrag_time', 0],
    ['tracking_total_keys', 0],
    ['tracking_total_items', 0],
    ['tracking_total_prefixes', 0],
    ['unexpected_error_replies', st.unexpectedErrorReplies],
    ['total_error_replies', st.totalErrorReplies],
    ['dump_payload_sanitizations', 0],
    ['total_reads_processed', st.totalCommands],
    ['total_writes_processed', st.totalCommands],
    ['io_threaded_reads_processed', 0],
    ['io_threaded_writes_processed', 0],
    ['reply_buffer_shrinks', 0],
    ['reply_buffer_expands', 0],
  ];
}

function replicationSection(s: Server): InfoFields {
  return [
    ['role', s.isReplica ? 'slave' : 'master'],
    ['connected_slaves', 0],
    ['master_failover_state', 'no-failover'],
    ['master_replid', s.runId],
    ['master_replid2', '0000000000000000000000000000000000000000'],
    ['master_repl_offset', 0],
    ['second_repl_offset', -1],
    ['repl_backlog_active', 0],
    ['repl_backlog_size', s.config.get('repl-backlog-size')],
    ['repl_backlog_first_byte_offset', 0],
    ['repl_backlog_histlen', 0],
  ];
}

function cpuSection(): InfoFields {
  const u = process.cpuUsage();
  return [
    ['used_cpu_sys', cpuSeconds(u.system)],
    ['used_cpu_user', cpuSeconds(u.user)],
    ['used_cpu_sys_children', '0.000000'],
    ['used_cpu_user_children', '0.000000'],
    ['used_cpu_sys_main_thread', cpuSeconds(u.system)],
    ['used_cpu_user_main_thread', cpuSeconds(u.user)],
  ];
}

function commandstatsSection(s: Server): InfoFields {
  const out: InfoFields = [];
  for (const c of s.commands.everything()) {
    const st = c.stats;
    if (st.calls === 0 && st.failed === 0 && st.rejected === 0) continue;
    const usec = Math.floor(st.usec);
    const perCall = st.calls === 0 ? 0 : st.usec / st.calls;
    out.push([`cmdstat_${c.fullName}`, `calls=${st.calls},usec=${usec},usec_per_call=${fixed(perCall, 2)},rejected_calls=${st.rejected},failed_calls=${st.failed}`]);
  }
  return out;
}

function errorstatsSection(s: Server): InfoFields {
  const codes = [...s.stats.errors.keys()].sort();
  return codes.map((code) => [`errorstat_${code}`, `count=${s.stats.errors.get(code)}`]);
}

function latencystatsSection(s: Server): InfoFields {
  const percentiles = s.config.get('latency-tracking-info-percentiles').split(' ').filter((p) => p !== '');
  const out: InfoFields = [];
  for (const c of s.commands.everything()) {
    const h = s.slowlog.latency.get(c.fullName);
    if (h === undefined || h.total === 0) continue;
    const parts = percentiles.map((p) => `p${p}=${h.percentile(Number(p)).toFixed(3)}`);
    out.push([`latency_percentiles_usec_${c.fullName}`, parts.join(',')]);
  }
  return out;
}

function keyspaceSection(s: Server): InfoFields {
  const out: InfoFields = [];
  for (const db of s.dbs) {
    if (db.size === 0) continue;
    out.push([`db${db.id}`, `keys=${db.size},expires=${db.expires.size},avg_ttl=${Math.floor(db.avgTtl)}`]);
  }
  return out;
}

const GENERATORS: Record<string, InfoSectionFn> = {
  server: serverSection,
  clients: clientsSection,
  memory: memorySection,
  persistence: persistenceSection,
  stats: statsSection,
  replication: replicationSection,
  cpu: () => cpuSection(),
  modules: () => [],
  commandstats: commandstatsSection,
  errorstats: errorstatsSection,
  latencystats: latencystatsSection,
  cluster: (s) => [['cluster_enabled', s.config.getBool('cluster-enabled') ? 1 : 0]],
  keyspace: keyspaceSection,
};

/** Which sections INFO's arguments select (none: the default set). */
export function selectSections(args: string[]): Set<string> {
  const want = new Set<string>();
  if (args.length === 0) {
    for (const sec of DEFAULT_SECTIONS) want.add(sec);
    return want;
  }
  for (const a of args) {
    const n = a.toLowerCase();
    if (n === 'all') {
      for (const [sec] of SECTION_ORDER) if (sec !== 'modules') want.add(sec);
    } else if (n === 'everything') {
      for (const [sec] of SECTION_ORDER) want.add(sec);
    } else if (n === 'default') {
      for (const sec of DEFAULT_SECTIONS) want.add(sec);
    } else want.add(n);
  }
  return want;
}

/** The INFO text for the given arguments (sections separated by an empty line, CRLF line ends). */
export function genInfo(server: Server, args: string[]): string {
  const want = selectSections(args);
  const parts: string[] = [];
  for (const [sec, title] of SECTION_ORDER) {
    if (!want.has(sec)) continue;
    const fields = (overrides.get(sec) ?? GENERATORS[sec])(server);
    for (const extra of extras.get(sec) ?? []) fields.push(...extra(server));
    let text = `# ${title}\r\n`;
    for (const [k, v] of fields) text += `${k}:${v}\r\n`;
    parts.push(text);
  }
  return parts.join('\r\n');
}

/** The scripting lines of INFO memory, in Redis 7.0's order, with the human forms it adds. */
function scriptingMemoryFields(s: Server): Array<[string, number | string]> {
  const f = new Map(scriptingInfo(s));
  const n = (k: string) => f.get(k) ?? 0;
  return [
    ['used_memory_lua', n('used_memory_lua')],
    ['used_memory_vm_eval', n('used_memory_vm_eval')],
    ['used_memory_lua_human', bytesToHuman(n('used_memory_lua'))],
    ['used_memory_scripts_eval', n('used_memory_scripts_eval')],
    ['number_of_cached_scripts', n('number_of_cached_scripts')],
    ['number_of_functions', n('number_of_functions')],
    ['number_of_libraries', n('number_of_libraries')],
    ['used_memory_vm_functions', n('used_memory_vm_functions')],
    ['used_memory_vm_total', n('used_memory_vm_total')],
    ['used_memory_vm_total_human', bytesToHuman(n('used_memory_vm_total'))],
    ['used_memory_functions', n('used_memory_functions')],
    ['used_memory_scripts', n('used_memory_scripts')],
    ['used_memory_scripts_human', bytesToHuman(n('used_memory_scripts'))],
  ];
}
