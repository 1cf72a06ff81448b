// Floating point numbers as C++ TextFormat prints them (io::SimpleDtoa and
// io::SimpleFtoa): printf's `%g` with the fewest digits that are guaranteed
// to be exact (15 for double, 6 for float), and if the result does not read
// back as the same value, with enough digits to always do so (17 and 9).
// Matching C++ digit for digit keeps our text output identical to protoc's.
import { toFloat32 } from "./numbers.js";

/** Smallest positive normal float32: glibc's strtof reports range errors below it. */
const FLT_MIN = 1.1754943508222875e-38;

export function formatDouble(value: number): string {
  if (!Number.isFinite(value)) return special(value);
  const short = formatG(value, 15);
  return Number(short) === value ? short : formatG(value, 17);
}

/** `value` must already be a float32 (as every float field holds). */
export function formatFloat(value: number): string {
  if (!Number.isFinite(value)) return special(value);
  const short = formatG(value, 6);
  // C++ checks with strtof, which fails with ERANGE for subnormal results.
  const subnormal = value !== 0 && Math.abs(value) < FLT_MIN;
  return !subnormal && toFloat32(Number(short)) === value ? short : formatG(value, 9);
}

function special(value: number): string {
  if (Number.isNaN(value)) return "nan";
  return value > 0 ? "inf" : "-inf";
}

/** printf("%.*g", precision, value) for a finite value, rounding half to even like glibc. */
export function formatG(value: number, precision: number): string {
  if (value === 0) return Object.is(value, -0) ? "-0" : "0";
  const sign = value < 0 ? "-" : "";
  const { digits, exp } = roundToDigits(Math.abs(value), precision);
  if (exp < -4 || exp >= precision) {
    const mantissa = trimFraction(`${digits[0]}.${digits.slice(1)}`);
    return `${sign}${mantissa}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
  }
  const fixed =
    exp >= 0 ? `${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}` : `0.${"0".repeat(-exp - 1)}${digits}`;
  return sign + trimFraction(fixed);
}

/** The first `precision` significant digits of `x` (> 0) and the decimal exponent of the first. */
function roundToDigits(x: number, precision: number): { digits: string; exp: number } {
  const rounded = splitExponential(x.toExponential(precision - 1));
  // toExponential breaks ties upwards; printf rounds them to even. A tie needs
  // the exact expansion to end in a 5 right after the kept digits, which the
  // (exact) 100-digit expansion shows.
  const exact = splitExponential(x.toExponential(100));
  const rest = exact.digits.slice(precision);
  if (/^50*$/.test(rest)) {
    const kept = exact.digits.slice(0, precision);
    if ((kept.charCodeAt(precision - 1) - 0x30) % 2 === 0) return { digits: kept, exp: exact.exp };
  }
  return rounded;
}

function splitExponential(s: string): { digits: string; exp: number } {
  const e = s.indexOf("e");
  return { digits: s.slice(0, e).replace(".", ""), exp: Number(s.slice(e + 1)) };
}

/** Drops trailing zeros of the fraction, and the point if nothing is left after it. */
function trimFraction(s: string): string {
  if (!s.includes(".")) return s;
  return s.replace(/0+$/, "").replace(/\.$/, "");
}
