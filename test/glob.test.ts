/**
 * Glob matching (src/util/glob.ts) against (1) a straightforward recursive
 * transcription of the C matcher's semantics, on random patterns and strings,
 * and (2) the real redis-server, through KEYS with many patterns.
 */
import { describe, it, expect } from 'vitest';
import { globMatch } from '../src/util/glob';
import { connectedServers } from './helpers/servers';
import { readReply, type RespValue } from '../src/protocol/resp-reader';
import { seeded } from './helpers/random';

/**
 * Reference: the C algorithm's behaviour, written plainly (full recursive
 * backtracking, no pruning), reading a NUL past the end of the pattern as C
 * does on its NUL-terminated strings. Exponential: only for short inputs.
 */
function reference(pattern: string, str: string, nocase: boolean): boolean {
  const at = (i: number): number => (i < pattern.length ? pattern.charCodeAt(i) : 0);
  const signed = (c: number): number => (c >= 128 ? c - 256 : c);
  const low = (c: number): number => (c >= 65 && c <= 90 ? c + 32 : c);
  const STAR = 42, QUEST = 63, OPEN = 91, CLOSE = 93, BSL = 92, CARET = 94, DASH = 45;
  function m(pi: number, plen: number, si: number, slen: number): boolean {
    while (plen > 0 && slen > 0) {
      const sc = str.charCodeAt(si);
      const pc = at(pi);
      if (pc === STAR) {
        while (at(pi + 1) === STAR) {
          pi++;
          plen--;
        }
        if (plen === 1) return true;
        while (slen > 0) {
          if (m(pi + 1, plen - 1, si, slen)) return true;
          si++;
          slen--;
        }
        return false;
      } else if (pc === QUEST) {
        si++;
        slen--;
      } else if (pc === OPEN) {
        pi++;
        plen--;
        const not = at(pi) === CARET;
        if (not) {
          pi++;
          plen--;
        }
        let match = false;
        for (;;) {
          if (at(pi) === BSL && plen >= 2) {
            pi++;
            plen--;
            if (at(pi) === sc) match = true;
          } else if (at(pi) === CLOSE) {
            break;
          } else if (plen === 0) {
            pi--;
            plen++;
            break;
          } else if (plen >= 3 && at(pi + 1) === DASH) {
            let a = signed(at(pi));
            let b = signed(at(pi + 2));
            let c = signed(sc);
            if (a > b) [a, b] = [b, a];
            if (nocase) {
              a = low(a);
              b = low(b);
              c = low(c);
            }
            pi += 2;
            plen -= 2;
            if (c >= a && c <= b) match = true;
          } else if (nocase ? low(at(pi)) === low(sc) : at(pi) === sc) {
            match = true;
          }
          pi++;
          plen--;
        }
        if (not) match = !match;
        if (!match) return false;
        si++;
        slen--;
      } else {
        if (pc === BSL && plen >= 2) {
          pi++;
          plen--;
        }
        const lc = at(pi);
        if (nocase ? low(lc) !== low(sc) : lc !== sc) return false;
        si++;
        slen--;
      }
      pi++;
      plen--;
      if (slen === 0) {
        while (at(pi) === STAR) {
          pi++;
          plen--;
        }
        break;
      }
    }
    return plen === 0 && slen === 0;
  }
  return m(0, pattern.length, 0, str.length);
}

const PATTERN_CHARS = ['a', 'b', 'A', 'B', '*', '*', '?', '[', ']', '^', '-', '\\', 'z', '\x00', '\x80', '\xff'];
const STRING_CHARS = ['a', 'b', 'A', 'B', 'z', '[', ']', '*', '?', '-', '\\', '^', '\x00', '\x80', '\xff'];

function randomString(r: () => number, chars: string[], maxLen: number): string {
  const n = Math.floor(r() * (maxLen + 1));
  let s = '';
  for (let i = 0; i < n; i++) s += chars[Math.floor(r() * chars.length)];
  return s;
}

describe('globMatch', () => {
  it('matches the documented cases', () => {
    const cases: Array<[string, string, boolean]> = [
      ['*', 'anything', true],
      ['*', '', false], // the empty string only matches the empty pattern
      ['', '', true],
      ['**', '', false],
      ['', 'a', false],
      ['h?llo', 'hello', true],
      ['h?llo', 'hllo', false],
      ['h*llo', 'hllo', true],
      ['h*llo', 'heeeello', true],
      ['h[ae]llo', 'hallo', true],
      ['h[ae]llo', 'hillo', false],
      ['h[^e]llo', 'hallo', true],
      ['h[^e]llo', 'hello', false],
      ['h[a-b]llo', 'hbllo', true],
      ['h[b-a]llo', 'hbllo', true], // reversed range
      ['h[a-]llo', 'h]llo', false],
      ['f\\*o', 'f*o', true],
      ['f\\*o', 'fxo', false],
      ['f[\\]]o', 'f]o', true],
      ['a[', 'a', false],
      ['[^', 'x', true], // unterminated negated class matches one char
      ['[a', 'a', true],
      ['[a', 'b', false],
      ['\\', '\\', true],
      ['a\\', 'a\\', true],
      ['a*', 'a', true],
      ['a*b', 'a', false],
      ['*a*b*c*', 'xxaxxbxxcxx', true],
      ['*a*b*c*', 'xxaxxcxxbxx', false],
      ['[\x80-\xff]', '\x90', true],
      ['[a-\xff]', '\x90', false], // signed chars: the range is \xff..a
      ['[a-\xff]', '\xff', true],
      ['[a-\xff]', '\x00', true],
    ];
    for (const [p, s, want] of cases) {
      expect(globMatch(p, s), `${JSON.stringify(p)} ~ ${JSON.stringify(s)}`).toBe(want);
      expect(reference(p, s, false), `reference ${JSON.stringify(p)} ~ ${JSON.stringify(s)}`).toBe(want);
    }
  });

  it('folds ASCII case only with nocase', () => {
    expect(globMatch('HELLO', 'hello', true)).toBe(true);
    expect(globMatch('HELLO', 'hello')).toBe(false);
    expect(globMatch('h[A-C]llo', 'hbllo', true)).toBe(true);
    expect(globMatch('\xc0', '\xe0', true)).toBe(false); // À and à are not folded by C's tolower
    expect(globMatch('max*', 'MAXMEMORY', true)).toBe(true);
  });

  it('agrees with the reference on random patterns and strings', () => {
    const r = seeded(12345);
    let matches = 0;
    for (let i = 0; i < 200000; i++) {
      const p = randomString(r, PATTERN_CHARS, 7);
      const s = randomString(r, STRING_CHARS, 7);
      const nocase = r() < 0.25;
      const want = reference(p, s, nocase);
      if (want) matches++;
      const got = globMatch(p, s, nocase);
      if (got !== want) expect(got, `${JSON.stringify(p)} ~ ${JSON.stringify(s)} nocase=${nocase}`).toBe(want);
    }
    expect(matches).toBeGreaterThan(1000); // the generator produces both outcomes
  });

  it('agrees with the reference on strings built to match', () => {
    const r = seeded(777);
    for (let i = 0; i < 50000; i++) {
      const s = randomString(r, ['a', 'b', 'c'], 10);
      // A pattern derived from s: some chars replaced by ?, runs by *, some by classes.
      let p = '';
      for (let j = 0; j < s.length; j++) {
        const x = r();
        if (x < 0.15) p += '?';
        else if (x < 0.3) p += '*';
        else if (x < 0.4) p += `[${s[j]}x]`;
        else if (x < 0.45) p += '[^x]';
        else p += s[j];
      }
      expect(globMatch(p, s), `${JSON.stringify(p)} ~ ${JSON.stringify(s)}`).toBe(reference(p, s, false));
    }
  });

  it('stays fast and does not recurse on pathological patterns', () => {
    const s = 'a'.repeat(5000);
    const t0 = performance.now();
    expect(globMatch('*a'.repeat(30) + '*b', s)).toBe(false);
    expect(globMatch('*'.repeat(100000) + 'b', s + 'b')).toBe(true);
    expect(globMatch('*a'.repeat(20000), s)).toBe(false);
    expect(globMatch('*a'.repeat(2000), s)).toBe(true);
    expect(performance.now() - t0).toBeLessThan(2000);
  });
});

/** Everything KEYS returned, sorted. */
function keyList(raw: string): string[] {
  const v = readReply(raw)!.value as RespValue;
  if (v.type !== 'array') throw new Error('not an array: ' + JSON.stringify(raw));
  return v.value.map((x) => (x as { value: string }).value).sort();
}

describe('KEYS patterns against real Redis', () => {
  const servers = connectedServers();

  it('gives the same keys for random patterns', async (ctx) => {
    if (!servers.real) return ctx.skip();
    const r = seeded(4242);
    const keys = new Set<string>(['', 'a', 'b', 'ab', 'ba', 'aa', '*', '?', '[', ']', '\\', '^', '-', 'a*b', 'a?b', 'a[b', '\x00', '\xff', '\x80', 'A', 'AB']);
    while (keys.size < 120) keys.add(randomString(r, STRING_CHARS, 5));
    const mset = ['MSET'];
    for (const k of keys) mset.push(k, 'v');
    expect(await servers.a.call(...mset)).toBe('+OK\r\n');
    expect(await servers.b.call(...mset)).toBe('+OK\r\n');
    const patterns = ['*', '**', '', '?', '??', '*?', '[', '[^', '[]', '[^]', '\\', '\\\\', '[\\]]', '[a-]', '[-a]', '[\x80-\xff]', '[a-\xff]'];
    while (patterns.length < 600) patterns.push(randomString(r, PATTERN_CHARS, 6));
    let nonEmpty = 0;
    for (const p of patterns) {
      const [ra, rb] = await Promise.all([servers.a.call('KEYS', p), servers.b.call('KEYS', p)]);
      const want = keyList(rb);
      if (want.length > 0) nonEmpty++;
      expect(keyList(ra), `KEYS ${JSON.stringify(p)}`).toEqual(want);
    }
    expect(nonEmpty).toBeGreaterThan(100);
  });
});
