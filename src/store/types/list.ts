/**
 * The list value: a deque of packed nodes, in the spirit of Redis's
 * quicklist of listpacks.
 *
 * Each node is ONE latin1 string holding its elements already encoded as RESP
 * bulk strings, back to back: "$3\r\nfoo\r\n$1\r\nx\r\n...". That costs a few
 * bytes per element instead of a pointer plus a string object, and it makes
 * the hot read paths copy-free: LRANGE appends whole node strings (or one
 * slice of a node) to the reply, LPOP/RPOP/LMOVE hand over the element's
 * encoded bytes as they are. An element's value is only materialized when a
 * command needs it as a value (LINDEX, scripts, persistence).
 *
 * A node holds at most NODE_MAX_COUNT elements and about NODE_MAX_BYTES
 * bytes (one bigger element gets a node of its own). Pushes and pops at both
 * ends are O(1) (amortized); an index is found by walking node counts from
 * the nearer end, then scanning at most NODE_MAX_COUNT element headers.
 * Tail pops need each element's start: a node computes its element offsets
 * the first time they are needed and keeps them up to date while elements
 * come and go at its ends (`offs`, relative to `shift` so that a prepend does
 * not have to rewrite them). A list of one node is that node itself (see
 * ListValue), which keeps short lists about as small as Redis's.
 *
 * Redis 7.0 reports every list as "quicklist" in OBJECT ENCODING (the
 * listpack encoding for small lists came with 7.2).
 */
import type { Config } from '../../config/config';
import type { CollectionValue } from '../value';

/** Elements per node, at most. */
export const NODE_MAX_COUNT = 128;
/** Encoded bytes per node, about (list-max-listpack-size -2 is 8 kB in Redis). */
export const NODE_MAX_BYTES = 8192;

/** A node (internal: ListValue's public API never exposes nodes or these fields' meaning). */
class ListNode {
  constructor(
    /** The elements' RESP bulk encodings, concatenated. */
    public s: string,
    /** Number of elements. */
    public n: number,
  ) {}
  /** Start of each element in `s`, minus `shift`; null until needed. */
  offs: number[] | null = null;
  shift = 0;
}

/** Cached "$<len>\r\n" prefixes for short elements. */
const PREFIX: string[] = [];
for (let i = 0; i < 1024; i++) PREFIX.push('$' + i + '\r\n');

/** An element's RESP bulk encoding: how nodes store it and how replies carry it. */
export function encodeElement(v: string): string {
  const n = v.length;
  return (n < 1024 ? PREFIX[n] : '$' + n + '\r\n') + v + '\r\n';
}

/** Where the data of the last element parsed by `hdr` starts (a module slot: no allocation per call). */
let DS = 0;
/** Index inside the node found by the last locate() call. */
let LOCAL = 0;

/** Parses the "$<len>\r\n" header at `p`: returns the data length and sets DS. The element ends at DS + len + 2. */
function hdr(s: string, p: number): number {
  let i = p + 1;
  let n = 0;
  let ch = s.charCodeAt(i);
  // (NaN past the end also stops the loop: a corrupt node can never hang the server.)
  while (ch > 13) {
    n = n * 10 + ch - 48;
    ch = s.charCodeAt(++i);
  }
  DS = i + 2;
  return n;
}

/** Index just past the element that starts at `p`. */
function skip(s: string, p: number): number {
  const n = hdr(s, p);
  return DS + n + 2;
}

/** The value of an element given its encoding (as returned by the pop methods). */
export function decodeElement(enc: string): string {
  const n = hdr(enc, 0);
  return enc.substring(DS, DS + n);
}

/** Start offsets of every element of a node (a fresh array). */
function nodeStarts(node: ListNode): number[] {
  const out = new Array<number>(node.n);
  const s = node.s;
  let p = 0;
  for (let j = 0; j < node.n; j++) {
    out[j] = p;
    p = skip(s, p);
  }
  return out;
}

/** Makes sure `node.offs` is present (for tail pops). */
function ensureOffs(node: ListNode): number[] {
  let offs = node.offs;
  if (offs === null) {
    offs = nodeStarts(node);
    node.shift = 0;
    node.offs = offs;
  }
  return offs;
}

/** Start of element j of a node. */
function elementStart(node: ListNode, j: number): number {
  if (j === node.n) return node.s.length;
  if (node.offs !== null) return node.offs[j] + node.shift;
  const s = node.s;
  let p = 0;
  for (let t = 0; t < j; t++) p = skip(s, p);
  return p;
}

/**
 * Concatenations build V8 cons strings (a tree node of ~32 bytes per piece)
 * until something reads the characters. Reading one makes V8 flatten the
 * node string into one flat copy: nodes are flattened every few pushes and
 * when they are complete, so a list that is only ever pushed to stays compact.
 */
const FLATTEN_EVERY = 31; // mask: every 32 elements

/** Keeps the reads that flatten observable, so no optimizer drops them. */
let SINK = 0;

function flatten(node: ListNode): void {
  SINK ^= node.s.charCodeAt(0);
}

/** Replaces a node's content (after a change in its middle): offsets are recomputed when needed. */
function setNodeContent(node: ListNode, s: string, n: number): void {
  if (s.length > 0) SINK ^= s.charCodeAt(0);
  node.s = s;
  node.n = n;
  node.offs = null;
  node.shift = 0;
}

/** Called for each element visited by a scan: the node string, where the element starts, where its data starts, its length, its index. Return true to stop. */
type Visitor = (s: string, start: number, ds: number, len: number, index: number) => boolean;

/** Something to append reply text to (a client, or a string collector in tests). */
export interface RawSink {
  raw(s: string): void;
}

/**
 * The list. A list that fits one node (most lists) is that node itself: it
 * extends ListNode and uses its own s/n/offs/shift, with no node array and no
 * separate node object (about 100 bytes for a short list instead of 190).
 * From two nodes on, `more` holds them all (the list object may still be one
 * of them).
 */
export class ListValue extends ListNode implements CollectionValue {
  /** Every node when there are two or more; null while the list is at most this one node. */
  private more: ListNode[] | null = null;
  private len = 0;

  constructor() {
    super('', 0);
  }

  /** On the prototype, not in every instance. */
  get type(): 'list' {
    return 'list';
  }

  /** The nodes as an array (a fresh one-slot array for a single-node list). */
  private get nodes(): ListNode[] {
    return this.more ?? (this.len === 0 ? [] : [this]);
  }

  /** Installs a node array: two or more nodes are kept as they are, one becomes this object's own node. */
  private set nodes(arr: ListNode[]) {
    if (arr.length >= 2) {
      this.more = arr;
      return;
    }
    this.more = null;
    if (arr.length === 0) {
      this.s = '';
      this.n = 0;
      this.offs = null;
      this.shift = 0;
      return;
    }
    const only = arr[0];
    if (only !== this) {
      this.s = only.s;
      this.n = only.n;
      this.offs = only.offs;
      this.shift = only.shift;
    }
  }

  /** Node k (k = 0 for a single-node list). */
  private nodeAt(k: number): ListNode {
    return this.more !== null ? this.more[k] : this;
  }

  get size(): number {
    return this.len;
  }

  /** Redis 7.0 reports every list as a quicklist. */
  encoding(_config?: Config): string {
    return 'quicklist';
  }

  clone(): ListValue {
    const l = new ListValue();
    const copies: ListNode[] = [];
    for (const node of this.nodes) {
      const copy = new ListNode(node.s, node.n);
      if (node.offs !== null) {
        copy.offs = node.offs.slice();
        copy.shift = node.shift;
      }
      copies.push(copy);
    }
    l.nodes = copies;
    l.len = this.len;
    return l;
  }

  /** A list holding `items` in order. */
  static from(items: Iterable<string>): ListValue {
    const l = new ListValue();
    for (const v of items) l.pushTail(v);
    return l;
  }

  /** Number of internal nodes (tests, MEMORY/DEBUG style introspection). */
  get nodeCount(): number {
    return this.nodes.length;
  }

  /** Approximate bytes used (MEMORY USAGE style estimate). */
  approxBytes(): number {
    const nodes = this.nodes;
    let b = 72 + (this.more !== null ? 32 + nodes.length * 8 : 0);
    for (const node of nodes) b += (node === this ? 0 : 56) + 24 + node.s.length + (node.offs !== null ? node.offs.length * 8 + 32 : 0);
    return b;
  }

  // ------------------------------------------------------------------ pushes

  pushTail(v: string): void {
    this.pushTailEncoded(encodeElement(v));
  }

  pushHead(v: string): void {
    this.pushHeadEncoded(encodeElement(v));
  }

  /** Appends an element given in its encoded form (from a pop: LMOVE moves bytes as they are). */
  pushTailEncoded(e: string): void {
    const more = this.more;
    const last = more !== null ? more[more.length - 1] : this.len > 0 ? this : undefined;
    if (last === undefined) {
      setNodeContent(this, e, 1);
    } else if (last.n >= NODE_MAX_COUNT || last.s.length + e.length > NODE_MAX_BYTES) {
      flatten(last);
      if (more !== null) more.push(new ListNode(e, 1));
      else this.more = [this, new ListNode(e, 1)];
    } else {
      if (last.offs !== null) last.offs.push(last.s.length - last.shift);
      last.s += e;
      if ((++last.n & FLATTEN_EVERY) === 0) flatten(last);
    }
    this.len++;
  }

  pushHeadEncoded(e: string): void {
    const more = this.more;
    const first = more !== null ? more[0] : this.len > 0 ? this : undefined;
    if (first === undefined) {
      setNodeContent(this, e, 1);
    } else if (first.n >= NODE_MAX_COUNT || first.s.length + e.length > NODE_MAX_BYTES) {
      flatten(first);
      if (more !== null) more.unshift(new ListNode(e, 1));
      else this.more = [new ListNode(e, 1), this];
    } else {
      first.s = e + first.s;
      first.shift += e.length;
      if (first.offs !== null) first.offs.unshift(-first.shift);
      if ((++first.n & FLATTEN_EVERY) === 0) flatten(first);
    }
    this.len++;
  }

  /** Pushes at the head or the tail. */
  push(v: string, head: boolean): void {
    if (head) this.pushHead(v);
    else this.pushTail(v);
  }

  /**
   * Pushes an element encoding taken from a list (LMOVE and friends). The
   * piece is copied first: a popped encoding is a slice that would keep its
   * whole source node string alive for as long as this list holds it.
   */
  pushEncoded(e: string, head: boolean): void {
    const own = e.length < 13 ? e : (e + ' ').slice(0, -1);
    if (head) this.pushHeadEncoded(own);
    else this.pushTailEncoded(own);
  }

  // ------------------------------------------------------------------ pops

  /** Removes the first element and returns its encoding, or undefined when empty. */
  popHeadEncoded(): string | undefined {
    if (this.len === 0) return undefined;
    const more = this.more;
    const node = more !== null ? more[0] : this;
    this.len--;
    if (node.n === 1) {
      const only = node.s;
      if (more !== null) {
        more.shift();
        this.nodes = more;
      } else {
        this.nodes = [];
      }
      return only;
    }
    const s = node.s;
    const end = skip(s, 0);
    node.s = s.slice(end);
    node.shift -= end;
    if (node.offs !== null) node.offs.shift();
    node.n--;
    return s.slice(0, end);
  }

  /** Removes the last element and returns its encoding, or undefined when empty. */
  popTailEncoded(): string | undefined {
    if (this.len === 0) return undefined;
    const more = this.more;
    const node = more !== null ? more[more.length - 1] : this;
    this.len--;
    if (node.n === 1) {
      const only = node.s;
      if (more !== null) {
        more.pop();
        this.nodes = more;
      } else {
        this.nodes = [];
      }
      return only;
    }
    const offs = ensureOffs(node);
    const start = offs.pop()! + node.shift;
    const s = node.s;
    node.s = s.slice(0, start);
    node.n--;
    return s.slice(start);
  }

  popEncoded(head: boolean): string | undefined {
    return head ? this.popHeadEncoded() : this.popTailEncoded();
  }

  popHead(): string | undefined {
    const e = this.popHeadEncoded();
    return e === undefined ? undefined : decodeElement(e);
  }

  popTail(): string | undefined {
    const e = this.popTailEncoded();
    return e === undefined ? undefined : decodeElement(e);
  }

  /**
   * Removes up to `count` elements from one end and returns their encodings
   * concatenated, in pop order (from the tail: last element first), with how
   * many were removed.
   */
  popManyEncoded(count: number, head: boolean): { n: number; data: string } {
    const k = Math.min(count, this.len);
    if (!head) {
      let data = '';
      for (let i = 0; i < k; i++) data += this.popTailEncoded()!;
      return { n: k, data };
    }
    // From the head, whole nodes go out as they are.
    let data = '';
    let left = k;
    const nodes = this.nodes;
    let drop = 0;
    while (left > 0 && nodes[drop].n <= left) {
      data += nodes[drop].s;
      left -= nodes[drop].n;
      drop++;
    }
    if (drop > 0) nodes.splice(0, drop);
    if (left > 0) {
      const node = nodes[0];
      const s = node.s;
      let p = 0;
      for (let j = 0; j < left; j++) p = skip(s, p);
      data += s.slice(0, p);
      node.s = s.slice(p);
      node.n -= left;
      if (node.offs !== null) {
        node.offs.splice(0, left);
        node.shift -= p;
      }
    }
    this.nodes = nodes;
    this.len -= k;
    return { n: k, data };
  }

  // ------------------------------------------------------------------ index access

  /** Finds the node holding element `index` (0 <= index < len): returns its node position, and the index inside it via LOCAL. */
  private locate(index: number): number {
    const nodes = this.more;
    if (nodes === null) {
      LOCAL = index;
      return 0;
    }
    if (index < this.len >>> 1) {
      let k = 0;
      while (index >= nodes[k].n) {
        index -= nodes[k].n;
        k++;
      }
      LOCAL = index;
      return k;
    }
    let rest = this.len - index; // elements from `index` to the end
    let k = nodes.length - 1;
    while (rest > nodes[k].n) {
      rest -= nodes[k].n;
      k--;
    }
    LOCAL = nodes[k].n - rest;
    return k;
  }

  /** Element at `index` (0 <= index < len; negative counts from the end), or undefined when out of range. */
  get(index: number): string | undefined {
    if (index < 0) index += this.len;
    if (index < 0 || index >= this.len) return undefined;
    const node = this.nodeAt(this.locate(index));
    const p = elementStart(node, LOCAL);
    const n = hdr(node.s, p);
    return node.s.substring(DS, DS + n);
  }

  /** The encoding of the element at `index` (same rules as get). */
  getEncoded(index: number): string | undefined {
    if (index < 0) index += this.len;
    if (index < 0 || index >= this.len) return undefined;
    const node = this.nodeAt(this.locate(index));
    const p = elementStart(node, LOCAL);
    return node.s.slice(p, skip(node.s, p));
  }

  /** Replaces the element at `index` (negative counts from the end); false when out of range. */
  set(index: number, v: string): boolean {
    if (index < 0) index += this.len;
    if (index < 0 || index >= this.len) return false;
    const k = this.locate(index);
    const node = this.nodeAt(k);
    const s = node.s;
    const p = elementStart(node, LOCAL);
    const end = skip(s, p);
    setNodeContent(node, s.slice(0, p) + encodeElement(v) + s.slice(end), node.n);
    this.splitIfNeeded(k);
    return true;
  }

  /** Inserts `v` so that it becomes element `index` (0 <= index <= len). */
  insertAt(index: number, v: string): void {
    if (index <= 0) return this.pushHead(v);
    if (index >= this.len) return this.pushTail(v);
    const k = this.locate(index);
    const node = this.nodeAt(k);
    const s = node.s;
    const p = elementStart(node, LOCAL);
    setNodeContent(node, s.slice(0, p) + encodeElement(v) + s.slice(p), node.n + 1);
    this.len++;
    this.splitIfNeeded(k);
  }

  /** Splits node k in two when it grew past the limits by a change in its middle. */
  private splitIfNeeded(k: number): void {
    const node = this.nodeAt(k);
    if (node.n < 2 || (node.n <= NODE_MAX_COUNT && node.s.length <= NODE_MAX_BYTES * 2)) return;
    const starts = nodeStarts(node);
    // Split where the bytes are halved (at least one element each side).
    const half = node.s.length >>> 1;
    let j = 1;
    while (j < node.n - 1 && starts[j] < half) j++;
    if (node.n > NODE_MAX_COUNT && j > NODE_MAX_COUNT) j = node.n >>> 1;
    const cut = starts[j];
    const right = new ListNode(node.s.slice(cut), node.n - j);
    setNodeContent(node, node.s.slice(0, cut), j);
    const nodes = this.nodes;
    nodes.splice(k + 1, 0, right);
    this.nodes = nodes;
    // A node can still be over the limits if one element dominates: split again while useful.
    this.splitIfNeeded(k + 1);
    this.splitIfNeeded(k);
  }

  // ------------------------------------------------------------------ scans

  /** Visits elements from index `from` towards the tail until the visitor returns true. */
  scanForward(from: number, visit: Visitor): void {
    if (from < 0) from = 0;
    if (from >= this.len) return;
    const nodes = this.nodes;
    let k = this.locate(from);
    let j = LOCAL;
    let index = from;
    for (; k < nodes.length; k++, j = 0) {
      const node = nodes[k];
      const s = node.s;
      let p = elementStart(node, j);
      for (; j < node.n; j++) {
        const n = hdr(s, p);
        const ds = DS;
        if (visit(s, p, ds, n, index)) return;
        p = ds + n + 2;
        index++;
      }
    }
  }

  /** Visits elements from index `from` towards the head until the visitor returns true. */
  scanBackward(from: number, visit: Visitor): void {
    if (from >= this.len) from = this.len - 1;
    if (from < 0) return;
    const nodes = this.nodes;
    let k = this.locate(from);
    let j = LOCAL;
    let index = from;
    for (; k >= 0; k--) {
      const node = nodes[k];
      const s = node.s;
      const starts = node.offs !== null ? null : nodeStarts(node);
      if (j < 0) j = node.n - 1;
      for (; j >= 0; j--) {
        const p = starts !== null ? starts[j] : node.offs![j] + node.shift;
        const n = hdr(s, p);
        if (visit(s, p, DS, n, index)) return;
        index--;
      }
    }
  }

  /** Index of the first element equal to `v` from the head, or -1. */
  indexOf(v: string): number {
    let found = -1;
    const vl = v.length;
    this.scanForward(0, (s, _p, ds, n, index) => {
      if (n === vl && s.startsWith(v, ds)) {
        found = index;
        return true;
      }
      return false;
    });
    return found;
  }

  /**
   * LPOS: positions (from the head) of matches of `v`, searching from the head
   * (or the tail when `fromTail`), skipping the first `skip` matches,
   * returning at most `count` (0 = all), looking at no more than `maxlen`
   * elements (0 = all).
   */
  positions(v: string, fromTail: boolean, skipMatches: number, count: number, maxlen: number): number[] {
    const out: number[] = [];
    const vl = v.length;
    let seen = 0;
    let matches = 0;
    const visit: Visitor = (s, _p, ds, n, index) => {
      if (maxlen !== 0 && seen >= maxlen) return true;
      seen++;
      if (n === vl && s.startsWith(v, ds)) {
        matches++;
        if (matches > skipMatches) {
          out.push(index);
          if (count !== 0 && out.length >= count) return true;
        }
      }
      return false;
    };
    if (fromTail) this.scanBackward(this.len - 1, visit);
    else this.scanForward(0, visit);
    return out;
  }

  // ------------------------------------------------------------------ ranges

  /**
   * Appends the encodings of elements start..end (inclusive, already
   * clamped: 0 <= start <= end < len) to `out`. Whole nodes go as they are.
   */
  writeRange(out: RawSink, start: number, end: number): void {
    const nodes = this.nodes;
    let k = this.locate(start);
    let j = LOCAL;
    let left = end - start + 1;
    for (; left > 0; k++, j = 0) {
      const node = nodes[k];
      if (j === 0 && node.n <= left) {
        out.raw(node.s);
        left -= node.n;
        continue;
      }
      const s = node.s;
      const a = elementStart(node, j);
      const take = Math.min(left, node.n - j);
      let b: number;
      if (j + take === node.n) b = s.length;
      else if (node.offs !== null) b = node.offs[j + take] + node.shift;
      else {
        b = a;
        for (let t = 0; t < take; t++) b = skip(s, b);
      }
      out.raw(s.slice(a, b));
      left -= take;
    }
  }

  /** Elements start..end (inclusive; clamped like writeRange) as values. */
  range(start: number, end: number): string[] {
    const out: string[] = [];
    if (start < 0) start = 0;
    if (end >= this.len) end = this.len - 1;
    if (start > end) return out;
    this.scanForward(start, (s, _p, ds, n, index) => {
      out.push(s.substring(ds, ds + n));
      return index >= end;
    });
    return out;
  }

  /** Every element, head to tail. */
  toArray(): string[] {
    return this.range(0, this.len - 1);
  }

  *values(): IterableIterator<string> {
    for (const node of this.nodes) {
      const s = node.s;
      let p = 0;
      for (let j = 0; j < node.n; j++) {
        const n = hdr(s, p);
        const ds = DS;
        yield s.substring(ds, ds + n);
        p = ds + n + 2;
      }
    }
  }

  [Symbol.iterator](): IterableIterator<string> {
    return this.values();
  }

  // ------------------------------------------------------------------ removals

  /** Removes `count` elements from the head (LTRIM). */
  removeHead(count: number): void {
    if (count <= 0) return;
    if (count >= this.len) return this.clear();
    const nodes = this.nodes;
    let left = count;
    let drop = 0;
    while (nodes[drop].n <= left) {
      left -= nodes[drop].n;
      drop++;
    }
    if (drop > 0) nodes.splice(0, drop);
    if (left > 0) {
      const node = nodes[0];
      const p = elementStart(node, left);
      node.s = node.s.slice(p);
      node.n -= left;
      if (node.offs !== null) {
        node.offs.splice(0, left);
        node.shift -= p;
      }
    }
    this.nodes = nodes;
    this.len -= count;
  }

  /** Removes `count` elements from the tail (LTRIM). */
  removeTail(count: number): void {
    if (count <= 0) return;
    if (count >= this.len) return this.clear();
    const nodes = this.nodes;
    let left = count;
    let k = nodes.length;
    while (nodes[k - 1].n <= left) {
      left -= nodes[k - 1].n;
      k--;
    }
    if (k < nodes.length) nodes.length = k;
    if (left > 0) {
      const node = nodes[k - 1];
      const keep = node.n - left;
      const p = elementStart(node, keep);
      node.s = node.s.slice(0, p);
      node.n = keep;
      if (node.offs !== null) node.offs.length = keep;
    }
    this.nodes = nodes;
    this.len -= count;
  }

  clear(): void {
    this.nodes = [];
    this.len = 0;
  }

  /**
   * LREM: removes elements equal to `v`: the first `count` from the head
   * (count > 0), the last -count from the tail (count < 0), or all (0).
   * Returns how many were removed.
   */
  removeMatching(v: string, count: number): number {
    const vl = v.length;
    const nodes = this.nodes;
    let limit = count === 0 ? Infinity : Math.abs(count);
    let removed = 0;
    let touchedLo = -1;
    let touchedHi = -1;
    if (count >= 0) {
      for (let k = 0; k < nodes.length && limit > 0; k++) {
        const node = nodes[k];
        const s = node.s;
        let p = 0;
        let runStart = 0;
        let kept = '';
        let gone = 0;
        for (let j = 0; j < node.n; j++) {
          const n = hdr(s, p);
          const end = DS + n + 2;
          if (limit > 0 && n === vl && s.startsWith(v, DS)) {
            if (runStart < p) kept += s.slice(runStart, p);
            runStart = end;
            gone++;
            limit--;
          }
          p = end;
        }
        if (gone > 0) {
          if (runStart < s.length) kept += s.slice(runStart);
          setNodeContent(node, kept, node.n - gone);
          removed += gone;
          if (touchedLo < 0) touchedLo = k;
          touchedHi = k;
        }
      }
    } else {
      for (let k = nodes.length - 1; k >= 0 && limit > 0; k--) {
        const node = nodes[k];
        const s = node.s;
        const starts = nodeStarts(node);
        // Mark the matches from the end, then rebuild from the kept runs.
        const drop: boolean[] = new Array<boolean>(node.n).fill(false);
        let gone = 0;
        for (let j = node.n - 1; j >= 0 && limit > 0; j--) {
          const n = hdr(s, starts[j]);
          if (n === vl && s.startsWith(v, DS)) {
            drop[j] = true;
            gone++;
            limit--;
          }
        }
        if (gone > 0) {
          let kept = '';
          let runStart = 0;
          for (let j = 0; j < node.n; j++) {
            if (!drop[j]) continue;
            if (runStart < starts[j]) kept += s.slice(runStart, starts[j]);
            runStart = j + 1 < node.n ? starts[j + 1] : s.length;
          }
          if (runStart < s.length) kept += s.slice(runStart);
          setNodeContent(node, kept, node.n - gone);
          removed += gone;
          if (touchedHi < 0) touchedHi = k;
          touchedLo = k;
        }
      }
    }
    if (removed > 0) {
      this.compact(nodes, touchedLo, touchedHi);
      this.len -= removed;
    }
    return removed;
  }

  /** Drops emptied nodes and merges small neighbours in nodes lo..hi (and their outer neighbours). */
  private compact(nodes: ListNode[], lo: number, hi: number): void {
    const from = Math.max(0, lo - 1);
    const to = Math.min(nodes.length - 1, hi + 1);
    const out: ListNode[] = [];
    for (let k = from; k <= to; k++) {
      const node = nodes[k];
      if (node.n === 0) continue;
      const prev = out.length > 0 ? out[out.length - 1] : undefined;
      if (prev !== undefined && prev.n + node.n <= NODE_MAX_COUNT && prev.s.length + node.s.length <= NODE_MAX_BYTES) {
        setNodeContent(prev, prev.s + node.s, prev.n + node.n);
      } else {
        out.push(node);
      }
    }
    // No splice(..., ...out): spreading tens of thousands of nodes overflows the call stack.
    if (from === 0 && to === nodes.length - 1) this.nodes = out;
    else this.nodes = nodes.slice(0, from).concat(out, nodes.slice(to + 1));
  }

  /** Checks the internal invariants (tests). Throws on a violation. */
  checkInvariants(): void {
    if (this.more !== null && this.more.length < 2) throw new Error('node array of fewer than two nodes');
    if (this.more === null && (this.len === 0) !== (this.n === 0)) throw new Error('single node and length disagree');
    let total = 0;
    for (const node of this.nodes) {
      if (node.n <= 0) throw new Error('empty node');
      const s = node.s;
      let p = 0;
      for (let j = 0; j < node.n; j++) {
        if (s.charCodeAt(p) !== 36) throw new Error(`bad header at ${p}`);
        if (node.offs !== null && node.offs[j] + node.shift !== p) throw new Error(`stale offset ${j}`);
        const n = hdr(s, p);
        if (s.charCodeAt(DS + n) !== 13 || s.charCodeAt(DS + n + 1) !== 10) throw new Error('bad terminator');
        p = DS + n + 2;
      }
      if (p !== s.length) throw new Error('trailing bytes in node');
      if (node.offs !== null && node.offs.length !== node.n) throw new Error('offsets length');
      total += node.n;
    }
    if (total !== this.len) throw new Error(`length ${this.len} != ${total}`);
  }
}

