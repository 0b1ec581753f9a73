/**
 * Arguments shared by the blocking commands (BLPOP & co, BZPOPMIN & co):
 * the timeout in seconds, parsed as Redis 7.0's getTimeoutFromObjectOrReply
 * does: a long double (strtold rules), times 1000, rounded up to whole
 * milliseconds, then cast to a 64-bit integer.
 */
import type { Client } from '../server/client';
import { E } from './errors';

const TWO_63 = 9223372036854775808;

/** Largest and smallest positive magnitudes of an x87 long double (strtold's range), as decimal exponents. */
const LD_MAX_EXP10 = 4932; // 1.18973e4932
const LD_MIN_EXP10 = -4951; // 3.6452e-4951 (smallest denormal)

/**
 * Parses a number as strtold accepts it for Redis's string2ld: no leading
 * space, nothing after the number, decimal or hex (0x...), "inf"/"infinity",
 * NaN rejected, and overflow/underflow beyond the long double range
 * rejected. Values beyond the double range come back as +-Infinity or +-0
 * with the right sign (what matters for a timeout).
 */
export function parseLongDouble(s: string): number | null {
  const n = s.length;
  if (n === 0 || n >= 5 * 1024) return null;
  let i = 0;
  let neg = false;
  const c0 = s.charCodeAt(0);
  if (c0 === 43 /* + */ || c0 === 45 /* - */) {
    neg = c0 === 45;
    i = 1;
  }
  const rest = s.slice(i).toLowerCase();
  if (rest === 'inf' || rest === 'infinity') return neg ? -Infinity : Infinity;
  if (rest.startsWith('0x')) return parseHexFloat(rest.slice(2), neg);
  // Decimal: digits [. digits] [e [+-] digits], at least one digit in the mantissa.
  let j = 0;
  let mantDigits = 0;
  let firstNonZero = -1; // decimal exponent of the first significant digit
  let intDigits = 0;
  while (j < rest.length && isDigit(rest.charCodeAt(j))) {
    if (firstNonZero < 0 && rest.charCodeAt(j) !== 48) firstNonZero = intDigits;
    j++;
    intDigits++;
    mantDigits++;
  }
  let fracPos = 0;
  let firstNonZeroFrac = -1;
  if (j < rest.length && rest.charCodeAt(j) === 46 /* . */) {
    j++;
    while (j < rest.length && isDigit(rest.charCodeAt(j))) {
      fracPos++;
      if (firstNonZero < 0 && firstNonZeroFrac < 0 && rest.charCodeAt(j) !== 48) firstNonZeroFrac = fracPos;
      j++;
      mantDigits++;
    }
  }
  if (mantDigits === 0) return null;
  let exp = 0;
  if (j < rest.length && rest.charCodeAt(j) === 101 /* e */) {
    let k = j + 1;
    let eneg = false;
    if (k < rest.length && (rest.charCodeAt(k) === 43 || rest.charCodeAt(k) === 45)) {
      eneg = rest.charCodeAt(k) === 45;
      k++;
    }
    const expStart = k;
    while (k < rest.length && isDigit(rest.charCodeAt(k))) k++;
    // "1e" or "1e+" stop before the 'e' in strtold, leaving unparsed text.
    if (k === expStart) return null;
    const digits = rest.slice(expStart, k);
    exp = digits.length > 6 ? 1e7 : Number(digits);
    if (eneg) exp = -exp;
    j = k;
  }
  if (j !== rest.length) return null;
  const v = Number(s.slice(i));
  if (Number.isNaN(v)) return null;
  if (firstNonZero < 0 && firstNonZeroFrac < 0) return neg ? -0 : 0; // the value is zero
  // Magnitude as a decimal exponent, to apply strtold's range limits.
  const mag = firstNonZero >= 0 ? intDigits - firstNonZero - 1 + exp : -firstNonZeroFrac + exp;
  if (mag > LD_MAX_EXP10 || mag < LD_MIN_EXP10) return null; // ERANGE: HUGE_VAL or 0
  if (v === Infinity || v === 0) return neg ? (v === 0 ? -Number.MIN_VALUE : -Infinity) : v === 0 ? Number.MIN_VALUE : Infinity;
  return neg ? -v : v;
}

function parseHexFloat(h: string, neg: boolean): number | null {
  let j = 0;
  let mant = 0;
  let digits = 0;
  let scale = 0;
  while (j < h.length && isHex(h.charCodeAt(j))) {
    mant = mant * 16 + parseInt(h[j], 16);
    j++;
    digits++;
  }
  if (j < h.length && h[j] === '.') {
    j++;
    while (j < h.length && isHex(h.charCodeAt(j))) {
      mant = mant * 16 + parseInt(h[j], 16);
      scale -= 4;
      j++;
      digits++;
    }
  }
  if (digits === 0) return null;
  if (j < h.length && h[j] === 'p') {
    let k = j + 1;
    let eneg = false;
    if (k < h.length && (h[k] === '+' || h[k] === '-')) {
      eneg = h[k] === '-';
      k++;
    }
    const start = k;
    while (k < h.length && isDigit(h.charCodeAt(k))) k++;
    if (k === start) return null;
    const e = Number(h.slice(start, k));
    scale += eneg ? -e : e;
    j = k;
  }
  if (j !== h.length) return null;
  const v = mant * Math.pow(2, scale);
  return neg ? -v : v;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 102);
}

/**
 * Parses a blocking command's timeout (seconds, a double; 0 = forever).
 * Returns the absolute deadline in unix ms (0 = forever), or null after
 * replying with the error, as Redis 7.0: "timeout is not a float or out of
 * range", "timeout is negative" (also for values whose millisecond count does
 * not fit 64 bits, as the cast yields LLONG_MIN there). A positive timeout
 * below one millisecond rounds up to 1 ms.
 */
export function parseBlockingTimeout(c: Client, arg: string): number | null {
  const secs = parseLongDouble(arg);
  if (secs === null) {
    c.error(E.TIMEOUT_NOT_FLOAT);
    return null;
  }
  // In long double, 0.001 * 1000 falls just short of 1: Redis takes -0.001 as 0 (block forever).
  if (secs < 0 && secs >= -0.001) return 0;
  const ms = Math.ceil(secs * 1000);
  if (!(ms < TWO_63 && ms >= -TWO_63) || ms < 0) {
    c.error(E.TIMEOUT_NEGATIVE);
    return null;
  }
  if (ms === 0) return 0;
  return Date.now() + ms;
}
