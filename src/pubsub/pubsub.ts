/**
 * Channels and patterns with their subscribers. Messages are written to the
 * subscribers' output (an array in RESP2, a push in RESP3) and flushed after
 * the publishing command; client-output-buffer-limit pubsub disconnects a
 * subscriber that does not read them.
 *
 * Subscribers of a channel are kept in subscription order (a Set keeps
 * insertion order), so every subscriber sees messages in publish order and
 * the delivery order across subscribers is Redis's.
 */
import type { Client } from '../server/client';
import { globMatch } from '../util/glob';

/** Which kind of subscription: the Client field that holds it and the reply words. */
export type SubscriptionKind = 'channel' | 'pattern' | 'shard';

const WORDS: Record<SubscriptionKind, { sub: string; unsub: string }> = {
  channel: { sub: '$9\r\nsubscribe\r\n', unsub: '$11\r\nunsubscribe\r\n' },
  pattern: { sub: '$10\r\npsubscribe\r\n', unsub: '$12\r\npunsubscribe\r\n' },
  shard: { sub: '$10\r\nssubscribe\r\n', unsub: '$12\r\nsunsubscribe\r\n' },
};

function bulkText(s: string): string {
  return '$' + s.length + '\r\n' + s + '\r\n';
}

export class PubSub {
  readonly channels = new Map<string, Set<Client>>();
  readonly patterns = new Map<string, Set<Client>>();
  readonly shardChannels = new Map<string, Set<Client>>();

  /**
   * Pushes for a client that runs a command with CLIENT REPLY OFF/SKIP: the
   * server drops that command's replies, not these (see releaseHeld).
   */
  readonly heldPushes = new Map<Client, string>();

  /** Writes a push (confirmation or message) to a client. */
  private push(c: Client, s: string): void {
    if (c.replyMode !== 'on' && c.currentCommand !== null) {
      this.heldPushes.set(c, (this.heldPushes.get(c) ?? '') + s);
    } else {
      c.raw(s);
    }
  }

  /** Called by the server once a client's top-level command and its reply trimming are done. */
  releaseHeld(c: Client): void {
    const s = this.heldPushes.get(c);
    if (s === undefined) return;
    this.heldPushes.delete(c);
    c.raw(s);
  }

  /** Whether anyone listens to channels or patterns (keyspace notifications skip building messages otherwise). */
  get hasSubscribers(): boolean {
    return this.channels.size > 0 || this.patterns.size > 0;
  }

  private index(kind: SubscriptionKind): Map<string, Set<Client>> {
    return kind === 'channel' ? this.channels : kind === 'pattern' ? this.patterns : this.shardChannels;
  }

  private own(c: Client, kind: SubscriptionKind): Set<string> | null {
    return kind === 'channel' ? c.channels : kind === 'pattern' ? c.patterns : c.shardChannels;
  }

  /** The count a (un)subscribe confirmation carries: channels + patterns, or shard channels alone. */
  private countFor(c: Client, kind: SubscriptionKind): number {
    return kind === 'shard' ? (c.shardChannels?.size ?? 0) : c.subscriptionCount;
  }

  private confirm(c: Client, word: string, name: string | null, count: number): void {
    const nameText = name === null ? (c.resp === 3 ? '_\r\n' : '$-1\r\n') : bulkText(name);
    this.push(c, (c.resp === 3 ? '>3\r\n' : '*3\r\n') + word + nameText + ':' + count + '\r\n');
  }

  /** SUBSCRIBE / PSUBSCRIBE / SSUBSCRIBE of one name, with its confirmation. */
  subscribe(c: Client, kind: SubscriptionKind, name: string): void {
    let own = this.own(c, kind);
    if (own === null) {
      own = new Set();
      if (kind === 'channel') c.channels = own;
      else if (kind === 'pattern') c.patterns = own;
      else c.shardChannels = own;
    }
    if (!own.has(name)) {
      own.add(name);
      const index = this.index(kind);
      const subs = index.get(name);
      if (subs === undefined) index.set(name, new Set([c]));
      else subs.add(c);
    }
    this.confirm(c, WORDS[kind].sub, name, this.countFor(c, kind));
  }

  /** UNSUBSCRIBE / PUNSUBSCRIBE / SUNSUBSCRIBE of one name (subscribed or not), with its confirmation. */
  unsubscribe(c: Client, kind: SubscriptionKind, name: string, notify = true): void {
    const own = this.own(c, kind);
    if (own !== null && own.delete(name)) {
      const index = this.index(kind);
      const subs = index.get(name);
      if (subs !== undefined) {
        subs.delete(c);
        if (subs.size === 0) index.delete(name);
      }
    }
    if (notify) this.confirm(c, WORDS[kind].unsub, name, this.countFor(c, kind));
  }

  /** Unsubscribes from every name of a kind; with none, a single confirmation with a null name. Returns how many. */
  unsubscribeAll(c: Client, kind: SubscriptionKind, notify = true): number {
    const own = this.own(c, kind);
    const names = own === null ? [] : [...own];
    for (const name of names) this.unsubscribe(c, kind, name, notify);
    if (notify && names.length === 0) this.confirm(c, WORDS[kind].unsub, null, this.countFor(c, kind));
    return names.length;
  }

  /** Delivers to channel and pattern subscribers; returns the number of receivers. */
  publish(channel: string, message: string): number {
    let receivers = 0;
    const subs = this.channels.get(channel);
    let tail = '';
    if (subs !== undefined) {
      tail = '$7\r\nmessage\r\n' + bulkText(channel) + bulkText(message);
      for (const c of subs) {
        this.push(c, (c.resp === 3 ? '>3\r\n' : '*3\r\n') + tail);
        c.wake();
        receivers++;
      }
    }
    if (this.patterns.size > 0) {
      tail = '';
      for (const [pattern, clients] of this.patterns) {
        if (!globMatch(pattern, channel)) continue;
        if (tail === '') tail = bulkText(channel) + bulkText(message);
        const head = '$8\r\npmessage\r\n' + bulkText(pattern);
        for (const c of clients) {
          this.push(c, (c.resp === 3 ? '>4\r\n' : '*4\r\n') + head + tail);
          c.wake();
          receivers++;
        }
      }
    }
    return receivers;
  }

  /** Delivers to shard channel subscribers (SPUBLISH). */
  publishShard(channel: string, message: string): number {
    const subs = this.shardChannels.get(channel);
    if (subs === undefined) return 0;
    const tail = '$8\r\nsmessage\r\n' + bulkText(channel) + bulkText(message);
    for (const c of subs) {
      this.push(c, (c.resp === 3 ? '>3\r\n' : '*3\r\n') + tail);
      c.wake();
    }
    return subs.size;
  }

  /** Drops every subscription of a client (disconnection, RESET) without confirmations. */
  removeClient(c: Client): void {
    this.heldPushes.delete(c);
    this.unsubscribeAll(c, 'channel', false);
    this.unsubscribeAll(c, 'pattern', false);
    this.unsubscribeAll(c, 'shard', false);
  }
}
