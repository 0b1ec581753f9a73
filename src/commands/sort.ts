/**
 * SORT and SORT_RO (sort.c): sorting lists, sets and sorted sets, by their
 * elements or by external keys (BY pattern, hash fields with `->`), with
 * LIMIT, GET, ASC/DESC, ALPHA and STORE.
 *
 * Details kept from Redis 7.0:
 * - numeric sorting parses with strtod and fails the whole command with
 *   "One or more scores can't be converted into double" (overflow and
 *   underflow included); equal scores are ordered by the elements' bytes;
 * - ALPHA compares with strcoll (the C locale: bytes, up to the first NUL),
 *   except with STORE, where the comparison is binary so that replicas agree;
 * - BY with a pattern and a LIMIT that narrows the range sorts with Redis's
 *   partial quicksort (pqsort), whose order for equal keys we reproduce;
 * - a constant BY pattern (no `*`) skips sorting; a set then comes out in its
 *   own order, except with STORE or in a script, where it is sorted ALPHA;
 * - a sorted set is converted to the skiplist encoding, as Redis does.
 */
import { cmd, type CommandArg, type CommandSpec, type KeySpec } from './types';
import { E } from './errors';
import type { Client } from '../server/client';
import type { Database } from '../store/db';
import { NOTIFY } from '../server/notify';
import { parseSafeInt } from '../util/numbers';
import * as zsetModule from '../store/types/zset';
import { ZSet } from '../store/types/zset';
import { ListValue } from '../store/types/list';
import { SetValue } from '../store/types/set';
import { HashValue } from '../store/types/hash';

/** One element to sort: the element, its numeric score or its comparison string (BY + ALPHA). */
interface SortItem {
  obj: string;
  score: number;
  cmpobj: string | null;
}

/** Index of the first NUL (where a C string ends), or the length. */
function cLen(s: string): number {
  const i = s.indexOf('\x00');
  return i < 0 ? s.length : i;
}

/** memcmp-then-length comparison (compareStringObjects). */
function binaryCompare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** strcoll in the C locale: unsigned bytes up to the first NUL. */
function collate(a: string, b: string): number {
  const la = cLen(a);
  const lb = cLen(b);
  if (la !== a.length) a = a.slice(0, la);
  if (lb !== b.length) b = b.slice(0, lb);
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The value a pattern designates for `subst` (lookupKeyByPattern): "#" is
 * the element itself; the first `*` is replaced by it to make a key name; a
 * `->field` suffix reads a hash field. Strings and hash fields only; null
 * otherwise.
 */
export function lookupByPattern(db: Database, pattern: string, subst: string): string | null {
  const end = cLen(pattern);
  if (pattern.charCodeAt(0) === 35 /* # */ && end === 1) return subst;
  const p = pattern.indexOf('*');
  if (p < 0 || p >= end) return null;
  let field: string | null = null;
  const f = pattern.indexOf('->', p + 1);
  if (f >= 0 && f + 2 < end) field = pattern.slice(f + 2);
  const postfixLen = pattern.length - (p + 1) - (field !== null ? field.length + 2 : 0);
  const key = pattern.slice(0, p) + subst + pattern.substr(p + 1, postfixLen);
  const v = db.lookupRead(key);
  if (v === undefined) return null;
  if (field !== null) {
    if (!(v instanceof HashValue)) return null;
    return v.get(field) ?? null;
  }
  return typeof v === 'string' ? v : null;
}

/** Redis's pqsort: a Bentley-McIlroy quicksort that only finishes the part overlapping [lrange, rrange]. */
export function pqsort<T>(v: T[], cmp: (a: T, b: T) => number, lrange: number, rrange: number): void {
  if (v.length > 1) partialSort(v, 0, v.length, cmp, lrange, rrange);
}

function swap<T>(v: T[], i: number, j: number): void {
  const t = v[i];
  v[i] = v[j];
  v[j] = t;
}

function vecswap<T>(v: T[], i: number, j: number, n: number): void {
  for (let k = 0; k < n; k++) swap(v, i + k, j + k);
}

function med3<T>(v: T[], a: number, b: number, c: number, cmp: (x: T, y: T) => number): number {
  return cmp(v[a], v[b]) < 0
    ? cmp(v[b], v[c]) < 0
      ? b
      : cmp(v[a], v[c]) < 0
        ? c
        : a
    : cmp(v[b], v[c]) > 0
      ? b
      : cmp(v[a], v[c]) < 0
        ? a
        : c;
}

function insertionSort<T>(v: T[], a: number, n: number, cmp: (x: T, y: T) => number): void {
  for (let pm = a + 1; pm < a + n; pm++) {
    for (let pl = pm; pl > a && cmp(v[pl - 1], v[pl]) > 0; pl--) swap(v, pl, pl - 1);
  }
}

/** Whether [lo, lo+len) overlaps the wanted ranks [l, r]. */
function overlaps(lo: number, len: number, l: number, r: number): boolean {
  return !((l < lo && r < lo) || (l >= lo + len && r >= lo + len));
}

function partialSort<T>(v: T[], a: number, n: number, cmp: (x: T, y: T) => number, l: number, r: number): void {
  for (;;) {
    let swapped = false;
    if (n < 7) {
      insertionSort(v, a, n, cmp);
      return;
    }
    let pm = a + Math.floor(n / 2);
    if (n > 7) {
      let pl = a;
      let pn = a + n - 1;
      if (n > 40) {
        const d = Math.floor(n / 8);
        pl = med3(v, pl, pl + d, pl + 2 * d, cmp);
        pm = med3(v, pm - d, pm, pm + d, cmp);
        pn = med3(v, pn - 2 * d, pn - d, pn, cmp);
      }
      pm = med3(v, pl, pm, pn, cmp);
    }
    swap(v, a, pm);
    let pa = a + 1;
    let pb = pa;
    let pc = a + n - 1;
    let pd = pc;
    for (;;) {
      let c = 0;
      while (pb <= pc && (c = cmp(v[pb], v[a])) <= 0) {
        if (c === 0) {
          swapped = true;
          swap(v, pa, pb);
          pa++;
        }
        pb++;
      }
      while (pb <= pc && (c = cmp(v[pc], v[a])) >= 0) {
        if (c === 0) {
          swapped = true;
          swap(v, pc, pd);
          pd--;
        }
        pc--;
      }
      if (pb > pc) break;
      swap(v, pb, pc);
      swapped = true;
      pb++;
      pc--;
    }
    if (!swapped) {
      insertionSort(v, a, n, cmp);
      return;
    }
    const pn = a + n;
    let k = Math.min(pa - a, pb - pa);
    vecswap(v, a, pb - k, k);
    k = Math.min(pd - pc, pn - pd - 1);
    vecswap(v, pb, pn - k, k);
    k = pb - pa;
    if (k > 1 && overlaps(a, k, l, r)) partialSort(v, a, k, cmp, l, r);
    k = pd - pc;
    if (k > 1) {
      a = pn - k;
      n = k;
      if (overlaps(a, k, l, r)) continue;
    }
    return;
  }
}

/** strtod of a sort weight: the whole string (or up to a NUL), no overflow or underflow, no NaN. */
function sortScore(s: string): number | null {
  const v = zsetModule.strtod(s);
  const end = zsetModule.strtodEnd;
  if ((end !== s.length && s.charCodeAt(end) !== 0) || zsetModule.strtodRange || Number.isNaN(v)) return null;
  return v;
}

function sortGeneric(c: Client, argv: string[], readonly: boolean): void {
  const db = c.db;
  let desc = false;
  let alpha = false;
  let limitStart = 0;
  let limitCount = -1;
  let dontsort = false;
  let sortby: string | null = null;
  let storekey: string | null = null;
  const gets: string[] = [];
  for (let j = 2; j < argv.length; j++) {
    const left = argv.length - j - 1;
    const a = argv[j].toLowerCase();
    if (a === 'asc') desc = false;
    else if (a === 'desc') desc = true;
    else if (a === 'alpha') alpha = true;
    else if (a === 'limit' && left >= 2) {
      const s = parseSafeInt(argv[j + 1]);
      const n = s === null ? null : parseSafeInt(argv[j + 2]);
      if (s === null || n === null) return c.error(E.NOT_INTEGER);
      limitStart = s;
      limitCount = n;
      j += 2;
    } else if (!readonly && a === 'store' && left >= 1) {
      storekey = argv[++j];
    } else if (a === 'by' && left >= 1) {
      sortby = argv[++j];
      const star = sortby.indexOf('*');
      if (star < 0 || star >= cLen(sortby)) dontsort = true;
    } else if (a === 'get' && left >= 1) {
      gets.push(argv[++j]);
    } else {
      return c.error(E.SYNTAX);
    }
  }

  const sortval = db.lookupRead(argv[1]);
  let kind: 'list' | 'set' | 'zset';
  if (sortval === undefined) kind = 'list';
  else if (sortval instanceof ListValue) kind = 'list';
  else if (sortval instanceof SetValue) kind = 'set';
  else if (sortval instanceof ZSet) kind = 'zset';
  else return c.error(E.WRONGTYPE);

  // A set has no order of its own: with STORE or in a script, sort it so that replicas agree.
  if (dontsort && kind === 'set' && (storekey !== null || c.isScriptClient)) {
    dontsort = false;
    alpha = true;
    sortby = null;
  }
  if (sortval instanceof ZSet) sortval.toSkiplist();

  let vectorlen = sortval === undefined ? 0 : sortval.size;
  let start = Math.min(Math.max(limitStart, 0), vectorlen);
  limitCount = Math.min(Math.max(limitCount, -1), vectorlen);
  let end = limitCount < 0 ? vectorlen - 1 : start + limitCount - 1;
  if (start >= vectorlen) {
    start = vectorlen - 1;
    end = vectorlen - 2;
  }
  if (end >= vectorlen) end = vectorlen - 1;

  const vector: SortItem[] = [];
  const push = (obj: string): void => {
    vector.push({ obj, score: 0, cmpobj: null });
  };
  if ((kind === 'list' || kind === 'zset') && dontsort) {
    // Native order (reversed by DESC), only the LIMIT range.
    if (end >= start && sortval !== undefined) {
      const len = sortval.size;
      if (sortval instanceof ListValue) {
        const from = desc ? len - end - 1 : start;
        const items = sortval.range(from, from + (end - start));
        if (desc) items.reverse();
        for (const it of items) push(it);
      } else {
        (sortval as ZSet).rangeByRank(start, end, desc, (m) => push(m));
      }
    }
    end -= start;
    start = 0;
  } else if (sortval instanceof ListValue) {
    for (const it of sortval.toArray()) push(it);
  } else if (sortval instanceof SetValue) {
    sortval.forEach(push);
  } else if (sortval instanceof ZSet) {
    sortval.forEach((m) => push(m));
  }
  vectorlen = vector.length;

  let conversionError = false;
  if (!dontsort) {
    for (const item of vector) {
      let byval: string | null;
      if (sortby !== null) {
        byval = lookupByPattern(db, sortby, item.obj);
        if (byval === null) continue;
      } else {
        byval = item.obj;
      }
      if (alpha) {
        if (sortby !== null) item.cmpobj = byval;
      } else {
        const s = sortScore(byval);
        if (s === null) conversionError = true;
        else item.score = s;
      }
    }
    const store = storekey !== null;
    const byPattern = sortby !== null;
    const compare = (a: SortItem, b: SortItem): number => {
      let r: number;
      if (!alpha) {
        if (a.score > b.score) r = 1;
        else if (a.score < b.score) r = -1;
        else r = binaryCompare(a.obj, b.obj);
      } else if (byPattern) {
        if (a.cmpobj === null || b.cmpobj === null) {
          r = a.cmpobj === b.cmpobj ? 0 : a.cmpobj === null ? -1 : 1;
        } else {
          r = store ? binaryCompare(a.cmpobj, b.cmpobj) : collate(a.cmpobj, b.cmpobj);
        }
      } else {
        r = store ? binaryCompare(a.obj, b.obj) : collate(a.obj, b.obj);
      }
      return desc ? -r : r;
    };
    if (byPattern && (start !== 0 || end !== vectorlen - 1)) pqsort(vector, compare, start, end);
    else vector.sort(compare); // stable, like glibc's merge sort
  }

  const count = end - start + 1;
  const outputlen = count <= 0 ? 0 : gets.length > 0 ? gets.length * count : count;
  if (conversionError) return c.error("ERR One or more scores can't be converted into double");
  if (storekey === null) {
    const resp3 = c.resp === 3;
    let out = '*' + outputlen + '\r\n';
    for (let j = start; j <= end; j++) {
      const obj = vector[j].obj;
      if (gets.length === 0) out += '$' + obj.length + '\r\n' + obj + '\r\n';
      for (const g of gets) {
        const val = lookupByPattern(db, g, obj);
        out += val === null ? (resp3 ? '_\r\n' : '$-1\r\n') : '$' + val.length + '\r\n' + val + '\r\n';
      }
    }
    c.raw(out);
    return;
  }
  const items: string[] = [];
  for (let j = start; j <= end; j++) {
    const obj = vector[j].obj;
    if (gets.length === 0) items.push(obj);
    else for (const g of gets) items.push(lookupByPattern(db, g, obj) ?? '');
  }
  if (outputlen > 0) {
    db.set(storekey, ListValue.from(items));
    c.server.notify(NOTIFY.list, 'sortstore', storekey, db.id);
    c.server.dirty += outputlen;
  } else if (db.delete(storekey)) {
    c.server.notify(NOTIFY.generic, 'del', storekey, db.id);
    c.server.dirty++;
  }
  c.int(outputlen);
}

/** SORT's keys: the sorted key, and the destination of the last STORE (sortGetKeys). */
function sortGetKeys(argv: string[]): number[] {
  const keys = [1];
  let store = -1;
  for (let i = 2; i < argv.length; i++) {
    const a = argv[i].toLowerCase();
    if (a === 'limit') i += 2;
    else if (a === 'get' || a === 'by') i += 1;
    else if (a === 'store' && i + 1 < argv.length) store = i + 1;
  }
  if (store >= 0) keys.push(store);
  return keys;
}

const SORT_KEYSPECS = (withStore: boolean): KeySpec[] => {
  const specs: KeySpec[] = [
    { flags: ['RO', 'access'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } },
    {
      flags: ['RO', 'access'],
      notes: "For the optional BY/GET keyword. It is marked 'unknown' because the key names derive from the content of the key we sort",
      beginSearch: 'unknown',
      findKeys: 'unknown',
    },
  ];
  if (withStore) {
    specs.push({
      flags: ['OW', 'update'],
      notes: "For the optional STORE keyword. It is marked 'unknown' because the keyword can appear anywhere in the argument array",
      beginSearch: 'unknown',
      findKeys: 'unknown',
    });
  }
  return specs;
};

/** Arguments as COMMAND DOCS lists them. */
const ARGS: Record<string, CommandArg[]> = {
  sort: [{ name: 'key', type: 'key', key_spec_index: 0 }, { name: 'pattern', type: 'pattern', token: 'BY', key_spec_index: 1, optional: true }, { name: 'offset_count', type: 'block', token: 'LIMIT', optional: true, arguments: [{ name: 'offset', type: 'integer' }, { name: 'count', type: 'integer' }] }, { name: 'pattern', type: 'pattern', token: 'GET', key_spec_index: 1, optional: true, multiple: true, multiple_token: true }, { name: 'order', type: 'oneof', optional: true, arguments: [{ name: 'asc', type: 'pure-token', token: 'ASC' }, { name: 'desc', type: 'pure-token', token: 'DESC' }] }, { name: 'sorting', type: 'pure-token', token: 'ALPHA', optional: true }, { name: 'destination', type: 'key', token: 'STORE', key_spec_index: 2, optional: true }],
  sort_ro: [{ name: 'key', type: 'key', key_spec_index: 0 }, { name: 'pattern', type: 'pattern', token: 'BY', key_spec_index: 1, optional: true }, { name: 'offset_count', type: 'block', token: 'LIMIT', optional: true, arguments: [{ name: 'offset', type: 'integer' }, { name: 'count', type: 'integer' }] }, { name: 'pattern', type: 'pattern', token: 'GET', key_spec_index: 1, optional: true, multiple: true, multiple_token: true }, { name: 'order', type: 'oneof', optional: true, arguments: [{ name: 'asc', type: 'pure-token', token: 'ASC' }, { name: 'desc', type: 'pure-token', token: 'DESC' }] }, { name: 'sorting', type: 'pure-token', token: 'ALPHA', optional: true }],
};

const COMPLEXITY = 'O(N + M log M) for N elements of which M are returned; O(N) without sorting.';

export const sortCommands: CommandSpec[] = [
  cmd({
    name: 'sort',
    arity: -2,
    flags: ['write', 'denyoom', 'movablekeys'],
    firstKey: 1,
    lastKey: 1,
    keyStep: 1,
    categories: ['set', 'sortedset', 'list', 'dangerous'],
    group: 'generic',
    keySpecs: SORT_KEYSPECS(true),
    getKeys: sortGetKeys,
    args: ARGS.sort,
    complexity: COMPLEXITY,
    summary: 'Sorts the elements of a list, set or sorted set, optionally by external keys, and returns or stores them.',
    since: '1.0.0',
    handler: (c, argv) => sortGeneric(c, argv, false),
  }),
  cmd({
    name: 'sort_ro',
    arity: -2,
    flags: ['readonly', 'movablekeys'],
    firstKey: 1,
    lastKey: 1,
    keyStep: 1,
    categories: ['set', 'sortedset', 'list', 'dangerous'],
    group: 'generic',
    keySpecs: SORT_KEYSPECS(false),
    getKeys: () => [1],
    args: ARGS.sort_ro,
    complexity: COMPLEXITY,
    summary: 'Sorts the elements of a list, set or sorted set without storing the result (read-only SORT).',
    since: '7.0.0',
    handler: (c, argv) => sortGeneric(c, argv, true),
  }),
];
