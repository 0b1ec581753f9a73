/**
 * The bucketed Dict (src/store/dict.ts): map semantics through growth and
 * shrinking, and the SCAN guarantee: every key present for the whole
 * iteration is returned, whatever is added or deleted between calls.
 */
import { describe, it, expect } from 'vitest';
import { Dict } from '../src/store/dict';
import { seeded } from './helpers/random';

/** Checks size, get and forEach against a reference Map. */
function checkSame(d: Dict<number>, ref: Map<string, number>): void {
  expect(d.size).toBe(ref.size);
  let n = 0;
  const wrong: string[] = [];
  d.forEach((k, v) => {
    n++;
    if (ref.get(k) !== v) wrong.push(k);
  });
  expect(n).toBe(ref.size);
  for (const [k, v] of ref) if (d.get(k) !== v) wrong.push(k);
  expect(wrong).toEqual([]);
  expect(new Set(d.keys()).size).toBe(ref.size);
}

describe('Dict', () => {
  it('behaves as a map through growth and shrinking', () => {
    const r = seeded(1);
    const d = new Dict<number>();
    const ref = new Map<string, number>();
    let sawGrow = false;
    let sawShrink = false;
    for (let round = 0; round < 6; round++) {
      // Grow to a few thousand keys, then delete most of them.
      for (let i = 0; i < 5000; i++) {
        const k = 'k' + Math.floor(r() * 20000);
        const v = Math.floor(r() * 1000);
        expect(d.set(k, v)).toBe(!ref.has(k));
        ref.set(k, v);
        if (d.rehashing) sawGrow = true;
        if (i % 997 === 0) checkSame(d, ref);
      }
      checkSame(d, ref);
      const before = d.bucketCount;
      for (const k of [...ref.keys()]) {
        if (r() < 0.97) {
          expect(d.delete(k)).toBe(true);
          expect(d.delete(k)).toBe(false);
          ref.delete(k);
        }
      }
      while (d.rehashStep(1000));
      if (d.bucketCount < before) sawShrink = true;
      checkSame(d, ref);
      expect(d.has('nope')).toBe(false);
    }
    expect(sawGrow).toBe(true);
    expect(sawShrink).toBe(true);
    d.clear();
    expect(d.size).toBe(0);
    expect(d.get('k1')).toBeUndefined();
    let n = 0;
    d.forEach(() => n++);
    expect(n).toBe(0);
  });

  it('keeps memory proportional to the keys after mass deletion', () => {
    const d = new Dict<number>();
    for (let i = 0; i < 200000; i++) d.set('key:' + i, i);
    const big = d.bucketCount;
    for (let i = 0; i < 199990; i++) d.delete('key:' + i);
    while (d.rehashStep(1 << 20));
    expect(d.bucketCount).toBeLessThan(big / 100);
    for (let i = 199990; i < 200000; i++) expect(d.get('key:' + i)).toBe(i);
  });

  it('scan visits every key exactly once on a quiet table', () => {
    for (const n of [0, 1, 5, 100, 1000, 50000]) {
      const d = new Dict<number>();
      for (let i = 0; i < n; i++) d.set('k' + i, i);
      const seen = new Map<string, number>();
      let cursor = 0;
      let calls = 0;
      do {
        cursor = d.scan(cursor, (k) => seen.set(k, (seen.get(k) ?? 0) + 1));
        calls++;
        expect(cursor).toBeLessThan(2 ** 30);
      } while (cursor !== 0);
      expect(seen.size).toBe(n);
      for (const c of seen.values()) expect(c).toBe(1);
      expect(calls).toBe(d.bucketCount);
    }
  });

  it('scan returns every stable key while the table grows and shrinks between calls', () => {
    let totalResizing = 0;
    for (let seed = 1; seed <= 12; seed++) {
      const r = seeded(seed);
      const d = new Dict<number>();
      const initial = Math.floor(r() * 20000);
      let serial = 0;
      for (let i = 0; i < initial; i++) d.set('s' + serial++, 0);
      // Keys present for the whole iteration are never deleted: "stable" ones.
      const stable = new Set<string>();
      for (const k of d.keys()) if (r() < 0.5) stable.add(k);
      const volatile = [...d.keys()].filter((k) => !stable.has(k));
      const seen = new Set<string>();
      let cursor = 0;
      let steps = 0;
      let scansWhileResizing = 0;
      // Phases: growth (many inserts), then shrinking (deleting the volatile keys), randomly mixed.
      do {
        cursor = d.scan(cursor, (k) => seen.add(k), r() < 0.8 ? 1 : 4);
        const growPhase = steps % 400 < 200;
        // Few operations between calls keep a resize in progress across many calls.
        // Bursts push the table over a resize threshold; then single steps keep the resize in progress.
        const ops = d.rehashing ? (r() < 0.9 ? Math.floor(r() * 3) : Math.floor(r() * 30)) : Math.floor(r() * 400);
        if (d.rehashing) scansWhileResizing++;
        for (let i = 0; i < ops; i++) {
          if (growPhase || volatile.length === 0) {
            const k = 'n' + serial++;
            d.set(k, 1);
            volatile.push(k);
          } else {
            const idx = Math.floor(r() * volatile.length);
            const k = volatile[idx];
            volatile[idx] = volatile[volatile.length - 1];
            volatile.pop();
            d.delete(k);
          }
        }
        if (r() < 0.3) d.rehashStep(Math.floor(r() * 50));
        steps++;
      } while (cursor !== 0 && steps < 1e6);
      expect(cursor).toBe(0);
      totalResizing += scansWhileResizing;
      for (const k of stable) {
        if (!seen.has(k)) expect.fail(`seed ${seed}: stable key ${k} never returned (${stable.size} stable, ${steps} calls)`);
      }
    }
    expect(totalResizing).toBeGreaterThan(400);
  });

  it('scan returns every stable key across a mass deletion that shrinks the table', () => {
    const d = new Dict<number>();
    for (let i = 0; i < 100000; i++) d.set('k' + i, i);
    const stable: string[] = [];
    for (let i = 0; i < 100000; i += 997) stable.push('k' + i);
    const stableSet = new Set(stable);
    const seen = new Set<string>();
    let cursor = 0;
    let i = 0;
    let calls = 0;
    const startBuckets = d.bucketCount;
    do {
      cursor = d.scan(cursor, (k) => seen.add(k), 8);
      // Delete a big slice of the non-stable keys each call.
      for (let n = 0; n < 3000 && i < 100000; i++) {
        if (!stableSet.has('k' + i)) {
          d.delete('k' + i);
          n++;
        }
      }
      calls++;
    } while (cursor !== 0);
    expect(d.bucketCount).toBeLessThan(startBuckets);
    for (const k of stable) expect(seen.has(k), k).toBe(true);
    expect(calls).toBeGreaterThan(1);
  });

  it('keys() returns each stable key exactly once while the table resizes under it', () => {
    const r = seeded(5);
    for (const grow of [true, false]) {
      const d = new Dict<number>();
      for (let i = 0; i < 20000; i++) d.set('s' + i, i);
      const stable = new Set<string>();
      const others: string[] = [];
      for (let i = 0; i < 20000; i++) {
        if (r() < 0.2) stable.add('s' + i);
        else others.push('s' + i);
      }
      const counts = new Map<string, number>();
      let serial = 0;
      let resized = false;
      for (const k of d.keys()) {
        counts.set(k, (counts.get(k) ?? 0) + 1);
        for (let j = 0; j < 3; j++) {
          if (grow) d.set('n' + serial++, 0);
          else if (others.length > 0) d.delete(others.pop()!);
        }
        if (d.rehashing) resized = true;
      }
      expect(resized).toBe(true);
      for (const k of stable) expect(counts.get(k), k).toBe(1);
    }
  });

  it('randomKey returns existing keys, roughly uniformly', () => {
    const d = new Dict<number>();
    expect(d.randomKey()).toBeUndefined();
    for (let i = 0; i < 100; i++) d.set('k' + i, i);
    const counts = new Map<string, number>();
    for (let i = 0; i < 100000; i++) {
      const k = d.randomKey()!;
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    expect(counts.size).toBe(100);
    for (const c of counts.values()) expect(c).toBeGreaterThan(300);
    // A sparse table (most buckets empty) still finds its only key.
    const sparse = new Dict<number>(1 << 16);
    sparse.set('only', 1);
    for (let i = 0; i < 20; i++) expect(sparse.randomKey()).toBe('only');
  });
});
