// Varints, zigzag and the 32-bit halves of 64-bit integers.
//
// 64-bit values travel through the codec as two uint32 words rather than as
// BigInt: most int64 fields hold small numbers, and number arithmetic on the
// halves is far cheaper than BigInt arithmetic. BigInt appears only at the
// edges, when converting from or to the message's representation.

/**
 * The halves of the last 64-bit value split or decoded, as uint32. One shared
 * object so that a 64-bit value costs no allocation; readers of it consume it
 * immediately (the codec never interleaves two 64-bit values).
 */
export const words = { lo: 0, hi: 0 };

// Moves 64-bit values between BigInt and the halves through one 8-byte
// scratch seen as 64-bit and as 32-bit integers: several times faster than
// BigInt shifts and masks, and (on Node 20) faster than a DataView. The views
// use the platform's byte order, so which word is the low half depends on it.
const scratchBuffer = new ArrayBuffer(8);
const signed64 = new BigInt64Array(scratchBuffer);
const unsigned64 = new BigUint64Array(scratchBuffer);
const halves = new Uint32Array(scratchBuffer);
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
const LO = LITTLE_ENDIAN ? 0 : 1;
const HI = LITTLE_ENDIAN ? 1 : 0;
const TWO32 = 4294967296;
export const INT64_MIN = -0x8000000000000000n;
const INT64_MAX = 0x7fffffffffffffffn;
const UINT64_MAX = 0xffffffffffffffffn;
const DECIMAL = /^-?[0-9]+$/;

export function zigzag32(v: number): number {
  return ((v << 1) ^ (v >> 31)) >>> 0;
}

export function unzigzag32(n: number): number {
  return (n >>> 1) ^ -(n & 1);
}

/** Zigzag-encodes the signed 64-bit value in `words`, in place. */
export function zigzagWords(): void {
  const lo = words.lo;
  const hi = words.hi;
  const sign = hi >> 31;
  words.hi = (((hi << 1) | (lo >>> 31)) ^ sign) >>> 0;
  words.lo = ((lo << 1) ^ sign) >>> 0;
}

/** Reverses `zigzagWords`, in place. */
export function unzigzagWords(): void {
  const lo = words.lo;
  const hi = words.hi;
  const mask = -(lo & 1);
  words.lo = (((lo >>> 1) | (hi << 31)) ^ mask) >>> 0;
  words.hi = ((hi >>> 1) ^ mask) >>> 0;
}

/** Writes `v >>> 0` as a varint at `pos`; returns the position after it. */
export function writeVarint32(buf: Uint8Array, pos: number, v: number): number {
  v >>>= 0;
  while (v > 0x7f) {
    buf[pos++] = (v & 0x7f) | 0x80;
    v >>>= 7;
  }
  buf[pos++] = v;
  return pos;
}

/** Writes the 64-bit value with uint32 halves `lo`, `hi` as a varint; returns the position after it. */
export function writeVarint64(buf: Uint8Array, pos: number, lo: number, hi: number): number {
  if (hi === 0) return writeVarint32(buf, pos, lo);
  // At least 2^32: the low word fills four bytes and part of the fifth,
  // then the high word goes on 7 bits at a time without shifting `lo` along.
  buf[pos] = (lo & 0x7f) | 0x80;
  buf[pos + 1] = ((lo >>> 7) & 0x7f) | 0x80;
  buf[pos + 2] = ((lo >>> 14) & 0x7f) | 0x80;
  buf[pos + 3] = ((lo >>> 21) & 0x7f) | 0x80;
  pos += 4;
  let byte = (lo >>> 28) | ((hi & 0x7) << 4);
  hi >>>= 3;
  while (hi !== 0) {
    buf[pos++] = byte | 0x80;
    byte = hi & 0x7f;
    hi >>>= 7;
  }
  buf[pos++] = byte;
  return pos;
}

/** Splits a signed 64-bit value (bigint or decimal text) into `words`; throws on malformed or out-of-range input. */
export function splitInt64(v: bigint | string): void {
  if (typeof v === "string") {
    splitDecimal(v, true);
    return;
  }
  if (v < INT64_MIN || v > INT64_MAX) throw outOfRange("int64", v);
  splitBig(v);
}

/** Splits an unsigned 64-bit value (bigint or decimal text) into `words`; throws on malformed or out-of-range input. */
export function splitUint64(v: bigint | string): void {
  if (typeof v === "string") {
    splitDecimal(v, false);
    return;
  }
  if (v < 0n || v > UINT64_MAX) throw outOfRange("uint64", v);
  splitBig(v);
}

export function joinInt64(lo: number, hi: number): bigint {
  halves[LO] = lo;
  halves[HI] = hi;
  return signed64[0]!;
}

export function joinUint64(lo: number, hi: number): bigint {
  halves[LO] = lo;
  halves[HI] = hi;
  return unsigned64[0]!;
}

// Within ±2^53 the halves combine exactly in a double, and a double prints faster than a BigInt.
export function int64ToString(lo: number, hi: number): string {
  const h = hi | 0;
  if (h >= -0x200000 && h < 0x200000) return String(h * TWO32 + lo);
  return joinInt64(lo, hi).toString();
}

export function uint64ToString(lo: number, hi: number): string {
  if (hi < 0x200000) return String(hi * TWO32 + lo);
  return joinUint64(lo, hi).toString();
}

/** `n` must be an integer with |n| <= 2^53; ToUint32 and a floor division are then exact two's complement. */
function splitSafe(n: number): void {
  words.lo = n >>> 0;
  words.hi = Math.floor(n / TWO32) >>> 0;
}

/** Splits a bigint into `words`; `v` must be in int64 or uint64 range (callers have checked). */
function splitBig(v: bigint): void {
  // Storing into the signed view wraps a uint64 above INT64_MAX to the same bits.
  signed64[0] = v;
  words.lo = halves[LO]!;
  words.hi = halves[HI]!;
}

function splitDecimal(s: string, signed: boolean): void {
  const len = s.length;
  // Up to 15 digits always fit in a double exactly: parse without BigInt.
  if (len > 0 && len <= 15) {
    const neg = s.charCodeAt(0) === 0x2d;
    let i = neg ? 1 : 0;
    if (i === len) throw invalidDecimal(signed, s);
    let n = 0;
    for (; i < len; i++) {
      const d = s.charCodeAt(i) - 0x30;
      if (d < 0 || d > 9) throw invalidDecimal(signed, s);
      n = n * 10 + d;
    }
    if (neg) {
      if (!signed && n !== 0) throw outOfRange("uint64", s);
      n = -n;
    }
    splitSafe(n);
    return;
  }
  // BigInt() alone would also accept "", " 1 ", "+1" and "0x1".
  if (!DECIMAL.test(s)) throw invalidDecimal(signed, s);
  const v = BigInt(s);
  if (signed ? v < INT64_MIN || v > INT64_MAX : v < 0n || v > UINT64_MAX) {
    throw outOfRange(signed ? "int64" : "uint64", s);
  }
  splitBig(v);
}

function invalidDecimal(signed: boolean, s: string): Error {
  return new Error(`invalid ${signed ? "int64" : "uint64"} value: ${JSON.stringify(s)} is not a decimal integer`);
}

function outOfRange(type: string, v: bigint | string): RangeError {
  return new RangeError(`${type} value out of range: ${String(v)}`);
}
