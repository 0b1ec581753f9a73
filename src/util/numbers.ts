/**
 * Number parsing and formatting with Redis's exact rules: what string2ll,
 * string2ld and the %.17g / long-double printers accept and produce.
 */

import { formatLongDoubleHuman, longDoubleFromNumber } from './longdouble';

const INT64_MAX = 9223372036854775807n;
const INT64_MIN = -9223372036854775808n;

/**
 * Parses a strict signed 64-bit decimal integer (no spaces, no '+', no leading
 * zeros) as Redis's string2ll does. Returns null when invalid or out of range.
 * Values beyond 2^53 come back as bigint.
 */
export function parseInt64(s: string): number | bigint | null {
  const n = s.length;
  if (n === 0 || n > 20) return null;
  let i = 0;
  let neg = false;
  if (s.charCodeAt(0) === 45) {
    neg = true;
    i = 1;
    if (n === 1) return null;
  }
  const first = s.charCodeAt(i);
  if (first === 48) return n === 1 ? 0 : null; // "0" only; "-0" and "007" are rejected
  if (first < 49 || first > 57) return null;
  let v = 0;
  for (; i < n; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return null;
    v = v * 10 + d;
  }
  if (v <= Number.MAX_SAFE_INTEGER) return neg ? -v : v;
  const big = BigInt(s);
  if (big > INT64_MAX || big < INT64_MIN) return null;
  return big;
}

/** Like parseInt64 but only accepts values that fit a JS safe integer; bigint-range values come back as bigint. */
export function isInt64(s: string): boolean {
  return parseInt64(s) !== null;
}

/** Parses a safe integer (|v| <= 2^53-1), or null. Most counts and indexes need no more. */
export function parseSafeInt(s: string): number | null {
  const v = parseInt64(s);
  if (v === null) return null;
  if (typeof v === 'bigint') return v > 0n ? Number.MAX_SAFE_INTEGER : -Number.MAX_SAFE_INTEGER;
  return v;
}

/**
 * Parses a double as Redis's getDoubleFromObject/strtod: no surrounding
 * space, "inf"/"+inf"/"-inf"/"infinity" accepted, NaN rejected. null when invalid.
 */
export function parseDouble(s: string): number | null {
  const n = s.length;
  if (n === 0 || n > 5000) return null;
  const c0 = s.charCodeAt(0);
  const cl = s.charCodeAt(n - 1);
  if (isSpaceCode(c0) || isSpaceCode(cl)) return null;
  const lower = s.toLowerCase();
  switch (lower) {
    case 'inf':
    case '+inf':
    case 'infinity':
    case '+infinity':
      return Infinity;
    case '-inf':
    case '-infinity':
      return -Infinity;
  }
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(s)) {
    if (/^[+-]?0x[0-9a-f]+$/i.test(s)) {
      const neg = s[0] === '-';
      const v = parseInt(s.replace(/^[+-]?0x/i, ''), 16);
      return neg ? -v : v;
    }
    return null;
  }
  const v = Number(s);
  if (Number.isNaN(v)) return null;
  return v;
}

function isSpaceCode(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

/** printf("%.17g", d) as Redis 7.0 uses for doubles in RESP2 (scores, INCRBYFLOAT-free paths). */
export function formatDouble17g(d: number): string {
  if (d === Infinity) return 'inf';
  if (d === -Infinity) return '-inf';
  if (Number.isNaN(d)) return 'nan';
  if (d === 0) return Object.is(d, -0) ? '-0' : '0';
  return formatG(d, 17);
}

/** C's %.<p>g for a finite, non-zero double. */
export function formatG(d: number, p: number): string {
  const exp = d.toExponential(p - 1); // d.ddddde±x
  const ePos = exp.indexOf('e');
  const x = parseInt(exp.slice(ePos + 1), 10);
  if (x < -4 || x >= p) {
    let mant = exp.slice(0, ePos);
    if (mant.includes('.')) mant = mant.replace(/0+$/, '').replace(/\.$/, '');
    const sign = x < 0 ? '-' : '+';
    const ax = Math.abs(x);
    return `${mant}e${sign}${ax < 10 ? '0' : ''}${ax}`;
  }
  let fixed = d.toFixed(Math.max(0, p - 1 - x));
  if (fixed.includes('.')) fixed = fixed.replace(/0+$/, '').replace(/\.$/, '');
  return fixed;
}

/**
 * Formats a double as Redis prints an INCRBYFLOAT / HINCRBYFLOAT result
 * (%.17Lf, trailing zeros removed), exactly. Note that Redis computes those
 * sums in long double: use incrByFloatText (util/longdouble) for the
 * arithmetic itself, which gives Redis's digits where doubles would not.
 */
export function formatLongDouble(d: number): string {
  return formatLongDoubleHuman(longDoubleFromNumber(d));
}

/** Formats a double the way RESP3's `,` type and Redis 7.0's addReplyDouble do (%.17g, inf, -inf, nan). */
export function formatRespDouble(d: number): string {
  return formatDouble17g(d);
}

export function toBigIntOrNumber(v: number | bigint): bigint {
  return typeof v === 'bigint' ? v : BigInt(v);
}

export const LLONG_MAX = INT64_MAX;
export const LLONG_MIN = INT64_MIN;
