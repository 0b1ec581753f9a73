/**
 * x87 80-bit extended precision ("long double" on x86-64 Linux), emulated with
 * BigInt. Redis does INCRBYFLOAT and HINCRBYFLOAT in long double: it parses
 * both operands with strtold, adds them with one rounding to a 64-bit
 * mantissa, and prints the sum with "%.17Lf" minus trailing zeros. Doing the
 * same in doubles gives other digits (0.1 + 0.2 is "0.3" in Redis), so this
 * module reproduces each step exactly:
 *   - parsing: the exact decimal (or hex) value rounded to nearest-even at
 *     64 significant bits, with gradual underflow; overflow and underflow to
 *     zero are rejected as string2ld rejects them;
 *   - addition: the exact sum rounded once;
 *   - printing: the exact binary value rounded half-even at 17 decimals.
 *
 * A finite value is sign * m * 2^e with 0 <= m < 2^64.
 */

export interface LongDouble {
  neg: boolean;
  /** Mantissa, 0 <= m < 2^64 (0 for zero). */
  m: bigint;
  /** Binary exponent of the mantissa's unit bit. */
  e: number;
  /** Infinity (m and e unused). */
  inf?: boolean;
}

/** Exponent of the smallest subnormal's unit: 2^-16445. */
const EMIN = -16445;
/** Values at or above 2^16384 overflow. */
const EMAX_BITS = 16384;
const MANT_BITS = 64;
/** string2ld copies into a 5 KiB buffer: longer texts are not numbers. */
export const MAX_LONG_DOUBLE_CHARS = 5 * 1024;

const DEC_RE = /^([+-]?)(?:(\d+)\.?(\d*)|\.(\d+))(?:[eE]([+-]?\d+))?$/;
const HEX_RE = /^([+-]?)0[xX](?:([0-9a-fA-F]+)\.?([0-9a-fA-F]*)|\.([0-9a-fA-F]+))(?:[pP]([+-]?\d+))?$/;
const INF_RE = /^([+-]?)(?:inf|infinity)$/i;

function bitLength(n: bigint): number {
  // n > 0. toString(16) is fast and exact for the sizes used here.
  const hex = n.toString(16);
  const top = parseInt(hex[0], 16);
  return (hex.length - 1) * 4 + (32 - Math.clz32(top));
}

/** Parses an exponent text, saturating far beyond any representable range. */
function parseExp(s: string | undefined): number {
  if (s === undefined) return 0;
  let i = 0;
  let neg = false;
  if (s[0] === '+' || s[0] === '-') {
    neg = s[0] === '-';
    i = 1;
  }
  let v = 0;
  for (; i < s.length; i++) {
    v = v * 10 + (s.charCodeAt(i) - 48);
    if (v > 1e7) {
      v = 1e7;
      break;
    }
  }
  return neg ? -v : v;
}

/**
 * Rounds num / den * 2^exp (num, den > 0) to the nearest long double, ties to
 * even, with gradual underflow. Returns infinity on overflow.
 */
function roundToLD(neg: boolean, num: bigint, den: bigint, exp: number): LongDouble {
  if (num === 0n) return { neg, m: 0n, e: 0 };
  // Pick e so that q = num / (den * 2^(e - exp)) has 64 bits.
  let e = exp + bitLength(num) - bitLength(den) - MANT_BITS;
  for (;;) {
    if (e < EMIN) e = EMIN;
    const shift = e - exp;
    let n = num;
    let d = den;
    if (shift >= 0) d <<= BigInt(shift);
    else n <<= BigInt(-shift);
    let q = n / d;
    if (q >= 1n << 64n) {
      e++;
      continue;
    }
    if (q < 1n << 63n && e > EMIN) {
      e--;
      continue;
    }
    const r = n - q * d;
    const twice = r * 2n;
    if (twice > d || (twice === d && (q & 1n) === 1n)) q++;
    if (q === 1n << 64n) {
      q = 1n << 63n;
      e++;
    }
    if (q !== 0n && bitLength(q) + e > EMAX_BITS) return { neg, m: 0n, e: 0, inf: true };
    return { neg, m: q, e };
  }
}

/** Rounds the integer n * 2^exp (n may be negative) to a long double. */
function roundInt(n: bigint, exp: number): LongDouble {
  const neg = n < 0n;
  if (neg) n = -n;
  if (n === 0n) return { neg: false, m: 0n, e: 0 };
  const len = bitLength(n);
  let shift = len - MANT_BITS;
  if (exp + shift < EMIN) shift = EMIN - exp;
  if (shift <= 0) {
    if (len + exp > EMAX_BITS) return { neg, m: 0n, e: 0, inf: true };
    return { neg, m: n, e: exp };
  }
  const bs = BigInt(shift);
  let q = n >> bs;
  const r = n - (q << bs);
  const half = 1n << (bs - 1n);
  if (r > half || (r === half && (q & 1n) === 1n)) q++;
  let e = exp + shift;
  if (q === 1n << 64n) {
    q = 1n << 63n;
    e++;
  }
  if (q !== 0n && bitLength(q) + e > EMAX_BITS) return { neg, m: 0n, e: 0, inf: true };
  return { neg, m: q, e };
}

/**
 * Parses a number as Redis's string2ld: strtold over the whole text (decimal,
 * hex with binary exponent, inf/infinity), no leading space, no NaN, and
 * neither overflow nor underflow to zero. Returns null when Redis would say
 * "value is not a valid float".
 */
export function parseLongDouble(s: string): LongDouble | null {
  const len = s.length;
  if (len === 0 || len >= MAX_LONG_DOUBLE_CHARS) return null;
  const c0 = s.charCodeAt(0);
  if (c0 === 32 || (c0 >= 9 && c0 <= 13)) return null;
  let m = DEC_RE.exec(s);
  if (m !== null) {
    const neg = m[1] === '-';
    const intDigits = m[2] ?? '';
    const fracDigits = m[3] ?? m[4] ?? '';
    let digits = intDigits + fracDigits;
    let exp10 = parseExp(m[5]) - fracDigits.length;
    // Strip leading zeros, then trailing zeros into the exponent.
    let i = 0;
    while (i < digits.length && digits.charCodeAt(i) === 48) i++;
    digits = digits.slice(i);
    if (digits.length === 0) return { neg, m: 0n, e: 0 };
    let j = digits.length;
    while (digits.charCodeAt(j - 1) === 48) j--;
    exp10 += digits.length - j;
    digits = digits.slice(0, j);
    // The value lies in [10^(mag-1), 10^mag).
    const mag = digits.length + exp10;
    if (mag > 4934) return null; // above LDBL_MAX (1.19e4932): ERANGE overflow
    if (mag < -4960) return null; // below half the smallest subnormal (3.6e-4951): underflow to 0
    const n = BigInt(digits);
    const r = exp10 >= 0 ? roundToLD(neg, n * 10n ** BigInt(exp10), 1n, 0) : roundToLD(neg, n, 10n ** BigInt(-exp10), 0);
    if (r.inf || r.m === 0n) return null;
    return r;
  }
  m = HEX_RE.exec(s);
  if (m !== null) {
    const neg = m[1] === '-';
    const intDigits = m[2] ?? '';
    const fracDigits = m[3] ?? m[4] ?? '';
    const digits = (intDigits + fracDigits).replace(/^0+/, '');
    if (digits.length === 0) return { neg, m: 0n, e: 0 };
    const exp2 = parseExp(m[5]) - 4 * fracDigits.length;
    const bits = digits.length * 4 + exp2;
    if (bits > EMAX_BITS + 8) return null;
    if (bits < EMIN - 8) return null;
    const r = roundInt(BigInt('0x' + digits), exp2);
    if (r.inf || r.m === 0n) return null;
    r.neg = neg;
    return r;
  }
  m = INF_RE.exec(s);
  if (m !== null) return { neg: m[1] === '-', m: 0n, e: 0, inf: true };
  return null;
}

/** a + b, rounded once (x87 FADD in extended precision). Infinity when it overflows; NaN as null. */
export function addLongDouble(a: LongDouble, b: LongDouble): LongDouble | null {
  if (a.inf || b.inf) {
    if (a.inf && b.inf && a.neg !== b.neg) return null;
    return { neg: a.inf ? a.neg : b.neg, m: 0n, e: 0, inf: true };
  }
  if (a.m === 0n && b.m === 0n) return { neg: a.neg && b.neg, m: 0n, e: 0 };
  if (a.m === 0n) return b;
  if (b.m === 0n) return a;
  const e = Math.min(a.e, b.e);
  const va = a.m << BigInt(a.e - e);
  const vb = b.m << BigInt(b.e - e);
  const sum = (a.neg ? -va : va) + (b.neg ? -vb : vb);
  return roundInt(sum, e);
}

const TEN17 = 10n ** 17n;

/**
 * printf("%.17Lf") with the trailing zeros (and a trailing dot) removed, and
 * "-0" shown as "0": Redis's LD_STR_HUMAN format.
 */
export function formatLongDoubleHuman(x: LongDouble): string {
  if (x.inf) return x.neg ? '-inf' : 'inf';
  let text: string;
  if (x.e >= 0) {
    text = (x.m << BigInt(x.e)).toString();
  } else {
    const shift = BigInt(-x.e);
    const scaled = x.m * TEN17;
    let q = scaled >> shift;
    const r = scaled - (q << shift);
    const half = 1n << (shift - 1n);
    if (r > half || (r === half && (q & 1n) === 1n)) q++;
    const ip = q / TEN17;
    let frac = (q % TEN17).toString().padStart(17, '0');
    let end = frac.length;
    while (end > 0 && frac.charCodeAt(end - 1) === 48) end--;
    frac = frac.slice(0, end);
    text = frac.length > 0 ? ip.toString() + '.' + frac : ip.toString();
  }
  if (text === '0') return '0';
  return x.neg ? '-' + text : text;
}

/** The exact long double of a JS double. */
export function longDoubleFromNumber(d: number): LongDouble {
  if (!Number.isFinite(d)) return { neg: d < 0, m: 0n, e: 0, inf: true };
  const neg = d < 0 || Object.is(d, -0);
  if (d === 0) return { neg, m: 0n, e: 0 };
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, Math.abs(d));
  const hi = buf.getUint32(0);
  const lo = buf.getUint32(4);
  const bexp = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let e: number;
  if (bexp === 0) e = -1074;
  else {
    mant |= 1n << 52n;
    e = bexp - 1075;
  }
  return { neg, m: mant, e };
}

/**
 * INCRBYFLOAT's arithmetic on texts: the new value's text, or an error kind:
 * 'float' (an operand is not a valid float) or 'naninf' (the sum is NaN or infinite).
 */
export function incrByFloatText(current: string | undefined, incr: string): string | 'float' | 'naninf' {
  const a = current === undefined ? { neg: false, m: 0n, e: 0 } : parseLongDouble(current);
  if (a === null) return 'float';
  const b = parseLongDouble(incr);
  if (b === null) return 'float';
  const sum = addLongDouble(a, b);
  if (sum === null || sum.inf) return 'naninf';
  return formatLongDoubleHuman(sum);
}
