/**
 * The command table: every family module contributes its CommandSpecs here,
 * and dispatch, COMMAND and ACL categories all read from the result.
 */
import type { Command, CommandSpec } from './types';
import { connectionCommands } from './connection';
import { stringCommands } from './strings';
import { bitCommands } from './bitops';
import { keyspaceCommands } from './keyspace';
import { serverCommands } from './server';
import { listCommands } from './lists';
import { hashCommands } from './hashes';
import { setCommands } from './sets';
import { zsetCommands } from './zsets';
import { sortCommands } from './sort';
import { transactionCommands } from './transactions';
import { pubsubCommands } from './pubsub';
import { scriptingCommands } from './scripting';
import { replicationCommands } from './replication';
import { memoryCommands } from './memory';

export const commandFamilies: CommandSpec[][] = [
  connectionCommands,
  stringCommands,
  bitCommands,
  keyspaceCommands,
  serverCommands,
  listCommands,
  hashCommands,
  setCommands,
  zsetCommands,
  sortCommands,
  transactionCommands,
  pubsubCommands,
  scriptingCommands,
  replicationCommands,
  memoryCommands,
];

function impliedCategories(spec: CommandSpec): string[] {
  const cats: string[] = [];
  const f = new Set(spec.flags);
  if (f.has('write')) cats.push('write');
  if (f.has('readonly') && spec.group !== 'scripting') cats.push('read');
  if (f.has('admin')) cats.push('admin', 'dangerous');
  if (f.has('pubsub')) cats.push('pubsub');
  if (f.has('fast')) cats.push('fast');
  if (f.has('blocking')) cats.push('blocking');
  if (!f.has('fast')) cats.push('slow');
  return cats;
}

function resolve(spec: CommandSpec, parent?: Command): Command {
  const fullName = parent ? `${parent.name}|${spec.name}` : spec.name;
  const declared = spec.categories;
  const cats = [...declared];
  for (const c of impliedCategories(spec)) if (!cats.includes(c)) cats.push(c);
  const command: Command = {
    ...spec,
    fullName,
    parent,
    aclCategories: cats,
    isWrite: spec.flags.includes('write'),
    isReadonly: spec.flags.includes('readonly'),
    denyOom: spec.flags.includes('denyoom'),
    stats: { calls: 0, usec: 0, rejected: 0, failed: 0 },
  };
  if (spec.subcommands) {
    command.subcommandMap = new Map();
    for (const sub of spec.subcommands) command.subcommandMap.set(sub.name, resolve(sub, command));
  }
  return command;
}

export class CommandTable {
  /** Keyed by lower-case name, and also by upper-case so the common spellings skip toLowerCase. */
  private byName = new Map<string, Command>();
  readonly all: Command[] = [];

  constructor(families: CommandSpec[][] = commandFamilies) {
    for (const family of families) for (const spec of family) this.add(spec);
  }

  add(spec: CommandSpec): void {
    const c = resolve(spec);
    if (this.byName.has(c.name)) throw new Error(`command ${c.name} declared twice`);
    this.all.push(c);
    this.byName.set(c.name, c);
    this.byName.set(c.name.toUpperCase(), c);
  }

  lookup(name: string): Command | undefined {
    return this.byName.get(name) ?? this.byName.get(name.toLowerCase());
  }

  /**
   * rename-command: the command answers to `to` instead of `from` (an empty
   * `to` removes it). COMMAND still describes it under its own name, as Redis does.
   */
  rename(from: string, to: string): 'ok' | 'nosuch' | 'exists' {
    const c = this.lookup(from);
    if (c === undefined) return 'nosuch';
    const target = to.toLowerCase();
    if (target !== '' && this.byName.has(target)) return 'exists';
    for (const [k, v] of [...this.byName]) if (v === c) this.byName.delete(k);
    if (target !== '') {
      this.byName.set(target, c);
      this.byName.set(target.toUpperCase(), c);
    }
    return 'ok';
  }

  /** Every command and subcommand. */
  *everything(): IterableIterator<Command> {
    for (const c of this.all) {
      yield c;
      if (c.subcommandMap) yield* c.subcommandMap.values();
    }
  }
}
