/**
 * Glob-style matching as Redis's stringmatchlen: `*`, `?`, `[abc]`, `[^a]`,
 * `[a-z]` (reversed ranges work too), and `\` escaping the next char. Used by
 * KEYS, SCAN MATCH, PSUBSCRIBE, CONFIG GET and friends.
 */
export function globMatch(pattern: string, str: string, nocase = false): boolean {
  if (nocase) {
    pattern = pattern.toLowerCase();
    str = str.toLowerCase();
  }
  return matchFrom(pattern, 0, str, 0, 0);
}

/** Patterns with many stars can explode; Redis caps recursion the same way. */
const MAX_NESTING = 1000;

function matchFrom(p: string, pi: number, s: string, si: number, nesting: number): boolean {
  if (nesting > MAX_NESTING) return false;
  const plen = p.length;
  const slen = s.length;
  while (pi < plen && si <= slen) {
    const pc = p[pi];
    switch (pc) {
      case '*': {
        while (pi + 1 < plen && p[pi + 1] === '*') pi++;
        if (pi + 1 === plen) return true;
        for (let k = si; k < slen; k++) {
          if (matchFrom(p, pi + 1, s, k, nesting + 1)) return true;
        }
        return false;
      }
      case '?':
        if (si >= slen) return false;
        si++;
        break;
      case '[': {
        if (si >= slen) return false;
        pi++;
        const not = p[pi] === '^';
        if (not) pi++;
        let match = false;
        for (;;) {
          if (pi >= plen) {
            pi--; // unterminated class: treat the end as closing it
            break;
          }
          if (p[pi] === '\\' && pi + 1 < plen) {
            pi++;
            if (p[pi] === s[si]) match = true;
          } else if (p[pi] === ']') {
            break;
          } else if (pi + 2 < plen && p[pi + 1] === '-') {
            let start = p.charCodeAt(pi);
            let end = p.charCodeAt(pi + 2);
            const c = s.charCodeAt(si);
            if (start > end) [start, end] = [end, start];
            pi += 2;
            if (c >= start && c <= end) match = true;
          } else if (p[pi] === s[si]) {
            match = true;
          }
          pi++;
        }
        if (not) match = !match;
        if (!match) return false;
        si++;
        break;
      }
      default:
        // A backslash makes the next char literal.
        if (pc === '\\' && pi + 1 < plen) pi++;
        if (si >= slen || p[pi] !== s[si]) return false;
        si++;
        break;
    }
    pi++;
    if (si === slen) {
      while (pi < plen && p[pi] === '*') pi++;
      break;
    }
  }
  return pi === plen && si === slen;
}
