// Number tokens to values, with C++ TextFormat's rules: integers in decimal,
// hex (`0x`) or octal (leading `0`) with exact range checks; floats from
// decimal text only, and float32 rounding that treats the text form of
// FLT_MAX (3.4028235e+38) as FLT_MAX rather than infinity.

export const INT32_MAX = 0x7fffffffn;
export const UINT32_MAX = 0xffffffffn;
export const INT64_MAX = 0x7fffffffffffffffn;
export const UINT64_MAX = 0xffffffffffffffffn;

/** The value of an integer token, or undefined when it exceeds `max`. */
export function parseUnsigned(text: string, max: bigint): bigint | undefined {
  let value: bigint;
  if (text.length > 1 && text[0] === "0" && (text[1] === "x" || text[1] === "X")) value = BigInt(`0x${text.slice(2)}`);
  else if (text.length > 1 && text[0] === "0") value = BigInt(`0o${text.slice(1)}`);
  else value = BigInt(text);
  return value <= max ? value : undefined;
}

/** Hex and octal integers are not accepted where a float is expected. */
export function isDecimalInteger(text: string): boolean {
  return !(text.length > 1 && text[0] === "0");
}

/** The value of a float token such as `1.5`, `.5e3` or `2f`. */
export function parseFloatToken(text: string): number {
  const last = text[text.length - 1];
  return Number(last === "f" || last === "F" ? text.slice(0, -1) : text);
}

const FLT_MAX = 3.4028234663852886e38;
/** Halfway between FLT_MAX and the next float32 power of two: larger values are infinity. */
const FLT_MAX_ROUNDED = 3.4028235677973366e38;

/** A double rounded to float32 as protobuf's C++ io::SafeDoubleToFloat does. */
export function toFloat32(value: number): number {
  if (value > FLT_MAX) return value <= FLT_MAX_ROUNDED ? FLT_MAX : Infinity;
  if (value < -FLT_MAX) return value >= -FLT_MAX_ROUNDED ? -FLT_MAX : -Infinity;
  return Math.fround(value);
}
