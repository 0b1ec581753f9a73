/**
 * Seeded pseudo-random numbers for randomized tests.
 *
 * Every randomized test draws from `seeded(seed)` instead of Math.random, so
 * that a failing run is replayed exactly by running it again with the seed it
 * reports. The generator is mulberry32: a 32-bit state advanced by a Weyl
 * sequence (adding 0x6d2b79f5) and mixed by two multiply-xorshift rounds. It
 * passes the usual statistical batteries well enough for test data, needs no
 * allocation per draw and is identical on every platform.
 *
 * Two seeds that differ give unrelated sequences; the same seed always gives
 * the same sequence (the seed is taken modulo 2^32).
 */

/** A source of uniform doubles in [0, 1). */
export type Rng = () => number;

/** A seeded generator: each call returns the next double in [0, 1) of the seed's sequence. */
export function seeded(seed: number): Rng {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
