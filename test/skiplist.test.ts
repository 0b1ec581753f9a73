/**
 * The skiplist and the ZSet value against a naive model (a sorted array):
 * random operations, then every query compared and every structural
 * invariant (links, spans, backward pointers, level) checked.
 */
import { describe, it, expect } from 'vitest';
import { SkipList, type ScoreRange, type LexRange } from '../src/store/skiplist';
import { ZSet, ZADD_IN_INCR, ZADD_IN_NX, ZADD_IN_XX, ZADD_IN_GT, ZADD_IN_LT, ZADD_ADDED, ZADD_UPDATED, ZADD_NOP, ZADD_NAN } from '../src/store/types/zset';
import { Config } from '../src/config/config';
import { seeded } from './helpers/random';

type Entry = [string, number];

function cmp(a: Entry, b: Entry): number {
  if (a[1] !== b[1]) return a[1] < b[1] ? -1 : 1;
  return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0;
}

class Model {
  items: Entry[] = [];
  find(m: string): number {
    return this.items.findIndex((e) => e[0] === m);
  }
  insert(m: string, s: number): void {
    this.items.push([m, s]);
    this.items.sort(cmp);
  }
  remove(m: string): boolean {
    const i = this.find(m);
    if (i < 0) return false;
    this.items.splice(i, 1);
    return true;
  }
  inScore(s: number, r: ScoreRange): boolean {
    return (r.minex ? s > r.min : s >= r.min) && (r.maxex ? s < r.max : s <= r.max);
  }
  inLex(m: string, r: LexRange): boolean {
    const geMin = r.minInf !== 0 ? r.minInf < 0 : r.minex ? m > r.min : m >= r.min;
    const leMax = r.maxInf !== 0 ? r.maxInf > 0 : r.maxex ? m < r.max : m <= r.max;
    return geMin && leMax;
  }
}

const SCORES = [-Infinity, -3, -1.5, -0, 0, 0.5, 1, 1, 2, 3, 1e10, Infinity];
const LETTERS = ['', 'a', 'b', 'c', 'aa', 'ab', 'b\x00', '\xff', 'zz', 'm'];

function randScore(r: () => number): number {
  return r() < 0.7 ? SCORES[Math.floor(r() * SCORES.length)] : Math.floor(r() * 20) - 10;
}
function randMember(r: () => number, n: number): string {
  return r() < 0.3 ? LETTERS[Math.floor(r() * LETTERS.length)] : 'm' + Math.floor(r() * n);
}
function randScoreRange(r: () => number): ScoreRange {
  return { min: randScore(r), max: randScore(r), minex: r() < 0.5, maxex: r() < 0.5 };
}
function randLexRange(r: () => number): LexRange {
  const end = (): [string, -1 | 0 | 1, boolean] => {
    const x = r();
    if (x < 0.15) return ['', -1, true];
    if (x < 0.3) return ['', 1, true];
    return [LETTERS[Math.floor(r() * LETTERS.length)] + (r() < 0.5 ? '' : 'm'), 0, r() < 0.5];
  };
  const [min, minInf, minex] = end();
  const [max, maxInf, maxex] = end();
  return { min, max, minex, maxex, minInf, maxInf };
}

describe('skiplist', () => {
  it('keeps its invariants and answers like a sorted array under random operations', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const r = seeded(seed * 7919);
      const zsl = new SkipList();
      const model = new Model();
      const nodes = new Map<string, number>();
      for (let step = 0; step < 600; step++) {
        const op = r();
        const m = randMember(r, 60);
        if (op < 0.45) {
          if (nodes.has(m)) continue;
          const s = randScore(r);
          nodes.set(m, zsl.insert(s, m));
          model.insert(m, s);
        } else if (op < 0.6) {
          const node = nodes.get(m);
          if (node === undefined) {
            expect(zsl.delete(0, m)).toBe(false);
            continue;
          }
          expect(zsl.delete(zsl.score(node), m)).toBe(true);
          nodes.delete(m);
          model.remove(m);
        } else if (op < 0.75) {
          const node = nodes.get(m);
          if (node === undefined) continue;
          const s = randScore(r);
          zsl.updateScore(node, s);
          expect(zsl.member(node)).toBe(m);
          model.remove(m);
          model.insert(m, s);
        } else if (op < 0.8) {
          const range = randScoreRange(r);
          const removed: string[] = [];
          zsl.deleteRangeByScore(range, (mm) => removed.push(mm));
          const expected = model.items.filter((e) => model.inScore(e[1], range)).map((e) => e[0]);
          expect(removed).toEqual(expected);
          for (const x of removed) {
            nodes.delete(x);
            model.remove(x);
          }
        } else if (op < 0.83) {
          const range = randLexRange(r);
          // Lex ranges only make sense with equal scores; the removal works on the order anyway.
          const removed: string[] = [];
          zsl.deleteRangeByLex(range, (mm) => removed.push(mm));
          for (const x of removed) {
            nodes.delete(x);
            model.remove(x);
          }
        } else if (op < 0.86 && model.items.length > 0) {
          const a = 1 + Math.floor(r() * model.items.length);
          const b = a + Math.floor(r() * 5);
          const removed: string[] = [];
          zsl.deleteRangeByRank(a, b, (mm) => removed.push(mm));
          expect(removed).toEqual(model.items.slice(a - 1, b).map((e) => e[0]));
          for (const x of removed) {
            nodes.delete(x);
            model.remove(x);
          }
        }
        if (step % 25 === 0 || step === 599) {
          zsl.verify();
          const seq: Entry[] = [];
          for (let n = zsl.first; n !== 0; n = zsl.next(n)) seq.push([zsl.member(n), zsl.score(n)]);
          expect(seq).toEqual(model.items);
          const back: Entry[] = [];
          for (let n = zsl.tail; n !== 0; n = zsl.prev(n)) back.push([zsl.member(n), zsl.score(n)]);
          expect(back.reverse()).toEqual(model.items);
          model.items.forEach(([mm, ss], i) => {
            expect(zsl.rank(ss, mm)).toBe(i + 1);
            expect(zsl.member(zsl.byRank(i + 1))).toBe(mm);
          });
          expect(zsl.byRank(0)).toBe(0);
          expect(zsl.byRank(model.items.length + 1)).toBe(0);
          for (let q = 0; q < 10; q++) {
            const range = randScoreRange(r);
            const inside = model.items.map((e, i) => [e, i] as const).filter(([e]) => model.inScore(e[1], range));
            const first = zsl.firstInScoreRange(range);
            if (inside.length === 0) {
              expect(first).toBe(0);
              expect(zsl.lastInScoreRange(range)).toBe(0);
            } else {
              expect(zsl.member(first)).toBe(inside[0][0][0]);
              expect(zsl.foundRank).toBe(inside[0][1] + 1);
              const last = zsl.lastInScoreRange(range);
              expect(zsl.member(last)).toBe(inside[inside.length - 1][0][0]);
              expect(zsl.foundRank).toBe(inside[inside.length - 1][1] + 1);
            }
          }
        }
      }
    }
  });

  it('finds lex ranges over equal scores', () => {
    const r = seeded(4242);
    for (let round = 0; round < 30; round++) {
      const zsl = new SkipList();
      const members = new Set<string>();
      for (let i = 0; i < 40; i++) members.add(randMember(r, 30));
      for (const m of members) zsl.insert(0, m);
      const sorted = [...members].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      const model = new Model();
      for (let q = 0; q < 30; q++) {
        const range = randLexRange(r);
        const inside = sorted.filter((m) => model.inLex(m, range));
        const first = zsl.firstInLexRange(range);
        const last = zsl.lastInLexRange(range);
        if (inside.length === 0) {
          expect(first).toBe(0);
          expect(last).toBe(0);
        } else {
          expect(zsl.member(first)).toBe(inside[0]);
          expect(zsl.member(last)).toBe(inside[inside.length - 1]);
          expect(zsl.foundRank).toBe(sorted.indexOf(inside[inside.length - 1]) + 1);
        }
      }
    }
  });

  it('grows tall enough for many elements and stays logarithmic', () => {
    const zsl = new SkipList();
    for (let i = 0; i < 50000; i++) zsl.insert(i, 'm' + i);
    expect(zsl.length).toBe(50000);
    expect(zsl.level).toBeGreaterThan(4);
    expect(zsl.level).toBeLessThanOrEqual(32);
    expect(zsl.member(zsl.byRank(25000))).toBe('m24999');
    expect(zsl.rank(40000, 'm40000')).toBe(40001);
    zsl.deleteRangeByRank(1, 49990, () => {});
    zsl.verify();
    expect(zsl.length).toBe(10);
    // Freed node records (and tall nodes' overflow records) are reused.
    for (let i = 0; i < 30000; i++) zsl.insert(-i, 'n' + i);
    zsl.verify();
    expect(zsl.length).toBe(30010);
    expect(zsl.member(zsl.first)).toBe('n29999');
    expect(zsl.member(zsl.tail)).toBe('m49999');
    for (let i = 0; i < 30000; i += 2) expect(zsl.delete(-i, 'n' + i)).toBe(true);
    while (zsl.length > 5) zsl.deleteFirst();
    zsl.deleteLast();
    zsl.verify();
    expect(zsl.length).toBe(4);
    expect(zsl.member(zsl.tail)).toBe('m49998');
  });
});

describe('ZSet value in both encodings', () => {
  const config = new Config();

  for (const big of [false, true]) {
    it(`matches the model (${big ? 'skiplist' : 'compact'})`, () => {
      for (let seed = 1; seed <= 10; seed++) {
        const r = seeded(seed * 104729 + (big ? 1 : 0));
        const z = new ZSet();
        if (big) z.toSkiplist();
        const model = new Model();
        // What the set keeps: a compact set (like Redis's listpack) stores -0 as 0, a skiplist keeps -0.
        const stored = (score: number): number => (big ? score : score + 0);
        for (let step = 0; step < 400; step++) {
          const op = r();
          const m = randMember(r, 40);
          if (op < 0.5) {
            const flagsPick = [0, ZADD_IN_NX, ZADD_IN_XX, ZADD_IN_GT, ZADD_IN_LT, ZADD_IN_INCR, ZADD_IN_INCR | ZADD_IN_XX][Math.floor(r() * 7)];
            const s = randScore(r);
            const i = model.find(m);
            const res = z.add(m, s, flagsPick, config);
            // Expected per Redis's zsetAdd.
            if (i >= 0) {
              const cur = model.items[i][1];
              let ns = s;
              if (flagsPick & ZADD_IN_NX) {
                expect(res).toBe(ZADD_NOP);
                continue;
              }
              if (flagsPick & ZADD_IN_INCR) {
                ns = cur + s;
                if (Number.isNaN(ns)) {
                  expect(res).toBe(ZADD_NAN);
                  continue;
                }
              }
              if ((flagsPick & ZADD_IN_LT && ns >= cur) || (flagsPick & ZADD_IN_GT && ns <= cur)) {
                expect(res).toBe(ZADD_NOP);
                continue;
              }
              expect(z.lastScore).toBe(ns);
              if (ns !== cur) {
                expect(res).toBe(ZADD_UPDATED);
                model.remove(m);
                model.insert(m, stored(ns));
              } else {
                expect(res).toBe(0);
              }
            } else if (flagsPick & ZADD_IN_XX) {
              expect(res).toBe(ZADD_NOP);
            } else {
              expect(res).toBe(ZADD_ADDED);
              model.insert(m, stored(s));
            }
          } else if (op < 0.65) {
            expect(z.remove(m)).toBe(model.remove(m));
          } else if (op < 0.7) {
            const range = randScoreRange(r);
            const n = z.removeRangeByScore(range);
            const keep = model.items.filter((e) => !model.inScore(e[1], range));
            expect(n).toBe(model.items.length - keep.length);
            model.items = keep;
          } else if (op < 0.73 && model.items.length > 0) {
            const a = Math.floor(r() * model.items.length);
            const b = Math.min(model.items.length - 1, a + Math.floor(r() * 4));
            expect(z.removeRangeByRank(a, b)).toBe(b - a + 1);
            model.items.splice(a, b - a + 1);
          } else if (op < 0.76) {
            const k = Math.floor(r() * 3);
            const max = r() < 0.5;
            const got: Entry[] = [];
            z.pop(k, max, (mm, ss) => got.push([mm, ss]));
            const exp = max ? model.items.slice(-k || model.items.length).reverse() : model.items.slice(0, k);
            const norm = (l: Entry[]) => l.map((e) => [e[0], e[1] + 0]);
            expect(norm(got)).toEqual(k === 0 ? [] : norm(exp));
            model.items = max ? model.items.slice(0, Math.max(0, model.items.length - k)) : model.items.slice(k);
          }
          // Queries.
          expect(z.size).toBe(model.items.length);
          const all: Entry[] = [];
          z.forEach((mm, ss) => all.push([mm, ss]));
          // Compact sets store -0 as 0, like a listpack.
          expect(all.map((e) => [e[0], e[1] + 0])).toEqual(model.items.map((e) => [e[0], e[1] + 0]));
          const probe = randMember(r, 40);
          const pi = model.find(probe);
          expect(z.rank(probe, false)).toBe(pi);
          expect(z.rank(probe, true)).toBe(pi < 0 ? -1 : model.items.length - 1 - pi);
          const range = randScoreRange(r);
          const inside = model.items.filter((e) => model.inScore(e[1], range));
          expect(z.count(range)).toBe(inside.length);
          const offset = Math.floor(r() * 4);
          const limit = Math.floor(r() * 5) - 1;
          for (const rev of [false, true]) {
            const got: string[] = [];
            z.rangeByScore(range, rev, offset, limit, (mm) => got.push(mm));
            let exp = inside.map((e) => e[0]);
            if (rev) exp = exp.reverse();
            exp = exp.slice(offset);
            if (limit >= 0) exp = exp.slice(0, limit);
            expect(got).toEqual(exp);
          }
          const lr = randLexRange(r);
          const lexInside = model.items.filter((e) => model.inLex(e[0], lr));
          // Lex ranges assume equal scores; only check when that holds.
          if (model.items.every((e) => e[1] === model.items[0]?.[1])) {
            expect(z.lexCount(lr)).toBe(lexInside.length);
            const got: string[] = [];
            z.rangeByLex(lr, true, 0, -1, (mm) => got.push(mm));
            expect(got).toEqual(lexInside.map((e) => e[0]).reverse());
          }
          if (model.items.length > 0) {
            const a = Math.floor(r() * model.items.length);
            const b = Math.min(model.items.length - 1, a + Math.floor(r() * 6));
            for (const rev of [false, true]) {
              const got: string[] = [];
              z.rangeByRank(a, b, rev, (mm) => got.push(mm));
              const order = rev ? model.items.slice().reverse() : model.items;
              expect(got).toEqual(order.slice(a, b + 1).map((e) => e[0]));
            }
          }
        }
        expect(z.encoding()).toBe(big ? 'skiplist' : 'listpack');
        const copy = z.clone();
        const a: Entry[] = [];
        const b: Entry[] = [];
        z.forEach((mm, ss) => a.push([mm, ss]));
        copy.forEach((mm, ss) => b.push([mm, ss]));
        expect(b).toEqual(a);
        expect(copy.encoding()).toBe(z.encoding());
      }
    });
  }

  it('converts to skiplist past the configured limits and never back', () => {
    const cfg = new Config();
    const z = new ZSet();
    for (let i = 0; i < 128; i++) z.add('m' + i, i, 0, cfg);
    expect(z.encoding()).toBe('listpack');
    z.add('m128', 128, 0, cfg);
    expect(z.encoding()).toBe('skiplist');
    for (let i = 0; i < 120; i++) z.remove('m' + i);
    expect(z.encoding()).toBe('skiplist');
    const y = new ZSet();
    y.add('x'.repeat(64), 1, 0, cfg);
    expect(y.encoding()).toBe('listpack');
    y.add('x'.repeat(65), 1, 0, cfg);
    expect(y.encoding()).toBe('skiplist');
    cfg.set('zset-max-listpack-entries', ['0']);
    const w = new ZSet();
    w.add('a', 1, 0, cfg);
    expect(w.encoding()).toBe('skiplist');
  });

  it('scans a big set with a cursor that returns every stable member', () => {
    const cfg = new Config();
    const z = new ZSet();
    for (let i = 0; i < 2000; i++) z.add('m' + i, i, 0, cfg);
    const seen = new Set<string>();
    let cursor = 0;
    let rounds = 0;
    do {
      cursor = z.scan(cursor, 10, (m) => seen.add(m));
      // Churn: add and remove other members while iterating.
      z.add('tmp' + rounds, rounds, 0, cfg);
      if (rounds % 2 === 0) z.remove('tmp' + (rounds - 1));
      rounds++;
    } while (cursor !== 0 && rounds < 100000);
    for (let i = 0; i < 2000; i++) expect(seen.has('m' + i)).toBe(true);
  });
});
