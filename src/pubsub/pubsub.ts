/**
 * Channels and patterns with their subscribers. Messages are written to the
 * subscribers' output (an array in RESP2, a push in RESP3) and flushed after
 * the publishing command.
 */
import type { Client } from '../server/client';
import { globMatch } from '../util/glob';

export class PubSub {
  readonly channels = new Map<string, Set<Client>>();
  readonly patterns = new Map<string, Set<Client>>();
  readonly shardChannels = new Map<string, Set<Client>>();

  /** Delivers to channel and pattern subscribers; returns the number of receivers. */
  publish(channel: string, message: string): number {
    let receivers = 0;
    const subs = this.channels.get(channel);
    if (subs) {
      for (const c of subs) {
        c.pushHeader(3);
        c.bulk('message');
        c.bulk(channel);
        c.bulk(message);
        c.wake();
        receivers++;
      }
    }
    if (this.patterns.size > 0) {
      for (const [pattern, clients] of this.patterns) {
        if (!globMatch(pattern, channel)) continue;
        for (const c of clients) {
          c.pushHeader(4);
          c.bulk('pmessage');
          c.bulk(pattern);
          c.bulk(channel);
          c.bulk(message);
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
    if (!subs) return 0;
    for (const c of subs) {
      c.pushHeader(3);
      c.bulk('smessage');
      c.bulk(channel);
      c.bulk(message);
      c.wake();
    }
    return subs.size;
  }

  /** Drops every subscription of a client that goes away. */
  removeClient(c: Client): void {
    const drop = (own: Set<string> | null, index: Map<string, Set<Client>>) => {
      if (!own) return;
      for (const name of own) {
        const set = index.get(name);
        if (!set) continue;
        set.delete(c);
        if (set.size === 0) index.delete(name);
      }
      own.clear();
    };
    drop(c.channels, this.channels);
    drop(c.patterns, this.patterns);
    drop(c.shardChannels, this.shardChannels);
  }
}
