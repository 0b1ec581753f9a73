/**
 * Decodes RESP2/RESP3 replies (the server side of the protocol, read back).
 * Lua's redis.call reads the replies of the commands it runs through this,
 * as Redis does, and replicas read their primary's replies with it.
 */

export type RespValue =
  | { type: 'status'; value: string }
  | { type: 'error'; value: string }
  | { type: 'int'; value: bigint }
  | { type: 'bulk'; value: string }
  | { type: 'null' }
  | { type: 'array'; value: RespValue[] }
  | { type: 'map'; value: Array<[RespValue, RespValue]> }
  | { type: 'set'; value: RespValue[] }
  | { type: 'push'; value: RespValue[] }
  | { type: 'double'; value: number; text: string }
  | { type: 'bool'; value: boolean }
  | { type: 'bignum'; value: string }
  | { type: 'verbatim'; value: string; format: string };

/**
 * Parses one reply from `s` (latin1 text) at `pos`. Returns the value and the
 * position after it, or null when the text is incomplete.
 */
export function readReply(s: string, pos = 0): { value: RespValue; end: number } | null {
  if (pos >= s.length) return null;
  const nl = s.indexOf('\r\n', pos);
  if (nl < 0) return null;
  const t = s[pos];
  const line = s.slice(pos + 1, nl);
  const next = nl + 2;
  switch (t) {
    case '+':
      return { value: { type: 'status', value: line }, end: next };
    case '-':
      return { value: { type: 'error', value: line }, end: next };
    case ':':
      return { value: { type: 'int', value: BigInt(line) }, end: next };
    case '_':
      return { value: { type: 'null' }, end: next };
    case '#':
      return { value: { type: 'bool', value: line === 't' }, end: next };
    case ',': {
      const l = line.toLowerCase();
      const v = l === 'inf' ? Infinity : l === '-inf' ? -Infinity : l === 'nan' ? NaN : Number(line);
      return { value: { type: 'double', value: v, text: line }, end: next };
    }
    case '(':
      return { value: { type: 'bignum', value: line }, end: next };
    case '$':
    case '=': {
      const len = parseInt(line, 10);
      if (len < 0) return { value: { type: 'null' }, end: next };
      if (next + len + 2 > s.length) return null;
      const body = s.slice(next, next + len);
      if (t === '=') return { value: { type: 'verbatim', format: body.slice(0, 3), value: body.slice(4) }, end: next + len + 2 };
      return { value: { type: 'bulk', value: body }, end: next + len + 2 };
    }
    case '*':
    case '~':
    case '>': {
      const n = parseInt(line, 10);
      if (n < 0) return { value: { type: 'null' }, end: next };
      const items: RespValue[] = [];
      let p = next;
      for (let i = 0; i < n; i++) {
        const r = readReply(s, p);
        if (r === null) return null;
        items.push(r.value);
        p = r.end;
      }
      const type = t === '*' ? 'array' : t === '~' ? 'set' : 'push';
      return { value: { type, value: items }, end: p };
    }
    case '%': {
      const n = parseInt(line, 10);
      const pairs: Array<[RespValue, RespValue]> = [];
      let p = next;
      for (let i = 0; i < n; i++) {
        const k = readReply(s, p);
        if (k === null) return null;
        const v = readReply(s, k.end);
        if (v === null) return null;
        pairs.push([k.value, v.value]);
        p = v.end;
      }
      return { value: { type: 'map', value: pairs }, end: p };
    }
    default:
      throw new Error(`unexpected reply type byte '${t}'`);
  }
}

/** Parses every reply in `s`. */
export function readAllReplies(s: string): RespValue[] {
  const out: RespValue[] = [];
  let pos = 0;
  while (pos < s.length) {
    const r = readReply(s, pos);
    if (r === null) throw new Error('incomplete reply');
    out.push(r.value);
    pos = r.end;
  }
  return out;
}
