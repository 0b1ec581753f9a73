/**
 * A skiplist ordered by (score, member) with spans: every link knows how
 * many level-0 steps it jumps, so rank lookups and access by index are
 * O(log n) like insertion, deletion and score or lex range searches
 * (William Pugh's skiplist, with the rank and backward-link additions Redis
 * made for sorted sets).
 *
 * Layout. A search walks from node to node reading each one's score and
 * links; with one JS object per node (plus arrays for its links and a boxed
 * double for its score) every step costs several cache misses, which made
 * big sorted sets several times slower than Redis. Here a node is an integer
 * id and its fields live in a 48-byte record of typed-array chunks: score
 * (float64), backward link, level, and the links and spans of levels 0-3.
 * One record read per step, as in Redis's C struct. Levels 4 and up (one node
 * in 256) live in an overflow table. Members are kept in a plain array by id.
 * Ids of removed nodes are reused. Chunks are fixed-size, so growing never
 * copies existing nodes.
 *
 * Node id 0 is the header (32 levels); a forward link or backward link of 0
 * means "none".
 *
 * Members compare as latin1 strings, which is byte order (memcmp), the order
 * Redis uses for equal scores and for lex ranges. Scores are never NaN.
 */

/** Most levels a node can have; 32 is plenty for 2^64 elements with p = 1/4. */
export const SKIPLIST_MAX_LEVEL = 32;

/** Nodes per chunk (a power of two). */
const CHUNK_BITS = 11;
const CHUNK_MASK = (1 << CHUNK_BITS) - 1;
/** Int32 slots per node record: [score lo, score hi, backward, level|overflow<<6, fwd0..3, span0..3]. */
const REC = 12;
const F_BACK = 2;
const F_LEVEL = 3;
const F_FWD = 4;
const F_SPAN = 8;
/** Levels stored in the record; the others go to the overflow table. */
const INLINE = 4;
const OVERFLOW = SKIPLIST_MAX_LEVEL - INLINE;

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
const update = new Int32Array(SKIPLIST_MAX_LEVEL);
const rankAt = new Float64Array(SKIPLIST_MAX_LEVEL);

export class SkipList {
  private ints: Int32Array[] = [];
  private dbls: Float64Array[] = [];
  private members: string[] = [];
  private freeIds: number[] = [];
  private nextId = 0;
  /** Links and spans of levels >= INLINE, OVERFLOW slots per overflow record. */
  private ovFwd = new Int32Array(OVERFLOW * 4);
  private ovSpan = new Int32Array(OVERFLOW * 4);
  private ovFree: number[] = [];
  private ovNext = 0;

  /** The last node (0 when empty). */
  tail = 0;
  length = 0;
  level = 1;
  /** 1-based rank of the node returned by the last first/last-in-range search. */
  foundRank = 0;

  constructor() {
    this.alloc(SKIPLIST_MAX_LEVEL, 0, ''); // the header, id 0
  }

  // ------------------------------------------------------------------ node records

  private alloc(level: number, score: number, member: string): number {
    let id: number;
    if (this.freeIds.length > 0) id = this.freeIds.pop()!;
    else {
      id = this.nextId++;
      if ((id & CHUNK_MASK) === 0) {
        const buf = new ArrayBuffer((CHUNK_MASK + 1) * REC * 4);
        this.ints.push(new Int32Array(buf));
        this.dbls.push(new Float64Array(buf));
      }
    }
    const ints = this.ints[id >> CHUNK_BITS];
    const b = (id & CHUNK_MASK) * REC;
    this.dbls[id >> CHUNK_BITS][b >> 1] = score;
    ints[b + F_BACK] = 0;
    let ov = 0;
    if (level > INLINE) {
      ov = this.ovFree.length > 0 ? this.ovFree.pop()! : this.ovNext++;
      if ((ov + 1) * OVERFLOW > this.ovFwd.length) {
        const f = new Int32Array(this.ovFwd.length * 2);
        f.set(this.ovFwd);
        this.ovFwd = f;
        const s = new Int32Array(this.ovSpan.length * 2);
        s.set(this.ovSpan);
        this.ovSpan = s;
      }
      this.ovFwd.fill(0, ov * OVERFLOW, (ov + 1) * OVERFLOW);
      this.ovSpan.fill(0, ov * OVERFLOW, (ov + 1) * OVERFLOW);
    }
    ints[b + F_LEVEL] = level | (ov << 6);
    for (let i = 0; i < INLINE; i++) {
      ints[b + F_FWD + i] = 0;
      ints[b + F_SPAN + i] = 0;
    }
    if (id === this.members.length) this.members.push(member);
    else this.members[id] = member;
    return id;
  }

  private release(id: number): void {
    const word = this.ints[id >> CHUNK_BITS][(id & CHUNK_MASK) * REC + F_LEVEL];
    if ((word & 63) > INLINE) this.ovFree.push(word >>> 6);
    this.members[id] = '';
    this.freeIds.push(id);
  }

  score(id: number): number {
    return this.dbls[id >> CHUNK_BITS][((id & CHUNK_MASK) * REC) >> 1];
  }

  private setScore(id: number, s: number): void {
    this.dbls[id >> CHUNK_BITS][((id & CHUNK_MASK) * REC) >> 1] = s;
  }

  member(id: number): string {
    return this.members[id];
  }

  /** Number of levels of a node. */
  levelOf(id: number): number {
    return this.ints[id >> CHUNK_BITS][(id & CHUNK_MASK) * REC + F_LEVEL] & 63;
  }

  /** The previous node at level 0 (0 for the first). */
  prev(id: number): number {
    return this.ints[id >> CHUNK_BITS][(id & CHUNK_MASK) * REC + F_BACK];
  }

  private setPrev(id: number, v: number): void {
    this.ints[id >> CHUNK_BITS][(id & CHUNK_MASK) * REC + F_BACK] = v;
  }

  /** The following node at level 0 (0 for the last). */
  next(id: number): number {
    return this.ints[id >> CHUNK_BITS][(id & CHUNK_MASK) * REC + F_FWD];
  }

  /** The following node at level i (0: none). */
  fwd(id: number, i: number): number {
    const ints = this.ints[id >> CHUNK_BITS];
    const b = (id & CHUNK_MASK) * REC;
    if (i < INLINE) return ints[b + F_FWD + i];
    return this.ovFwd[(ints[b + F_LEVEL] >>> 6) * OVERFLOW + i - INLINE];
  }

  private setFwd(id: number, i: number, v: number): void {
    const ints = this.ints[id >> CHUNK_BITS];
    const b = (id & CHUNK_MASK) * REC;
    if (i < INLINE) ints[b + F_FWD + i] = v;
    else this.ovFwd[(ints[b + F_LEVEL] >>> 6) * OVERFLOW + i - INLINE] = v;
  }

  /** How many level-0 steps the level-i link of a node jumps. */
  span(id: number, i: number): number {
    const ints = this.ints[id >> CHUNK_BITS];
    const b = (id & CHUNK_MASK) * REC;
    if (i < INLINE) return ints[b + F_SPAN + i];
    return this.ovSpan[(ints[b + F_LEVEL] >>> 6) * OVERFLOW + i - INLINE];
  }

  private setSpan(id: number, i: number, v: number): void {
    const ints = this.ints[id >> CHUNK_BITS];
    const b = (id & CHUNK_MASK) * REC;
    if (i < INLINE) ints[b + F_SPAN + i] = v;
    else this.ovSpan[(ints[b + F_LEVEL] >>> 6) * OVERFLOW + i - INLINE] = v;
  }

  /** The first node (lowest), 0 when empty. */
  get first(): number {
    return this.fwd(0, 0);
  }

  /** Whether (score, member) of node `id` sorts before (score, member). */
  private before(id: number, score: number, member: string): boolean {
    const s = this.score(id);
    return s < score || (s === score && this.members[id] < member);
  }

  // ------------------------------------------------------------------ insertion and removal

  /**
   * Fills `update` (and `rankAt` when `ranks`) with the last node before
   * (score, member) at every level. The hot loop of the structure: it keeps
   * the current node's record at hand and reads one record per step.
   */
  private findPath(score: number, member: string, ranks: boolean): void {
    const ints = this.ints;
    const dbls = this.dbls;
    const members = this.members;
    const ovFwd = this.ovFwd;
    const ovSpan = this.ovSpan;
    let x = 0;
    let xr = ints[0];
    let xb = 0;
    let r = 0;
    for (let i = this.level - 1; i >= 0; i--) {
      for (;;) {
        const nx = i < INLINE ? xr[xb + F_FWD + i] : ovFwd[(xr[xb + F_LEVEL] >>> 6) * OVERFLOW + i - INLINE];
        if (nx === 0) break;
        const c = nx >> CHUNK_BITS;
        const nb = (nx & CHUNK_MASK) * REC;
        const s = dbls[c][nb >> 1];
        if (!(s < score || (s === score && members[nx] < member))) break;
        if (ranks) r += i < INLINE ? xr[xb + F_SPAN + i] : ovSpan[(xr[xb + F_LEVEL] >>> 6) * OVERFLOW + i - INLINE];
        x = nx;
        xr = ints[c];
        xb = nb;
      }
      if (ranks) rankAt[i] = r;
      update[i] = x;
    }
  }

  /** Inserts a member known to be absent. Returns its node id. */
  insert(score: number, member: string): number {
    const id = this.alloc(randomLevel(), score, member);
    this.link(id);
    return id;
  }

  /** Links a detached node at the place its score and member give it. */
  private link(id: number): void {
    this.findPath(this.score(id), this.members[id], true);
    const lvl = this.levelOf(id);
    if (lvl > this.level) {
      for (let i = this.level; i < lvl; i++) {
        rankAt[i] = 0;
        update[i] = 0;
        this.setSpan(0, i, this.length);
      }
      this.level = lvl;
    }
    const r0 = rankAt[0];
    for (let i = 0; i < lvl; i++) {
      const u = update[i];
      this.setFwd(id, i, this.fwd(u, i));
      this.setFwd(u, i, id);
      this.setSpan(id, i, this.span(u, i) - (r0 - rankAt[i]));
      this.setSpan(u, i, r0 - rankAt[i] + 1);
    }
    for (let i = lvl; i < this.level; i++) {
      const u = update[i];
      this.setSpan(u, i, this.span(u, i) + 1);
    }
    this.setPrev(id, update[0]);
    const n0 = this.fwd(id, 0);
    if (n0 !== 0) this.setPrev(n0, id);
    else this.tail = id;
    this.length++;
  }

  /** Unlinks node `x` given the search path in `update`. */
  private unlink(x: number): void {
    for (let i = 0; i < this.level; i++) {
      const u = update[i];
      if (this.fwd(u, i) === x) {
        this.setSpan(u, i, this.span(u, i) + this.span(x, i) - 1);
        this.setFwd(u, i, this.fwd(x, i));
      } else {
        this.setSpan(u, i, this.span(u, i) - 1);
      }
    }
    const n0 = this.fwd(x, 0);
    if (n0 !== 0) this.setPrev(n0, this.prev(x));
    else this.tail = this.prev(x);
    while (this.level > 1 && this.fwd(0, this.level - 1) === 0) this.level--;
    this.length--;
  }

  /** Removes the node with this score and member; true when it was there. */
  delete(score: number, member: string): boolean {
    this.findPath(score, member, false);
    const x = this.fwd(update[0], 0);
    if (x === 0 || this.score(x) !== score || this.members[x] !== member) return false;
    this.unlink(x);
    this.release(x);
    return true;
  }

  /** Removes the first node (ZPOPMIN): its predecessor is the header at every level, no search. */
  deleteFirst(): void {
    const x = this.fwd(0, 0);
    if (x === 0) return;
    for (let i = 0; i < this.level; i++) update[i] = 0;
    this.unlink(x);
    this.release(x);
  }

  /** Removes the last node (ZPOPMAX): its predecessors are found by following links, no comparisons. */
  deleteLast(): void {
    const t = this.tail;
    if (t === 0) return;
    let x = 0;
    for (let i = this.level - 1; i >= 0; i--) {
      let nx = this.fwd(x, i);
      while (nx !== 0 && nx !== t) {
        x = nx;
        nx = this.fwd(x, i);
      }
      update[i] = x;
    }
    this.unlink(t);
    this.release(t);
  }

  /** Removes a node known to be in the list; its id becomes invalid. */
  deleteNode(id: number): void {
    this.findPath(this.score(id), this.members[id], false);
    this.unlink(id);
    this.release(id);
  }

  /** Changes a node's score, moving it when its order changes. The id stays valid. */
  updateScore(id: number, newScore: number): void {
    const member = this.members[id];
    const p = this.prev(id);
    const n = this.next(id);
    if ((p === 0 || this.before(p, newScore, member)) && (n === 0 || this.after(n, newScore, member))) {
      this.setScore(id, newScore);
      return;
    }
    this.findPath(this.score(id), member, false);
    this.unlink(id);
    this.setScore(id, newScore);
    this.link(id);
  }

  /** Whether node `id` sorts after (score, member). */
  private after(id: number, score: number, member: string): boolean {
    const s = this.score(id);
    return s > score || (s === score && this.members[id] > member);
  }

  // ------------------------------------------------------------------ searches

  /** 1-based rank of (score, member), or 0 when absent. */
  rank(score: number, member: string): number {
    const ints = this.ints;
    const dbls = this.dbls;
    const members = this.members;
    let rank = 0;
    let x = 0;
    let xr = ints[0];
    let xb = 0;
    for (let i = this.level - 1; i >= 0; i--) {
      for (;;) {
        const nx = i < INLINE ? xr[xb + F_FWD + i] : this.ovFwd[(xr[xb + F_LEVEL] >>> 6) * OVERFLOW + i - INLINE];
        if (nx === 0) break;
        const c = nx >> CHUNK_BITS;
        const nb = (nx & CHUNK_MASK) * REC;
        const s = dbls[c][nb >> 1];
        if (!(s < score || (s === score && members[nx] <= member))) break;
        rank += i < INLINE ? xr[xb + F_SPAN + i] : this.ovSpan[(xr[xb + F_LEVEL] >>> 6) * OVERFLOW + i - INLINE];
        x = nx;
        xr = ints[c];
        xb = nb;
      }
      if (x !== 0 && members[x] === member) return rank;
    }
    return 0;
  }

  /** The node at 1-based `rank`, or 0 when out of range. */
  byRank(rank: number): number {
    if (rank < 1 || rank > this.length) return 0;
    let traversed = 0;
    let x = 0;
    for (let i = this.level - 1; i >= 0; i--) {
      let nx = this.fwd(x, i);
      while (nx !== 0 && traversed + this.span(x, i) <= rank) {
        traversed += this.span(x, i);
        x = nx;
        nx = this.fwd(x, i);
      }
      if (traversed === rank) return x;
    }
    return 0;
  }

  /** The lowest node inside the score range (its rank in `foundRank`), or 0. */
  firstInScoreRange(r: ScoreRange): number {
    if (scoreRangeEmpty(r) || this.tail === 0 || !scoreGteMin(this.score(this.tail), r)) return 0;
    let x = 0;
    let rank = 0;
    for (let i = this.level - 1; i >= 0; i--) {
      let nx = this.fwd(x, i);
      while (nx !== 0 && !scoreGteMin(this.score(nx), r)) {
        rank += this.span(x, i);
        x = nx;
        nx = this.fwd(x, i);
      }
    }
    const found = this.fwd(x, 0);
    if (found === 0 || !scoreLteMax(this.score(found), r)) return 0;
    this.foundRank = rank + 1;
    return found;
  }

  /** The highest node inside the score range (its rank in `foundRank`), or 0. */
  lastInScoreRange(r: ScoreRange): number {
    const first = this.fwd(0, 0);
    if (scoreRangeEmpty(r) || first === 0 || !scoreLteMax(this.score(first), r)) return 0;
    let x = 0;
    let rank = 0;
    for (let i = this.level - 1; i >= 0; i--) {
      let nx = this.fwd(x, i);
      while (nx !== 0 && scoreLteMax(this.score(nx), r)) {
        rank += this.span(x, i);
        x = nx;
        nx = this.fwd(x, i);
      }
    }
    if (x === 0 || !scoreGteMin(this.score(x), r)) return 0;
    this.foundRank = rank;
    return x;
  }

  /** The lowest node inside the lex range (its rank in `foundRank`), or 0. */
  firstInLexRange(r: LexRange): number {
    if (lexRangeEmpty(r) || this.tail === 0 || !lexGteMin(this.members[this.tail], r)) return 0;
    let x = 0;
    let rank = 0;
    for (let i = this.level - 1; i >= 0; i--) {
      let nx = this.fwd(x, i);
      while (nx !== 0 && !lexGteMin(this.members[nx], r)) {
        rank += this.span(x, i);
        x = nx;
        nx = this.fwd(x, i);
      }
    }
    const found = this.fwd(x, 0);
    if (found === 0 || !lexLteMax(this.members[found], r)) return 0;
    this.foundRank = rank + 1;
    return found;
  }

  /** The highest node inside the lex range (its rank in `foundRank`), or 0. */
  lastInLexRange(r: LexRange): number {
    const first = this.fwd(0, 0);
    if (lexRangeEmpty(r) || first === 0 || !lexLteMax(this.members[first], r)) return 0;
    let x = 0;
    let rank = 0;
    for (let i = this.level - 1; i >= 0; i--) {
      let nx = this.fwd(x, i);
      while (nx !== 0 && lexLteMax(this.members[nx], r)) {
        rank += this.span(x, i);
        x = nx;
        nx = this.fwd(x, i);
      }
    }
    if (x === 0 || !lexGteMin(this.members[x], r)) return 0;
    this.foundRank = rank;
    return x;
  }

  // ------------------------------------------------------------------ removals by range

  /** Unlinks from `cur` on (the path to it in `update`) while `keep` says so; calls onRemove(member) for each. */
  private removeRun(cur: number, keep: (id: number) => boolean, onRemove: (member: string) => void): number {
    let removed = 0;
    while (cur !== 0 && keep(cur)) {
      const nx = this.fwd(cur, 0);
      const m = this.members[cur];
      this.unlink(cur);
      this.release(cur);
      onRemove(m);
      removed++;
      cur = nx;
    }
    return removed;
  }

  /** Removes the nodes of 1-based ranks start..end (inclusive); returns how many. */
  deleteRangeByRank(start: number, end: number, onRemove: (member: string) => void): number {
    let traversed = 0;
    let x = 0;
    for (let i = this.level - 1; i >= 0; i--) {
      let nx = this.fwd(x, i);
      while (nx !== 0 && traversed + this.span(x, i) < start) {
        traversed += this.span(x, i);
        x = nx;
        nx = this.fwd(x, i);
      }
      update[i] = x;
    }
    let rank = traversed + 1;
    return this.removeRun(this.fwd(x, 0), () => rank++ <= end, onRemove);
  }

  /** Removes every node inside the score range; returns how many. */
  deleteRangeByScore(r: ScoreRange, onRemove: (member: string) => void): number {
    let x = 0;
    for (let i = this.level - 1; i >= 0; i--) {
      let nx = this.fwd(x, i);
      while (nx !== 0 && !scoreGteMin(this.score(nx), r)) {
        x = nx;
        nx = this.fwd(x, i);
      }
      update[i] = x;
    }
    return this.removeRun(this.fwd(x, 0), (id) => scoreLteMax(this.score(id), r), onRemove);
  }

  /** Removes every node inside the lex range; returns how many. */
  deleteRangeByLex(r: LexRange, onRemove: (member: string) => void): number {
    let x = 0;
    for (let i = this.level - 1; i >= 0; i--) {
      let nx = this.fwd(x, i);
      while (nx !== 0 && !lexGteMin(this.members[nx], r)) {
        x = nx;
        nx = this.fwd(x, i);
      }
      update[i] = x;
    }
    return this.removeRun(this.fwd(x, 0), (id) => lexLteMax(this.members[id], r), onRemove);
  }

  // ------------------------------------------------------------------ checks

  /** Checks every structural invariant (tests); throws with a description on the first violation. */
  verify(): void {
    const nodes: number[] = [];
    for (let x = this.first; x !== 0; x = this.next(x)) {
      nodes.push(x);
      if (nodes.length > this.length + 1) throw new Error('cycle or bad length');
    }
    if (nodes.length !== this.length) throw new Error(`length ${this.length} but ${nodes.length} nodes`);
    if (this.tail !== (nodes.length ? nodes[nodes.length - 1] : 0)) throw new Error('bad tail');
    const pos = new Map<number, number>();
    nodes.forEach((n, i) => pos.set(n, i + 1));
    pos.set(0, 0);
    for (let i = 0; i < nodes.length; i++) {
      const n = nodes[i];
      if (this.prev(n) !== (i === 0 ? 0 : nodes[i - 1])) throw new Error(`bad backward at ${i}`);
      if (i > 0 && !this.before(nodes[i - 1], this.score(n), this.members[n])) throw new Error(`order broken at ${i}`);
      if (Number.isNaN(this.score(n))) throw new Error('NaN score');
    }
    let maxLevel = 1;
    for (const n of nodes) maxLevel = Math.max(maxLevel, this.levelOf(n));
    if (maxLevel !== this.level) throw new Error(`level ${this.level} but tallest node ${maxLevel}`);
    for (let lvl = 0; lvl < SKIPLIST_MAX_LEVEL; lvl++) {
      let x = 0;
      for (;;) {
        const from = pos.get(x)!;
        let expect = 0;
        for (let j = from; j < nodes.length; j++) {
          if (this.levelOf(nodes[j]) > lvl) {
            expect = nodes[j];
            break;
          }
        }
        if (this.fwd(x, lvl) !== expect) throw new Error(`bad link at level ${lvl} from rank ${from}`);
        if (lvl < this.level) {
          const span = expect === 0 ? nodes.length - from : pos.get(expect)! - from;
          if (this.span(x, lvl) !== span) throw new Error(`bad span at level ${lvl} from rank ${from}: ${this.span(x, lvl)} != ${span}`);
        }
        if (expect === 0) break;
        x = expect;
      }
    }
  }
}
