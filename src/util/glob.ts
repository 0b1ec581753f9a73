/**
 * Glob-style matching with the exact rules of Redis's stringmatchlen (used by
 * KEYS, SCAN MATCH, PSUBSCRIBE, CONFIG GET and friends):
 *
 * - `*` any run of chars, `?` one char, `\x` the char x literally;
 * - `[abc]`, `[^abc]` (negation), `[a-z]` ranges (reversed ranges work too,
 *   bounds compared as C's signed chars), `\]` escapes inside a class, and
 *   an unterminated class behaves as if closed at the end of the pattern;
 * - the empty string is matched by the empty pattern only (`*` does not match it);
 * - `nocase` folds ASCII letters only (the C locale's tolower).
 *
 * The matcher is iterative: on a mismatch it only backtracks to the most
 * recent `*` (trying it one char further). This gives the same answers as
 * the recursive C code (which gives up, exactly as here, once the latest star
 * has been tried at every position) in O(pattern * string) time without
 * recursion, so patterns with thousands of stars cannot overflow the stack.
 */
export function globMatch(pattern: string, str: string, nocase = false): boolean {
  const plen = pattern.length;
  const slen = str.length;
  // The C loop never runs on an empty string: only the empty pattern matches it.
  if (slen === 0) return plen === 0;
  let pi = 0;
  let si = 0;
  /** Pattern index just after the latest star, or -1; and where in the string its current attempt started. */
  let starP = -1;
  let starS = 0;
  for (;;) {
    let ok = true;
    if (pi >= plen) {
      ok = false; // pattern exhausted with chars left
    } else {
      const pc = pattern.charCodeAt(pi);
      if (pc === 42 /* * */) {
        while (pi + 1 < plen && pattern.charCodeAt(pi + 1) === 42) pi++;
        if (pi + 1 === plen) return true;
        starP = pi + 1;
        starS = si;
        pi = starP;
        continue;
      }
      const sc = str.charCodeAt(si);
      if (pc === 63 /* ? */) {
        // any char
      } else if (pc === 91 /* [ */) {
        let j = pi + 1;
        const not = j < plen && pattern.charCodeAt(j) === 94; /* ^ */
        if (not) j++;
        let match = false;
        for (;;) {
          if (j < plen && pattern.charCodeAt(j) === 92 /* \ */ && plen - j >= 2) {
            j++;
            if (pattern.charCodeAt(j) === sc) match = true;
          } else if (j < plen && pattern.charCodeAt(j) === 93 /* ] */) {
            break;
          } else if (j >= plen) {
            j--; // unterminated: the class ends with the pattern
            break;
          } else if (plen - j >= 3 && pattern.charCodeAt(j + 1) === 45 /* - */) {
            let start = signedChar(pattern.charCodeAt(j));
            let end = signedChar(pattern.charCodeAt(j + 2));
            let c = signedChar(sc);
            if (start > end) {
              const t = start;
              start = end;
              end = t;
            }
            if (nocase) {
              start = lower(start);
              end = lower(end);
              c = lower(c);
            }
            j += 2;
            if (c >= start && c <= end) match = true;
          } else {
            const lc = pattern.charCodeAt(j);
            if (nocase ? lower(lc) === lower(sc) : lc === sc) match = true;
          }
          j++;
        }
        if (not) match = !match;
        if (!match) ok = false;
        else pi = j;
      } else {
        let lc = pc;
        if (pc === 92 /* \ */ && plen - pi >= 2) {
          pi++;
          lc = pattern.charCodeAt(pi);
        }
        if (nocase ? lower(lc) !== lower(sc) : lc !== sc) ok = false;
      }
      if (ok) {
        pi++;
        si++;
        if (si === slen) {
          while (pi < plen && pattern.charCodeAt(pi) === 42) pi++;
          if (pi === plen) return true;
          ok = false; // string used up with pattern left: this attempt fails
        } else {
          continue;
        }
      }
    }
    // Backtrack: the latest star swallows one more char. Once it has been
    // tried at every position, no earlier star can help either.
    if (starP < 0) return false;
    starS++;
    if (starS >= slen) return false;
    pi = starP;
    si = starS;
  }
}

/** A byte as C's (signed) char on x86. */
function signedChar(c: number): number {
  return c >= 128 ? c - 256 : c;
}

/** tolower() in the C locale: ASCII letters only. */
function lower(c: number): number {
  return c >= 65 && c <= 90 ? c + 32 : c;
}
