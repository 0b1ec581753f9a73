/**
 * Keyspace notifications (`notify-keyspace-events`): every command family
 * calls notify() after a change with its event class letter, and the flags
 * decide whether `__keyspace@N__:key` / `__keyevent@N__:event` are published.
 */

/** Event classes, as the letters of notify-keyspace-events. */
export const NOTIFY = {
  keyspace: 1 << 0, // K
  keyevent: 1 << 1, // E
  generic: 1 << 2, // g
  string: 1 << 3, // $
  list: 1 << 4, // l
  set: 1 << 5, // s
  hash: 1 << 6, // h
  zset: 1 << 7, // z
  expired: 1 << 8, // x
  evicted: 1 << 9, // e
  stream: 1 << 10, // t
  keyMiss: 1 << 11, // m
  loaded: 1 << 12, // module only
  module: 1 << 13, // d
  newKey: 1 << 14, // n
} as const;

const ALL = NOTIFY.generic | NOTIFY.string | NOTIFY.list | NOTIFY.set | NOTIFY.hash | NOTIFY.zset | NOTIFY.expired | NOTIFY.evicted | NOTIFY.stream | NOTIFY.module;

export function parseNotifyFlags(s: string): number {
  let flags = 0;
  for (const ch of s) {
    switch (ch) {
      case 'A': flags |= ALL; break;
      case 'g': flags |= NOTIFY.generic; break;
      case '$': flags |= NOTIFY.string; break;
      case 'l': flags |= NOTIFY.list; break;
      case 's': flags |= NOTIFY.set; break;
      case 'h': flags |= NOTIFY.hash; break;
      case 'z': flags |= NOTIFY.zset; break;
      case 'x': flags |= NOTIFY.expired; break;
      case 'e': flags |= NOTIFY.evicted; break;
      case 'K': flags |= NOTIFY.keyspace; break;
      case 'E': flags |= NOTIFY.keyevent; break;
      case 't': flags |= NOTIFY.stream; break;
      case 'm': flags |= NOTIFY.keyMiss; break;
      case 'd': flags |= NOTIFY.module; break;
      case 'n': flags |= NOTIFY.newKey; break;
    }
  }
  return flags;
}
