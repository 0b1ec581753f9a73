/**
 * A skiplist ordered by (score, member) with spans: every link knows how
 * many level-0 steps it jumps, so rank lookups and access by index are
 * O(log n) like insertion, deletion and score or lex range searches.
 *
 * Members compare as latin1 strings, which is byte order (memcmp), the order
 * Redis uses for equal scores and for lex ranges. Scores are never NaN.
 */

/** Most levels a node can have; 32 is plenty for 2^64 elements with p = 1/4. */
export const SKIPLIST_MAX_LEVEL = 32;

export class SkipNode {
  member: string;
  score: number;
  /** The previous node at level 0 (null for the first node). */
  backward: SkipNode | null = null;
  /** next[i]: the following node at level i. */
  next: Array<SkipNode | null>;
  /** span[i]: how many level-0 steps next[i] is ahead (the distance to the end when next[i] is null). */
  span: number[];

  constructor(level: number, score: number, member: string) {
    this.member = member;
    this.score = score;
    if (level === 1) {
      this.next = [null];
      this.span = [0];
    } else {
      const next: Array<SkipNode | null> = [];
      const span: number[] = [];
      for (let i = 0; i < level; i++) {
        next.push(null);
        span.push(0);
      }
      this.next = next;
      this.span = span;
    }
  }

  get level(): number {
    return this.next.length;
  }
}

/** A score interval; `minex`/`maxex` make an end exclusive. */
export interface ScoreRange {
  min: number;
  max: number;
  minex: boolean;
  maxex: boolean;
}

/**
 * A lex interval. `minInf`/`maxInf`: 0 for a real bound, -1 for "-" (below
 * everything), 1 for "+" (above everything).
 */
export interface LexRange {
  min: string;
  max: string;
  minex: boolean;
  maxex: boolean;
  minInf: -1 | 0 | 1;
  maxInf: -1 | 0 | 1;
}

export function scoreGteMin(v: number, r: ScoreRange): boolean {
  return r.minex ? v > r.min : v >= r.min;
}

export function scoreLteMax(v: number, r: ScoreRange): boolean {
  return r.maxex ? v < r.max : v <= r.max;
}

/** True when no score can be inside the range. */
export function scoreRangeEmpty(r: ScoreRange): boolean {
  return r.min > r.max || (r.min === r.max && (r.minex || r.maxex));
}

export function lexGteMin(m: string, r: LexRange): boolean {
  if (r.minInf !== 0) return r.minInf < 0;
  return r.minex ? m > r.min : m >= r.min;
}

export function lexLteMax(m: string, r: LexRange): boolean {
  if (r.maxInf !== 0) return r.maxInf > 0;
  return r.maxex ? m < r.max : m <= r.max;
}

/** True when no member can be inside the range (min above max, or equal with an exclusive end). */
export function lexRangeEmpty(r: LexRange): boolean {
  let cmp: number;
  if (r.minInf === r.maxInf && r.minInf !== 0) cmp = 0;
  else if (r.minInf < 0 || r.maxInf > 0) cmp = -1;
  else if (r.minInf > 0 || r.maxInf < 0) cmp = 1;
  else cmp = r.min < r.max ? -1 : r.min > r.max ? 1 : 0;
  return cmp > 0 || (cmp === 0 && (r.minex || r.maxex));
}

// xorshift32: a fast source of random bits for node levels.
let seed = (Math.random() * 0x100000000) >>> 0 || 0x9e3779b9;
function rand32(): number {
  let x = seed;
  x ^= x << 13;
  x ^= x >>> 17;
  x ^= x << 5;
  seed = x >>> 0;
  return seed;
}

/** A level with P(level > k) = 4^-k, as Redis's ZSKIPLIST_P = 0.25. */
function randomLevel(): number {
  let level = 1;
  let bits = rand32();
  let left = 16;
  while ((bits & 3) === 0 && level < SKIPLIST_MAX_LEVEL) {
    level++;
    bits >>>= 2;
    if (--left === 0) {
      bits = rand32();
      left = 16;
    }
  }
  return level;
}

// Scratch space for search paths (single-threaded, never re-entered).
const update: SkipNode[] = new Array(SKIPLIST_MAX_LEVEL);
const rankAt: number[] = new Array(SKIPLIST_MAX_LEVEL).fill(0);

export class SkipList {
  readonly head: SkipNode;
  tail: SkipNode | null = null;
  length = 0;
  level = 1;
  /** 1-based rank of the node returned by the last first/last-in-range search. */
  foundRank = 0;

  constructor() {
    this.head = new SkipNode(SKIPLIST_MAX_LEVEL, 0, '');
  }

  /** The first node (lowest), or null. */
  get first(): SkipNode | null {
    return this.head.next[0];
  }

  /** Fills `update` (and `rankAt` when `ranks`) with the last node before (score, member) at every level. */
  private findPath(score: number, member: string, ranks: boolean): void {
    let x = this.head;
    for (let i = this.level - 1; i >= 0; i--) {
      let r = i === this.level - 1 ? 0 : rankAt[i + 1];
      let nx = x.next[i];
      while (nx !== null && (nx.score < score || (nx.score === score && nx.member < member))) {
        if (ranks) r += x.span[i];
        x = nx;
        nx = x.next[i];
      }
      if (ranks) rankAt[i] = r;
      update[i] = x;
    }
  }

  /** Inserts a member known to be absent. Returns its node. */
  insert(score: number, member: string): SkipNode {
    const node = new SkipNode(randomLevel(), score, member);
    this.link(node);
    return node;
  }

  /** Links a detached node at the place its score and member give it. */
  private link(node: SkipNode): void {
    const score = node.score;
    const member = node.member;
    this.findPath(score, member, true);
    const lvl = node.next.length;
    if (lvl > this.level) {
      for (let i = this.level; i < lvl; i++) {
        rankAt[i] = 0;
        update[i] = this.head;
        this.head.span[i] = this.length;
      }
      this.level = lvl;
    }
    const r0 = rankAt[0];
    for (let i = 0; i < lvl; i++) {
      const u = update[i];
      node.next[i] = u.next[i];
      u.next[i] = node;
      node.span[i] = u.span[i] - (r0 - rankAt[i]);
      u.span[i] = r0 - rankAt[i] + 1;
    }
    for (let i = lvl; i < this.level; i++) update[i].span[i]++;
    node.backward = update[0] === this.head ? null : update[0];
    const n0 = node.next[0];
    if (n0 !== null) n0.backward = node;
    else this.tail = node;
    this.length++;
  }

  /** Unlinks `x` given the search path in `update`. */
  private unlink(x: SkipNode): void {
    for (let i = 0; i < this.level; i++) {
      const u = update[i];
      if (u.next[i] === x) {
        u.span[i] += x.span[i] - 1;
        u.next[i] = x.next[i];
      } else {
        u.span[i]--;
      }
    }
    const n0 = x.next[0];
    if (n0 !== null) n0.backward = x.backward;
    else this.tail = x.backward;
    while (this.level > 1 && this.head.next[this.level - 1] === null) this.level--;
    this.length--;
  }

  /** Removes the node with this score and member; returns it, or null when absent. */
  delete(score: number, member: string): SkipNode | null {
    this.findPath(score, member, false);
    const x = update[0].next[0];
    if (x === null || x.score !== score || x.member !== member) return null;
    this.unlink(x);
    return x;
  }

  /** Removes a node known to be in the list. */
  deleteNode(node: SkipNode): void {
    this.findPath(node.score, node.member, false);
    this.unlink(node);
  }

  /**
   * Changes a node's score, moving it when its order changes. The node object
   * stays the same (callers keep references to it).
   */
  updateScore(node: SkipNode, newScore: number): void {
    const member = node.member;
    const prev = node.backward;
    const next = node.next[0];
    if (
      (prev === null || prev.score < newScore || (prev.score === newScore && prev.member < member)) &&
      (next === null || next.score > newScore || (next.score === newScore && next.member > member))
    ) {
      node.score = newScore;
      return;
    }
    this.findPath(node.score, member, false);
    this.unlink(node);
    node.score = newScore;
    node.backward = null;
    this.link(node);
  }

  /** 1-based rank of (score, member), or 0 when absent. */
  rank(score: number, member: string): number {
    let rank = 0;
    let x = this.head;
    for (let i = this.level - 1; i >= 0; i--) {
      let nx = x.next[i];
      while (nx !== null && (nx.score < score || (nx.score === score && nx.member <= member))) {
        rank += x.span[i];
        x = nx;
        nx = x.next[i];
      }
      if (x !== this.head && x.member === member) return rank;
    }
    return 0;
  }

  /** The node at 1-based `rank`, or null when out of range. */
  byRank(rank: number): SkipNode | null {
    if (rank < 1 || rank > this.length) return null;
    let traversed = 0;
    let x = this.head;
    for (let i = this.level - 1; i >= 0; i--) {
      let nx = x.next[i];
      while (nx !== null && traversed + x.span[i] <= rank) {
        traversed += x.span[i];
        x = nx;
        nx = x.next[i];
      }
      if (traversed === rank) return x;
    }
    return null;
  }

  /** The lowest node inside the score range (its rank in `foundRank`), or null. */
  firstInScoreRange(r: ScoreRange): SkipNode | null {
    if (scoreRangeEmpty(r) || this.tail === null || !scoreGteMin(this.tail.score, r)) return null;
    let x = this.head;
    let rank = 0;
    for (let i = this.level - 1; i >= 0; i--) {
      let nx = x.next[i];
      while (nx !== null && !scoreGteMin(nx.score, r)) {
        rank += x.span[i];
        x = nx;
        nx = x.next[i];
      }
    }
    const found = x.next[0];
    if (found === null || !scoreLteMax(found.score, r)) return null;
    this.foundRank = rank + 1;
    return found;
  }

  /** The highest node inside the score range (its rank in `foundRank`), or null. */
  lastInScoreRange(r: ScoreRange): SkipNode | null {
    const first = this.head.next[0];
    if (scoreRangeEmpty(r) || first === null || !scoreLteMax(first.score, r)) return null;
    let x = this.head;
    let rank = 0;
    for (let i = this.level - 1; i >= 0; i--) {
      let nx = x.next[i];
      while (nx !== null && scoreLteMax(nx.score, r)) {
        rank += x.span[i];
        x = nx;
        nx = x.next[i];
      }
    }
    if (x === this.head || !scoreGteMin(x.score, r)) return null;
    this.foundRank = rank;
    return x;
  }

  /** The lowest node inside the lex range (its rank in `foundRank`), or null. */
  firstInLexRange(r: LexRange): SkipNode | null {
    if (lexRangeEmpty(r) || this.tail === null || !lexGteMin(this.tail.member, r)) return null;
    let x = this.head;
    let rank = 0;
    for (let i = this.level - 1; i >= 0; i--) {
      let nx = x.next[i];
      while (nx !== null && !lexGteMin(nx.member, r)) {
        rank += x.span[i];
        x = nx;
        nx = x.next[i];
      }
    }
    const found = x.next[0];
    if (found === null || !lexLteMax(found.member, r)) return null;
    this.foundRank = rank + 1;
    return found;
  }

  /** The highest node inside the lex range (its rank in `foundRank`), or null. */
  lastInLexRange(r: LexRange): SkipNode | null {
    const first = this.head.next[0];
    if (lexRangeEmpty(r) || first === null || !lexLteMax(first.member, r)) return null;
    let x = this.head;
    let rank = 0;
    for (let i = this.level - 1; i >= 0; i--) {
      let nx = x.next[i];
      while (nx !== null && lexLteMax(nx.member, r)) {
        rank += x.span[i];
        x = nx;
        nx = x.next[i];
      }
    }
    if (x === this.head || !lexGteMin(x.member, r)) return null;
    this.foundRank = rank;
    return x;
  }

  /**
   * Removes the nodes of 1-based ranks start..end (inclusive), calling
   * `onRemove` for each. Returns how many were removed.
   */
  deleteRangeByRank(start: number, end: number, onRemove: (n: SkipNode) => void): number {
    let traversed = 0;
    let x = this.head;
    for (let i = this.level - 1; i >= 0; i--) {
      let nx = x.next[i];
      while (nx !== null && traversed + x.span[i] < start) {
        traversed += x.span[i];
        x = nx;
        nx = x.next[i];
      }
      update[i] = x;
    }
    traversed++;
    let cur = x.next[0];
    let removed = 0;
    while (cur !== null && traversed <= end) {
      const nx = cur.next[0];
      this.unlink(cur);
      onRemove(cur);
      removed++;
      traversed++;
      cur = nx;
    }
    return removed;
  }

  /** Removes every node inside the score range; returns how many. */
  deleteRangeByScore(r: ScoreRange, onRemove: (n: SkipNode) => void): number {
    let x = this.head;
    for (let i = this.level - 1; i >= 0; i--) {
      let nx = x.next[i];
      while (nx !== null && !scoreGteMin(nx.score, r)) {
        x = nx;
        nx = x.next[i];
      }
      update[i] = x;
    }
    let cur = x.next[0];
    let removed = 0;
    while (cur !== null && scoreLteMax(cur.score, r)) {
      const nx = cur.next[0];
      this.unlink(cur);
      onRemove(cur);
      removed++;
      cur = nx;
    }
    return removed;
  }

  /** Removes every node inside the lex range; returns how many. */
  deleteRangeByLex(r: LexRange, onRemove: (n: SkipNode) => void): number {
    let x = this.head;
    for (let i = this.level - 1; i >= 0; i--) {
      let nx = x.next[i];
      while (nx !== null && !lexGteMin(nx.member, r)) {
        x = nx;
        nx = x.next[i];
      }
      update[i] = x;
    }
    let cur = x.next[0];
    let removed = 0;
    while (cur !== null && lexLteMax(cur.member, r)) {
      const nx = cur.next[0];
      this.unlink(cur);
      onRemove(cur);
      removed++;
      cur = nx;
    }
    return removed;
  }

  /** Checks every structural invariant (tests); throws with a description on the first violation. */
  verify(): void {
    const nodes: SkipNode[] = [];
    for (let x = this.head.next[0]; x !== null; x = x.next[0]) nodes.push(x);
    if (nodes.length !== this.length) throw new Error(`length ${this.length} but ${nodes.length} nodes`);
    if (this.tail !== (nodes.length ? nodes[nodes.length - 1] : null)) throw new Error('bad tail');
    const pos = new Map<SkipNode, number>();
    nodes.forEach((n, i) => pos.set(n, i + 1));
    pos.set(this.head, 0);
    for (let i = 0; i < nodes.length; i++) {
      const n = nodes[i];
      if (n.backward !== (i === 0 ? null : nodes[i - 1])) throw new Error(`bad backward at ${i}`);
      if (i > 0) {
        const p = nodes[i - 1];
        if (!(p.score < n.score || (p.score === n.score && p.member < n.member))) throw new Error(`order broken at ${i}`);
      }
      if (Number.isNaN(n.score)) throw new Error('NaN score');
    }
    let maxLevel = 1;
    for (const n of nodes) maxLevel = Math.max(maxLevel, n.level);
    if (maxLevel !== this.level) throw new Error(`level ${this.level} but tallest node ${maxLevel}`);
    for (let lvl = 0; lvl < SKIPLIST_MAX_LEVEL; lvl++) {
      // Walk level lvl: each link must reach the next node that is tall enough, with the right span.
      let x: SkipNode = this.head;
      for (;;) {
        const from = pos.get(x)!;
        let expect: SkipNode | null = null;
        for (let j = from; j < nodes.length; j++) {
          if (nodes[j].level > lvl) {
            expect = nodes[j];
            break;
          }
        }
        if (x.next[lvl] !== expect) throw new Error(`bad link at level ${lvl} from rank ${from}`);
        if (lvl < this.level) {
          const span = expect === null ? nodes.length - from : pos.get(expect)! - from;
          if (x.span[lvl] !== span) throw new Error(`bad span at level ${lvl} from rank ${from}: ${x.span[lvl]} != ${span}`);
        }
        if (expect === null) break;
        x = expect;
      }
    }
  }
}
