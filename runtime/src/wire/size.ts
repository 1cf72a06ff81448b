// Encoded sizes, computed before writing so that BinaryWriter allocates its
// buffer once. Every function here must agree exactly with the matching
// BinaryWriter method; fixed32/float (4), fixed64/double (8) and bool (1) are
// constants the generator inlines.
import { utf8Length } from "./utf8.js";
import { INT64_MIN, splitInt64, splitUint64, words, zigzag32, zigzagWords } from "./varint.js";

export { utf8Length };

/** Size of the varint of `v >>> 0`. */
export function sizeVarint32(v: number): number {
  v >>>= 0;
  return v < 0x80 ? 1 : v < 0x4000 ? 2 : v < 0x200000 ? 3 : v < 0x10000000 ? 4 : 5;
}

/** Size of the varint of the 64-bit value with uint32 halves `lo`, `hi`. */
export function sizeVarint64(lo: number, hi: number): number {
  if (hi === 0) return sizeVarint32(lo);
  // 32 bits of `lo` plus the significant bits of `hi`, 7 bits per byte.
  return hi < 0x8 ? 5 : hi < 0x400 ? 6 : hi < 0x20000 ? 7 : hi < 0x1000000 ? 8 : hi < 0x80000000 ? 9 : 10;
}

/** Negative int32 values are sign-extended to 64 bits on the wire, so they always take 10 bytes. */
export function sizeInt32(v: number): number {
  return v < 0 ? 10 : sizeVarint32(v);
}

export function sizeSint32(v: number): number {
  return sizeVarint32(zigzag32(v));
}

// Each BigInt comparison is a call into the runtime, so the common cases are
// told apart with as few as possible; anything else (decimal strings,
// out-of-range values, which throw) goes through the checked split.
export function sizeInt64(v: bigint | string): number {
  if (typeof v === "bigint") {
    if (v < 0n) {
      // Negative values are sign-extended to 64 bits: always ten bytes.
      if (v >= INT64_MIN) return 10;
    } else if (v <= 0xffffffffn) {
      return sizeVarint32(Number(v));
    }
  }
  splitInt64(v);
  return sizeVarint64(words.lo, words.hi);
}

export function sizeUint64(v: bigint | string): number {
  if (typeof v === "bigint" && v >= 0n && v <= 0xffffffffn) return sizeVarint32(Number(v));
  splitUint64(v);
  return sizeVarint64(words.lo, words.hi);
}

export function sizeSint64(v: bigint | string): number {
  splitInt64(v);
  zigzagWords();
  return sizeVarint64(words.lo, words.hi);
}

export function sizeTag(fieldNo: number, wireType: number): number {
  return sizeVarint32((fieldNo << 3) | wireType);
}

/** Length prefix plus UTF-8 bytes. */
export function sizeString(s: string): number {
  const len = utf8Length(s);
  return sizeVarint32(len) + len;
}

/** Length prefix plus bytes. */
export function sizeBytes(b: Uint8Array): number {
  return sizeVarint32(b.length) + b.length;
}
