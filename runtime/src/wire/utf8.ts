// UTF-8 for protobuf strings, agreeing byte for byte with TextEncoder: a lone
// surrogate becomes U+FFFD (3 bytes) in both the length and the encoding.
//
// Short strings are measured, encoded and decoded in JavaScript: TextEncoder
// and TextDecoder cost a native call plus a subarray each time, which
// dominates for the few-byte strings that make up most protobuf fields. Past
// the thresholds below (measured on Node 20) the native codecs win by far.
import { DecodeError } from "./errors.js";

/**
 * Up to this many UTF-16 units, measuring and encoding in JavaScript beats
 * Buffer's utf8Write and TextEncoder.encodeInto. Measured: 12 against 24 was
 * 1.65x on the bench's strings workload (1 to 24 units, half non-ASCII) and
 * the same on the protobuf datasets.
 */
const ENCODE_JS_MAX = 12;
/**
 * Longer strings, up to this many units, are first tried as ASCII in
 * JavaScript (keys, names and identifiers mostly are); at the first
 * non-ASCII unit the native codec takes over.
 */
const ASCII_JS_MAX = 48;
/** Up to this many bytes, an ASCII-only decode in JavaScript beats Buffer's utf8Slice and TextDecoder. */
const DECODE_JS_MAX = 16;
/** Largest scratch kept for measuring strings; longer ones are measured with a throwaway encode. */
const SCRATCH_MAX = 1 << 20;

const encoder = new TextEncoder();

// On Node, Buffer's UTF-8 routines work on any Uint8Array and cost a fraction
// of TextEncoder/TextDecoder per call (no subarray, no options object).
// Elsewhere the standard codecs serve.
interface NodeUtf8 {
  byteLength(s: string, encoding: "utf8"): number;
  prototype: {
    utf8Slice(this: Uint8Array, start: number, end: number): string;
    utf8Write(this: Uint8Array, s: string, offset: number): number;
  };
}
const nodeBuffer = (globalThis as { Buffer?: NodeUtf8 }).Buffer;
const nodeUtf8 =
  nodeBuffer !== undefined && typeof nodeBuffer.prototype.utf8Slice === "function" && typeof nodeBuffer.prototype.utf8Write === "function"
    ? nodeBuffer
    : undefined;
// ignoreBOM keeps a leading U+FEFF as data: protobuf strings have no byte order mark.
const strictDecoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
const laxDecoder = new TextDecoder("utf-8", { fatal: false, ignoreBOM: true });
let scratch = new Uint8Array(0);

/** The number of bytes TextEncoder would produce for `s`. */
export function utf8Length(s: string): number {
  const n = s.length;
  if (n > ENCODE_JS_MAX) return n <= ASCII_JS_MAX && isAscii(s) ? n : nativeLength(s);
  let len = n;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) {
      len += 1;
    } else if ((c & 0xfc00) === 0xd800 && i + 1 < n && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      // A surrogate pair: two units, four bytes.
      len += 2;
      i++;
    } else {
      len += 2;
    }
  }
  return len;
}

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) >= 0x80) return false;
  return true;
}

/** Writes an all-ASCII `s` at `pos`; returns the position after it, or -1 at the first non-ASCII unit. */
function writeAscii(s: string, buf: Uint8Array, pos: number): number {
  const n = s.length;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80) return -1;
    buf[pos + i] = c;
  }
  return pos + n;
}

function nativeLength(s: string): number {
  if (nodeUtf8 !== undefined) return nodeUtf8.byteLength(s, "utf8");
  // encodeInto never writes more than 3 bytes per UTF-16 unit.
  const room = s.length * 3;
  if (room > SCRATCH_MAX) return encoder.encode(s).length;
  if (room > scratch.length) scratch = new Uint8Array(Math.max(room, 1024));
  return encoder.encodeInto(s, scratch).written;
}

/**
 * Writes `s` as UTF-8 at `pos`; returns the position after it. If `buf` is too
 * short (the computed size was wrong), a short string's excess bytes are
 * dropped like any write past the end, leaving BinaryWriter.finish to report
 * it; TextEncoder would silently stop early instead, so that case throws here.
 */
export function writeUtf8(s: string, buf: Uint8Array, pos: number): number {
  const n = s.length;
  if (n > ENCODE_JS_MAX) {
    if (n <= ASCII_JS_MAX) {
      const end = writeAscii(s, buf, pos);
      if (end >= 0) return end;
    }
    if (nodeUtf8 !== undefined) {
      // utf8Write stops at the end of the buffer without complaint; a short
      // write leaves the writer short of its size, which finish() reports.
      return pos + nodeUtf8.prototype.utf8Write.call(buf, s, pos);
    }
    const { read, written } = encoder.encodeInto(s, buf.subarray(pos));
    if (read !== n) throw new Error("BinaryWriter: string does not fit (size/write mismatch)");
    return pos + written;
  }
  for (let i = 0; i < n; i++) {
    let c = s.charCodeAt(i);
    if (c < 0x80) {
      buf[pos++] = c;
    } else if (c < 0x800) {
      buf[pos++] = 0xc0 | (c >> 6);
      buf[pos++] = 0x80 | (c & 0x3f);
    } else {
      if ((c & 0xf800) === 0xd800) {
        const d = i + 1 < n ? s.charCodeAt(i + 1) : 0;
        if ((c & 0xfc00) === 0xd800 && (d & 0xfc00) === 0xdc00) {
          c = 0x10000 + ((c & 0x3ff) << 10) + (d & 0x3ff);
          i++;
          buf[pos++] = 0xf0 | (c >> 18);
          buf[pos++] = 0x80 | ((c >> 12) & 0x3f);
          buf[pos++] = 0x80 | ((c >> 6) & 0x3f);
          buf[pos++] = 0x80 | (c & 0x3f);
          continue;
        }
        c = 0xfffd;
      }
      buf[pos++] = 0xe0 | (c >> 12);
      buf[pos++] = 0x80 | ((c >> 6) & 0x3f);
      buf[pos++] = 0x80 | (c & 0x3f);
    }
  }
  return pos;
}

/**
 * Decodes `buf[start..end)`. Strict mode throws DecodeError on invalid UTF-8
 * (proto3 and editions string fields); lax mode replaces each invalid sequence
 * with U+FFFD as TextDecoder does (proto2, `utf8_validation = NONE`).
 */
export function readUtf8(buf: Uint8Array, start: number, end: number, strict: boolean): string {
  if (end - start <= DECODE_JS_MAX) {
    const ascii = readAscii(buf, start, end);
    if (ascii !== undefined) return ascii;
  }
  if (nodeUtf8 !== undefined) {
    const text = nodeUtf8.prototype.utf8Slice.call(buf, start, end);
    // Invalid input decodes to U+FFFD; only then is a strict check needed
    // (the text may also hold a genuine U+FFFD).
    if (!strict || text.indexOf("\ufffd") < 0) return text;
  }
  const bytes = buf.subarray(start, end);
  if (!strict) return laxDecoder.decode(bytes);
  try {
    return strictDecoder.decode(bytes);
  } catch {
    throw new DecodeError("invalid UTF-8");
  }
}

/** The text of an all-ASCII range, or undefined as soon as a byte is not ASCII. */
function readAscii(buf: Uint8Array, start: number, end: number): string | undefined {
  const n = end - start;
  if (n <= 12) {
    let any = 0;
    for (let i = start; i < end; i++) any |= buf[i]!;
    if (any >= 0x80) return undefined;
    // Up to 12 characters, fromCharCode with the codes as arguments: no array
    // of codes to allocate and collect (that array was most of the garbage of
    // decoding messages with short strings). Two pieces of up to 12 in all
    // still join into one flat string.
    return n <= 8 ? charsUpTo8(buf, start, n) : charsUpTo8(buf, start, 8) + charsUpTo8(buf, start + 8, n - 8);
  }
  // One fromCharCode over an array of the codes builds a flat string in one
  // allocation; appending char by char copies the prefix each time.
  const codes = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const b = buf[start + i]!;
    if (b >= 0x80) return undefined;
    codes[i] = b;
  }
  return String.fromCharCode.apply(String, codes);
}

const chars = String.fromCharCode;

/** The `n` (0 to 8) ASCII characters at `s`. */
function charsUpTo8(b: Uint8Array, s: number, n: number): string {
  switch (n) {
    case 0:
      return "";
    case 1:
      return chars(b[s]!);
    case 2:
      return chars(b[s]!, b[s + 1]!);
    case 3:
      return chars(b[s]!, b[s + 1]!, b[s + 2]!);
    case 4:
      return chars(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!);
    case 5:
      return chars(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!);
    case 6:
      return chars(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!);
    case 7:
      return chars(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!);
    default:
      return chars(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!, b[s + 7]!);
  }
}
