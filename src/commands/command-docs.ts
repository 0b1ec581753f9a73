/**
 * COMMAND's replies (INFO, DOCS, GETKEYS, LIST), built from the command
 * table: every family's CommandSpec is the single source, nothing here is
 * written per command.
 */
import type { ReplyWriter } from '../protocol/reply';
import type { Command, CommandArg, CommandFlag, KeySpec } from './types';

/** ACL categories in Redis's table order (COMMAND INFO lists them in this order). */
export const ACL_CATEGORIES = [
  'keyspace',
  'read',
  'write',
  'set',
  'sortedset',
  'list',
  'hash',
  'string',
  'bitmap',
  'hyperloglog',
  'geo',
  'stream',
  'pubsub',
  'admin',
  'fast',
  'slow',
  'blocking',
  'dangerous',
  'connection',
  'transaction',
  'scripting',
];

/** Command flags in the order COMMAND INFO prints them (some flags are internal and not shown). */
const FLAG_ORDER: CommandFlag[] = [
  'write',
  'readonly',
  'denyoom',
  'module',
  'admin',
  'pubsub',
  'noscript',
  'blocking',
  'loading',
  'stale',
  'skip_monitor',
  'skip_slowlog',
  'asking',
  'fast',
  'no_auth',
  'may_replicate',
  'no_mandatory_keys',
  'no_async_loading',
  'no_multi',
  'allow_busy',
];

/** Whether a command's keys cannot be found from first/last/step alone. */
export function isMovable(cmd: Command): boolean {
  if (cmd.getKeys !== undefined) return true;
  if (cmd.keySpecs === undefined) return false;
  return cmd.keySpecs.some((ks) => typeof ks.beginSearch !== 'object' || !('index' in ks.beginSearch) || typeof ks.findKeys !== 'object' || !('lastKey' in ks.findKeys));
}

export function commandFlags(cmd: Command): string[] {
  const out: string[] = [];
  for (const f of FLAG_ORDER) if (cmd.flags.includes(f)) out.push(f);
  if (isMovable(cmd)) out.push('movablekeys');
  return out;
}

export function sortedCategories(cmd: Command): string[] {
  return ACL_CATEGORIES.filter((c) => cmd.aclCategories.includes(c));
}

/** The key specs of a command: declared, or derived from its legacy first/last/step. */
export function keySpecsOf(cmd: Command): KeySpec[] {
  if (cmd.keySpecs !== undefined) return cmd.keySpecs;
  if (cmd.firstKey <= 0) return [];
  const flags = cmd.isWrite ? ['RW', 'update'] : ['RO', 'access'];
  const last = cmd.lastKey < 0 ? cmd.lastKey : cmd.lastKey - cmd.firstKey;
  return [{ flags, beginSearch: { index: cmd.firstKey }, findKeys: { lastKey: last, keyStep: cmd.keyStep || 1, limit: 0 } }];
}

function writeKeySpec(c: ReplyWriter, ks: KeySpec): void {
  c.mapHeader(ks.notes !== undefined ? 4 : 3);
  if (ks.notes !== undefined) {
    c.bulk('notes');
    c.bulk(ks.notes);
  }
  c.bulk('flags');
  c.setHeader(ks.flags.length);
  for (const f of ks.flags) c.status(f);
  c.bulk('begin_search');
  c.mapHeader(2);
  c.bulk('type');
  const bs = ks.beginSearch;
  if (bs === 'unknown') {
    c.bulk('unknown');
    c.bulk('spec');
    c.mapHeader(0);
  } else if ('index' in bs) {
    c.bulk('index');
    c.bulk('spec');
    c.mapHeader(1);
    c.bulk('index');
    c.int(bs.index);
  } else {
    c.bulk('keyword');
    c.bulk('spec');
    c.mapHeader(2);
    c.bulk('keyword');
    c.bulk(bs.keyword);
    c.bulk('startfrom');
    c.int(bs.startFrom);
  }
  c.bulk('find_keys');
  c.mapHeader(2);
  c.bulk('type');
  const fk = ks.findKeys;
  if (fk === 'unknown') {
    c.bulk('unknown');
    c.bulk('spec');
    c.mapHeader(0);
  } else if ('lastKey' in fk) {
    c.bulk('range');
    c.bulk('spec');
    c.mapHeader(3);
    c.bulk('lastkey');
    c.int(fk.lastKey);
    c.bulk('keystep');
    c.int(fk.keyStep);
    c.bulk('limit');
    c.int(fk.limit);
  } else {
    c.bulk('keynum');
    c.bulk('spec');
    c.mapHeader(3);
    c.bulk('keynumidx');
    c.int(fk.keyNumIdx);
    c.bulk('firstkey');
    c.int(fk.firstKey);
    c.bulk('keystep');
    c.int(fk.keyStep);
  }
}

/** One command's COMMAND INFO entry (10 fields, subcommands nested). */
export function writeCommandInfo(c: ReplyWriter, cmd: Command): void {
  c.arrayHeader(10);
  c.bulk(cmd.fullName);
  c.int(cmd.arity);
  const flags = commandFlags(cmd);
  c.setHeader(flags.length);
  for (const f of flags) c.status(f);
  c.int(cmd.firstKey);
  c.int(cmd.lastKey);
  c.int(cmd.keyStep);
  const cats = sortedCategories(cmd);
  c.setHeader(cats.length);
  for (const cat of cats) c.status('@' + cat);
  const tips = cmd.tips ?? [];
  c.setHeader(tips.length);
  for (const t of tips) c.bulk(t);
  const specs = keySpecsOf(cmd);
  c.setHeader(specs.length);
  for (const ks of specs) writeKeySpec(c, ks);
  const subs = cmd.subcommandMap ? [...cmd.subcommandMap.values()] : [];
  c.setHeader(subs.length);
  for (const s of subs) writeCommandInfo(c, s);
}

function writeArg(c: ReplyWriter, a: CommandArg): void {
  const flags: string[] = [];
  if (a.optional) flags.push('optional');
  if (a.multiple) flags.push('multiple');
  if (a.multiple_token) flags.push('multiple_token');
  let n = 2;
  if (a.display !== undefined) n++;
  if (a.key_spec_index !== undefined) n++;
  if (a.token !== undefined) n++;
  if (a.summary !== undefined) n++;
  if (a.since !== undefined) n++;
  if (a.deprecated_since !== undefined) n++;
  if (flags.length > 0) n++;
  if (a.arguments !== undefined) n++;
  c.mapHeader(n);
  c.bulk('name');
  c.bulk(a.name);
  c.bulk('type');
  c.bulk(a.type);
  if (a.display !== undefined) {
    c.bulk('display_text');
    c.bulk(a.display);
  }
  if (a.key_spec_index !== undefined) {
    c.bulk('key_spec_index');
    c.int(a.key_spec_index);
  }
  if (a.token !== undefined) {
    c.bulk('token');
    c.bulk(a.token);
  }
  if (a.summary !== undefined) {
    c.bulk('summary');
    c.bulk(a.summary);
  }
  if (a.since !== undefined) {
    c.bulk('since');
    c.bulk(a.since);
  }
  if (a.deprecated_since !== undefined) {
    c.bulk('deprecated_since');
    c.bulk(a.deprecated_since);
  }
  if (flags.length > 0) {
    c.bulk('flags');
    c.setHeader(flags.length);
    for (const f of flags) c.status(f);
  }
  if (a.arguments !== undefined) {
    c.bulk('arguments');
    c.arrayHeader(a.arguments.length);
    for (const sub of a.arguments) writeArg(c, sub);
  }
}

/** One command's COMMAND DOCS map (without its name). */
export function writeCommandDocs(c: ReplyWriter, cmd: Command): void {
  const subs = cmd.subcommandMap ? [...cmd.subcommandMap.values()] : [];
  let n = 3; // summary, since, group
  if (cmd.complexity !== undefined) n++;
  if (cmd.docFlags !== undefined && cmd.docFlags.length > 0) n++;
  if (cmd.deprecatedSince !== undefined) n++;
  if (cmd.replacedBy !== undefined) n++;
  if (cmd.history !== undefined && cmd.history.length > 0) n++;
  if (cmd.args !== undefined && cmd.args.length > 0) n++;
  if (subs.length > 0) n++;
  c.mapHeader(n);
  c.bulk('summary');
  c.bulk(cmd.summary);
  c.bulk('since');
  c.bulk(cmd.since);
  c.bulk('group');
  c.bulk(cmd.group);
  if (cmd.complexity !== undefined) {
    c.bulk('complexity');
    c.bulk(cmd.complexity);
  }
  if (cmd.docFlags !== undefined && cmd.docFlags.length > 0) {
    c.bulk('doc_flags');
    c.setHeader(cmd.docFlags.length);
    for (const f of cmd.docFlags) c.status(f);
  }
  if (cmd.deprecatedSince !== undefined) {
    c.bulk('deprecated_since');
    c.bulk(cmd.deprecatedSince);
  }
  if (cmd.replacedBy !== undefined) {
    c.bulk('replaced_by');
    c.bulk(cmd.replacedBy);
  }
  if (cmd.history !== undefined && cmd.history.length > 0) {
    c.bulk('history');
    c.setHeader(cmd.history.length);
    for (const [v, what] of cmd.history) {
      c.arrayHeader(2);
      c.bulk(v);
      c.bulk(what);
    }
  }
  if (cmd.args !== undefined && cmd.args.length > 0) {
    c.bulk('arguments');
    c.arrayHeader(cmd.args.length);
    for (const a of cmd.args) writeArg(c, a);
  }
  if (subs.length > 0) {
    c.bulk('subcommands');
    c.mapHeader(subs.length);
    for (const s of subs) {
      c.bulk(s.fullName);
      writeCommandDocs(c, s);
    }
  }
}

/** Whether a command has key arguments at all (COMMAND GETKEYS refuses those that have none). */
export function commandHasKeys(cmd: Command): boolean {
  // Specs flagged not_key (shard channels) name no keys.
  return cmd.getKeys !== undefined || keySpecsOf(cmd).some((ks) => !ks.flags.includes('not_key'));
}

/**
 * The positions of the keys in `argv` and the flags of the key spec each
 * came from. Positions beyond argv are dropped (as Redis does for bad counts).
 */
export function commandKeysWithFlags(cmd: Command, argv: string[]): Array<{ pos: number; flags: string[] }> {
  if (cmd.getKeys !== undefined) {
    const specs = keySpecsOf(cmd);
    const flags = specs.length === 1 ? specs[0].flags : cmd.isWrite ? ['RW', 'update'] : ['RO', 'access'];
    return cmd.getKeys(argv)
      .filter((p) => p > 0 && p < argv.length)
      .map((pos) => ({ pos, flags }));
  }
  const out: Array<{ pos: number; flags: string[] }> = [];
  for (const ks of keySpecsOf(cmd)) {
    if (ks.flags.includes('not_key')) continue;
    let start: number;
    const bs = ks.beginSearch;
    if (bs === 'unknown') continue;
    if ('index' in bs) start = bs.index;
    else {
      start = -1;
      const kw = bs.keyword.toLowerCase();
      if (bs.startFrom >= 0) {
        for (let i = bs.startFrom; i < argv.length; i++) {
          if (argv[i].toLowerCase() === kw) {
            start = i + 1;
            break;
          }
        }
      } else {
        for (let i = argv.length + bs.startFrom; i > 0; i--) {
          if (argv[i].toLowerCase() === kw) {
            start = i + 1;
            break;
          }
        }
      }
      if (start < 0) continue;
    }
    const fk = ks.findKeys;
    if (fk === 'unknown') continue;
    if ('lastKey' in fk) {
      let last: number;
      if (fk.lastKey >= 0) last = start + fk.lastKey;
      else if (fk.limit > 1) last = start + Math.floor((argv.length - start) / fk.limit) - 1;
      else last = argv.length + fk.lastKey;
      for (let i = start; i <= last && i < argv.length; i += fk.keyStep) out.push({ pos: i, flags: ks.flags });
    } else {
      const numIdx = start + fk.keyNumIdx;
      if (numIdx >= argv.length) continue;
      const n = Number(argv[numIdx]);
      if (!Number.isInteger(n) || n < 0) continue;
      const first = start + fk.firstKey;
      for (let k = 0; k < n; k++) {
        const i = first + k * fk.keyStep;
        if (i >= argv.length) break;
        out.push({ pos: i, flags: ks.flags });
      }
    }
  }
  return out;
}
