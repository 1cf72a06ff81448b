// Numbers in the JSON mapping: exact integers from number literals or quoted
// strings (exponent forms included, fractions and out-of-range values
// rejected, never rounded), and float32 values printed at float precision.

/** The JSON number grammar, which quoted numbers must follow too (no spaces, "+", hex or leading zeros). */
const NUMBER = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?$/;
const PARTS = /^(-?)([0-9]+)(?:\.([0-9]+))?(?:[eE]([+-]?[0-9]+))?$/;
/** Larger than any 64-bit integer: what an absurd exponent evaluates to. */
const HUGE = 10n ** 30n;

/** True when `s` is a number in JSON syntax. */
export function isJsonNumberText(s: string): boolean {
  return NUMBER.test(s);
}

/**
 * The exact value of `s`, a number in JSON syntax, when it is an integer
 * (`"12"`, `"1e3"`, `"100.000"`, `"-0"`); undefined for fractions and
 * malformed text. Values beyond any 64-bit range come back as a huge value
 * for the caller's range check.
 */
export function parseIntegerText(s: string): bigint | undefined {
  if (!NUMBER.test(s)) return undefined;
  const m = PARTS.exec(s);
  if (m === null) return undefined;
  const [, sign, int, frac = "", expText = "0"] = m;
  let digits = (int + frac).replace(/^0+/, "");
  if (digits === "") return 0n;
  // The value is digits × 10^exp.
  const exp = Number(expText) - frac.length;
  if (exp < 0) {
    const cut = digits.length + exp;
    if (cut <= 0 || !/^0*$/.test(digits.slice(cut))) return undefined;
    digits = digits.slice(0, cut);
  } else if (digits.length + exp > 30) {
    return sign === "-" ? -HUGE : HUGE;
  } else {
    digits += "0".repeat(exp);
  }
  const v = BigInt(digits);
  return sign === "-" ? -v : v;
}

/**
 * The shortest decimal that reads back as the float32 `v`, as a double: so
 * that `0.1f` prints as 0.1 rather than 0.10000000149011612, as protobuf's
 * own serializers print float fields.
 */
export function shortestFloat32(v: number): number {
  if (!Number.isFinite(v) || v === 0) return v;
  for (let p = 1; p < 9; p++) {
    const d = Number(v.toPrecision(p));
    if (Math.fround(d) === v) return d;
  }
  return Number(v.toPrecision(9));
}
