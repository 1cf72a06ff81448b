// UTF-8 for protobuf strings, agreeing byte for byte with TextEncoder: a lone
// surrogate becomes U+FFFD (3 bytes) in both the length and the encoding.
//
// Short strings are encoded and decoded in JavaScript: TextEncoder and
// TextDecoder cost a native call plus a subarray each time, which dominates
// for the few-byte strings that make up most protobuf fields.
import { DecodeError } from "./errors.js";

/** Below this many UTF-16 units, encoding in JavaScript beats TextEncoder.encodeInto. */
const ENCODE_JS_MAX = 256;
/** Below this many bytes, an ASCII-only decode in JavaScript beats TextDecoder. */
const DECODE_JS_MAX = 64;

const encoder = new TextEncoder();
// ignoreBOM keeps a leading U+FEFF as data: protobuf strings have no byte order mark.
const strictDecoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
const laxDecoder = new TextDecoder("utf-8", { fatal: false, ignoreBOM: true });

/** The number of bytes TextEncoder would produce for `s`. */
export function utf8Length(s: string): number {
  const n = s.length;
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

/**
 * Writes `s` as UTF-8 at `pos`; returns the position after it. The caller
 * guarantees room for `utf8Length(s)` bytes.
 */
export function writeUtf8(s: string, buf: Uint8Array, pos: number): number {
  if (s.length > ENCODE_JS_MAX) {
    return pos + encoder.encodeInto(s, buf.subarray(pos)).written;
  }
  const n = s.length;
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
  let s = "";
  for (let i = start; i < end; i++) {
    const b = buf[i];
    if (b >= 0x80) return undefined;
    s += String.fromCharCode(b);
  }
  return s;
}
